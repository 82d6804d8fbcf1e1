"""Portal pages of support (views in services/support/portal/)."""

from django.urls import path

from services.support.portal import agency, canned, chat, held, queue, ticket_desk
from services.support.portal import compliance as compliance_pages
from services.support.satisfaction import portal as satisfaction

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
    path("<int:pk>/rate/", satisfaction.rate, name="rate"),
    path("rate/<str:token>/", satisfaction.rate_link, name="rate-link"),
    path("compliance/", compliance_pages.agency, name="compliance-agency"),
]

central_urlpatterns = [
    path("queue/", queue.queue, name="queue"),
    path("queue/views/", queue.save_view, name="view-save"),
    path("queue/views/<int:pk>/delete/", queue.delete_view, name="view-delete"),
    path("queue/bulk/", queue.bulk, name="bulk"),
    path("tickets/<int:agency_id>/<int:pk>/", ticket_desk.detail, name="ticket"),
    path("tickets/<int:agency_id>/<int:pk>/live/", ticket_desk.live, name="ticket-live"),
    path("tickets/<int:agency_id>/<int:pk>/typing/", ticket_desk.typing, name="ticket-typing"),
    path("tickets/<int:agency_id>/<int:pk>/take/", ticket_desk.take, name="take"),
    path("tickets/<int:agency_id>/<int:pk>/state/", ticket_desk.change_state, name="state"),
    path("tickets/<int:agency_id>/<int:pk>/priority/", ticket_desk.priority, name="priority"),
    path("tickets/<int:agency_id>/<int:pk>/assign/", ticket_desk.assign, name="assign"),
    path("tickets/<int:agency_id>/<int:pk>/merge/", ticket_desk.merge, name="merge"),
    path("tickets/<int:agency_id>/<int:pk>/link/", ticket_desk.link, name="link"),
    path("tickets/<int:agency_id>/<int:pk>/unlink/", ticket_desk.unlink, name="unlink"),
    path("canned/", canned.canned_list, name="canned"),
    path("canned/<int:pk>/", canned.canned_list, name="canned-edit"),
    path("canned/<int:pk>/delete/", canned.canned_delete, name="canned-delete"),
    path("held/", held.held_list, name="held"),
    path("held/<int:pk>/", held.decide, name="held-decide"),
    path("compliance/", compliance_pages.central, name="compliance"),
    path(
        "compliance/<int:agency_id>/<int:ticket_id>/review/",
        compliance_pages.record_review,
        name="compliance-review",
    ),
    path(
        "compliance/<int:agency_id>/reviews/<int:review_id>/done/",
        compliance_pages.complete_review,
        name="compliance-review-done",
    ),
]
