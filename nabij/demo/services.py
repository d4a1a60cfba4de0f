"""Loading the demo town: areas through the real CBS import, then organisations, teams, users and the demo's
samenwerkingsafspraak, then every app's own demo data (a `demo.py` module with `load(*, rng)` in the app, in
INSTALLED_APPS order).

`make run` loads the demo on every start, so a second load must never remove what someone entered while trying
the demo: organisations, users and the agreement are brought back to their values without deleting anything,
and an app's demo data (which its `load` rebuilds) is made once; `load_demo --rebuild` makes it again."""

from __future__ import annotations

import importlib
import importlib.util
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from nabij.accounts.models import Organisation, SharingAgreement, Team, User
from nabij.areas.models import Buurt, Gemeente, Wijk
from nabij.demo import town
from nabij.demo.models import DemoLoad
from nabij.demo.second_factor import demo_second_factor_load

SEED = 20261125


def _load_areas() -> None:
    with tempfile.TemporaryDirectory() as directory:
        paths = town.write_cbs_files(Path(directory))
        call_command("import_cbs", *[str(p) for p in paths], jaar=town.MAP_YEAR, verbosity=0, stdout=_Null())


class _Null:
    def write(self, *_args: object, **_kwargs: object) -> None:
        return None

    def flush(self) -> None:
        return None


@transaction.atomic
def _load_people() -> None:
    organisations = {}
    for name, kind in town.ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "slug": slugify(name)}
        )
    teams = {}
    for name, organisation in town.TEAMS:
        teams[name], _ = Team.objects.get_or_create(name=name, organisation=organisations[organisation])
    for email, full_name, role, organisation, team, scope in town.USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=town.DEMO_PASSWORD, full_name=full_name)
        user.full_name = full_name
        user.role = role
        user.organisation = organisations[organisation]
        user.team = teams.get(team) if team else None
        user.save()
        user.scope_gemeenten.set(Gemeente.objects.filter(code__in=[c for c in scope if c.startswith("GM")]))
        user.scope_wijken.set(Wijk.objects.filter(code__in=[c for c in scope if c.startswith("WK")]))
        user.scope_buurten.set(Buurt.objects.filter(code__in=[c for c in scope if c.startswith("BU")]))


@transaction.atomic
def _load_agreement() -> SharingAgreement | None:
    """The one samenwerkingsafspraak of the demo, accepted by the beheerders of both organisations. Found by its
    two organisations and purpose; once it exists it is left as it is, so a beheerder who ended it while trying
    the demo finds it ended after the next `make run`."""
    spec = town.AGREEMENT
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=[spec["proposer"], spec["partner"]])}
    users = {u.email: u for u in User.objects.filter(email__in=[spec["proposed_by"], spec["accepted_by"]])}
    if len(organisations) < 2 or len(users) < 2:
        return None
    proposer, partner = organisations[spec["proposer"]], organisations[spec["partner"]]
    existing = SharingAgreement.objects.filter(proposer=proposer, partner=partner, purpose=spec["purpose"]).first()
    if existing is not None:
        return existing
    today, now = timezone.localdate(), timezone.now()
    agreement = SharingAgreement.objects.create(
        proposer=proposer,
        partner=partner,
        kinds=spec["kinds"],
        purpose=spec["purpose"],
        start_date=today - timedelta(days=spec["days_before"]),
        end_date=today + timedelta(days=spec["days_after"]),
        proposer_accepted_at=now - timedelta(days=spec["days_before"] + 5),
        proposer_accepted_by=users[spec["proposed_by"]],
        partner_accepted_at=now - timedelta(days=spec["days_before"] + 2),
        partner_accepted_by=users[spec["accepted_by"]],
    )
    agreement.buurten.set(Buurt.objects.filter(code__in=spec["buurten"]))
    return agreement


def demo_town_load() -> None:
    """Only the demo town's areas (through the real CBS import), its organisations, teams and users (each with the
    demo authenticator app and recovery codes), and its samenwerkingsafspraak."""
    _load_areas()
    _load_people()
    demo_second_factor_load()
    _load_agreement()


def demo_load(*, rebuild: bool = False) -> list[str]:
    """Load the demo town. Idempotent: running it twice gives the same town, and never removes what people
    entered: an app's demo data is made only the first time (or with `rebuild`, which remakes the demo users'
    rows as the app's `load` does). Returns the app labels whose demo data was (re)made now."""
    demo_town_load()
    loaded = ["areas", "accounts"]
    done = set(DemoLoad.objects.values_list("label", flat=True))
    for config in apps.get_app_configs():
        if not config.name.startswith("nabij.") or config.label == "demo":
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        if config.label in done and not rebuild:
            continue
        module = importlib.import_module(module_name)
        with transaction.atomic():
            module.load(rng=random.Random(f"{SEED}-{config.label}"))
            DemoLoad.objects.update_or_create(label=config.label)
        loaded.append(config.label)
    return loaded


def demo_logins() -> list[tuple[str, str, str]]:
    return [(email, role, town.DEMO_PASSWORD) for email, _name, role, *_rest in town.USERS]
