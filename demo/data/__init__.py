"""The demo federation's content, one module per domain (Swedish names and invented figures:
demo content for Swedish users). Loaded by demo/loader.py; never imported by a domain."""
