"""Questionnaires in the viewer's scope, the public questionnaire by its address, response counts as the viewer
may see them, collectors and open answers through their policies (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from nabij.areas.models import Buurt
from nabij.core import permissions
from nabij.core.access import audit_read
from nabij.core.access.surveys import (
    answer_policy,
    collector_policy,
    exact_results,
    may_read_answers,
    may_see_collectors,
)
from nabij.privacy.refusals import refuse
from nabij.privacy.smallcells import shown_count
from nabij.surveys.models import Answer, Collector, Question, Survey

if TYPE_CHECKING:
    from nabij.accounts.models import User


def survey_list(*, user: User) -> QuerySet[Survey]:
    """Questionnaires the user owns or that are about a buurt in their scope (of any organisation: the
    questionnaire is not personal data). `response_count` is exact: show it through `responses_shown`."""
    qs = (
        Survey.objects.select_related("owner", "organisation")
        .prefetch_related("buurten")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-created_at", "pk")
    )
    if permissions.has_national_scope(user):
        return qs
    in_scope = Survey.buurten.through.objects.filter(
        survey_id=OuterRef("pk"), buurt_id__in=permissions.buurten_visible_to(user).values("pk")
    )
    return qs.filter(Q(owner=user) | Q(Exists(in_scope)))


def survey_get(*, user: User, pk: int) -> Survey:
    survey = Survey.objects.select_related("owner", "organisation").filter(pk=pk).first()
    if survey is None or not permissions.can_view_survey(user, survey):
        refuse(actor=user, action="view", object_type="survey", object_id=pk, hidden=True)
    return survey


# Open questionnaires by slug, per process, for the answer endpoint: a submission then needs no read before its
# insert. An entry may be stale (closed, changed, re-addressed or gone since it was read), so only a caller whose
# write checks the stored row may use it: `services.response_submit` inserts only while id, slug, status,
# version and `updated_at` still match, and reads again through here when they do not. Every fresh read
# refreshes the entry. Callers must not change the returned object.
_OPEN_BY_SLUG: dict[str, Survey] = {}
_OPEN_BY_SLUG_MAX = 256


def survey_public_get(*, slug: str, cached: bool = False) -> Survey | None:
    """A questionnaire by its public address; drafts are not public.

    One query by the unique slug, without ordering (see 0402). `cached=True` may return the open questionnaire
    this process read before, without a query: for writes that check the stored row (see 0404)."""
    if cached:
        survey = _OPEN_BY_SLUG.get(slug)
        if survey is not None:
            return survey
    try:
        survey = Survey.objects.select_related("organisation").get(slug=slug)
    except Survey.DoesNotExist:
        _OPEN_BY_SLUG.pop(slug, None)
        return None
    if survey.status == Survey.Status.OPEN:
        if len(_OPEN_BY_SLUG) >= _OPEN_BY_SLUG_MAX:
            _OPEN_BY_SLUG.clear()
        _OPEN_BY_SLUG[slug] = survey
    else:
        _OPEN_BY_SLUG.pop(slug, None)
    return None if survey.status == Survey.Status.DRAFT else survey


def responses_shown(*, user: User, survey: Survey, count: int) -> int | str:
    """A count of a questionnaire's responses as this viewer may see it (`exact_results`, else "< 10" or
    rounded to 5)."""
    return shown_count(count, in_scope=exact_results(user, survey))


def collector_counts(*, user: User, survey: Survey) -> list[Collector]:
    """Per collector the user may see: how many conversations (responses) — to thank them, never a public
    ranking. Collectors are for the questionnaire's own organisation only, never for analisten
    (`collector_policy`); the read is audited."""
    if not may_see_collectors(user, survey):
        return []
    collectors = list(
        collector_policy.visible(user, survey.collectors.select_related("buurt"))
        .annotate(conversations=Count("responses"))
        .order_by("label", "pk")
    )
    for collector in collectors:
        collector.survey = survey
    audit_read(
        user=user,
        policy=collector_policy,
        records=collectors,
        object_type="survey_collectors",
        object_id=survey.pk,
        detail={"aantal": len(collectors)},
    )
    return collectors


def collector_get(*, user: User, survey: Survey, pk: int) -> Collector:
    """One collector of this questionnaire, if the user may see it (else NotVisible)."""
    collector = None
    if may_see_collectors(user, survey):
        collector = collector_policy.visible(user, survey.collectors.all()).filter(pk=pk).first()
    if collector is None:
        refuse(actor=user, action="view", object_type="survey_collector", object_id=pk, hidden=True)
    collector.survey = survey
    return collector


def conversations_per_buurt(collectors: list[Collector]) -> list[dict]:
    """Conversations per buurt of the collectors shown (from `collector_counts`, so the same ones)."""
    per_buurt: dict[str, dict] = {}
    for collector in collectors:
        row = per_buurt.setdefault(collector.buurt_id, {"buurt": collector.buurt.name, "n": 0})
        row["n"] += collector.conversations  # type: ignore[attr-defined]  # annotated by collector_counts
    return sorted(per_buurt.values(), key=lambda row: row["buurt"])


def open_answers(*, user: User, survey: Survey, question: Question | None = None) -> QuerySet[Answer]:
    """De-identified open answers (text questions and 'other, namely') the user may read (`answer_policy`:
    their own organisation's in scope, or a samenwerkingsafspraak naming "antwoorden"), newest first, with their
    topics. Not audited: read a page of it through `open_answer_page`."""
    if not may_read_answers(user, survey):
        return Answer.objects.none()
    qs = answer_policy.visible(
        user,
        Answer.objects.filter(question__survey=survey)
        .exclude(text="")
        .select_related("question", "response")
        .prefetch_related("topics")
        .order_by("-response__submitted_at", "-pk"),
    )
    if question is not None:
        qs = qs.filter(question=question)
    return qs


def open_answer_page(*, user: User, survey: Survey, page: str | int | None, per_page: int) -> Page[Answer]:
    """One page of the open answers the user may read; the read is audited (one event per owner and ground)."""
    result = Paginator(open_answers(user=user, survey=survey), per_page).get_page(page)
    answers = list(result.object_list)
    for answer in answers:
        answer.response.survey = survey
    audit_read(
        user=user,
        policy=answer_policy,
        records=answers,
        object_type="survey_answers",
        object_id=survey.pk,
        detail={"pagina": result.number, "aantal": len(answers)},
    )
    result.object_list = answers
    return result


def answer_get(*, user: User, survey: Survey, pk: int, action: str = "view") -> Answer:
    """One open answer of this questionnaire the user may read (else NotVisible, its refusal audited as `action`,
    what the user was about to do with it)."""
    answer = open_answers(user=user, survey=survey).filter(pk=pk).first()
    if answer is None:
        refuse(actor=user, action=action, object_type="survey_answer", object_id=pk, hidden=True)
    return answer


def buurt_choices(*, survey: Survey) -> list[Buurt]:
    return list(survey.buurten.order_by("name"))


def response_count(*, user: User, survey: Survey) -> int | str:
    """How many responses the questionnaire has, as this viewer may see it."""
    return responses_shown(user=user, survey=survey, count=survey.responses.count())
