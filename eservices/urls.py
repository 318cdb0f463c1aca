from django.urls import path

from . import hooks, request_views, views

app_name = "eservices"
urlpatterns = [
    path("services/<slug:audience>/", views.services_list, name="list"),
    path("service/<str:code>/", request_views.request_start, name="request_start"),
    path("requests/", request_views.my_requests, name="my_requests"),
    path("requests/<int:pk>/", request_views.request_detail, name="request_detail"),
    path("requests/<int:pk>/answers/", request_views.request_edit, name="request_edit"),
    path(
        "requests/<int:pk>/documents/",
        request_views.request_attachments,
        name="request_attachments",
    ),
    path("requests/<int:pk>/check/", request_views.request_check, name="request_check"),
    path("requests/<int:pk>/cancel/", request_views.request_cancel_view, name="request_cancel"),
    path(
        "requests/<int:pk>/attachments/<int:attachment_id>/",
        request_views.attachment_download,
        name="attachment_download",
    ),
    path("inbox/", request_views.inbox, name="inbox"),
    path("my-file-access/", request_views.my_file_access, name="my_file_access"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("hooks/sms-status/", hooks.sms_status, name="sms_status"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_code"),
]
