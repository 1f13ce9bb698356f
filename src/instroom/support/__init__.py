"""Contracts, soft landing, meetings, signals, time-out and the case table.

Built in the issue: contract and support.
"""
