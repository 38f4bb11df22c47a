## src/segment
