"""Security proofs that span the whole platform (run by `make security`): API fuzzing, faults
on PostgreSQL, dump and restore. Not a Django app; tests only."""
