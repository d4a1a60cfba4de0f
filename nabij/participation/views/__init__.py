"""Pages of participation projects: staff pages (create with "bestaat dit al?", frame editor, publish, answer
queues, replies, decisions, household codes, evenings), the live B1 check partial, and the public project page
with its QR code and the resident's private reply link.

Thin: parse, check permission, call a service or selector, render. A project the user may not see answers 404
with an audit refusal; a user who may see but not change it gets 403. The pages live in `projects`, `inputs`
and `public`; the URLconfs import them from here."""

from nabij.participation.views.inputs import (
    decisions,
    evenings,
    household_codes,
    input_assign,
    input_reply,
    my_queue,
    project_inputs,
)
from nabij.participation.views.projects import (
    b1_check_partial,
    choice_add,
    frame_item_add,
    frame_item_delete,
    frame_item_edit,
    phase_add,
    phase_edit,
    project_create,
    project_detail,
    project_edit,
    project_end,
    project_list,
    project_publish,
)
from nabij.participation.views.public import public_project, public_project_qr, public_reply, public_thanks

__all__ = [
    "b1_check_partial",
    "choice_add",
    "decisions",
    "evenings",
    "frame_item_add",
    "frame_item_delete",
    "frame_item_edit",
    "household_codes",
    "input_assign",
    "input_reply",
    "my_queue",
    "phase_add",
    "phase_edit",
    "project_create",
    "project_detail",
    "project_edit",
    "project_end",
    "project_inputs",
    "project_list",
    "project_publish",
    "public_project",
    "public_project_qr",
    "public_reply",
    "public_thanks",
]
