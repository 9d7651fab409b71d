"""Local stand-in for Microsoft Graph (security incidents) and Entra ID.

Run ``python -m tests.emulator`` from the collection root; see ``__main__.py``.
Kept import-light on purpose: pytest may import this package under two names.
"""
