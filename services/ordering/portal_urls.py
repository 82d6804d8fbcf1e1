"""Portal pages of ordering: the paths on an agency host and on the central host (views in
services/ordering/portal/)."""

from django.urls import path

from services.ordering.portal import builder, catalogue, fulfilment, orders

agency_urlpatterns: list = [
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("new/", builder.new_order, name="new"),
    path("quote/", builder.quote, name="quote"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("subscriptions/", orders.subscription_list, name="subscriptions"),
    path("subscriptions/<int:pk>/", orders.subscription_detail, name="subscription"),
]
central_urlpatterns: list = [
    path("", fulfilment.queue, name="fulfilment"),
    path("<slug:agency_slug>/<int:pk>/", fulfilment.order, name="fulfilment_order"),
]
