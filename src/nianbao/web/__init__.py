"""Corpus database → web interface for supervisors, agencies and researchers (``nianbao serve``).

FastAPI + Jinja2 + htmx, charts with ECharts; every script and style is served from ``static/`` (no CDN). Needs
the ``[web]`` extra. ``create_app(db_path)`` builds the app, ``serve(db_path, host, port)`` runs it.
"""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
