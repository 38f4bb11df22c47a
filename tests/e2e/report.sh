#!/bin/sh
# tests/e2e/report.sh - the --report contact sheet.
#
# A batch with good and bad inputs (names that need HTML escaping and URL
# encoding among them) writes FILE.html and three PNG previews per converted
# input in FILE_files/.  Without a browser the test checks the files; with
# Debian's chromium it loads the page headless and requires that every
# image decoded (naturalWidth > 0, counted by the page's own script into
# #ft-check, read back with --dump-dom) and that nothing was written to the
# console.  Without chromium the file checks still run, and the test then
# exits 77 (skipped) when they passed: CI installs chromium.
. "${FT_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/common.sh"

cd "$TMP" || exit 99
mkdir -p "in put/sub"
cp "$SAMPLES/diagram.png" "in put/a & <b>.png"
cp "$SAMPLES/logo.pnm" "in put/sub/logo.pnm"
cp "$SAMPLES/nuclei.tif" "in put/sub/nuclei.tif"
printf 'broken' >"in put/bad.png"

ft -r --report "my report.html" -o out "in put"
expect_rc 1 "batch with a bad input and --report"
expect "report written" -s "my report.html"
expect "previews folder beside it" -d "my report_files"
expect "three previews per converted input" "$(ls "my report_files" | grep -c '\.png$')" -eq 9
expect "no temporary files in the previews folder" "$(ls -A "my report_files" | grep -c '^\.')" -eq 0
expect "the input name is escaped" "$(grep -c 'in put/a &amp; &lt;b&gt;.png' "my report.html")" -ge 1
expect "image sources are URL-encoded" \
  "$(grep -o 'src="my%20report_files/[0-9]*-[a-z]*\.png"' "my report.html" | wc -l)" -eq 9
expect "the failure is listed" "$(grep -c 'class="failed"' "my report.html")" -eq 1
for p in "my report_files/"*.png; do
  checks=$((checks + 1))
  if [ "$(head -c 8 "$p" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then :; else
    fail "$p is not a PNG"
  fi
done

browser=
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
  echo "SKIP: chromium is not installed (Debian package: chromium); browser checks not run"
  [ "$failures" -eq 0 ] && exit 77
  finish
fi
profile=$(mktemp -d "$TMP/chromium.XXXXXX")
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --enable-logging=stderr --v=0 --virtual-time-budget=10000 \
  --dump-dom "file://$TMP/my%20report.html" >dom.html 2>browser.err
rc=$?
expect "chromium ran" "$rc" -eq 0 || tail -n 5 browser.err | sed 's/^/    chromium: /' >&2
marker=$(grep -o '<p id="ft-check"[^>]*>' dom.html)
expect "the page's script ran" -n "$marker"
expect "every image decoded in the browser (9 of 9)" \
  "$(echo "$marker" | grep -c 'data-loaded="9" data-total="9"')" -eq 1 || echo "    $marker" >&2
expect "no console messages" "$(grep -c ':CONSOLE' browser.err)" -eq 0 ||
  grep ':CONSOLE' browser.err | sed 's/^/    /' >&2

finish
