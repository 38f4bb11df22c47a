## src/write: atomic output sinks and the SVG writer.
libfigtrace_impl_la_SOURCES += \
	src/write/internal.h \
	src/write/sink.c \
	src/write/pathdata.c \
	src/write/svg.c \
	src/write/xmlw.h \
	src/write/xmlw.c \
	src/write/preview.c \
	src/write/tiffmem.h \
	src/write/tiffmem.c

figtraceinc_HEADERS += include/figtrace/preview.h

check_PROGRAMS += tests/unit/test_svg tests/unit/test_sink
TESTS += tests/unit/test_svg tests/unit/test_sink
tests_unit_test_svg_SOURCES = tests/unit/test_svg.c tests/unit/testutil.h
tests_unit_test_svg_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_svg_LDADD = $(TEST_LDADD)
tests_unit_test_sink_SOURCES = tests/unit/test_sink.c tests/unit/testutil.h
tests_unit_test_sink_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_sink_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/test_preview
TESTS += tests/unit/test_preview
tests_unit_test_preview_SOURCES = tests/unit/test_preview.c tests/unit/testutil.h
tests_unit_test_preview_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_preview_LDADD = $(TEST_LDADD)
