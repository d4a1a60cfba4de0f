from datetime import UTC, datetime

from django.core.management import CommandError, call_command

import pytest

from nabij.accounts.models import User
from nabij.areas.models import Buurt
from nabij.contacts.models import ContactMoment, ContactMomentTopic
from nabij.contacts.tests.factories import BuurtFactory, UserFactory, topic
from nabij.core import permissions

from bench.management.commands.generate_bench_data import BENCH_EMAIL_DOMAIN, Command, bench_buurt_code


# The product's settings do not install the bench app, so the command is called as an object.
def _generate(**options):
    call_command(Command(), **{"buurten": 20, "contacten": 300, "seed": 1, "verbosity": 0, **options})


@pytest.mark.django_db
def test_creates_the_requested_number_of_contact_moments_in_bench_buurten():
    _generate()
    assert ContactMoment.objects.count() == 300
    assert not ContactMoment.objects.exclude(buurt__code__startswith="BUX").exists()


@pytest.mark.django_db
def test_bench_codes_are_valid_and_cannot_be_real_cbs_codes():
    _generate()
    buurten = Buurt.objects.filter(code__startswith="BUX")
    assert buurten.count() == 20
    for buurt in buurten.select_related("wijk", "gemeente"):
        buurt.full_clean()  # the code validators accept them
        assert buurt.code[2] == buurt.wijk.code[2] == buurt.gemeente.code[2] == "X"


@pytest.mark.django_db
def test_every_contact_moment_has_one_or_two_topics():
    _generate()
    per_contact = {}
    for contact_id in ContactMomentTopic.objects.values_list("contact_moment_id", flat=True):
        per_contact[contact_id] = per_contact.get(contact_id, 0) + 1
    assert len(per_contact) == 300
    assert set(per_contact.values()) <= {1, 2}


@pytest.mark.django_db
def test_each_contact_moment_is_logged_by_a_bench_worker_with_the_buurt_in_scope():
    _generate(contacten=50)
    for contact in ContactMoment.objects.select_related("worker", "buurt"):
        assert contact.worker.email.endswith(f"@{BENCH_EMAIL_DOMAIN}")
        assert permissions.can_log_contacts(contact.worker, contact.buurt)
        assert contact.organisation_id == contact.worker.organisation_id  # the recorder's organisation owns it


@pytest.mark.django_db
def test_running_again_replaces_the_bench_contacts_instead_of_adding():
    _generate()
    _generate(contacten=100)
    assert ContactMoment.objects.count() == 100
    # One buurtwerker per wijk and the second organisation's worker.
    assert User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count() == 4 + 1


@pytest.mark.django_db
def test_refuses_a_database_with_real_contact_data():
    buurt = BuurtFactory()
    ContactMoment.objects.create(
        buurt=buurt,
        occurred_at=datetime(2026, 1, 5, 9, tzinfo=UTC),
        channel="straat",
        worker=UserFactory(buurten=[buurt]),
    )
    with pytest.raises(CommandError, match="niet van de benchmark"):
        _generate()
    assert not Buurt.objects.filter(code=bench_buurt_code(0)).exists()
    assert ContactMoment.objects.count() == 1


@pytest.mark.django_db
def test_refusal_exits_non_zero_from_the_command_line():
    buurt = BuurtFactory()
    contact = ContactMoment.objects.create(
        buurt=buurt, occurred_at=datetime(2026, 1, 5, 9, tzinfo=UTC), channel="straat"
    )
    contact.topics.add(topic())
    with pytest.raises(SystemExit) as exit_info:
        # What `manage.py generate_bench_data` does with the parsed command line.
        Command().run_from_argv(["manage.py", "generate_bench_data", "--buurten", "5", "--contacten", "5"])
    assert exit_info.value.code != 0


@pytest.mark.django_db
def test_refuses_an_impossible_number_of_buurten():
    with pytest.raises(CommandError, match="--buurten"):
        _generate(buurten=0)
