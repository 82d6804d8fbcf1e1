"""Inbound channel adapters of support: e-mail in, SMS in, chat.

Each adapter turns what arrived (a raw RFC 822 message, a signed webhook, a GraphQL call) into
the write paths of `services.support.actions`, after finding the sender's agency and person
(`services.support.senders`). An unknown or ambiguous sender is asked who they are, and nothing
is filed. Mail out to requesters is services/support/email_out.py; the outbox sends it.
"""
