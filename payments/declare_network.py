"""Declarations of this part of the money side on the e-service engine."""
