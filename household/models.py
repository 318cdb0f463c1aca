"""Household social security: accounts, profiles, applications, entitlement, payments."""
