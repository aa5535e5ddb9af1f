"""The Celery application for workers and beat, bound to the same Flask app factory as the web.

celery -A worker:celery worker --loglevel=INFO
celery -A worker:celery beat --loglevel=INFO
"""

from celery import Celery

from partnership_hub import create_app
from worker.schedule import BEAT_SCHEDULE

flask_app = create_app()
celery: Celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = BEAT_SCHEDULE
