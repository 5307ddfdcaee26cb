"""core.synthetic.vacancy_history: a realistic, deterministic two-year vacancy history."""

from collections import Counter
from datetime import date

from werkcentrum.core.synthetic import vacancy_history
from werkcentrum.occupations.chains import CHAIN_ISCO

TODAY = date(2026, 3, 10)


def test_history_is_deterministic_per_seed_and_within_two_years():
    groups = [g for groups in CHAIN_ISCO.values() for g in groups] * 20
    first = vacancy_history(7, groups, TODAY)
    assert first == vacancy_history(7, groups, TODAY)
    assert first != vacancy_history(8, groups, TODAY)
    assert len(first) == len(groups)
    assert all(0 <= (TODAY - day).days < 730 for day, _ in first)
    assert {status for _, status in first} <= {"open", "filled", "expired", "withdrawn"}


def test_recent_vacancies_are_mostly_open_and_growing_chains_grow():
    ict = vacancy_history(1, ["2512"] * 3000, TODAY)
    hospitality = vacancy_history(1, ["5120"] * 3000, TODAY)
    recent = [s for day, s in ict if (TODAY - day).days < 45]
    old = [s for day, s in ict if (TODAY - day).days > 365]
    assert Counter(recent)["open"] / len(recent) > 0.8
    assert Counter(old)["open"] / len(old) < 0.3

    def last_year_share(history):
        return sum((TODAY - day).days < 365 for day, _ in history) / len(history)

    assert last_year_share(ict) > 0.55 > 0.5 > last_year_share(hospitality)
