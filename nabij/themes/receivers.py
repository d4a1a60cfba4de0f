"""Signal receivers: a decoupled side effect of lower apps' writes (style.md allows signals for exactly this).

The lower apps (contacts, followup, surveys, participation) do not know themes. When a row that a theme source
counts changes, the affected buurt-weeks are queued for a recount after the transaction commits (debounced by a
pending marker). A move to another buurt or week also recounts the old cell.

- contacts: `ContactMoment` (+ its topic links) and `Signal` (observations), by buurt and `occurred_at`;
- followup: `Referral`, by buurt and `created_at`;
- surveys: topic tags on an `Answer` and its `Response` (buurt, `submitted_at`);
- participation: an `Input` by its project's buurten and `created_at`; a project's buurten or topics changing
  recounts the weeks of all its inputs.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from nabij.contacts.models import ContactMoment, ContactMomentTopic, Signal
from nabij.followup.models import Referral
from nabij.participation.models import Input, Project
from nabij.surveys.models import Answer, Response
from nabij.themes.sources import week_of


def _schedule(buurt_code: str | None, when) -> None:
    if not buurt_code or when is None:
        return
    from nabij.themes.services import refresh_request

    # Robust: the write has committed; a recount that cannot be queued (database busy, queue down) is logged and
    # caught up by the next write to the buurt-week or by `rebuild_themes`, never reported as a failed write.
    transaction.on_commit(partial(refresh_request, buurt_code=buurt_code, week=week_of(when)), robust=True)


# Rows with their own buurt and moment: contact moments, observations, referrals, survey responses ------------

MOMENT_FIELD = {ContactMoment: "occurred_at", Signal: "occurred_at", Referral: "created_at", Response: "submitted_at"}


def _remember_old(sender, instance, **kwargs) -> None:
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("buurt_id", MOMENT_FIELD[sender]).first()
        instance._themes_old = old


def _changed(sender, instance, **kwargs) -> None:
    if sender is Response and kwargs.get("created"):
        return  # a new response's answers carry no topics yet: staff tag them later
    when = getattr(instance, MOMENT_FIELD[sender])
    _schedule(instance.buurt_id, when)
    old = getattr(instance, "_themes_old", None)
    if old and old[1] is not None and (old[0], week_of(old[1])) != (instance.buurt_id, when and week_of(when)):
        _schedule(*old)


for _model in MOMENT_FIELD:
    pre_save.connect(_remember_old, sender=_model, dispatch_uid=f"themes_old_{_model.__name__}")
    post_save.connect(_changed, sender=_model, dispatch_uid=f"themes_saved_{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"themes_deleted_{_model.__name__}")


@receiver(post_save, sender=ContactMomentTopic, dispatch_uid="themes_topic_saved")
@receiver(post_delete, sender=ContactMomentTopic, dispatch_uid="themes_topic_deleted")
def _topic_link_changed(sender, instance, **kwargs) -> None:
    row = ContactMoment.objects.filter(pk=instance.contact_moment_id).values_list("buurt_id", "occurred_at").first()
    if row:
        _schedule(*row)


@receiver(m2m_changed, sender=ContactMoment.topics.through, dispatch_uid="themes_topics_changed")
def _topics_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        _schedule(instance.buurt_id, instance.occurred_at)
        return
    if pk_set:
        for buurt, when in ContactMoment.objects.filter(pk__in=pk_set).values_list("buurt_id", "occurred_at"):
            _schedule(buurt, when)


# Survey answers: staff tag an open answer with topics ---------------------------------------------------------


def _schedule_answers(answer_ids) -> None:
    rows = Answer.objects.filter(pk__in=list(answer_ids)).values_list("response__buurt_id", "response__submitted_at")
    for buurt, when in set(rows):
        _schedule(buurt, when)


@receiver(m2m_changed, sender=Answer.topics.through, dispatch_uid="themes_answer_topics_changed")
def _answer_topics_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if reverse:  # topic.<answers>.add(...): pk_set holds answers; a cleared topic is remembered before
        if action == "pre_clear":
            instance._themes_answers = list(
                sender.objects.filter(topic_id=instance.pk).values_list("answer_id", flat=True)
            )
        elif action in {"post_add", "post_remove"} and pk_set:
            _schedule_answers(pk_set)
        elif action == "post_clear":
            _schedule_answers(getattr(instance, "_themes_answers", []))
    elif action in {"post_add", "post_remove", "post_clear"}:
        _schedule_answers([instance.pk])


@receiver(pre_delete, sender=Answer, dispatch_uid="themes_answer_deleted")
def _answer_deleted(sender, instance, **kwargs) -> None:
    _schedule_answers([instance.pk])


# Project inputs: by the project's buurten ----------------------------------------------------------------------


def _schedule_project(project_id: int, buurt_codes=()) -> None:
    """Recount every week with inputs of the project, in its buurten and in `buurt_codes` (ones it just lost)."""
    codes = set(buurt_codes) | set(
        Project.buurten.through.objects.filter(project_id=project_id).values_list("buurt_id", flat=True)
    )
    weeks = {week_of(when) for when in Input.objects.filter(project_id=project_id).values_list("created_at", flat=True)}
    for code in codes:
        for week in weeks:
            _schedule(code, week)


@receiver(post_save, sender=Input, dispatch_uid="themes_input_saved")
@receiver(pre_delete, sender=Input, dispatch_uid="themes_input_deleted")
def _input_changed(sender, instance, **kwargs) -> None:
    codes = Project.buurten.through.objects.filter(project_id=instance.project_id).values_list("buurt_id", flat=True)
    for code in codes:
        _schedule(code, instance.created_at)


@receiver(pre_delete, sender=Project, dispatch_uid="themes_project_deleted")
def _project_deleted(sender, instance, **kwargs) -> None:
    _schedule_project(instance.pk)


def _project_links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action == "pre_clear":
        if reverse:
            other = "buurt_id" if sender is Project.buurten.through else "topic_id"
            instance._themes_projects = list(
                sender.objects.filter(**{other: instance.pk}).values_list("project_id", flat=True)
            )
        else:
            instance._themes_buurten = list(
                Project.buurten.through.objects.filter(project_id=instance.pk).values_list("buurt_id", flat=True)
            )
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # buurt.projects / topic.projects changed: pk_set holds projects
        for project_id in pk_set or getattr(instance, "_themes_projects", []):
            _schedule_project(project_id, [instance.pk] if sender is Project.buurten.through else [])
        return
    lost = (pk_set or []) if sender is Project.buurten.through and action == "post_remove" else []
    if action == "post_clear":
        lost = getattr(instance, "_themes_buurten", [])
    _schedule_project(instance.pk, lost)


m2m_changed.connect(_project_links_changed, sender=Project.buurten.through, dispatch_uid="themes_project_buurten")
m2m_changed.connect(_project_links_changed, sender=Project.topics.through, dispatch_uid="themes_project_topics")
