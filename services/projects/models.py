"""Joint projects (shared): purpose, participating agencies and their agreed shares, budget,
state and milestones. Home: public."""
