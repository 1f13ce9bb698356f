"""Fictional BSNs: numbers in 999 990 000–999 999 999, the range RvIG reserves for testing, that
pass the 11-check. Never a real person's number."""

from collections.abc import Iterator

from stdnum.nl import bsn


def fictional_bsns(start: int = 999_990_000) -> Iterator[str]:
    for number in range(start, 1_000_000_000):
        candidate = f"{number:09d}"
        if bsn.is_valid(candidate):
            yield candidate
