"""/api/v1/projecten and /api/v1/inbreng — participation projects, their frame, residents' input (public,
idempotent), answers and "Jij zei, wij deden".

Bad input answers 422 with a Dutch message naming the field; nothing is stored. Projects the caller may not
see answer 404; changing another organisation's project answers 403. Inputs and replies are personal data of
the project's owner organisation: they carry `organisatie` (its slug), lists of them are paged (at most 100)
and anyone the input policy does not let see them gets 404 or an empty list, as if they did not exist.
A project and a reply carry a version: GET gives it as `ETag`, a change honours `If-Match` and answers 409
when a colleague changed it in between.
"""

from datetime import date, datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from nabij.core import ratelimit
from nabij.core.concurrency import etag, if_match_version
from nabij.core.exceptions import NotVisible
from nabij.core.pagination import BoundedPagination, LazyMap
from nabij.participation import selectors, services
from nabij.participation.exceptions import PublishBlocked
from nabij.participation.models import FrameItem, Input, Project, Reply

router = Router(tags=["participatie"])


class ProjectIn(Schema):
    titel: str
    soort: str = Field(..., description="One of: " + ", ".join(Project.Kind.values))
    samenvatting: str = Field(..., description="In plain Dutch (B1)")
    buurten: list[str] = Field(..., description="CBS buurtcodes")
    contact: str = Field(..., description="Organisational contact, never a private one")
    onderwerpen: list[str] = Field(default_factory=list)
    antwoordtermijn: int = Field(10, description="Working days to answer each input")
    bouwt_voort_op: str = Field("", description="What already exists that the project builds on")


class FrameItemIn(Schema):
    soort: str = Field(..., description="vast or open")
    tekst: str
    trede: str = Field("", description="Open items: raadplegen, adviseren, coproduceren or meebeslissen")
    wat_met_inbreng: str = ""
    wanneer_terugkoppeling: str = ""


class FrameItemChangeIn(FrameItemIn):
    reden: str = Field("", description="Why it changes; shown to residents when the project is published")


class FrameItemOut(Schema):
    id: int
    soort: str
    tekst: str
    trede: str
    wat_met_inbreng: str
    wanneer_terugkoppeling: str


class PhaseOut(Schema):
    titel: str
    start: date
    einde: date | None


class OptionOut(Schema):
    id: int
    label: str


class ChoiceOut(Schema):
    id: int
    vraag: str
    opties: list[OptionOut]


class ProjectOut(Schema):
    slug: str
    titel: str
    soort: str
    samenvatting: str
    status: str
    eigenaar: str
    organisatie: str = Field(..., description="Slug of the owner organisation")
    versie: int = Field(..., description="Also sent as ETag; send it back in If-Match to change the project")
    buurten: list[str]
    contact: str
    antwoordtermijn: int
    bouwt_voort_op: str
    niveau: str = Field(..., description="The highest ladder level of the open items; 'informeren' without any")
    publieke_url: str


class ProjectDetailOut(ProjectOut):
    kaders: list[FrameItemOut]
    fasen: list[PhaseOut]
    keuzes: list[ChoiceOut]


class ProjectChangeIn(ProjectIn):
    bevestig_onder_b1: bool = Field(False, description="Save a published project's texts even if harder than B1")


class PublishIn(Schema):
    bevestig_onder_b1: bool = False


class InputIn(Schema):
    soort: str = Field(..., description="idee, reactie or keuze")
    tekst: str = ""
    kader: int | None = Field(None, description="Id of the open frame item it is about")
    keuze: int | None = None
    optie: int | None = None
    huishoudcode: str = ""
    email: str = Field("", description="Only to send the answer; erased when the project ends")


class InputOut(Schema):
    id: int
    organisatie: str | None = Field(..., description="Slug of the owning organisation (the project's owner)")
    soort: str
    antwoord_voor: date
    prive_link: str


class ReplyIn(Schema):
    tekst: str
    bevestig_onder_b1: bool = False


class ReplyVersionOut(Schema):
    tekst: str
    geschreven_op: datetime
    vervangen_op: datetime


class ReplyOut(Schema):
    inbreng: int
    organisatie: str | None = Field(..., description="Slug of the organisation that owns the reply")
    tekst: str
    versie: int = Field(..., description="Also sent as ETag; send it back in If-Match to change the reply")
    gewijzigd_op: datetime
    eerdere_versies: list[ReplyVersionOut] = Field(..., description="Earlier texts, newest first")


class VoteOut(Schema):
    vraag: str
    optie: str


class InputDetailOut(Schema):
    id: int
    organisatie: str | None = Field(..., description="Slug of the owning organisation (the project's owner)")
    project: str
    soort: str
    tekst: str
    kader: int | None
    keuzes: list[VoteOut]
    ontvangen_op: datetime
    antwoord_voor: date
    antwoord: ReplyOut | None


class DecisionOut(Schema):
    jij_zei: str
    wij_deden: str
    datum: date
    inbreng: list[int]


def _frame_out(item: FrameItem) -> dict:
    return {
        "id": item.pk,
        "soort": item.kind,
        "tekst": item.text,
        "trede": item.ladder,
        "wat_met_inbreng": item.with_input,
        "wanneer_terugkoppeling": item.hear_back,
    }


def _project_out(request, project: Project, *, detail: bool = False) -> dict:
    from django.urls import reverse

    data = {
        "slug": project.slug,
        "titel": project.title,
        "soort": project.kind,
        "samenvatting": project.summary,
        "status": project.status,
        "eigenaar": project.owner.name,
        "organisatie": project.owner.slug,
        "versie": project.version,
        "buurten": [b.pk for b in project.buurten.all()],
        "contact": project.contact,
        "antwoordtermijn": project.answer_term_days,
        "bouwt_voort_op": project.builds_on,
        "niveau": services.participation_level(project),
        "publieke_url": request.build_absolute_uri(reverse("participation-public:project", args=[project.slug])),
    }
    if detail:
        data["kaders"] = [_frame_out(i) for i in project.frame_items.all()]
        data["fasen"] = [{"titel": p.title, "start": p.starts_on, "einde": p.ends_on} for p in project.phases.all()]
        data["keuzes"] = [
            {"id": c.pk, "vraag": c.question, "opties": [{"id": o.pk, "label": o.label} for o in c.options.all()]}
            for c in project.choices.prefetch_related("options")
        ]
    return data


def _reply_out(reply: Reply, *, input_id: int) -> dict:
    return {
        "inbreng": input_id,
        "organisatie": reply.owner_slug,
        "tekst": reply.text,
        "versie": reply.version,
        "gewijzigd_op": reply.updated_at,
        "eerdere_versies": [
            {"tekst": v.text, "geschreven_op": v.written_at, "vervangen_op": v.replaced_at}
            for v in reply.versions.all()
        ],
    }


def _input_out(item: Input) -> dict:
    reply = getattr(item, "reply", None)
    return {
        "id": item.pk,
        "organisatie": item.owner_slug,
        "project": item.project.slug,
        "soort": item.kind,
        "tekst": item.text,
        "kader": item.frame_item_id,
        "keuzes": [{"vraag": v.choice.question, "optie": v.option.label} for v in item.votes.all()],
        "ontvangen_op": item.created_at,
        "antwoord_voor": item.due_on,
        "antwoord": _reply_out(reply, input_id=item.pk) if reply is not None else None,
    }


def _input_get(request, input_id: int) -> Input:
    return selectors.input_get(user=request.user, pk=input_id)  # NotVisible: 404, audited


def _get(request, slug: str) -> Project:
    return selectors.project_get(user=request.user, slug=slug)  # NotVisible: 404, audited


@router.get("/projecten", response=list[ProjectOut], summary="Projects of your organisation and your area")
@paginate(BoundedPagination)
def project_list(request):
    return LazyMap(selectors.project_list(user=request.user), lambda p: _project_out(request, p))


@router.post("/projecten", response={201: ProjectDetailOut}, summary="Start a draft project")
def project_create(request, payload: ProjectIn):
    project = services.project_create(
        by=request.user,
        title=payload.titel,
        kind=payload.soort,
        summary=payload.samenvatting,
        buurten=payload.buurten,
        contact=payload.contact,
        topics=payload.onderwerpen,
        answer_term_days=payload.antwoordtermijn,
        builds_on=payload.bouwt_voort_op,
    )
    return Status(201, _project_out(request, project, detail=True))


@router.get("/projecten/{slug}", response=ProjectDetailOut, summary="One project with its frame (ETag: its version)")
def project_detail(request, slug: str, response: HttpResponse):
    project = _get(request, slug)
    response["ETag"] = etag(project)
    return _project_out(request, project, detail=True)


@router.put(
    "/projecten/{slug}",
    response={200: ProjectDetailOut, 409: dict},
    summary="Change a project (send its ETag in If-Match; 409 when a colleague changed it in between)",
)
def project_change(request, slug: str, payload: ProjectChangeIn, response: HttpResponse):
    project = _get(request, slug)
    project = services.project_update(
        project=project,
        by=request.user,
        title=payload.titel,
        kind=payload.soort,
        summary=payload.samenvatting,
        buurten=payload.buurten,
        contact=payload.contact,
        topics=payload.onderwerpen,
        answer_term_days=payload.antwoordtermijn,
        builds_on=payload.bouwt_voort_op,
        confirm_below_b1=payload.bevestig_onder_b1,
        expected_version=if_match_version(request, project),
    )
    response["ETag"] = etag(project)
    return _project_out(request, project, detail=True)


@router.get(
    "/projecten/{slug}/inbreng",
    response=list[InputDetailOut],
    summary="The residents' inputs of a project you may see, newest first (staff; paged, at most 100)",
)
@paginate(BoundedPagination)
def project_input_list(request, slug: str):
    project = _get(request, slug)
    return selectors.input_page(user=request.user, project=project, convert=_input_out)


@router.get("/inbreng/{input_id}", response=InputDetailOut, summary="One input with its reply (ETag: the reply's)")
def input_detail(request, input_id: int, response: HttpResponse):
    item = _input_get(request, input_id)
    reply = getattr(item, "reply", None)
    if reply is not None:
        response["ETag"] = etag(reply)
    return _input_out(item)


@router.get("/projecten/{slug}/kaders", response=list[FrameItemOut], summary="The frame: fixed and open items")
def frame_list(request, slug: str):
    return [_frame_out(i) for i in _get(request, slug).frame_items.all()]


@router.post("/projecten/{slug}/kaders", response={201: FrameItemOut}, summary="Add a frame item")
def frame_add(request, slug: str, payload: FrameItemIn):
    item = services.frame_item_save(
        project=_get(request, slug),
        by=request.user,
        kind=payload.soort,
        text=payload.tekst,
        ladder=payload.trede,
        with_input=payload.wat_met_inbreng,
        hear_back=payload.wanneer_terugkoppeling,
    )
    return Status(201, _frame_out(item))


@router.put(
    "/projecten/{slug}/kaders/{item_id}",
    response=FrameItemOut,
    summary="Change a frame item (after publishing the change is logged and shown on the public page)",
)
def frame_change(request, slug: str, item_id: int, payload: FrameItemChangeIn):
    project = _get(request, slug)
    item = project.frame_items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    item = services.frame_item_save(
        project=project,
        by=request.user,
        item=item,
        kind=payload.soort,
        text=payload.tekst,
        ladder=payload.trede,
        with_input=payload.wat_met_inbreng,
        hear_back=payload.wanneer_terugkoppeling,
        reason=payload.reden,
    )
    return _frame_out(item)


@router.post(
    "/projecten/{slug}/publiceren",
    response={200: ProjectOut, 409: dict, 422: dict},
    summary="Publish (blocked while an open item is unexplained; below B1 needs bevestig_onder_b1)",
)
def project_publish(request, slug: str, payload: PublishIn):
    try:
        project = services.project_publish(
            project=_get(request, slug), by=request.user, confirm_below_b1=payload.bevestig_onder_b1
        )
    except PublishBlocked as exc:
        return Status(422, {"detail": [{"loc": ["body", field], "msg": message} for field, message in exc.problems]})
    return Status(200, _project_out(request, project))


@router.post(
    "/projecten/{slug}/inbreng",
    auth=None,
    response={200: InputOut, 201: InputOut, 404: dict, 422: dict, 429: dict},
    summary="Give input (public; an Idempotency-Key header makes retries safe; rate-limited per client)",
)
def input_submit(request, slug: str, payload: InputIn):
    from django.urls import reverse

    try:
        project = selectors.public_project_get(slug=slug)
    except NotVisible as exc:
        raise Http404 from exc
    limit = getattr(settings, "PARTICIPATION_INPUT_LIMIT", ratelimit.DEFAULT_LIMIT)
    if not ratelimit.allow(request, scope="participation-input-api", limit=limit):
        return Status(429, {"detail": [{"loc": [], "msg": _("Too many requests. Wait a minute and try again.")}]})
    item, created = services.input_submit(
        project=project,
        kind=payload.soort,
        text=payload.tekst,
        frame_item_id=payload.kader,
        choice_id=payload.keuze,
        option_id=payload.optie,
        household_code=payload.huishoudcode,
        email=payload.email,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    link = request.build_absolute_uri(reverse("participation-public:reply", args=[slug, item.reply_token]))
    return Status(
        (201 if created else 200),
        {
            "id": item.pk,
            "organisatie": project.owner.slug,
            "soort": item.kind,
            "antwoord_voor": item.due_on,
            "prive_link": link,
        },
    )


@router.post(
    "/inbreng/{input_id}/antwoord",
    response={200: ReplyOut, 201: ReplyOut, 409: dict},
    summary="Answer an input (staff). Given once: a second answer changes the first (201 new, 200 changed); "
    "send the reply's ETag in If-Match, 409 when a colleague changed it in between",
)
def input_reply(request, input_id: int, payload: ReplyIn, response: HttpResponse):
    item = _input_get(request, input_id)
    existing = getattr(item, "reply", None)
    reply = services.reply_create(
        input=item,
        by=request.user,
        text=payload.tekst,
        confirm_below_b1=payload.bevestig_onder_b1,
        base_url=request.build_absolute_uri("/")[:-1],
        expected_version=if_match_version(request, existing) if existing is not None else None,
    )
    reply = Reply.objects.select_related("organisation").prefetch_related("versions").get(pk=reply.pk)
    response["ETag"] = etag(reply)
    return Status(200 if existing is not None else 201, _reply_out(reply, input_id=item.pk))


@router.get(
    "/projecten/{slug}/besluiten",
    auth=None,
    response=list[DecisionOut],
    summary='"Jij zei, wij deden" of a published project (public)',
)
def decision_list(request, slug: str):
    try:
        project = selectors.public_project_get(slug=slug)
    except NotVisible as exc:
        raise Http404 from exc
    return [
        {"jij_zei": d.you_said, "wij_deden": d.we_did, "datum": d.decided_on, "inbreng": [i.pk for i in d.inputs.all()]}
        for d in project.decisions.prefetch_related("inputs")
    ]
