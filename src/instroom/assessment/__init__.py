"""Assessment tables, sessions, agendas and decisions.

Built in the issue: intake and assessment.
"""
