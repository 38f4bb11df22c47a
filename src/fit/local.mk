## src/fit: simplification and curve fitting.
libfigtrace_impl_la_SOURCES += src/fit/fit.c
