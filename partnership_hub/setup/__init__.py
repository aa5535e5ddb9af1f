"""Setup: the toolkit setup guide — every question the toolkit asks, checked from the data."""
