"""feedback360: 360-degree leadership feedback on the SSSC leadership capabilities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, instruments, blueprints, error pages."""
    # templates/ and static/ sit at the top of the repository, beside the package.
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from . import config

    settings = config.read_settings()
    env = (test_config or {}).get("FEEDBACK360_ENV", settings["FEEDBACK360_ENV"])
    app.config.update(settings)
    app.config.update(config.environment_defaults(env))
    app.config.update(_explicit_settings(settings))
    app.config.update(test_config or {})
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.debug = bool(app.config["DEBUG"])
    _refuse_unsafe(app)

    from . import cli, database
    from .auth import sessions
    from .instruments import registry as instrument_registry
    from .mail import smtp
    from .web import errors, headers, log_redaction

    database.init_app(app)
    smtp.init_app(app)
    sessions.init_app(app)
    headers.init_app(app)
    log_redaction.install_token_redaction()
    instrument_registry.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    return app


def _explicit_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Settings the environment named outright win over per-environment defaults."""
    import os

    return {name: value for name, value in settings.items() if os.environ.get(name)}


# gunicorn stops the whole server when a worker exits with this code; with any other code it
# would start a new worker, refuse again, and loop for ever.
REFUSED_EXIT_CODE = 3


def _refuse_unsafe(app: Flask) -> None:
    import sys

    from .config import unsafe_for_production

    reasons = unsafe_for_production(app.config)
    if reasons:
        message = "feedback360 will not start in production: " + " ".join(reasons)
        print(message, file=sys.stderr)
        refusal = SystemExit(message)
        refusal.code = REFUSED_EXIT_CODE  # str(refusal) is still the message
        raise refusal


def _register_blueprints(app: Flask) -> None:
    from .auth.views import bp as auth_bp
    from .evidence.views import bp as evidence_bp
    from .giveaways.views import bp as giveaways_bp
    from .privacy.views import bp as privacy_bp
    from .programmes.admin_views import bp as admin_bp
    from .programmes.coach_views import bp as coach_bp
    from .programmes.cohort_views import bp as cohort_bp
    from .programmes.lead_views import bp as lead_bp
    from .programmes.views import bp as programmes_bp
    from .reports.comparison_views import bp as comparison_bp
    from .reports.views import bp as reports_bp
    from .surveys.rater_views import bp as rater_bp
    from .surveys.worker_views import bp as worker_bp
    from .web.pages import bp as pages_bp

    for blueprint in (pages_bp, auth_bp, worker_bp, rater_bp, reports_bp, privacy_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(giveaways_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(comparison_bp)
    for blueprint in (admin_bp, lead_bp, coach_bp, cohort_bp, programmes_bp):
        app.register_blueprint(blueprint)
    if app.config["MAIL_TRANSPORT"] == "outbox":
        from .mail.views import bp as outbox_bp

        app.register_blueprint(outbox_bp)
