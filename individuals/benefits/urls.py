from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    path("lump-sum/", views.lump_inquiry, name="lump_inquiry"),
    path("lump-sum/restore/", views.lump_re_inquiry, name="lump_re_inquiry"),
]
