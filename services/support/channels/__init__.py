"""Channel adapters of support: e-mail in and out, SMS, chat.

Each adapter turns what arrived (a raw RFC 822 message, a signed webhook, a GraphQL call) into
the write paths of `services.support.actions`, after finding the sender's agency and person
(`senders`). An unknown or ambiguous sender is asked who they are, and nothing is filed.
"""
