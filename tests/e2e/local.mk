## tests/e2e: end-to-end tests of the figtrace program on the samples.
## The scripts are run directly by the test harness (they are executable);
## FT_SRCDIR and FT_BUILDDIR reach them through AM_TESTS_ENVIRONMENT.

## rasterdiff: scores a rendered SVG against the thresholded input.  It
## parses options with the program's own src/cli/options.c.
check_PROGRAMS += tests/tools/rasterdiff
tests_tools_rasterdiff_SOURCES = tests/tools/rasterdiff.c \
	src/cli/options.c src/cli/options.h
tests_tools_rasterdiff_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tools_rasterdiff_LDADD = libfigtrace_impl.la $(FT_DEP_LIBS)

TESTS += \
	tests/e2e/samples.sh \
	tests/e2e/outputs.sh \
	tests/e2e/errors.sh \
	tests/e2e/examples.sh \
	tests/e2e/batch.sh \
	tests/e2e/hostile.sh \
	tests/e2e/report.sh \
	tests/e2e/presets.sh \
	tests/e2e/lazy_libs.sh
