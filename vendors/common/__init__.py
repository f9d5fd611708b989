"""Plumbing every facade shares: what it needs from the host, image inputs, sealed tokens."""
