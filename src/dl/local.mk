## src/dl: optional libraries (libpng, Cairo, libtiff, libxml2, json-c, OpenBLAS) opened on
## first use; see src/dl/dl.h.
libfigtrace_impl_la_SOURCES += \
	src/dl/dl.h \
	src/dl/dl.c \
	src/dl/libs.c \
	src/dl/blas.h \
	src/dl/cairo.h \
	src/dl/jpeg.h \
	src/dl/json.h \
	src/dl/png.h \
	src/dl/tiff.h \
	src/dl/xml.h

check_PROGRAMS += tests/unit/test_dl
TESTS += tests/unit/test_dl
tests_unit_test_dl_SOURCES = tests/unit/test_dl.c tests/unit/testutil.h
tests_unit_test_dl_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_dl_LDADD = $(TEST_LDADD)
