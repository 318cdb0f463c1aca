from django.urls import path

from . import views, views_apply, views_update

app_name = "household"
urlpatterns = [
    path("", views.home, name="home"),
    # hh.register and the sign-in
    path("register/", views.register, name="register"),
    path("register/sent/", views.registered, name="registered"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/new-password/", views.resend, name="resend"),
    path("password/", views.password, name="password_change"),
    path("profile/", views.profile_resume, name="profile"),
    path("profile/<int:stage>/", views.profile_stage, name="profile_stage"),
    # hh.apply
    path("apply/", views_apply.apply_start, name="apply"),
    path("apply/<int:pk>/confirm/", views_apply.apply_confirm, name="apply_confirm"),
    path("apply/<int:pk>/<slug:key>/", views_apply.apply_step, name="apply_step"),
    path("applications/<int:pk>/", views_apply.application, name="application"),
    # hh.review (the applicant's side), hh.payment, hh.entitlement
    path("review/", views.review, name="review"),
    path("payments/", views.payments, name="payments"),
    path("entitlement/", views.entitlement, name="entitlement"),
    # hh.update
    path("update/", views_update.update_resume, name="update"),
    path("update/done/<int:pk>/", views_update.update_done, name="update_done"),
    path("update/<slug:key>/", views_update.update_step, name="update_step"),
]
