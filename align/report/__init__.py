"""Human-readable outputs: terminal summaries and the static HTML report."""
