## tests/e2e
