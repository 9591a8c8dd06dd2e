"""Commands that read documents: `inspect`."""
