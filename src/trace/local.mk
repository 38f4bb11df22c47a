## src/trace
