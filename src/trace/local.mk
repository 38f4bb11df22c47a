## src/trace: labels -> closed pixel outlines.
libfigtrace_impl_la_SOURCES += src/trace/contour.c

check_PROGRAMS += tests/unit/test_trace
TESTS += tests/unit/test_trace
tests_unit_test_trace_SOURCES = tests/unit/test_trace.c tests/unit/testutil.h
tests_unit_test_trace_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_trace_LDADD = $(TEST_LDADD)
