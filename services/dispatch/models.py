"""Field dispatch (shared): the 21 counties and their seats, technicians with their home region,
working calendar and the counties they cover, and visits per agency and month as a cost driver.
Home: public (ids, times and counts only)."""
