"""Readable Dutch names for ISCO-08 groups (sub-major groups by name; unit and minor groups by
their sub-major name plus an example ESCO occupation). Used where occupations are shown
generalised, e.g. in the anonymised employer portal."""

from __future__ import annotations

from functools import lru_cache

SUB_MAJOR = {
    "01": "Officieren",
    "02": "Onderofficieren",
    "03": "Overige militairen",
    "11": "Bestuurders en hogere leidinggevenden",
    "12": "Leidinggevenden zakelijke dienstverlening",
    "13": "Leidinggevenden productie en gespecialiseerde diensten",
    "14": "Leidinggevenden horeca, detailhandel en andere diensten",
    "21": "Wetenschappers en ingenieurs",
    "22": "Specialisten gezondheidszorg",
    "23": "Onderwijsprofessionals",
    "24": "Specialisten bedrijfsvoering en administratie",
    "25": "Specialisten ICT",
    "26": "Juridische, sociale en culturele specialisten",
    "31": "Vakspecialisten wetenschap en techniek",
    "32": "Vakspecialisten gezondheidszorg",
    "33": "Vakspecialisten bedrijfsvoering en administratie",
    "34": "Vakspecialisten juridische, sociale en culturele zaken",
    "35": "ICT-technici",
    "41": "Administratief medewerkers",
    "42": "Klantcontactmedewerkers",
    "43": "Medewerkers cijfermatige administratie en logistiek",
    "44": "Overige administratief medewerkers",
    "51": "Persoonlijke dienstverlening",
    "52": "Verkopers",
    "53": "Verzorgend personeel",
    "54": "Beveiligingspersoneel",
    "61": "Landbouwers en veetelers",
    "62": "Bosbouwers, vissers en jagers",
    "63": "Zelfvoorzienende landbouwers",
    "71": "Bouwvakkers",
    "72": "Metaal- en machinebouw",
    "73": "Ambachtslieden en drukkers",
    "74": "Elektriciens en elektronicamonteurs",
    "75": "Voedselverwerking, hout en textiel",
    "81": "Bedieners van installaties en machines",
    "82": "Assembleurs",
    "83": "Chauffeurs en bedieners van mobiele machines",
    "91": "Schoonmakers en huishoudelijke hulpen",
    "92": "Hulpkrachten landbouw en visserij",
    "93": "Hulpkrachten bouw, industrie en vervoer",
    "94": "Hulpkrachten keuken",
    "95": "Straatverkopers en dienstverleners op straat",
    "96": "Afvalinzameling en overige elementaire beroepen",
}


@lru_cache(maxsize=1)
def labels() -> dict[str, str]:
    """Code (2, 3 or 4 digits) → readable label, for ``portal.anonymity.default_hierarchies``."""
    from .normalise import load_occupations

    result = dict(SUB_MAJOR)
    examples: dict[str, str] = {}
    for occupation in sorted(load_occupations(), key=lambda o: o.esco_code):
        examples.setdefault(occupation.isco_group, occupation.label)
    for group, example in examples.items():
        sub_major = SUB_MAJOR.get(group[:2], "")
        result[group] = f"o.a. {example}"
        result.setdefault(group[:3], sub_major)
    return result
