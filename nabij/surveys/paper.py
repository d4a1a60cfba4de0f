"""The printable A4 questionnaire (WeasyPrint): tick boxes, a QR code to the online version, a form number."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

import segno

from nabij.surveys import selectors, services
from nabij.surveys.presentation import question_view


def paper_pdf(*, survey, public_url: str, first: int = 1, copies: int = 1) -> bytes:
    """One copy per form number `first` … `first + copies - 1`; staff type the number in with the answers."""
    from weasyprint import HTML  # imported here: only this page needs it

    questions = services.survey_questions(survey)
    buurten = selectors.buurt_choices(survey=survey)
    items = [question_view(q, data={}, errors={}, buurten=buurten, number=n) for n, q in enumerate(questions, start=1)]
    qr = segno.make(public_url, error="m")
    qr_uri = "data:image/svg+xml;base64," + base64.b64encode(qr.svg_inline(scale=3, border=1).encode()).decode()
    html = render_to_string(
        "surveys/paper.html",
        {
            "survey": survey,
            "items": items,
            "qr_uri": qr_uri,
            "public_url": public_url,
            "numbers": [f"{survey.pk}-{n:04d}" for n in range(first, first + copies)],
        },
    )
    return HTML(string=html).write_pdf()
