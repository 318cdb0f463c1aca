"""URLs of the establishments app (see establishments/urls.py)."""

urlpatterns: list = []
