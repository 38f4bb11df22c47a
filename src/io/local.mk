## src/io
