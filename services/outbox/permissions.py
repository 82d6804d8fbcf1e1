"""Who may see every agency's outbox counts and send the failed messages again: central IT's
platform admins and service desk (an agency's admins see and retry their own)."""

from tenants.roles import Role

VIEWERS = (Role.PLATFORM_ADMIN, Role.SERVICE_DESK_AGENT)
