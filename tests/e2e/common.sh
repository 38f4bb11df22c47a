# tests/e2e/common.sh - shared set-up for the end-to-end test scripts.
#
# Sourced by each script.  Finds the built program and test tool (FT_SRCDIR
# and FT_BUILDDIR come from `make check`; run by hand, both default to the
# source tree), makes a private temporary directory that is removed however
# the script ends, and offers small helpers that count checks and print a
# clear line for every failure.  Exit codes follow the Automake harness:
# 0 pass, 1 fail, 77 skip, 99 hard error (the test could not run).

: "${FT_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${FT_BUILDDIR:=$FT_SRCDIR}"
FIGTRACE="$FT_BUILDDIR/figtrace"
# shellcheck disable=SC2034 # used by the scripts that source this file
RASTERDIFF="$FT_BUILDDIR/tests/tools/rasterdiff"
# shellcheck disable=SC2034
SAMPLES="$FT_SRCDIR/samples"
export LC_ALL=C

if [ ! -x "$FIGTRACE" ]; then
  echo "ERROR: $FIGTRACE is not built (run make first)" >&2
  exit 99
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/figtrace-e2e.XXXXXX") || {
  echo "ERROR: cannot create a temporary directory" >&2
  exit 99
}
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' HUP INT TERM

checks=0
failures=0

fail() {
  failures=$((failures + 1))
  echo "FAIL: $*" >&2
}

ok() {
  echo "ok: $*"
}

# ft ARGS... : run figtrace; stdout in $TMP/ft.out, stderr in $TMP/ft.err,
# exit status in $rc.  Standard input is the caller's.
ft() {
  "$FIGTRACE" "$@" >"$TMP/ft.out" 2>"$TMP/ft.err"
  rc=$?
}

# expect_rc WANT WHAT : compare $rc with WANT; on a mismatch show stderr.
expect_rc() {
  checks=$((checks + 1))
  if [ "$rc" -ne "$1" ]; then
    fail "$2: exit status $rc, expected $1"
    sed 's/^/    stderr: /' "$TMP/ft.err" >&2
    return 1
  fi
  ok "$2 (exit $rc)"
  return 0
}

# expect WHAT TEST-ARGS... : one check; TEST-ARGS are given to test(1).
# Returns non-zero when the check failed, for `expect ... || show-detail`.
expect() {
  x_desc=$1
  shift
  checks=$((checks + 1))
  if test "$@"; then
    ok "$x_desc"
  else
    fail "$x_desc"
    return 1
  fi
}

# stderr_has TEXT WHAT : the last run's stderr contains TEXT.
stderr_has() {
  checks=$((checks + 1))
  if grep -qF -- "$1" "$TMP/ft.err"; then
    ok "$2"
  else
    fail "$2: stderr lacks '$1'"
    sed 's/^/    stderr: /' "$TMP/ft.err" >&2
  fi
}

# finish : summary line and exit status for the harness.
finish() {
  echo "$checks checks, $failures failed"
  [ "$failures" -eq 0 ]
  exit $?
}
