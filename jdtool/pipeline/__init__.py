"""jdtool's spaCy components and the function that assembles them into a pipeline."""
