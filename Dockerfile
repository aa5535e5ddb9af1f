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
# A worker keeps the memory its largest request once took (docs/PERFORMANCE.md): each is replaced
# after about 2,000 requests (staggered, so they do not all restart at once).
CMD ["gunicorn", "-w", "3", "-b", "0.0.0.0:8000", "--max-requests", "2000", "--max-requests-jitter", "200", "--access-logfile", "-", "partnership_hub:create_app()"]
