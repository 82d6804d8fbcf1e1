"""An agency's own knowledge-base articles, visible only in that agency. Home: the agency's
schema."""
