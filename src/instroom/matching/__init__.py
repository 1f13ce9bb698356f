"""Eligibility, scores, ranking, the offer workflow and the batch solver.

Built in the issues: homes and ranking, batch matching.
"""
