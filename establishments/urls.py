from django.urls import include, path

from . import inquiry_urls, registration_urls, submission_urls, views

app_name = "establishments"
urlpatterns = [
    path("", views.home, name="home"),
    *registration_urls.urlpatterns,
    *inquiry_urls.urlpatterns,
    *submission_urls.urlpatterns,
    path("programmes/", include("establishments.programmes.urls")),
]
