"""The shared knowledge base: articles per service written by central IT, and the outcome of
each suggestion (did it end the matter without a ticket?). Home: public (no personal data)."""
