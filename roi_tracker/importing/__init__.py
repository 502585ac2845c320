"""CSV import and export: reader (encoding, dialect) -> columns (cells, row rules) -> loader."""
