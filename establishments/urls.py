from django.urls import path

from . import views

app_name = "establishments"
urlpatterns = [
    path("", views.home, name="home"),
]
