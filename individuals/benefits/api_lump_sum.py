"""Calculator endpoints of issue 4, mounted under /api/v1/calculators/."""

urlpatterns: list = []
