"""Keep the processing register in the database in step with its versioned data file."""

import tomllib
from pathlib import Path

REGISTER_FILE = Path(__file__).parent / "data" / "processing_register.toml"


def load_register_file() -> list[dict]:
    with REGISTER_FILE.open("rb") as fh:
        return tomllib.load(fh)["activities"]


def sync_register(**kwargs):
    from .models import ProcessingActivity

    for entry in load_register_file():
        ProcessingActivity.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "name_en": entry.get("name_en", ""),
                "purpose": entry["purpose"],
                "legal_basis": entry["legal_basis"],
                "data_categories": entry["data_categories"],
                "retention": entry["retention"],
            },
        )
