"""The WSGI entry point: gunicorn wsgi:app."""

from feedback360 import create_app

app = create_app()
