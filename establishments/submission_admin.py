"""Admin of coverage movements and submissions (see establishments/admin.py)."""
