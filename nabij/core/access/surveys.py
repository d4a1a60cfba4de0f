"""Policies of questionnaires: responses and their answers belong to the survey's organisation, and so do its
collectors (verzamelaars). The questionnaire itself is not personal data (nabij.core.permissions)."""

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
