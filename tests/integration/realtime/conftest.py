"""The scenario fixtures of ``tests/cases`` (an embedded Lab with a fake clock on SQLite and on Postgres + Redis)."""

from tests.cases.conftest import client, lab, lab_store, lab_uris

__all__ = ["client", "lab", "lab_store", "lab_uris"]
