## src/fit: simplification and curve fitting.
libfigtrace_impl_la_SOURCES += \
	src/fit/internal.h \
	src/fit/fit.c \
	src/fit/polygon.c \
	src/fit/bezier.c \
	src/fit/stroke.c \
	src/fit/subpixel.c

check_PROGRAMS += tests/unit/test_fit
TESTS += tests/unit/test_fit
tests_unit_test_fit_SOURCES = tests/unit/test_fit.c tests/unit/testutil.h
tests_unit_test_fit_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_fit_LDADD = $(TEST_LDADD) -lm
