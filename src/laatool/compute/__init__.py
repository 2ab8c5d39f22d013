"""Computing."""
