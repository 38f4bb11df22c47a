## src/style: journal presets, layers, physical size, scale bar, lint.
libfigtrace_impl_la_SOURCES += \
	src/style/internal.h \
	src/style/journals.c \
	src/style/style.c

check_PROGRAMS += tests/unit/test_style
TESTS += tests/unit/test_style
tests_unit_test_style_SOURCES = tests/unit/test_style.c tests/unit/testutil.h
tests_unit_test_style_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_style_LDADD = $(TEST_LDADD)
