"""Home offers from corporations.

Built in the issue: homes, ranking and offers.
"""
