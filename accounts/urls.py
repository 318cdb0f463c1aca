from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("home/", views.home, name="home"),
    path("activate/", views.activate, name="activate"),
    path("activate/resend/", views.activation_resend, name="activation_resend"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/verify/", views.password_reset_verify, name="password_reset_verify"),
]
