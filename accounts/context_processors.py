def portal(request):
    """What every page's header needs."""
    user = getattr(request, "user", None)
    return {
        "portal_user_kind": (
            "staff"
            if user and user.is_authenticated and user.is_staff
            else "establishment"
            if user and user.is_authenticated and user.is_establishment
            else "individual"
            if user and user.is_authenticated
            else "anonymous"
        ),
    }
