from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo federation and `manage.py serve` (make run). The top layer: may import any
    domain, and nothing imports it."""

    name = "demo"
    label = "demo"
    verbose_name = "Demo federation"
