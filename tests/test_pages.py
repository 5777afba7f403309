"""The public pages and the layout every page shares."""

from __future__ import annotations

import pytest
from flask import Flask


def test_home_says_what_it_is_and_how_anonymity_works(client):
    page = client.get("/").get_data(as_text=True)
    assert "<h1>" in page
    assert "anonymous" in page
    assert "at least three people" in page
    assert "Scottish Social Services Council" in page


def test_layout_has_skip_link_landmarks_and_no_third_party_assets(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="#main"' in page
    assert '<main id="main"' in page
    assert "<header" in page and "<footer" in page and "<nav" in page
    for tag in ('<script src="http', '<link rel="stylesheet" href="http', '<img src="http'):
        assert tag not in page


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom with secret details")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_server_error_is_friendly_and_shows_no_traceback(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong on our side" in body
    assert "Traceback" not in body and "kaboom" not in body


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_served_over_https(client):
    response = client.get("/", base_url="https://feedback360.test")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    response.close()
