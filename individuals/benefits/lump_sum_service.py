"""Declared in issue 4 (see docs/adding-a-service.md)."""
