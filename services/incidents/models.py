"""Major incidents (shared): tickets about one service from several agencies within a short
window, linked by (agency, ticket id). Home: public (ids and times only)."""
