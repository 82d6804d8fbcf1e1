"""The monthly cost split (shared): periods, cost pools, allocation keys and their versions,
driver snapshots per agency and period, allocation runs and their lines, statements and
disputes. Home: public (ids, amounts and reasons; no personal data)."""
