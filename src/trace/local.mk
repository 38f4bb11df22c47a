## src/trace: labels -> closed pixel outlines and stroke centre lines.
libfigtrace_impl_la_SOURCES += src/trace/contour.c src/trace/centerline.c src/trace/internal.h

check_PROGRAMS += tests/unit/test_trace
TESTS += tests/unit/test_trace
tests_unit_test_trace_SOURCES = tests/unit/test_trace.c tests/unit/testutil.h
tests_unit_test_trace_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_trace_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/test_centerline
TESTS += tests/unit/test_centerline
tests_unit_test_centerline_SOURCES = tests/unit/test_centerline.c tests/unit/testutil.h \
	src/cli/trace_opts.c src/cli/trace_opts.h
tests_unit_test_centerline_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_centerline_LDADD = $(TEST_LDADD)
