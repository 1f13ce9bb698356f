"""A database that is too busy to take a write answers "try again shortly" (503), never a 500.

SQLite (the demo) lets one writer at a time; the settings make a writer wait for the other
(INSTROOM_SQLITE_TIMEOUT). Should it still time out, or should PostgreSQL give up on a lock or a
serialisation conflict, the request changed nothing (its transaction rolled back) and may simply
be sent again.
"""

import logging
import sys
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available (lock_timeout).
_PG_RETRYABLE = {"40001", "40P01", "55P03"}
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def is_database_busy(exc: BaseException | None) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if code in _PG_RETRYABLE:
        return True
    message = str(exc).lower()
    return any(text in message for text in _SQLITE_BUSY)


def busy_response(request: HttpRequest) -> HttpResponse:
    message = _("It is very busy at the moment; please try again in a few seconds.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # A page of its own, without the site's menus: those would ask the busy database again.
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        logger.warning("Database busy, answered 503 for %s: %s", request.path, exception)
        return busy_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a busy database outside a view (a middleware writing the session) is a 503
    as well; anything else is Django's plain 500 page."""
    if is_database_busy(sys.exception()):
        return busy_response(request)
    return defaults.server_error(request)
