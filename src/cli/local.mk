## src/cli: the figtrace program (the only code that parses argv, prints
## and exits).  options.c is shared with tests/tools/rasterdiff.
figtrace_SOURCES += \
	src/cli/main.c \
	src/cli/options.c \
	src/cli/options.h
