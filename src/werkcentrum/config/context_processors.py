from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    return {
        "site_region_code": getattr(getattr(user, "region", None), "code", None)
        or settings.WERKCENTRUM_DEFAULT_REGION,
    }
