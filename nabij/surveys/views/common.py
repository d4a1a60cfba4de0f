"""What every staff page of a questionnaire needs: the questionnaire if the user may see it, and the navigation
the user may use (collectors and open answers only where the policies give them anything)."""

from __future__ import annotations

from django.urls import reverse

from nabij.areas import selectors as area_selectors
from nabij.core.access import surveys as access
from nabij.core.errors import form_errors
from nabij.core.exceptions import ApplicationError
from nabij.privacy.refusals import require
from nabij.surveys import selectors
from nabij.surveys.models import Collector


def survey_or_404(request, pk: int, *, edit: bool = False):
    """The questionnaire, 404 outside the user's scope; with `edit`, 403 unless the user may change it (its
    own organisation only)."""
    survey = selectors.survey_get(user=request.user, pk=pk)  # NotVisible: 404, audited
    if edit:
        require(
            access.can_edit_survey(request.user, survey),
            actor=request.user,
            action="update",
            object_type="survey",
            object_id=pk,
        )
    return survey


def nav(request, survey) -> dict:
    """The questionnaire's navigation: only the pages this user may use."""
    user = request.user
    return {
        "survey": survey,
        "can_edit": access.can_edit_survey(user, survey),
        "show_collectors": access.may_see_collectors(user, survey),
        "show_open_answers": access.may_read_answers(user, survey),
    }


def form_error(form, exc: ApplicationError) -> None:
    form_errors(form, exc)


def buurt_choices(request):
    return list(area_selectors.buurt_choices(user=request.user))


def public_url(request, survey, collector: Collector | None = None) -> str:
    if collector is not None:
        return request.build_absolute_uri(reverse("surveys-public:collector", args=[survey.slug, collector.code]))
    return request.build_absolute_uri(reverse("surveys-public:fill", args=[survey.slug]))
