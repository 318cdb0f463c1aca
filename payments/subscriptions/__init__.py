"""Optional (voluntary) and self-employed subscriptions, vehicles and their drivers: the service
functions (services.py), the request forms (forms.py, declared in payments/declare_subscriptions.py)
and the pages (views.py, mounted by payments/urls_subscriptions.py)."""
