## src/segment: image -> labels.
libfigtrace_impl_la_SOURCES += src/segment/threshold.c

check_PROGRAMS += tests/unit/test_segment
TESTS += tests/unit/test_segment
tests_unit_test_segment_SOURCES = tests/unit/test_segment.c tests/unit/testutil.h
tests_unit_test_segment_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_segment_LDADD = $(TEST_LDADD)
