"""Portal pages of field visits: agency staff request a visit and follow it, central IT's
dispatchers work the dispatch board, technicians see and close their own visits. Every write
goes through services.field.visits.actions."""
