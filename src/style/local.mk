## src/style: journal presets, layers, physical size.
libfigtrace_impl_la_SOURCES += src/style/style.c
