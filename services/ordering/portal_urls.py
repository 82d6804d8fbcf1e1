"""Portal pages of ordering: the paths on an agency host and on the central host (views in
services/ordering/portal/)."""

from django.urls import path

from services.ordering.portal import budgets, builder, catalogue, fulfilment, orders, overrides

agency_urlpatterns: list = [
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("new/", builder.new_order, name="new"),
    path("quote/", builder.quote, name="quote"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("subscriptions/", orders.subscription_list, name="subscriptions"),
    path("subscriptions/<int:pk>/", orders.subscription_detail, name="subscription"),
    path("budgets/", budgets.budget_list, name="budgets"),
]
central_urlpatterns: list = [
    path("", fulfilment.queue, name="fulfilment"),
    path("<slug:agency_slug>/<int:pk>/", fulfilment.order, name="fulfilment_order"),
    path("overrides/", overrides.override_queue, name="overrides"),
    path("overrides/<slug:agency_slug>/<int:pk>/", overrides.override_order, name="override_order"),
]
