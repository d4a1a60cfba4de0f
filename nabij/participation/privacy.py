"""Participation's personal data in the privacy registry (nabij.privacy.registry): residents' inputs (text and
e-mail address) and the replies to them.

Inputs are anonymous (no resident file): retention erases them. The e-mail address, kept only to send the reply,
goes when the project ends; the texts of inputs and replies 24 months later, when nobody needs to look up what
was said and answered any more. The kind of input, its project and its date stay, so counts keep their history.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nabij.participation.models import Input, Project, Reply, ReplyVersion
from nabij.privacy.anonymise import versioned
from nabij.privacy.registry import PersonalData, describe_fields, register, register_not_personal, retention_period


def ended_projects(now, key: str) -> QuerySet:
    cutoff = now - retention_period(key)
    return Project.objects.filter(status=Project.Status.AFGEROND, ended_at__lt=cutoff)


def _pks(qs: QuerySet) -> list[int]:
    return list(qs.values_list("pk", flat=True))


def input_emails_erase(qs: QuerySet) -> int:
    return Input.objects.filter(pk__in=_pks(qs)).exclude(email="").update(email="")


def inputs_erase(qs: QuerySet) -> int:
    pks = _pks(qs)
    ReplyVersion.objects.filter(reply__input_id__in=pks).update(text="")
    Reply.objects.filter(input_id__in=pks).update(**versioned(Reply, text=""))
    return Input.objects.filter(pk__in=pks).update(text="", email="")


def replies_erase(qs: QuerySet) -> int:
    pks = _pks(qs)
    ReplyVersion.objects.filter(reply_id__in=pks).update(text="")
    return Reply.objects.filter(pk__in=pks).update(**versioned(Reply, text=""))


def reply_versions_erase(qs: QuerySet) -> int:
    return ReplyVersion.objects.filter(pk__in=_pks(qs)).update(text="")


register(
    PersonalData(
        key="projectmail",
        model="participation.Input",
        title=_("E-mail addresses for a reply"),
        fields=("email",),
        not_personal_fields=("reply_token", "idempotency_key"),
        erase=input_emails_erase,
        expired=lambda now: Input.objects.filter(project__in=ended_projects(now, "projectmail")).exclude(email=""),
        describe=lambda i: describe_fields(i, ["email"]),
        order=80,
    )
)
register(
    PersonalData(
        key="inbreng",
        model="participation.Input",
        title=_("Inputs on projects"),
        fields=("text",),
        erase=inputs_erase,
        expired=lambda now: Input.objects.filter(project__in=ended_projects(now, "inbreng")).exclude(text=""),
        describe=lambda i: describe_fields(i, ["project", "kind", "created_at", "text"]),
        order=81,
    )
)
register(
    PersonalData(
        key="antwoorden_op_inbreng",
        model="participation.Reply",
        title=_("Replies to inputs"),
        fields=("text",),
        erase=replies_erase,
        expired=lambda now: Reply.objects.filter(input__project__in=ended_projects(now, "inbreng")).exclude(text=""),
        retention="inbreng",
        describe=lambda r: describe_fields(r, ["created_at", "text"]),
        order=82,
    )
)
register(
    PersonalData(
        key="eerdere_antwoorden",
        model="participation.ReplyVersion",
        title=_("Earlier versions of replies"),
        fields=("text",),
        erase=reply_versions_erase,
        expired=lambda now: ReplyVersion.objects.filter(
            reply__input__project__in=ended_projects(now, "inbreng")
        ).exclude(text=""),
        retention="inbreng",
        describe=lambda v: describe_fields(v, ["written_at", "text"]),
        order=83,
    )
)
for _model, _reason in {
    "Project": "the project's public description, written by staff",
    "Phase": "a step on the project's public timeline",
    "FrameItem": "a statement of the project's public frame",
    "FrameItemChange": "a public change to the frame",
    "Choice": "a public choice within the frame",
    "ChoiceOption": "an option of a public choice",
    "HouseholdCode": "a random code per household, no address",
    "ChoiceVote": "which option an anonymous input chose",
    "Decision": "the public 'jij zei, wij deden', written by staff",
    "ResidentEvening": "a public residents' evening: agenda and minutes, written without names",
}.items():
    register_not_personal(f"participation.{_model}", reason=_reason)
