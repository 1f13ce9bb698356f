"""Home offers from corporations."""
