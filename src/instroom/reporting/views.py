"""The health probe. The home page is in `home.py`, the report pages in `report_views.py`,
the forecast pages in `forecast_views.py`."""

from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
