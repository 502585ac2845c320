"""CSV import and export: reader (encoding, dialect) -> schemas (pydantic rows) -> loader."""
