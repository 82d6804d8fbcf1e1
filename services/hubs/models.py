"""Service hubs (shared): where staff drop off or pick up devices, their opening hours, slot
length and capacity, the services offered, the load of each slot across agencies, and each hub's
stock of loaner and replacement devices. Home: public (no personal data)."""
