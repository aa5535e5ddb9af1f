"""The web tier's gunicorn settings (partnership_hub/web/gunicorn_conf.py), as gunicorn itself reads them
from the command line every deployment uses."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from gunicorn.app.wsgiapp import WSGIApplication

from partnership_hub.web import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]
CONFIG = "python:partnership_hub.web.gunicorn_conf"


def _commands() -> dict[str, list[str]]:
    """The web command of the Dockerfile and of docker-compose.yml, as argument lists."""
    dockerfile = re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    compose = re.search(r'^    command: (\["gunicorn".*\])$', (ROOT / "docker-compose.yml").read_text(), re.MULTILINE)
    assert dockerfile and compose, "a gunicorn command in the Dockerfile and in docker-compose.yml"
    return {"Dockerfile": json.loads(dockerfile[1]), "docker-compose.yml": json.loads(compose[1])}


@pytest.mark.parametrize("source", ["Dockerfile", "docker-compose.yml"])
def test_every_deployment_runs_gunicorn_with_the_settings(source, monkeypatch):
    command = _commands()[source]
    assert command[0] == "gunicorn"
    monkeypatch.setattr(sys, "argv", command)
    settings = WSGIApplication().cfg  # parses the command line and loads the -c module, as gunicorn does

    assert settings.post_worker_init is gunicorn_conf.post_worker_init, shlex.join(command)
    assert settings.max_requests == gunicorn_conf.max_requests == 2000
    assert settings.max_requests_jitter == 200
    assert settings.workers == 3  # the deployment's own choice, on its command line


def test_a_worker_hides_what_it_loaded_from_the_garbage_collector():
    """Run in a fresh interpreter: this test process's own frozen objects are none of its business."""
    probe = (
        "import gc\n"
        "from partnership_hub import create_app\n"
        "from partnership_hub.web import gunicorn_conf\n"
        "create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'SECRET_KEY': 'k' * 48})\n"
        "before = gc.get_freeze_count()\n"
        "gunicorn_conf.post_worker_init(None)\n"
        "print(before, gc.get_freeze_count())\n"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    before, after = map(int, result.stdout.split()[-2:])
    assert before == 0
    assert after > 50_000  # the app's modules, mappers and URL map
