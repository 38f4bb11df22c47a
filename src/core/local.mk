## src/core: values, context, pipeline.
libfigtrace_impl_la_SOURCES += \
	src/core/internal.h \
	src/core/ctx.c \
	src/core/image.c \
	src/core/labels.c \
	src/core/paths.c \
	src/core/doc.c \
	src/core/edt.c \
	src/core/pipeline.c \
	src/core/pool.c \
	src/core/presets.c

figtraceinc_HEADERS += \
	include/figtrace/common.h \
	include/figtrace/image.h \
	include/figtrace/labels.h \
	include/figtrace/paths.h \
	include/figtrace/doc.h \
	include/figtrace/io.h \
	include/figtrace/stages.h \
	include/figtrace/pipeline.h \
	include/figtrace/presets.h

check_PROGRAMS += tests/unit/test_core
TESTS += tests/unit/test_core
tests_unit_test_core_SOURCES = tests/unit/test_core.c tests/unit/testutil.h
tests_unit_test_core_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_core_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/test_pipeline
TESTS += tests/unit/test_pipeline
tests_unit_test_pipeline_SOURCES = tests/unit/test_pipeline.c tests/unit/testutil.h
tests_unit_test_pipeline_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_pipeline_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/unit/test_pool
TESTS += tests/unit/test_pool
tests_unit_test_pool_SOURCES = tests/unit/test_pool.c tests/unit/testutil.h
tests_unit_test_pool_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_pool_LDADD = $(TEST_LDADD)
