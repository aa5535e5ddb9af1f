# Partnership Hub — one image for web (gunicorn), migrate, Celery worker and beat.
# The app resolves templates/ and static/ next to its package (PROJECT_ROOT), so the source
# tree stays at /app and is installed in editable mode.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes don't reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . /app
RUN pip install --no-deps -e /app \
    && useradd --system --create-home --uid 10001 app \
    && mkdir -p /app/instance \
    && chown app:app /app/instance

USER app
EXPOSE 8000
# gunicorn's settings every deployment wants (workers replaced after about 2,000 requests, the
# collector's view of what a worker loaded at start frozen) are in partnership_hub/web/gunicorn_conf.py.
CMD ["gunicorn", "-c", "python:partnership_hub.web.gunicorn_conf", "-w", "3", "-b", "0.0.0.0:8000", "--access-logfile", "-", "partnership_hub:create_app()"]
