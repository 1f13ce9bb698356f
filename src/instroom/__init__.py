"""Instroom: the platform for a Dutch regional uitstroomregeling."""
