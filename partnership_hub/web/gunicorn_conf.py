"""gunicorn's settings for the web tier: ``gunicorn -c python:partnership_hub.web.gunicorn_conf``.

The deployment names the bind address, the worker count and where the access log goes on the command
line (the Dockerfile, docker-compose.yml); what every deployment wants is here, in one place.
"""

from __future__ import annotations

import gc
from typing import Any

# A worker keeps the memory its largest request once took (docs/PERFORMANCE.md): each is replaced after
# about 2,000 requests, staggered so that they do not all restart at once.
max_requests = 2000
max_requests_jitter = 200


def post_worker_init(worker: Any) -> None:
    """Move what the worker holds once the app is loaded (modules, mappers, the URL map: about 196,000
    objects) out of the garbage collector's sight (``gc.freeze``). They live as long as the worker, so a
    full collection that walks them finds nothing to free; on a warm worker (some 430,000 objects) one
    took 200-600 ms of whichever request it fell in. Frozen, a collection walks only what requests added."""
    gc.freeze()
