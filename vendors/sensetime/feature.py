"""SenseTime feature APIs."""

from __future__ import annotations

from vendors.sensetime.routes import Api

APIS: list[Api] = []
