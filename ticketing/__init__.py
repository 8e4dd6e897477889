"""Guichet's help desk: one Django app per domain (see README, Layout)."""
