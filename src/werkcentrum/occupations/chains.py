"""The region's occupational chains (beroepsgroepenketens, DOMAIN.md §7) as ISCO unit groups.

Configuration as data: used to filter the employer portal by chain and to draw realistic
synthetic data. A unit group not listed falls back to the chain of its sub-major group.
"""

CHAIN_ISCO: dict[str, list[str]] = {
    "logistics": ["8332", "9333", "4321", "8344", "9334"],
    "care": ["2221", "3221", "5321", "5322", "2635", "3412"],
    "construction": ["7111", "7112", "7115", "7126", "7411", "3112", "7212"],
    "process": ["8160", "7512", "3133", "8131", "7233"],
    "contact_centres": ["4222", "5244", "4225"],
    "hospitality_retail": ["5120", "5131", "5223", "9412", "5230"],
    "ict": ["2512", "2513", "2514", "3512", "2522", "3513"],
    "green": ["6111", "6113", "9214", "6121", "6112"],
    "facilities": ["5414", "9112", "5153"],
    "education_government": ["2341", "2342", "5312", "4110", "2359"],
}

_BY_GROUP = {group: chain for chain, groups in CHAIN_ISCO.items() for group in groups}
_BY_SUBMAJOR: dict[str, str] = {}
for _chain, _groups in CHAIN_ISCO.items():
    for _group in _groups:
        _BY_SUBMAJOR.setdefault(_group[:2], _chain)


def chain_of_isco(isco_group: str) -> str:
    return _BY_GROUP.get(isco_group) or _BY_SUBMAJOR.get((isco_group or "")[:2], "")
