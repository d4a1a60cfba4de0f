"""Every organisation owns its promises and referrals (issue 13): staff of another organisation in the same buurt
see none of them — in lists, pages, digest, badge, team view and API — unless a referral was made to them with the
resident's consent (that referral only, and they record hearing back) or a samenwerkingsafspraak shares
promises (read-only, audited for the owner)."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from nabij.accounts.models import SharingAgreement
from nabij.accounts.tests.factories import OrganisationFactory
from nabij.followup import rules, selectors, services
from nabij.followup.models import Referral
from nabij.followup.tests.factories import (
    ContactMomentFactory,
    PromiseFactory,
    ProviderFactory,
    ReferralFactory,
    ResidentFactory,
    UserFactory,
)
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Woonstichting Voorbeeld")


@pytest.fixture
def b_worker(buurt, org_b):
    """Works in the same buurt as `worker` (organisation A), for organisation B."""
    return UserFactory(scope_buurten=[buurt], organisation=org_b)


@pytest.fixture
def b_coordinator(buurt, org_b):
    return UserFactory(coordinator=True, scope_buurten=[buurt], organisation=org_b)


@pytest.fixture
def a_records(worker, buurt):
    """Organisation A's follow-up in the shared buurt: open, overdue and due-today items."""
    resident = ResidentFactory(buurt=buurt, organisation=worker.organisation, label="bewoner A-1")
    return {
        "promise": PromiseFactory(owner=worker, buurt=buurt, overdue=True, description="Schuldhulp bellen"),
        "handed": PromiseFactory(owner=worker, buurt=buurt, status="overgedragen", description="Overgedragen"),
        "referral": ReferralFactory(worker=worker, buurt=buurt, overdue=True, resident=resident),
        "resident": resident,
    }


def _agreement(org_a, org_b, buurt, kinds):
    agreement = SharingAgreement.objects.create(
        proposer=org_a,
        partner=org_b,
        kinds=kinds,
        purpose="Samen schulden voorkomen",
        start_date=timezone.localdate() - timedelta(days=1),
        end_date=timezone.localdate() + timedelta(days=30),
        proposer_accepted_at=timezone.now(),
        partner_accepted_at=timezone.now(),
    )
    agreement.buurten.set([buurt])
    return agreement


# Organisation set by the services -----------------------------------------------------------------------------


def test_a_promise_belongs_to_the_recording_workers_organisation_also_when_a_colleague_keeps_it(
    worker, colleague, buurt
):
    promise = services.promise_create(
        user=worker, description="Folder", due_date=rules.local_today(), buurt=buurt.code, owner=colleague.pk
    )
    assert promise.organisation_id == worker.organisation_id


def test_a_referral_belongs_to_the_referring_workers_organisation(worker, buurt):
    provider = ProviderFactory(buurten=[buurt])
    referral = services.referral_create(
        user=worker,
        provider=provider.pk,
        topic="energie-geldzaken",
        warm=False,
        consent_to_share=False,
        buurt=buurt.code,
    )
    assert referral.organisation_id == worker.organisation_id


def test_another_organisations_resident_cannot_be_attached_to_a_promise(b_worker, a_records):
    from nabij.core.exceptions import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        services.promise_create(
            user=b_worker, description="x", due_date=rules.local_today(), resident=a_records["resident"].pk
        )
    assert exc.value.field == "bewoner"


# Another organisation in the same buurt sees nothing ---------------------------------------------------------


def test_other_organisation_sees_no_promises_or_referrals_in_lists(b_worker, b_coordinator, a_records):
    for user in (b_worker, b_coordinator):
        assert not selectors.promise_list(user=user).exists()
        assert not selectors.referral_list(user=user).exists()
        assert selectors.received_referral_list(user=user) == []


def test_other_organisations_coordinator_sees_nothing_in_team_view_or_learning(b_coordinator, a_records):
    overview = selectors.team_overview(user=b_coordinator)
    assert overview.rows == [] and overview.handed_over == []
    assert all(month.denominator in (0, "0") for month in overview.months)
    learning = selectors.learning_dashboard(user=b_coordinator)
    assert learning.total.promises_decided == 0 and learning.total.referrals == 0


def test_other_organisations_pages_answer_404(client, b_worker, a_records):
    client.force_login(b_worker)
    promise, referral = a_records["promise"], a_records["referral"]
    assert client.get(reverse("followup:promise-detail", args=[promise.pk])).status_code == 404
    assert client.post(reverse("followup:promise-keep", args=[promise.pk])).status_code == 404
    assert client.get(reverse("followup:referral-detail", args=[referral.pk])).status_code == 404
    assert client.get(reverse("followup:promise-handover", args=[promise.pk])).status_code == 404


def test_other_organisations_api_lists_are_empty_and_objects_404(client, b_worker, a_records):
    client.force_login(b_worker)
    assert client.get("/api/v1/beloftes").json()["items"] == []
    assert client.get("/api/v1/doorverwijzingen").json()["items"] == []
    assert client.get(f"/api/v1/beloftes/{a_records['promise'].pk}").status_code == 404
    assert client.get(f"/api/v1/doorverwijzingen/{a_records['referral'].pk}").status_code == 404
    response = client.post(
        f"/api/v1/doorverwijzingen/{a_records['referral'].pk}/status",
        {"status": "geholpen"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_a_worker_who_moved_organisation_no_longer_sees_the_old_ones_items_in_badge_or_digest(
    worker, buurt, org_b, a_records
):
    worker.organisation = org_b
    worker.save(update_fields=["organisation"])
    assert selectors.badge_count(user=worker) == 0
    assert selectors.my_followup(user=worker).is_empty
    assert services.digest_send_all(day=rules.local_today()) == 0
    assert mail.outbox == []


def test_badge_and_digest_count_the_own_organisations_items(worker, a_records):
    assert selectors.badge_count(user=worker) == 3  # overdue and handed-over (due today) promise, overdue referral
    assert services.digest_send_all(day=rules.local_today()) == 1
    assert "Schuldhulp bellen" in mail.outbox[0].body


# A referral with consent reaches the organisation referred to ---------------------------------------------------


@pytest.fixture
def shared_referral(worker, buurt, org_b):
    """A referral by A to B's entry on the sociale kaart, with the resident's consent; the same resident also has
    a contact moment and a promise at A."""
    resident = ResidentFactory(buurt=buurt, organisation=worker.organisation, label="bewoner 7")
    moment = ContactMomentFactory(buurt=buurt, worker=worker, resident=resident, organisation=worker.organisation)
    PromiseFactory(owner=worker, buurt=buurt, resident=resident, description="Brief van de woningcorporatie")
    provider = ProviderFactory(buurten=[buurt], nabij_organisation=org_b, name="Woonstichting Voorbeeld")
    return ReferralFactory(
        worker=worker,
        buurt=buurt,
        provider=provider,
        resident=resident,
        contact_moment=moment,
        consent_to_share=True,
        question="Vraagt om een betalingsregeling voor de huurachterstand",
    )


def test_a_consented_referral_is_visible_to_the_receiving_organisation_as_that_referral_only(
    client, b_worker, shared_referral, worker
):
    assert selectors.received_referral_list(user=b_worker) == [shared_referral]
    assert [r.pk for r in selectors.referral_list(user=b_worker)] == [shared_referral.pk]
    assert not selectors.promise_list(user=b_worker).exists()  # not the resident's other records
    client.force_login(b_worker)
    html = client.get(reverse("followup:referrals-received")).content.decode()
    assert "betalingsregeling" in html and "bewoner 7" in html and worker.email in html
    html = client.get(reverse("followup:referral-detail", args=[shared_referral.pk])).content.decode()
    assert "betalingsregeling" in html and worker.email in html
    assert "Brief van de woningcorporatie" not in html


def test_the_receiving_organisations_read_is_audited_for_the_owner_on_the_ground_referral(
    b_worker, shared_referral, worker
):
    selectors.referral_get(user=b_worker, pk=shared_referral.pk)
    event = AuditEvent.objects.get(actor=b_worker, object_type="referral", owner_organisation=worker.organisation)
    assert event.detail["grond"] == "referral" and event.organisation_id == b_worker.organisation_id


def test_the_receiving_organisation_records_hearing_back_audited_for_the_owner(client, b_worker, shared_referral):
    client.force_login(b_worker)
    url = reverse("followup:referral-detail", args=[shared_referral.pk])
    response = client.post(url, {"status": "contact_gelegd", "note": "Intake gepland", "version": 1})
    assert response.status_code == 302
    shared_referral.refresh_from_db()
    assert shared_referral.status == "contact_gelegd" and shared_referral.heard_back_at is not None
    event = AuditEvent.objects.get(actor=b_worker, action="update", owner_organisation=shared_referral.organisation)
    assert event.detail["grond"] == "referral"


def test_the_api_gives_the_receiving_organisation_no_ids_of_the_residents_other_records(
    client, b_worker, shared_referral, worker
):
    client.force_login(b_worker)
    (item,) = client.get("/api/v1/doorverwijzingen?ontvangen=true").json()["items"]
    assert item["ontvangen"] is True and item["organisatie"] == worker.organisation.slug
    assert item["bewoner"] is None and item["contactmoment"] is None
    assert item["bewoner_label"] == "bewoner 7" and item["medewerker_email"] == worker.email


def test_without_consent_the_organisation_referred_to_sees_nothing(client, b_worker, shared_referral):
    Referral.objects.filter(pk=shared_referral.pk).update(consent_to_share=False)
    assert selectors.received_referral_list(user=b_worker) == []
    client.force_login(b_worker)
    assert client.get(reverse("followup:referral-detail", args=[shared_referral.pk])).status_code == 404


def test_staff_of_the_receiving_organisation_outside_the_buurt_see_nothing(other_buurt, org_b, shared_referral):
    elsewhere = UserFactory(scope_buurten=[other_buurt], organisation=org_b)
    assert selectors.received_referral_list(user=elsewhere) == []


def test_the_received_referrals_menu_entry_shows_for_an_organisation_on_the_sociale_kaart(
    b_worker, worker, shared_referral
):
    from nabij.followup.navigation import nav_entries

    labels = [str(entry[0]) for entry in nav_entries(b_worker)]
    assert "Ontvangen doorverwijzingen" in labels
    assert "Ontvangen doorverwijzingen" not in [str(entry[0]) for entry in nav_entries(worker)]


# A samenwerkingsafspraak shares promises, read-only --------------------------------------------------------------


def test_an_agreement_on_beloftes_shares_promises_read_only_and_audited_for_the_owner(
    client, worker, b_worker, buurt, a_records
):
    agreement = _agreement(worker.organisation, b_worker.organisation, buurt, ["beloftes"])
    promise = a_records["promise"]
    assert promise in set(selectors.promise_list(user=b_worker))
    assert not selectors.referral_list(user=b_worker).exists()  # only the agreed kinds
    client.force_login(b_worker)
    assert client.get(reverse("followup:promise-detail", args=[promise.pk])).status_code == 200
    event = AuditEvent.objects.get(actor=b_worker, object_type="promise", owner_organisation=worker.organisation)
    assert event.agreement_id == agreement.pk and event.detail["grond"] == "agreement"
    assert client.post(reverse("followup:promise-keep", args=[promise.pk]), {"version": 1}).status_code == 403
    promise.refresh_from_db()
    assert promise.status == "open"


def test_the_api_list_under_an_agreement_is_audited_for_the_owner(client, worker, b_worker, buurt, a_records):
    _agreement(worker.organisation, b_worker.organisation, buurt, ["beloftes"])
    client.force_login(b_worker)
    items = client.get("/api/v1/beloftes").json()["items"]
    assert {item["organisatie"] for item in items} == {worker.organisation.slug}
    assert AuditEvent.objects.filter(
        actor=b_worker, object_type="promise_list", owner_organisation=worker.organisation
    ).exists()


def test_an_ended_agreement_closes_access_at_once(worker, b_worker, buurt, a_records):
    agreement = _agreement(worker.organisation, b_worker.organisation, buurt, ["beloftes"])
    agreement.ended_at = timezone.now()
    agreement.save(update_fields=["ended_at"])
    fresh = type(b_worker).objects.get(pk=b_worker.pk)
    assert not selectors.promise_list(user=fresh).exists()
