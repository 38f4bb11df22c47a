## src/io: image readers (PNG, JPEG, TIFF, PNM) and format detection.
libfigtrace_impl_la_SOURCES += \
	src/io/internal.h \
	src/io/read.c \
	src/io/read_png.c \
	src/io/read_jpeg.c \
	src/io/read_tiff.c \
	src/io/read_pnm.c

check_PROGRAMS += tests/unit/test_read
TESTS += tests/unit/test_read
tests_unit_test_read_SOURCES = tests/unit/test_read.c tests/unit/testutil.h
tests_unit_test_read_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_read_LDADD = $(TEST_LDADD)
