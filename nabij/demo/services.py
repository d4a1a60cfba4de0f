"""Loading the demo town: areas through the real CBS import, then organisations, teams and users, then every
app's own demo data (a `demo.py` module with `load(*, rng)` in the app, in INSTALLED_APPS order)."""

from __future__ import annotations

import importlib
import importlib.util
import random
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils.text import slugify

from nabij.accounts.models import Organisation, Team, User
from nabij.areas.models import Buurt, Gemeente, Wijk
from nabij.demo import town

SEED = 20261125


def _load_areas() -> None:
    with tempfile.TemporaryDirectory() as directory:
        paths = town.write_cbs_files(Path(directory))
        call_command("import_cbs", *[str(p) for p in paths], jaar=town.MAP_YEAR, verbosity=0, stdout=_Null())


class _Null:
    def write(self, *_args, **_kwargs):
        return None

    def flush(self):
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


def demo_town_load() -> None:
    """Only the demo town's areas (through the real CBS import) and its organisations, teams and users."""
    _load_areas()
    _load_people()


def demo_load() -> list[str]:
    """Load (or refresh) the demo town. Idempotent: running it twice gives the same town. Returns the app
    labels whose demo data was loaded."""
    demo_town_load()
    loaded = ["areas", "accounts"]
    for config in apps.get_app_configs():
        if not config.name.startswith("nabij.") or config.label == "demo":
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        with transaction.atomic():
            module.load(rng=random.Random(f"{SEED}-{config.label}"))
        loaded.append(config.label)
    return loaded


def demo_logins() -> list[tuple[str, str, str]]:
    return [(email, role, town.DEMO_PASSWORD) for email, _name, role, *_rest in town.USERS]
