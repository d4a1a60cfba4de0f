"""Reads of the surveys app: lists in the viewer's scope, results with the small-cell rules, export sheets.

Who sees what (issue 13): the questionnaire itself is not personal data, but its responses, open answers and
collectors belong to its organisation and are read only through their policies (`nabij.core.access.surveys`),
which also audit every read here. Results are exact only where `exact_results` says so; everyone else gets the
published values of `nabij.privacy.smallcells`, and percentages and chart bars are computed from those."""

from nabij.surveys.selectors.exports import export_header, export_rows, responses_sheet, results_sheet
from nabij.surveys.selectors.questionnaires import (
    answer_get,
    buurt_choices,
    collector_counts,
    collector_get,
    conversations_per_buurt,
    open_answer_page,
    open_answers,
    response_count,
    responses_shown,
    survey_get,
    survey_list,
    survey_public_get,
)
from nabij.surveys.selectors.results import (
    QuestionResult,
    ResultFilters,
    ResultRow,
    Results,
    responses_filtered,
    survey_results,
    survey_results_for,
)

__all__ = [
    "QuestionResult",
    "ResultFilters",
    "ResultRow",
    "Results",
    "answer_get",
    "buurt_choices",
    "collector_counts",
    "collector_get",
    "conversations_per_buurt",
    "export_header",
    "export_rows",
    "open_answer_page",
    "open_answers",
    "response_count",
    "responses_filtered",
    "responses_shown",
    "results_sheet",
    "responses_sheet",
    "survey_get",
    "survey_list",
    "survey_public_get",
    "survey_results",
    "survey_results_for",
]
