"""Confrere's search engine on Whoosh: receives plain documents, returns ids, scores and facets.

This package never imports `api`; the candidate, job and directory indexes arrive with their
capabilities.
"""
