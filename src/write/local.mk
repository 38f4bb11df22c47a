## src/write
