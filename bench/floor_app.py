"""The floor: the cheapest page the stack can serve, measured beside the app in the same run.

A plain Flask + Flask-SQLAlchemy app with the app's database driver (psycopg 3) that runs one
primary-key query on the benchmark database (as the app role) and renders a small Jinja page.
Served by gunicorn with the same settings as the app: ``gunicorn 'floor_app:create_app()'``.
Reads ``DATABASE_URL`` and ``FLOOR_RECORD_ID`` (a partnership id) from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, abort, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Partnership(db.Model):
    """The two columns of the app's ``partnerships`` table the page shows."""

    __tablename__ = "partnerships"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


def _url(raw: str) -> str:
    return "postgresql+psycopg://" + raw.split("://", 1)[1] if raw.startswith(("postgres://", "postgresql://")) else raw


def create_app() -> Flask:
    """The floor app on ``DATABASE_URL``."""
    app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))
    app.config["SQLALCHEMY_DATABASE_URI"] = _url(os.environ["DATABASE_URL"])
    db.init_app(app)
    record_id = int(os.environ.get("FLOOR_RECORD_ID", "1"))

    @app.get("/")
    def page():
        partnership = db.session.get(Partnership, record_id)
        if partnership is None:
            abort(404)
        return render_template("floor.html", partnership=partnership)

    return app
