## src/style: journal presets, layers, physical size, scale bar, lint.
libfigtrace_impl_la_SOURCES += \
	src/style/internal.h \
	src/style/journals.c \
	src/style/style.c \
	src/style/check.c \
	src/style/underlay.c

check_PROGRAMS += tests/unit/test_style
TESTS += tests/unit/test_style
tests_unit_test_style_SOURCES = tests/unit/test_style.c tests/unit/testutil.h
tests_unit_test_style_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_style_LDADD = $(TEST_LDADD)

## The Cairo writer (PDF, EPS, PNG) lives with the writers but is this
## area's work; listed here to keep src/write/local.mk untouched.
libfigtrace_impl_la_SOURCES += src/write/cairo.c

check_PROGRAMS += tests/unit/test_cairo
TESTS += tests/unit/test_cairo
tests_unit_test_cairo_SOURCES = tests/unit/test_cairo.c tests/unit/testutil.h
tests_unit_test_cairo_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_cairo_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/test_check
TESTS += tests/unit/test_check
tests_unit_test_check_SOURCES = tests/unit/test_check.c tests/unit/testutil.h
tests_unit_test_check_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_check_LDADD = $(TEST_LDADD)

## End to end: journals, scale bar, PDF/EPS/PNG, figtrace check.
TESTS += tests/e2e/journal.sh
