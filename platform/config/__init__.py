"""Samnav's project shell. `platform/` is on the import path; this is the `config` package."""
