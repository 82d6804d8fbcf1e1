from tests.hubs.fixtures import calendar, hub, hubber

__all__ = ["calendar", "hub", "hubber"]
