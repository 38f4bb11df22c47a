## src/nn: the U-Net inference engine (tensors, operators, safetensors models).
libfigtrace_impl_la_SOURCES += \
	src/nn/internal.h \
	src/nn/model.h \
	src/nn/ops.c \
	src/nn/direct.c \
	src/nn/load.c \
	src/nn/run.c

figtraceinc_HEADERS += include/figtrace/nn.h

check_PROGRAMS += tests/unit/test_nn
TESTS += tests/unit/test_nn
tests_unit_test_nn_SOURCES = tests/unit/test_nn.c tests/unit/testutil.h
tests_unit_test_nn_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_nn_LDADD = $(TEST_LDADD)

## The benchmark driver: a check program (built by `make check`, not run as a test).
check_PROGRAMS += tools/bench/unet/unetbench
tools_bench_unet_unetbench_SOURCES = tools/bench/unet/unetbench.c
tools_bench_unet_unetbench_CPPFLAGS = $(TEST_CPPFLAGS)
tools_bench_unet_unetbench_LDADD = libfigtrace_impl.la $(OPENBLAS_LIBS) $(FT_DEP_LIBS)
CLEANFILES += tools/bench/unet/unetbench
