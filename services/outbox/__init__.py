"""The outbox: every e-mail and SMS Samnav sends is first a row, written in the transaction
that decided to send it, then delivered by a task (docs/decisions/2026-11-22-outbox.md)."""
