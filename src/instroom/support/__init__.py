"""Contracts, soft landing, meetings, signals, time-out and the case table."""
