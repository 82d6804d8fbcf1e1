"""Portal pages of support (views in services/support/portal/)."""

from django.urls import path

from services.support.portal import agency, central, chat, held

agency_urlpatterns = [
    path("new/", agency.new, name="new"),
    path("new/suggestions/", agency.suggestions, name="suggestions"),
    path("new/solved/", agency.solved, name="solved"),
    path("mine/", agency.mine, name="mine"),
    path("all/", agency.agency_tickets, name="agency"),
    path("<int:pk>/", agency.detail, name="detail"),
    path("<int:pk>/files/<int:attachment_id>/", agency.attachment, name="attachment"),
    path("chat/", chat.start, name="chat-start"),
    path("chat/<int:pk>/", chat.conversation, name="chat"),
]

central_urlpatterns = [
    path("queue/", central.queue, name="queue"),
    path("tickets/<int:agency_id>/<int:pk>/", central.detail, name="ticket"),
    path("tickets/<int:agency_id>/<int:pk>/take/", central.take, name="take"),
    path("tickets/<int:agency_id>/<int:pk>/state/", central.change_state, name="state"),
    path("held/", held.held_list, name="held"),
    path("held/<int:pk>/", held.decide, name="held-decide"),
]
