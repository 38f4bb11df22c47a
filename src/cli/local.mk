## src/cli: the figtrace program (the only code that parses argv, prints
## and exits).  options.c is shared with tests/tools/rasterdiff.
figtrace_SOURCES += \
	src/cli/main.c \
	src/cli/figure.c \
	src/cli/figure.h \
	src/cli/check.c \
	src/cli/options.c \
	src/cli/options.h \
	src/cli/batch.h \
	src/cli/batch.c \
	src/cli/inputs.c \
	src/cli/progress.c \
	src/cli/report.c \
	src/cli/trace_opts.c \
	src/cli/trace_opts.h \
	src/cli/segment.c \
	src/cli/segment.h

check_PROGRAMS += tests/unit/test_options
TESTS += tests/unit/test_options
tests_unit_test_options_SOURCES = tests/unit/test_options.c tests/unit/testutil.h \
	src/cli/options.c src/cli/options.h
tests_unit_test_options_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_options_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/test_batch
TESTS += tests/unit/test_batch
tests_unit_test_batch_SOURCES = tests/unit/test_batch.c tests/unit/testutil.h \
	src/cli/batch.h src/cli/inputs.c src/cli/report.c
tests_unit_test_batch_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_batch_LDADD = $(TEST_LDADD)
