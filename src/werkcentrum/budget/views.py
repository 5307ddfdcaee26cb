"""Budget screens for managers and the programme office (coordinators read along):

/budget/              the multi-year overview of a budget version, with its warnings
/budget/realisation/  realisation per quarter: budget against realised, and the entry form
/budget/export.xlsx   the Excel export

The region is the user's own (``?region=`` for administrators, who see every region); the
version is the region's primary budget unless ``?version=`` names another.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from werkcentrum.core.errors import NotAllowed, ServiceError
from werkcentrum.regions.models import Region

from . import presentation, selectors, services
from .calc import QUARTERS
from .export import workbook_bytes
from .forms import RealisationForm
from .models import Section

MAX_PARAM = 80


def _param(request, name: str) -> str:
    value = request.GET.get(name, "")
    # NUL: no database stores it (PostgreSQL refuses even to compare with it)
    return value.replace("\x00", "").strip()[:MAX_PARAM] if isinstance(value, str) else ""


def _region(request) -> tuple[Region, bool]:
    """The region asked for (``?region=``) or the user's own; and whether it was asked for."""
    code = _param(request, "region")
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise Http404
        return region, True
    if request.user.region_id:
        return request.user.region, False
    region = Region.objects.filter(code=settings.WERKCENTRUM_DEFAULT_REGION).first()
    if region is None:
        raise Http404
    return region, False


def _guard(check, user, region) -> None:
    try:
        check(user, region.pk)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc


class _Page:
    """The region, the budget versions and the chosen budget of one request."""

    def __init__(self, request, *, edit: bool = False):
        self.region, self.region_asked = _region(request)
        _guard(
            services.require_editor if edit else services.require_viewer, request.user, self.region
        )
        self.can_edit = services.can_edit(request.user)
        self.budgets = selectors.budgets_for(self.region)
        asked = _param(request, "version")
        self.budget = selectors.pick(self.budgets, asked)
        self.notices = []
        if asked and self.budget is not None and self.budget.version != asked:
            self.notices.append(
                _("We do not know that budget version; showing the primary budget.")
            )

    def query(self, **extra) -> str:
        params = {}
        if self.region_asked:
            params["region"] = self.region.code
        if self.budget is not None and not self.budget.primary:
            params["version"] = self.budget.version
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(params)

    def url(self, name: str, **extra) -> str:
        query = self.query(**extra)
        return reverse(name) + (f"?{query}" if query else "")

    def context(self) -> dict:
        return {
            "region": self.region,
            "budgets": self.budgets,
            "budget": self.budget,
            "notices": self.notices,
            "can_edit": self.can_edit,
            "region_param": self.region.code if self.region_asked else "",
            "overview_url": self.url("budget:overview"),
            "realisation_url": self.url("budget:realisation"),
            "export_url": self.url("budget:export"),
        }


def _line_rows(lines):
    return [
        {
            "line": line,
            "kind": presentation.line_kind(line),
            "nature": presentation.line_nature(line),
            "basis": presentation.line_basis(line),
            "values": line.by_year,
        }
        for line in lines
    ]


@require_GET
@login_required
def overview(request):
    page = _Page(request)
    context = page.context()
    if page.budget is None:
        return render(request, "budget/overview.html", context)
    data = selectors.figures(page.budget)
    s = data.summaries
    context.update(
        {
            "data": data,
            "years": data.years,
            "summary_rows": presentation.summary_rows(data),
            "warnings": presentation.grouped_warning_texts(data.warnings),
            "income_rows": _line_rows(data.income_lines),
            "cost_rows": _line_rows(data.cost_lines),
            "investment_rows": _line_rows(data.investment_lines),
            "income_totals": [s[y].income for y in data.years],
            "cost_totals": [s[y].costs for y in data.years],
            "investment_totals": [s[y].one_off_investment for y in data.years],
            "financiers": data.financiers(),
        }
    )
    return render(request, "budget/overview.html", context)


def _chosen_year(request, years: list[int]) -> int:
    value = _param(request, "year")
    if value.isdecimal() and int(value) in years:
        return int(value)
    this_year = timezone.localdate().year
    return this_year if this_year in years else years[0]


def _chosen_quarter(request, year: int) -> int:
    value = _param(request, "quarter")
    if value.isdecimal() and int(value) in QUARTERS:
        return int(value)
    today = timezone.localdate()
    return (today.month - 1) // 3 + 1 if today.year == year else 1


def _comparison_sections(data, year: int):
    rows = selectors.comparison(data, year)
    titles = dict(Section.choices)
    sections = []
    for section in Section.values:
        items = [r for r in rows if r.line.section == section]
        if not items:
            continue
        quarters = []
        for q in QUARTERS:
            entered = [r.row.quarters[q] for r in items if r.row.quarters[q] is not None]
            quarters.append(sum(entered) if entered else None)
        realised = sum(r.row.realised for r in items)
        budget = sum(r.row.budget for r in items)
        entered = any(r.row.entered_quarters for r in items)
        sections.append(
            {
                "key": section,
                "title": titles[section],
                "rows": items,
                "budget": budget,
                "quarters": quarters,
                "realised": realised if entered else None,
                "remaining": budget - realised,
            }
        )
    return sections


@require_http_methods(["GET", "POST"])
@login_required
def realisation(request):
    page = _Page(request, edit=request.method == "POST")
    context = page.context()
    if page.budget is None:
        return render(request, "budget/realisation.html", context)
    data = selectors.figures(page.budget)
    status = 200
    if request.method == "POST":
        form = RealisationForm(request.POST, lines=data.lines, years=data.years)
        year = quarter = None
        if form.is_valid():
            year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
            try:
                changed = services.record_realisation(
                    user=request.user,
                    budget=page.budget,
                    year=year,
                    quarter=quarter,
                    amounts=form.amounts(),
                    request=request,
                )
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except ServiceError as exc:
                if exc.field and exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                else:
                    form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("Realisation for Q%(quarter)s %(year)s saved (%(n)s lines changed).")
                    % {"quarter": quarter, "year": year, "n": changed},
                )
                return redirect(page.url("budget:realisation", year=year, quarter=quarter))
        else:
            status = 400
        if year is None:  # show the quarter that was posted, if it is a real one
            year = _chosen_year(_PostAsGet(request), data.years)
            quarter = _chosen_quarter(_PostAsGet(request), year)
    else:
        year = _chosen_year(request, data.years)
        quarter = _chosen_quarter(request, year)
        entered = selectors.realisation(page.budget, year)
        form = RealisationForm(
            lines=data.lines,
            years=data.years,
            initial={"year": year, "quarter": quarter},
            initial_amounts={line_id: q.get(quarter) for line_id, q in entered.items()},
        )
    index = data.years.index(year)
    context.update(
        {
            "data": data,
            "years": data.years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "form": form,
            "form_rows": [
                {"line": line, "field": field, "budget": line.by_year[index]}
                for line, field in form.rows()
            ],
            "sections": _comparison_sections(data, year),
            "form_action": page.url("budget:realisation", year=year, quarter=quarter),
        }
    )
    return render(request, "budget/realisation.html", context, status=status)


class _PostAsGet:
    """Read year/quarter from the posted form with the GET helpers."""

    def __init__(self, request):
        self.GET = request.POST


@require_GET
@login_required
def export_xlsx(request):
    page = _Page(request)
    if page.budget is None:
        raise Http404
    content = workbook_bytes(selectors.figures(page.budget))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"begroting-{page.region.code}-{page.budget.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
