"""Portal pages of support: staff report and follow their tickets, admins see the agency's,
central IT works the queue across agencies. Every write goes through services.support.actions.
"""
