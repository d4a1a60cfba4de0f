"""Policies of questionnaires: responses and their answers belong to the survey's organisation, and so do its
collectors (verzamelaars). The questionnaire itself is not personal data (nabij.core.permissions), but what may be
done with it and how exactly its results may be shown depends on who owns it: the questions at the end of this
module (`exact_results`, `can_edit_survey`, `may_see_collectors`, `may_read_answers`) are asked by the pages,
exports and API of nabij.surveys alike."""

from __future__ import annotations

from django.db.models import Q

from nabij.accounts.models import RecordKind
from nabij.core import permissions
from nabij.core.access import RecordPolicy, Share, register


def _surveys_in_scope(user):
    from nabij.surveys.models import Survey

    return Survey.objects.filter(buurten__in=permissions.buurten_visible_to(user).values("pk")).values("pk")


def _survey_in_scope(user, survey) -> bool:
    return bool(permissions.survey_buurt_codes(survey) & permissions.visible_buurt_codes(user))


class ResponsePolicy(RecordPolicy):
    """A response: in scope by its buurt (from the buurt question or the collector), or — without a buurt — by
    the survey's buurten; the survey's owner sees all of its responses."""

    model_label = "surveys.Response"
    kind = RecordKind.ANTWOORDEN
    prefix = ""

    def _path(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def _response(self, obj):
        return obj

    def area_q(self, user) -> Q:
        p = self._path
        return (
            Q(**{p("buurt__in"): permissions.buurten_visible_to(user).values("pk")})
            | Q(**{p("buurt__isnull"): True, p("survey__in"): _surveys_in_scope(user)})
            | Q(**{p("survey__owner_id"): user.pk})
        )

    def in_area(self, user, obj) -> bool:
        response = self._response(obj)
        if response.buurt_id is not None and response.buurt_id in permissions.visible_buurt_codes(user):
            return True
        survey = response.survey
        if response.buurt_id is None and _survey_in_scope(user, survey):
            return True
        return survey.owner_id == user.pk

    def share_q(self, share: Share) -> Q:
        return Q(organisation_id=share.organisation_id, **{self._path("buurt__in"): sorted(share.buurt_codes)})

    def in_share(self, share: Share, obj) -> bool:
        return obj.organisation_id == share.organisation_id and self._response(obj).buurt_id in share.buurt_codes


class AnswerPolicy(ResponsePolicy):
    """An answer (open answers are the personal part) follows its response."""

    model_label = "surveys.Answer"
    prefix = "response__"

    def _response(self, obj):
        return obj.response


class CollectorPolicy(RecordPolicy):
    """A verzamelaar: only the survey's own organisation, in the collector's buurt or as the survey's owner;
    never shared by an agreement, never for analisten."""

    model_label = "surveys.Collector"
    kind = None

    def area_q(self, user) -> Q:
        return permissions.scope_filter(user) | Q(survey__owner_id=user.pk)

    def in_area(self, user, obj) -> bool:
        return obj.buurt_id in permissions.visible_buurt_codes(user) or obj.survey.owner_id == user.pk


response_policy = register(ResponsePolicy())
answer_policy = register(AnswerPolicy())
collector_policy = register(CollectorPolicy())


# The questionnaire as a whole ----------------------------------------------------------------------------------


def survey_codes(survey) -> set[str]:
    """The buurt codes of a questionnaire: from its prefetched buurten when a list prefetched them (no query per
    row), else read once per survey object."""
    prefetched = getattr(survey, "_prefetched_objects_cache", {}).get("buurten")
    if prefetched is not None:
        return {buurt.code for buurt in prefetched}
    return permissions.survey_buurt_codes(survey)


def is_own_survey(user, survey) -> bool:
    """The user's organisation owns the questionnaire, and so its responses, open answers and collectors."""
    return (
        permissions.is_staff_user(user)
        and user.organisation_id is not None
        and user.organisation_id == survey.organisation_id
    )


def exact_results(user, survey, buurt_codes=None) -> bool:
    """May this viewer see the exact results of this questionnaire (optionally filtered on `buurt_codes`)?

    Only when the viewer's own organisation owns the questionnaire and its area (or the filtered buurten) lies
    wholly within the viewer's scope: these are their own residents. Everyone else — another organisation with
    the same buurt in scope, a partial scope, the public results page — gets every count through the small-cell
    rules (nabij.privacy.smallcells). Superusers (national scope) see exact figures. The one place this is
    decided for pages, exports and the API."""
    if not permissions.is_staff_user(user):
        return False
    if permissions.has_national_scope(user):
        return True
    if not is_own_survey(user, survey):
        return False
    codes = set(buurt_codes) if buurt_codes else survey_codes(survey)
    return bool(codes) and codes <= permissions.visible_buurt_codes(user)


def can_edit_survey(user, survey) -> bool:
    """Building, opening and closing a questionnaire, entering paper forms, registering collectors and tagging
    open answers are for its own organisation only (by the role and area rules of
    `permissions.can_edit_survey`): another organisation may look at the questions, never change them."""
    if not permissions.can_edit_survey(user, survey):
        return False
    return permissions.has_national_scope(user) or is_own_survey(user, survey)


def may_see_collectors(user, survey) -> bool:
    """Collectors (names, links, counts) exist for this user at all: staff of the survey's own organisation
    who see personal data — never analisten, never another organisation (no agreement shares them). Which
    collectors is then `collector_policy`'s filter (scope)."""
    if not collector_policy.role_may_see(user):
        return False
    return permissions.has_national_scope(user) or is_own_survey(user, survey)


def may_read_answers(user, survey) -> bool:
    """Individual responses and open answers of this questionnaire can be visible to the user at all: its own
    organisation, or a samenwerkingsafspraak in effect with the owner that names "antwoorden". Which rows is
    then `response_policy` / `answer_policy` (scope, the agreement's buurten)."""
    if not answer_policy.role_may_see(user):
        return False
    if permissions.has_national_scope(user) or is_own_survey(user, survey):
        return True
    if survey.organisation_id is None:
        return False
    return any(share.organisation_id == survey.organisation_id for share in answer_policy.shares(user))
