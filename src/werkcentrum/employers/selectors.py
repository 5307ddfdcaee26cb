from django.db.models import Count, Q

from .models import Employer


def employer_list(user, query: str = ""):
    employers = (
        Employer.objects.visible_to(user)
        .select_related("account_holder", "municipality")
        .annotate(
            open_vacancies=Count("vacancies", filter=Q(vacancies__status="open"), distinct=True),
            placement_count=Count("placements", distinct=True),
        )
    )
    if query:
        employers = employers.filter(
            Q(name__icontains=query) | Q(kvk_number__startswith=query.strip())
        )
    return employers.order_by("name")
