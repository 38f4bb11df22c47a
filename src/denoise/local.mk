## src/denoise: image -> image filters, the stage-spec parser (src/core/spec.c,
## kept here so the core fragment stays untouched) and the extra threshold
## methods (src/segment/global.c, adaptive.c, midpoint.c: standalone functions that
## ft_segment can call; listed here to keep src/segment/local.mk to its owner).
libfigtrace_impl_la_SOURCES += \
	src/core/spec.c \
	src/denoise/internal.h \
	src/denoise/median.c \
	src/denoise/gaussian.c \
	src/denoise/bilateral.c \
	src/denoise/nlm.c \
	src/denoise/morph.c \
	src/denoise/flatten.c \
	src/denoise/chain.c \
	src/segment/global.c \
	src/segment/adaptive.c \
	src/segment/midpoint.c

figtraceinc_HEADERS += \
	include/figtrace/spec.h \
	include/figtrace/denoise.h \
	include/figtrace/thresholds.h

check_PROGRAMS += tests/unit/test_spec tests/unit/test_denoise tests/unit/test_thresholds
TESTS += tests/unit/test_spec tests/unit/test_denoise tests/unit/test_thresholds
tests_unit_test_spec_SOURCES = tests/unit/test_spec.c tests/unit/testutil.h
tests_unit_test_spec_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_spec_LDADD = $(TEST_LDADD)
tests_unit_test_denoise_SOURCES = tests/unit/test_denoise.c tests/unit/testutil.h
tests_unit_test_denoise_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_denoise_LDADD = $(TEST_LDADD)
tests_unit_test_thresholds_SOURCES = tests/unit/test_thresholds.c tests/unit/testutil.h
tests_unit_test_thresholds_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_thresholds_LDADD = $(TEST_LDADD)
