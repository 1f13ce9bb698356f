"""Assessment tables, sessions, agendas and decisions."""
