"""Monitoring screens for managers, coordinators and the programme office:

/monitoring/                     realisation against target and the indicators (aggregates only)
/monitoring/targets/             the targets in force per year, their versions, and the edit form
/monitoring/drill/<indicator>/   the records behind a figure (coordinators and administrators)

The region is the user's own (``?region=`` for administrators). Filters live in the URL:
``period`` (2026, 2026-q2, 2026-01-01..2026-03-31), ``subregion``, ``municipality`` (CBS code)
and ``partner`` (code). A value we do not know is ignored with a notice, never an error.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from werkcentrum.config.routers import replica_reads
from werkcentrum.core.errors import NotAllowed, ServiceError
from werkcentrum.labourmarket import charts
from werkcentrum.privacy.services import log_list_reads
from werkcentrum.regions.models import Municipality, Partner, Region, Subregion

from . import figures, indicators, overview, selectors, services
from .forms import TargetForm
from .indicators import Filters
from .models import Dimension

MAX_PARAM = 80
DRILL_LIMIT = 200


def _param(request, name: str) -> str:
    value = request.GET.get(name, "")
    # NUL: no database stores it (PostgreSQL refuses even to compare with it)
    return value.replace("\x00", "").strip()[:MAX_PARAM] if isinstance(value, str) else ""


def _region(request) -> tuple[Region, bool]:
    code = _param(request, "region")
    if code and request.user.is_administrator:
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


class _Choice:
    """The region and the filters of one request, with notices for values we ignored."""

    def __init__(self, request, check):
        self.region, self.region_asked = _region(request)
        _guard(check, request.user, self.region)
        self.notices: list[str] = []
        self.today = timezone.localdate()
        self.period = self._period(request)
        self.subregions = list(Subregion.objects.filter(region=self.region).order_by("name"))
        self.municipalities = list(Municipality.objects.filter(region=self.region).order_by("name"))
        self.partners = list(Partner.objects.filter(region=self.region).order_by("name"))
        self.subregion = self._pick(request, "subregion", self.subregions, "code")
        self.municipality = self._pick(request, "municipality", self.municipalities, "code")
        self.partner = self._pick(request, "partner", self.partners, "code")
        if (
            self.subregion is not None
            and self.municipality is not None
            and self.municipality.subregion_id != self.subregion.pk
        ):
            self.notices.append(
                _("That municipality is not in that subregion; showing the municipality.")
            )
            self.subregion = None
        self.filters = Filters(
            region=self.region,
            period=self.period,
            subregion=self.subregion,
            municipality=self.municipality,
            partner=self.partner,
        )

    def _period(self, request) -> figures.Period:
        value = _param(request, "period")
        start, end = _param(request, "start"), _param(request, "end")
        if start or end:
            value = f"{start}..{end}"
        if value:
            try:
                return figures.parse_period(value, self.today)
            except ValueError:
                self.notices.append(_("We do not understand that period; showing this year."))
        return figures.year_period(self.today.year)

    def _pick(self, request, name, options, attr):
        value = _param(request, name)
        if not value:
            return None
        found = next((o for o in options if getattr(o, attr) == value), None)
        if found is None:
            self.notices.append(_("We do not know that filter value; it was ignored."))
        return found

    @property
    def filtered(self) -> bool:
        return any((self.subregion, self.municipality, self.partner))

    def query(self, **extra) -> str:
        params = {}
        if self.region_asked:
            params["region"] = self.region.code
        params["period"] = self.period.key
        if self.subregion:
            params["subregion"] = self.subregion.code
        if self.municipality:
            params["municipality"] = self.municipality.code
        if self.partner:
            params["partner"] = self.partner.code
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(params)

    def context(self) -> dict:
        year = self.today.year
        periods = [(str(y), str(y)) for y in range(year, year - 6, -1)]
        quarters = [
            (f"{y}-q{q}", _("Q%(quarter)s %(year)s") % {"quarter": q, "year": y})
            for y in (year, year - 1)
            for q in (4, 3, 2, 1)
        ]
        custom = self.period.key if ".." in self.period.key else ""
        return {
            "region": self.region,
            "region_param": self.region.code if self.region_asked else "",
            "period": self.period,
            "period_choices": [(_("Years"), periods), (_("Quarters"), quarters)],
            "custom_start": self.period.start.isoformat() if custom else "",
            "custom_end": self.period.last_day.isoformat() if custom else "",
            "subregions": self.subregions,
            "municipalities": self.municipalities,
            "partners": self.partners,
            "subregion": self.subregion,
            "municipality": self.municipality,
            "partner": self.partner,
            "filtered": self.filtered,
            "notices": self.notices,
            "query": self.query(),
        }


def _bars(rows, chart_id, title, desc):
    """A bar chart of the shown counts of a list table (hidden cells are left out)."""
    bars = [charts.Bar(r.label, r.cell.value, str(r.cell.value)) for r in rows if r.cell.shown]
    return mark_safe(  # noqa: S308 - charts.py escapes every text it writes
        charts.bar_chart(
            bars, chart_id=chart_id, title=title, desc=desc, empty_text=_("No figures to show.")
        )
    )


def _target_bars(rows, chart_id, title, desc):
    bars = [
        charts.Bar(r.label, r.realisation.percent, f"{r.realisation.percent}%")
        for r in rows
        if r.realisation is not None and r.realisation.percent is not None
    ]
    return mark_safe(  # noqa: S308 - charts.py escapes every text it writes
        charts.bar_chart(
            bars, chart_id=chart_id, title=title, desc=desc, empty_text=_("No figures to show.")
        )
    )


def _quarter_chart(rows, period):
    columns = [
        charts.Column(
            r.short,
            r.cell.value or 0,
            f"{r.label}: {r.cell.value}" if r.cell.shown else str(r.label),
            r.chosen,
        )
        for r in rows
    ]
    return mark_safe(  # noqa: S308 - charts.py escapes every text it writes
        charts.column_chart(
            columns,
            chart_id="mon-quarters",
            title=_("Placements per quarter"),
            desc=_("Placements per quarter of %(year)s; the figures are in the table.")
            % {"year": period.year},
            legend=(_("In the chosen period"), _("Rest of the year")),
            empty_text=_("No figures to show."),
        )
    )


@require_GET
@login_required
@replica_reads
def dashboard(request):
    from werkcentrum.candidates.models import BenefitRegime

    choice = _Choice(request, services.require_viewer)
    ov = overview.build(
        choice.filters,
        municipalities=choice.municipalities,
        subregions=choice.subregions,
        today=choice.today,
        now=timezone.now(),
    )
    can_drill = services.can_drill_down(request.user)
    context = choice.context()
    context.update(
        {
            **vars(ov),
            "quarter_chart": _quarter_chart(ov.quarters, ov.period),
            "regime_chart": _target_bars(
                ov.regime.rows,
                "mon-regime",
                _("Placements against target per regime"),
                _("Share of the target reached per benefit regime; the figures are in the table."),
            ),
            "subregion_chart": _target_bars(
                ov.subregional.rows,
                "mon-subregion",
                _("Placements against target per subregion"),
                _("Share of the target reached per subregion; the figures are in the table."),
            ),
            "channel_chart": _bars(
                ov.reach_tables[0][2].rows,
                "mon-channel",
                _("Contacts by channel"),
                _("Number of contacts per channel; the figures are in the table."),
            ),
            "regime_labels": dict(BenefitRegime.choices),
            "can_drill": can_drill,
            "can_edit_targets": services.can_edit_targets(request.user),
            "drill_indicators": indicators.DRILL_INDICATORS,
            "min_cell": figures.MIN_CELL,
        }
    )
    return render(request, "monitoring/dashboard.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def targets(request):
    region, region_asked = _region(request)
    editing = request.method == "POST"
    _guard(
        services.require_target_editor if editing else services.require_viewer, request.user, region
    )
    today = timezone.localdate()
    source = request.POST if editing else request.GET
    raw_year = source.get("year", "")
    raw_year = raw_year.strip() if isinstance(raw_year, str) else ""
    year = (
        int(raw_year)
        if len(raw_year) == 4
        and raw_year.isascii()
        and raw_year.isdigit()
        and 2000 <= int(raw_year) <= 2100
        else today.year
    )
    subregions = list(Subregion.objects.filter(region=region).order_by("name"))
    municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
    current = selectors.current_set(region, year)
    current_targets = selectors.targets_of(current)
    status = 200
    if editing:
        form = TargetForm(request.POST, municipalities=municipalities, subregions=subregions)
        if form.is_valid():
            from .targetfile import TargetFileError, check_against_region

            rows = form.rows()
            try:
                check_against_region(
                    rows,
                    {
                        m.code: s.code
                        for m in municipalities
                        for s in subregions
                        if s.pk == m.subregion_id
                    },
                    {s.code for s in subregions},
                )
                saved = services.save_version(
                    region=region,
                    year=year,
                    rows=rows,
                    note=form.cleaned_data["note"],
                    user=request.user,
                    printed_total=current.printed_total if current else None,
                    request=request,
                )
            except TargetFileError:
                form.add_error(
                    None,
                    _(
                        "A subregion cannot have a target of its own as well as targets for "
                        "its municipalities."
                    ),
                )
                status = 400
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except ServiceError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("Targets for %(year)s saved as version %(version)s.")
                    % {"year": year, "version": saved.version},
                )
                query = {"year": year}
                if region_asked:
                    query["region"] = region.code
                return redirect(reverse("monitoring:targets") + "?" + urlencode(query))
        else:
            status = 400
    else:
        form = TargetForm(
            municipalities=municipalities, subregions=subregions, initial_targets=current_targets
        )
    rows = sorted(current_targets.items())
    names = {m.code: m.name for m in municipalities} | {s.code: s.name for s in subregions}
    dimensions = dict(Dimension.choices)
    placement_rows = [
        {"dimension": dimensions.get(dim, dim), "key": names.get(key, key.upper()), "value": value}
        for (ind, dim, key), value in rows
        if ind == "placements"
    ]
    context = {
        "region": region,
        "region_param": region.code if region_asked else "",
        "year": year,
        "years": sorted(set(selectors.target_years(region)) | {today.year}),
        "current": current,
        "versions": selectors.versions(region, year),
        "placement_rows": placement_rows,
        "placement_total": figures.total(r["value"] for r in placement_rows),
        "other_rows": [
            {"indicator": ind, "value": value}
            for (ind, dim, _key), value in rows
            if ind != "placements"
        ],
        "form": form,
        "can_edit": services.can_edit_targets(request.user),
    }
    from .forms import INDICATOR_LABELS

    context["indicator_labels"] = INDICATOR_LABELS
    return render(request, "monitoring/targets.html", context, status=status)


@require_GET
@login_required
def drill(request, indicator):
    if indicator not in indicators.DRILL_INDICATORS:
        raise Http404
    choice = _Choice(request, services.require_drill_down)
    queryset = indicators.records(indicator, choice.filters)
    by, value = _param(request, "by"), _param(request, "value")
    narrowed = ""
    if by:
        if by in indicators.DRILL_FIELDS[indicator]:
            queryset = queryset.filter(**{by: value})
            narrowed = value
        else:
            choice.notices.append(_("We do not know that filter value; it was ignored."))
    objects = list(queryset[: DRILL_LIMIT + 1])
    more = len(objects) > DRILL_LIMIT
    objects = objects[:DRILL_LIMIT]
    person_attr = {
        "contacts": "person",
        "handovers": "contact.person",
        "overdue": "contact.person",
        "trajectories": "contact.person",
        "placements": "candidate.person",
    }[indicator]
    log_list_reads(
        actor=request.user, activity="coordination", objects=objects, person_attr=person_attr
    )
    titles = {
        "contacts": _("Contacts"),
        "handovers": _("Handovers"),
        "overdue": _("Handovers past their pick-up time"),
        "trajectories": _("Closed trajectories"),
        "placements": _("Placements"),
    }
    context = choice.context()
    context.update(
        {
            "indicator": indicator,
            "title": titles[indicator],
            "objects": objects,
            "more": more,
            "limit": DRILL_LIMIT,
            "narrowed": narrowed,
            "dashboard_url": reverse("monitoring:dashboard") + "?" + choice.query(),
        }
    )
    return render(request, "monitoring/drill.html", context)
