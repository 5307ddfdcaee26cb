"""The employer portal: employers search anonymised groups of work-fit candidates.

``portal.anonymity`` is a pure core (no Django): it generalises the shown attribute
combinations until every shown profile is shared by at least k candidates (k-anonymity).
"""
