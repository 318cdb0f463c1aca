from django.urls import path

from . import views

app_name = "eservices"
urlpatterns = [
    path("<slug:audience>/", views.services_list, name="list"),
]
