"""Output formats: each a pure function from a result object to a string."""
