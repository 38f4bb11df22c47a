## src/segment: image -> labels (thresholds, k-means colour quantisation,
## small-region merging).  global.c and adaptive.c are listed in
## src/denoise/local.mk.
libfigtrace_impl_la_SOURCES += \
	src/segment/internal.h \
	src/segment/threshold.c \
	src/segment/methods.c \
	src/segment/merge.c \
	src/segment/wedges.c \
	src/segment/kmeans.c

check_PROGRAMS += tests/unit/test_segment tests/unit/test_kmeans
TESTS += tests/unit/test_segment tests/unit/test_kmeans
tests_unit_test_segment_SOURCES = tests/unit/test_segment.c tests/unit/testutil.h
tests_unit_test_segment_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_segment_LDADD = $(TEST_LDADD)
tests_unit_test_kmeans_SOURCES = tests/unit/test_kmeans.c tests/unit/testutil.h
tests_unit_test_kmeans_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_kmeans_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/test_wedges
TESTS += tests/unit/test_wedges
tests_unit_test_wedges_SOURCES = tests/unit/test_wedges.c tests/unit/testutil.h
tests_unit_test_wedges_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_wedges_LDADD = $(TEST_LDADD)
