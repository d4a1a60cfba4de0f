"""The access matrix (issue 13): every URL of the site, as every role of two organisations with and without scope.

Every URL pattern of the root resolver is found automatically (pages, public pages, the API under /api/v1/ and
the Django admin). Path parameters are filled from `access_world`: welzijn A's record in the buurt it shares with
corporatie B. Each URL is then fetched by every viewer of the world (B's staff with and without the shared buurt,
A's staff without it, analisten, an account without organisation, anonymous visitors), and a 200 answer that
contains a canary the viewer may not see fails the test with the URL, the viewer and the canary.

A URL with a parameter that no rule below can fill, and that nobody classified in `NOT_PERSONAL` or
`NEEDS_PARAMS`, fails with "unclassified URL: add it": a new URL is covered by adding a fill rule (or a
classification with its reason), not by changing the test.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

import pytest

from nabij.contacts.models import ContactMoment
from nabij.core.tests.access_world import World, build_world

_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, without the leading slash: "contacten/bewoners/<int:pk>/"
    name: str

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in _PARAM.finditer(self.route)]

    @property
    def is_regex(self) -> bool:
        return "(?P<" in self.route or "^" in self.route


def discover_routes() -> list[Route]:
    """Every URL pattern of the root resolver, once per route (django-ninja adds one pattern per operation)."""

    def walk(resolver, prefix: str, namespace: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                yield Route(prefix + str(pattern.pattern), ":".join(filter(None, [namespace, pattern.name or ""])))

    seen: dict[str, Route] = {}
    for route in walk(get_resolver(), "", ""):
        seen.setdefault(route.route, route)
    return list(seen.values())


# --- classification ---------------------------------------------------------------------------------------------


def _admin_app_index_route() -> str:
    """The admin's app-index route lists its app labels in registration order, as `AdminSite.get_urls` does;
    building it the same way keeps the key right when an app is added or INSTALLED_APPS is reordered."""
    labels = list(dict.fromkeys(model._meta.app_label for model in admin.site._registry))
    return f"django-admin/^(?P<app_label>{'|'.join(labels)})/$"


ADMIN_APP_INDEX = _admin_app_index_route()

# Fetched by nobody, with the reason. Keys are routes exactly as discovered.
NOT_PERSONAL: dict[str, str] = {
    "account/wachtwoord-herstellen/<uidb64>/<token>/": "password reset link: a signed token for one staff account, "
    "no record data; a made-up token only shows the 'invalid link' page",
    "account/uitloggen/": "ends the viewer's session (it would turn the rest of the matrix anonymous)",
    ADMIN_APP_INDEX: "admin app index: model names only, and staff accounts without is_staff are sent to the "
    "admin login",
    "django-admin/(?P<url>.*)$": "the admin's catch-all: redirects or 404, no records",
    "account/api-sleutels/<int:pk>/intrekken/": "revokes an API token: POST only (a GET answers 405), no record data",
    "api/v1/tokens/<token_id>": "revokes an API token: DELETE only (a GET answers 405), no record data",
}

# Routes whose parameters the world cannot give a meaningful value, with the reason.
NEEDS_PARAMS: dict[str, str] = {}


def _admin_object(world: World, match: re.Match) -> dict:
    """The admin's change, delete and history pages of a model: A's shared record where the world has one."""
    app_label, model_name = match.group(1), match.group(2)
    by_model = {type(obj)._meta.label_lower: obj for obj in world.shared.objects.values()}
    obj = by_model.get(f"{app_label}.{model_name}")
    return {"object_id": str(obj.pk) if obj is not None else "1"}


def _view_on_site(world: World, match: re.Match) -> dict:
    ct = ContentType.objects.get_for_model(ContactMoment)
    return {"content_type_id": str(ct.pk), "object_id": str(world.shared.contact_moment.pk)}


# (route regex, fill): the first rule that matches fills the parameters it knows; a value may be a list (every
# combination is fetched).
ROUTE_FILL: list[tuple[str, Callable[[World, re.Match], dict]]] = [
    (r"^account/gebruikers/<int:pk>/", lambda w, m: {"pk": w.recorder.pk}),
    (r"^account/teams/<int:pk>/", lambda w, m: {"pk": w.shared.team.pk}),
    (r"^account/samenwerkingsafspraken/<int:pk>/", lambda w, m: {"pk": w.pending_agreement.pk}),
    (r"^gebieden/gemeente/", lambda w, m: {"code": w.gemeente.code}),
    (r"^gebieden/wijk/", lambda w, m: {"code": w.shared.buurt.wijk_id}),
    (r"^gebieden/buurt/", lambda w, m: {"code": [w.shared.buurt.code, w.second.buurt.code]}),
    (r"^contacten/buurt/<str:code>/", lambda w, m: {"code": [w.shared.buurt.code, w.second.buurt.code]}),
    (r"^contacten/waarnemingen/<int:pk>/", lambda w, m: {"pk": w.shared.signal.pk}),
    (r"^contacten/rondes/<int:pk>/", lambda w, m: {"pk": w.shared.round.pk}),
    (r"^contacten/bewoners/<int:pk>/inzage", lambda w, m: {"fmt": ["pdf", "json"]}),
    (r"^contacten/bewoners/<int:pk>/", lambda w, m: {"pk": w.shared.resident.pk}),
    (r"^contacten/contactmomenten/<int:pk>/", lambda w, m: {"pk": w.shared.contact_moment.pk}),
    (r"^sociale-kaart/importeren/<uuid:pk>/", lambda w, m: {"pk": w.shared.import_batch.pk}),
    (r"^sociale-kaart/initiatieven/<int:pk>/", lambda w, m: {"pk": w.shared.initiative.pk}),
    (r"^sociale-kaart/organisaties/<int:pk>/", lambda w, m: {"pk": w.shared.provider.pk}),
    (r"^sociale-kaart/plekken/<int:pk>/", lambda w, m: {"pk": w.shared.place.pk}),
    (r"^sociale-kaart/sleutelfiguren/<int:pk>/", lambda w, m: {"pk": w.shared.key_figure.pk}),
    (r"^beloftes/<int:pk>/", lambda w, m: {"pk": w.shared.promise.pk}),
    (r"^beloftes/doorverwijzingen/<int:pk>/", lambda w, m: {"pk": w.shared.referral.pk}),
    (r"^buurt/<str:code>/", lambda w, m: {"code": w.shared.buurt.code}),
    (r"^vragenlijsten/<int:pk>/export/", lambda w, m: {"what": ["antwoorden", "tabellen"], "fmt": ["csv", "xlsx"]}),
    (r"^vragenlijsten/<int:pk>/", lambda w, m: {"pk": w.shared.survey.pk}),
    (r"^v/<slug:slug>/k/<str:code>/", lambda w, m: {"code": w.shared.collector.code}),
    (r"^v/<slug:slug>/", lambda w, m: {"slug": w.shared.survey.slug}),
    (r"^projecten/<slug:slug>/kaders/<int:pk>/", lambda w, m: {"pk": w.shared.frame_item.pk}),
    (r"^projecten/<slug:slug>/fasen/<int:pk>/", lambda w, m: {"pk": w.shared.phase.pk}),
    (r"^projecten/<slug:slug>/inbreng/<int:pk>/", lambda w, m: {"pk": w.shared.input.pk}),
    (r"^projecten/<slug:slug>/", lambda w, m: {"slug": w.shared.project.slug}),
    (r"^p/<slug:slug>/", lambda w, m: {"slug": w.shared.project.slug, "token": w.shared.input.reply_token}),
    (r"^themas/<int:pk>/", lambda w, m: {"pk": w.shared.theme.pk}),
    (r"^api/v1/gebieden/buurten/<code>", lambda w, m: {"code": [w.shared.buurt.code, w.second.buurt.code]}),
    (r"^api/v1/sociale-kaart/organisaties/<pk>", lambda w, m: {"pk": w.shared.provider.pk}),
    (r"^api/v1/sociale-kaart/sleutelfiguren/<pk>", lambda w, m: {"pk": w.shared.key_figure.pk}),
    (r"^api/v1/sociale-kaart/initiatieven/<pk>", lambda w, m: {"pk": w.shared.initiative.pk}),
    (r"^api/v1/sociale-kaart/plekken/<pk>", lambda w, m: {"pk": w.shared.place.pk}),
    (r"^api/v1/projecten/<slug>", lambda w, m: {"slug": w.shared.project.slug}),
    (r"^api/v1/vragenlijsten/<slug>/", lambda w, m: {"slug": w.shared.survey.slug}),
    (r"^account/tweestapsverificatie/passkeys/<int:pk>/", lambda w, m: {"pk": 1}),  # POST only, own passkeys
    (r"^django-admin/otp_totp/totpdevice/<int:pk>/", lambda w, m: {"pk": 1}),  # superusers only, secrets hidden
    (r"^django-admin/r/", _view_on_site),
    (r"^django-admin/(\w+)/(\w+)/<path:object_id>/", _admin_object),
]

# Parameter names that mean the same thing in every route.
NAME_FILL: dict[str, Callable[[World], object]] = {
    "promise_id": lambda w: w.shared.promise.pk,
    "contact_id": lambda w: w.shared.contact_moment.pk,
    "resident_id": lambda w: w.shared.resident.pk,
    "signal_id": lambda w: w.shared.signal.pk,
    "referral_id": lambda w: w.shared.referral.pk,
    "input_id": lambda w: w.shared.input.pk,
    "survey_id": lambda w: w.shared.survey.pk,
    "theme_id": lambda w: w.shared.theme.pk,
    "round_id": lambda w: w.shared.round.pk,
    "item_id": lambda w: w.shared.frame_item.pk,
    "section_pk": lambda w: w.shared.section.pk,
    "question_pk": lambda w: w.shared.question.pk,
    "collector_pk": lambda w: w.shared.collector.pk,
    "answer_pk": lambda w: w.shared.answer.pk,
}

# Query strings fetched besides the bare URL: searches and filters that would otherwise show nothing.
QUERIES: dict[str, Callable[[World], list[str]]] = {
    "contacten/": lambda w: [f"buurt={w.shared.buurt.code}"],
    "contacten/nieuw/": lambda w: [f"buurt={w.shared.buurt.code}"],
    "contacten/bewoners/zoeken/": lambda w: [
        f"bewoner_zoek={w.shared.canaries['bewoner']}&buurt={w.shared.buurt.code}",
        f"bewoner_zoek=kanarie&buurt={w.shared.buurt.code}",
    ],
    "contacten/buurt/<str:code>/": lambda w: ["kanaal=straat"],
    "sociale-kaart/": lambda w: [f"buurt={w.shared.buurt.code}", "kind=sleutelfiguren"],
    "sociale-kaart/zoek/": lambda w: [f"buurt={w.shared.buurt.code}&q={w.shared.canaries['sleutelfiguur']}"],
    "sociale-kaart/exporteren/": lambda w: [
        f"format={fmt}&kind=sleutelfiguren&buurt={w.shared.buurt.code}" for fmt in ("csv", "xlsx")
    ],
    "sociale-kaart/sleutelfiguren/": lambda w: [f"buurt={w.shared.buurt.code}"],
    "beloftes/nieuw/": lambda w: [f"contactmoment={w.shared.contact_moment.pk}"],
    "beloftes/doorverwijzingen/nieuw/": lambda w: [f"contactmoment={w.shared.contact_moment.pk}"],
    "vragenlijsten/<int:pk>/resultaten/": lambda w: [f"buurt={w.shared.buurt.code}"],
    "api/v1/contactmomenten": lambda w: [f"buurt={w.shared.buurt.code}"],
    "api/v1/waarnemingen": lambda w: [f"buurt={w.shared.buurt.code}"],
    "api/v1/sociale-kaart/zoek": lambda w: [
        f"buurt={w.shared.buurt.code}",
        f"buurt={w.shared.buurt.code}&q={w.shared.canaries['sleutelfiguur']}",
    ],
    "api/v1/beloftes": lambda w: ["status=open"],
}

# Pages made for one resident's secret link: whoever holds the link is that resident (or their collector) and sees
# what they wrote or what was answered to them. Everything else stays forbidden there.
TOKEN_HOLDER_MAY_SEE: dict[str, set[str]] = {
    "p/<slug:slug>/antwoord/<str:token>/": {"inbreng", "antwoordtekst"},
    "p/<slug:slug>/bedankt/<str:token>/": {"inbreng", "antwoordtekst"},
    "v/<slug:slug>/k/<str:code>/": {"verzamelaar"},
}

# Canaries that no page shows, not even to the owner (the resident's e-mail is only for sending the reply).
NEVER_SHOWN = {"inbrengmail"}

_B_SCOPED = "B's staff with the buurt in scope (every role but analist) and an account without organisation"
_B_SECOND = "B's staff with A's second buurt in scope"
_A_OUT = "A's staff without the buurt in scope (every role but analist)"

# Routes known to leak, each with who sees what; empty since every app reads through nabij.core.access. A route
# listed here is marked xfail (not strict) while it is being fixed; a new leak is never added here to pass.
KNOWN_LEAKS: dict[str, str] = {}


class Unclassified(Exception):
    pass


def fill(route: Route, world: World) -> list[str]:
    """The paths to fetch for a route (bare and with its QUERIES); raises Unclassified when a parameter has no
    value."""
    values: dict[str, object] = {}
    for regex, rule in ROUTE_FILL:
        match = re.search(regex, route.route)
        if match:
            values = {**rule(world, match), **values}
    for name in route.params:
        if name not in values and name in NAME_FILL:
            values[name] = NAME_FILL[name](world)
    missing = [name for name in route.params if name not in values]
    if route.is_regex or missing:
        raise Unclassified(
            f"unclassified URL: add it — /{route.route} ({route.name}): no value for {missing or 'a regex route'}; "
            "add a fill rule to ROUTE_FILL or NAME_FILL, or classify it in NOT_PERSONAL / NEEDS_PARAMS with a reason"
        )
    names = route.params
    choices = [values[n] if isinstance(values[n], list) else [values[n]] for n in names]
    paths = []
    for combination in itertools.product(*choices):
        chosen = dict(zip(names, combination, strict=True))
        path = "/" + _PARAM.sub(lambda m, chosen=chosen: str(chosen[m.group("name")]), route.route)
        resolve(path.split("?")[0])  # a fill that does not resolve is a broken rule, not a pass
        paths.append(path)
    extra = QUERIES.get(route.route, lambda w: [])(world)
    return paths + [f"{paths[0]}?{query}" for query in extra]


def body_text(response, path: str = "") -> str:
    """The answer as lower-case text; spreadsheets (zip) are unpacked so that their cells are searched too. What
    the request itself asked for (a search word echoed in the form) is taken out: it is not the record."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
    text = data.decode("utf-8", "replace").lower()
    for _name, value in parse_qsl(urlsplit(path).query):
        # Only the echo (the form field, links that keep the filter), never the value where a record shows it.
        text = text.replace(f'value="{value.lower()}"', "").replace(f"={value.lower()}", "")
    return text


def canary_names(world: World) -> dict[str, str]:
    names = {}
    for records in (world.shared, world.second):
        for name, value in records.canaries.items():
            names[value] = name
    return names


ROUTES = discover_routes()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world once for the whole module (inside a transaction rolled back at the end), with one logged-in
    client per viewer."""
    with django_db_blocker.unblock():
        cache.clear()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            for viewer in built.viewers:
                viewer.client = Client(raise_request_exception=False)
                if viewer.user is not None:
                    viewer.client.force_login(viewer.user)
            built.owner_client = Client(raise_request_exception=False)
            built.owner_client.force_login(built.owner_viewer)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()


def _param(route: Route):
    marks = []
    if route.route in KNOWN_LEAKS:
        marks.append(pytest.mark.xfail(strict=False, reason=KNOWN_LEAKS[route.route]))
    return pytest.param(route, id=route.route or "/", marks=marks)


@pytest.mark.parametrize("route", [_param(r) for r in ROUTES])
def test_no_200_shows_personal_data_the_viewer_may_not_see(route, world, db):
    if route.route in NOT_PERSONAL:
        pytest.skip(f"not personal: {NOT_PERSONAL[route.route]}")
    if route.route in NEEDS_PARAMS:
        pytest.skip(f"needs params: {NEEDS_PARAMS[route.route]}")
    try:
        paths = fill(route, world)
    except Unclassified as problem:
        pytest.fail(str(problem))
    names = canary_names(world)
    allowed = {world.shared.canaries[n] for n in TOKEN_HOLDER_MAY_SEE.get(route.route, ())} | {
        world.second.canaries[n] for n in TOKEN_HOLDER_MAY_SEE.get(route.route, ())
    }
    failures = []
    for path in paths:
        for viewer in world.viewers:
            cache.clear()  # public pages count requests per client (rate limits); every viewer starts afresh
            response = viewer.client.get(path)
            if response.status_code >= 500:
                failures.append(f"{path} as {viewer.key}: server error {response.status_code}")
                continue
            if response.status_code != 200:
                continue
            text = body_text(response, path)
            shown = sorted(names[c] + f" ({c})" for c in viewer.forbidden - allowed if c in text)
            if shown:
                failures.append(f"{path} as {viewer.key}: shows {', '.join(shown)}")
    assert not failures, "personal data shown to viewers who may not see it:\n" + "\n".join(failures)


def test_every_canary_shows_to_its_own_organisation_somewhere(world, db):
    """The matrix proves something only when the filled URLs do reach the records: A's coordinator with the
    shared buurt in scope sees each shared canary on at least one of them."""
    seen: set[str] = set()
    shared = {value for name, value in world.shared.canaries.items() if name not in NEVER_SHOWN}
    for route in ROUTES:
        if route.route in NOT_PERSONAL or route.route in NEEDS_PARAMS or route.route.startswith("django-admin"):
            continue
        try:
            paths = fill(route, world)
        except Unclassified:
            continue
        for path in paths:
            response = world.owner_client.get(path)
            if response.status_code == 200:
                text = body_text(response, path)
                seen |= {c for c in shared if c in text}
        if seen == shared:
            break
    assert shared - seen == set(), f"canaries no URL shows to their owner: {sorted(shared - seen)}"
