## src/cli: the figtrace program (the only code that parses argv, prints
## and exits).  options.c is shared with tests/tools/rasterdiff.
figtrace_SOURCES += \
	src/cli/main.c \
	src/cli/options.c \
	src/cli/options.h \
	src/cli/segment.c \
	src/cli/segment.h

check_PROGRAMS += tests/unit/test_options
TESTS += tests/unit/test_options
tests_unit_test_options_SOURCES = tests/unit/test_options.c tests/unit/testutil.h \
	src/cli/options.c src/cli/options.h
tests_unit_test_options_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_options_LDADD = $(TEST_LDADD)
