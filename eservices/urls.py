from django.urls import path

from . import views

app_name = "eservices"
urlpatterns = [
    path("services/<slug:audience>/", views.services_list, name="list"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_code"),
]
