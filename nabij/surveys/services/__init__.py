"""All writes of the surveys app: building a questionnaire, collectors, submitting answers, tagging open answers.

Versioning rule: once a questionnaire has responses, what an answer *means* is fixed — the wording, type,
options, scale and skip logic of an existing question cannot change and answered questions cannot be deleted;
such a change is refused with a message saying what to do instead. Additions (a new question, a new option,
help text, translations, required) are allowed and raise the questionnaire's `questions_version`; each response
keeps the version it was given under. See docs/decisions/0400-surveys-versioning.md.

Ownership rule (issue 13): the questionnaire belongs to the organisation of whoever made it, and its responses,
answers and collectors to the questionnaire's organisation — set here, never from the request.
"""

from nabij.surveys.services.collectors import CODE_ALPHABET, _new_code, collector_create, collector_set_paused
from nabij.surveys.services.errors import ChangeRefused, NeedsConfirmation, SubmissionInvalid
from nabij.surveys.services.questionnaires import (
    _touch,
    section_create,
    section_delete,
    survey_create,
    survey_public_text,
    survey_questions,
    survey_set_status,
    survey_structure,
    survey_update,
)
from nabij.surveys.services.questions import (
    question_create,
    question_delete,
    question_move,
    question_update,
    section_move,
)
from nabij.surveys.services.submissions import answer_set_topics, new_idempotency_key, response_submit

__all__ = [
    "CODE_ALPHABET",
    "ChangeRefused",
    "NeedsConfirmation",
    "SubmissionInvalid",
    "_new_code",
    "_touch",
    "answer_set_topics",
    "collector_create",
    "collector_set_paused",
    "new_idempotency_key",
    "question_create",
    "question_delete",
    "question_move",
    "question_update",
    "response_submit",
    "section_create",
    "section_delete",
    "section_move",
    "survey_create",
    "survey_public_text",
    "survey_questions",
    "survey_set_status",
    "survey_structure",
    "survey_update",
]
