# samples/batch/figures.mk - convert a folder of images with make, redoing only
# what changed.  Copy it next to your data, or use it in place:
#
#   make -f samples/batch/figures.mk SRC=scans OUT=figures -j4
#   make -f samples/batch/figures.mk FTFLAGS='--threshold 0.6'
#
# A failed conversion leaves no file (figtrace writes a temporary and renames
# it only on success), so the next run simply tries that figure again.
# Inputs with the same name and different extensions (a.png, a.tif) map to
# the same SVG; make then uses the first matching rule below.

FIGTRACE ?= figtrace
FTFLAGS ?=
SRC ?= samples
OUT ?= figures

EXTS := png jpg jpeg tif tiff pnm pbm pgm ppm
INPUTS := $(foreach e,$(EXTS),$(wildcard $(SRC)/*.$(e)))
SVGS := $(sort $(addprefix $(OUT)/,$(addsuffix .svg,$(basename $(notdir $(INPUTS))))))

all: $(SVGS)

$(OUT)/%.svg: $(SRC)/%.png
	$(FIGTRACE) $(FTFLAGS) -o $@ $<
$(OUT)/%.svg: $(SRC)/%.jpg
	$(FIGTRACE) $(FTFLAGS) -o $@ $<
$(OUT)/%.svg: $(SRC)/%.jpeg
	$(FIGTRACE) $(FTFLAGS) -o $@ $<
$(OUT)/%.svg: $(SRC)/%.tif
	$(FIGTRACE) $(FTFLAGS) -o $@ $<
$(OUT)/%.svg: $(SRC)/%.tiff
	$(FIGTRACE) $(FTFLAGS) -o $@ $<
$(OUT)/%.svg: $(SRC)/%.pnm
	$(FIGTRACE) $(FTFLAGS) -o $@ $<
$(OUT)/%.svg: $(SRC)/%.pbm
	$(FIGTRACE) $(FTFLAGS) -o $@ $<
$(OUT)/%.svg: $(SRC)/%.pgm
	$(FIGTRACE) $(FTFLAGS) -o $@ $<
$(OUT)/%.svg: $(SRC)/%.ppm
	$(FIGTRACE) $(FTFLAGS) -o $@ $<

# The output folder must exist before the first conversion into it.
$(SVGS): | $(OUT)
$(OUT):
	mkdir -p $@

clean:
	rm -f $(SVGS)

.PHONY: all clean
