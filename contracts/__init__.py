"""Canonical types that the vendor facades and the engine both speak.

Nothing here knows a vendor's wire words, and nothing here runs a model: facades translate
their wire formats into these types, and the engine's capability functions take and return them.
"""
