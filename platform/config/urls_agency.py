"""URLs of an agency host (<slug>.<base domain>), served in the agency's schema."""

from config.urls_common import common_patterns

urlpatterns = [*common_patterns]

handler403 = "tenants.views.denied"
