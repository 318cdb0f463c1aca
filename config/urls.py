from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from eservices.views import portal_home

admin.site.site_header = _("Social Security e-services — staff")
admin.site.site_title = _("Social Security staff")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", portal_home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("individuals/benefits/", include("individuals.benefits.urls")),
    path("individuals/", include("individuals.urls")),
    path("establishments/", include("establishments.urls")),
    path("pensions/", include("pensions.urls")),
    path("payments/", include("payments.urls")),
    path("household/", include("household.urls")),
    path("api/", include("eservices.api_urls")),
    path("", include("eservices.urls")),
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
