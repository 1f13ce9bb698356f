"""The support stage has no configuration models: its method (meeting kinds and schedule,
checklist, signal kinds, severities, outcomes, time-out) is the `support` section of the
region's rules (`regions.rules`), edited as a new rules version."""
