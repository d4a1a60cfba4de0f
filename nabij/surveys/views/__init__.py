"""Staff pages: the builder, collectors, paper forms (PDF and entry), results with exports, open answers.

Thin: parse, check permission, call a service or selector, render. A questionnaire outside the user's scope
answers 404 with an audit refusal; a role or organisation that may not change it gets 403. Another
organisation's staff see the questions and published results only (nabij.core.access.surveys).
"""

from nabij.surveys.views.builder import (
    question_delete,
    question_form,
    question_move,
    section_create,
    section_delete,
    section_move,
    survey_detail,
    survey_form,
    survey_list,
    survey_status,
)
from nabij.surveys.views.collectors import (
    collector_list,
    collector_pause,
    collector_qr,
    paper_entry,
    paper_pdf,
    survey_qr,
)
from nabij.surveys.views.results import answer_topics, export, open_answer_list, results

__all__ = [
    "answer_topics",
    "collector_list",
    "collector_pause",
    "collector_qr",
    "export",
    "open_answer_list",
    "paper_entry",
    "paper_pdf",
    "question_delete",
    "question_form",
    "question_move",
    "results",
    "section_create",
    "section_delete",
    "section_move",
    "survey_detail",
    "survey_form",
    "survey_list",
    "survey_qr",
    "survey_status",
]
