"""Crash consistency with a real broker and worker (long; not collected by pytest):

    .venv/bin/python -m tests.security.crash

See __main__.py for what it does and what it checks."""
