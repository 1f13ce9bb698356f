"""Eligibility, scores, ranking, the offer workflow and the batch solver."""
