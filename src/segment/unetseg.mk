## src/segment/unetseg.mk: the U-Net segmenter (model lookup, instances,
## label image) and the models/ directory.  Kept apart from
## src/segment/local.mk (threshold methods) so the two areas merge cleanly.
libfigtrace_impl_la_SOURCES += \
	src/nn/find.c \
	src/segment/nn_internal.h \
	src/segment/unet.c \
	src/segment/blobs.c \
	src/segment/unet_options.c \
	src/segment/instances.c \
	src/segment/labels_write.c

figtraceinc_HEADERS += include/figtrace/segment_nn.h

## Model lookup: the installed directory and, for programs run from the
## build tree, the source tree's models/ (ft_model_find, src/nn/find.c).
modelsdir = $(pkgdatadir)/models
libfigtrace_impl_la_CPPFLAGS += -DFT_MODELDIR='"$(modelsdir)"' \
	-DFT_SRCDIR_MODELS='"$(abs_top_srcdir)/models"'

## Every models/*.safetensors present is installed (the shipped weights are
## produced by tools/train and may be added after this rule was written).
EXTRA_DIST += models
install-data-local: install-models
uninstall-local: uninstall-models
install-models:
	$(MKDIR_P) '$(DESTDIR)$(modelsdir)'
	for f in $(srcdir)/models/*.safetensors; do \
	  if test -f "$$f"; then $(INSTALL_DATA) "$$f" '$(DESTDIR)$(modelsdir)' || exit 1; fi; \
	done
uninstall-models:
	for f in $(srcdir)/models/*.safetensors; do \
	  if test -f "$$f"; then rm -f '$(DESTDIR)$(modelsdir)'/"$${f##*/}"; fi; \
	done
.PHONY: install-models uninstall-models

check_PROGRAMS += tests/unit/test_unetseg tests/unit/test_instances
TESTS += tests/unit/test_unetseg tests/unit/test_instances
tests_unit_test_unetseg_SOURCES = tests/unit/test_unetseg.c tests/unit/testutil.h
tests_unit_test_unetseg_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_unetseg_LDADD = $(TEST_LDADD)
tests_unit_test_instances_SOURCES = tests/unit/test_instances.c tests/unit/testutil.h
tests_unit_test_instances_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_instances_LDADD = $(TEST_LDADD)

## The program's --labels option.
figtrace_SOURCES += src/cli/labels.c src/cli/labels.h

## End-to-end: the program with a U-Net (tests/e2e/microscopy.sh) and its
## comparison tool.
check_PROGRAMS += tests/tools/labelcmp
tests_tools_labelcmp_SOURCES = tests/tools/labelcmp.c
tests_tools_labelcmp_CPPFLAGS = $(TEST_CPPFLAGS)
tests_tools_labelcmp_LDADD = libfigtrace_impl.la $(FT_DEP_LIBS)
TESTS += tests/e2e/microscopy.sh

## The sketch preset's model and classical branches (tests/data/sketch holds
## its fixture model).
check_PROGRAMS += tests/unit/test_sketch
TESTS += tests/unit/test_sketch
tests_unit_test_sketch_SOURCES = tests/unit/test_sketch.c tests/unit/testutil.h \
	src/cli/segment.c src/cli/segment.h
tests_unit_test_sketch_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_sketch_LDADD = $(TEST_LDADD)
TESTS += tests/e2e/sketch.sh
