"""Quota apportionment, carry-over and concentration caps; a pure-Python core."""
