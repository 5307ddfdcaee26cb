"""Occupation groups (ISCO-08 sub-major groups, two digits) with Dutch and English names.

Pure data, no Django. The Dutch names are the ones the platform already uses
(``occupations.isco.SUB_MAJOR``); the English ones are the official ISCO-08 titles.
"""

from __future__ import annotations

from werkcentrum.occupations.isco import SUB_MAJOR

SUB_MAJOR_EN = {
    "01": "Commissioned armed forces officers",
    "02": "Non-commissioned armed forces officers",
    "03": "Armed forces occupations, other ranks",
    "11": "Chief executives, senior officials and legislators",
    "12": "Administrative and commercial managers",
    "13": "Production and specialised services managers",
    "14": "Hospitality, retail and other services managers",
    "21": "Science and engineering professionals",
    "22": "Health professionals",
    "23": "Teaching professionals",
    "24": "Business and administration professionals",
    "25": "ICT professionals",
    "26": "Legal, social and cultural professionals",
    "31": "Science and engineering associate professionals",
    "32": "Health associate professionals",
    "33": "Business and administration associate professionals",
    "34": "Legal, social and cultural associate professionals",
    "35": "ICT technicians",
    "41": "General and keyboard clerks",
    "42": "Customer services clerks",
    "43": "Numerical and material recording clerks",
    "44": "Other clerical support workers",
    "51": "Personal service workers",
    "52": "Sales workers",
    "53": "Personal care workers",
    "54": "Protective services workers",
    "61": "Skilled agricultural workers",
    "62": "Skilled forestry, fishery and hunting workers",
    "63": "Subsistence farmers, fishers and hunters",
    "71": "Building and related trades workers",
    "72": "Metal, machinery and related trades workers",
    "73": "Handicraft and printing workers",
    "74": "Electrical and electronic trades workers",
    "75": "Food processing, wood working and garment workers",
    "81": "Stationary plant and machine operators",
    "82": "Assemblers",
    "83": "Drivers and mobile plant operators",
    "91": "Cleaners and helpers",
    "92": "Agricultural, forestry and fishery labourers",
    "93": "Labourers in construction, manufacturing and transport",
    "94": "Food preparation assistants",
    "95": "Street and related sales and service workers",
    "96": "Refuse workers and other elementary workers",
}

UNKNOWN = {"nl": "Beroep onbekend", "en": "Occupation unknown"}


def group_of(isco_group: str) -> str:
    """The occupation group (ISCO sub-major group) of an ISCO code of any length."""
    code = (isco_group or "").strip()
    return code[:2] if len(code) >= 2 and code[:2].isdigit() else ""


def group_label(group: str, lang: str = "nl") -> str:
    names = SUB_MAJOR_EN if lang == "en" else SUB_MAJOR
    return names.get(group) or UNKNOWN["en" if lang == "en" else "nl"]
