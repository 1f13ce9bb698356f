"""PDF documents from Django templates, through WeasyPrint (real PDF, fonts from the system)."""

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs start-up time

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def pdf_response(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
