"""The rule rows this app reads (same shape as eservices/rules_seed.py ROWS), seeded by a data
migration of this app that calls eservices.rules_seed.seed_rules."""

from __future__ import annotations

ROWS: list[tuple[str, str, str, str, bool, str, str]] = []
