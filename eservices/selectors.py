from __future__ import annotations

from .catalogue import GROUPS, SERVICES
from .registry import Group, Service


def catalogue_for(audience: str) -> list[tuple[Group, list[Service]]]:
    """The groups of one audience, in the source's order, each with its services."""
    by_group: dict[str, list[Service]] = {}
    for s in SERVICES:
        by_group.setdefault(s.group, []).append(s)
    return [(g, by_group.get(g.key, [])) for g in GROUPS if g.audience == audience]


def service(code: str) -> Service:
    return next(s for s in SERVICES if s.code == code)
