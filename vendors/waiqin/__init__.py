"""Waiqin365 open API, ID-card OCR (seed 002)."""

from vendors.waiqin.routes import routes

__all__ = ["routes"]
