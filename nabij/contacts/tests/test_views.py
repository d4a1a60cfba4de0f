from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from nabij.contacts.models import ContactMoment, Round
from nabij.contacts.tests.factories import ContactMomentFactory, ResidentFactory, RoundFactory, SignalFactory, topic
from nabij.core.models import Topic
from nabij.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, worker):
    client.force_login(worker)
    return client


def _capture(buurt, **extra):
    return {"buurt": buurt.code, "channel": "straat", "topics": ["eenzaamheid"], "note": "Praatje."} | extra


def test_capture_page_presets_buurt_and_channel(logged_in, buurt):
    response = logged_in.get(reverse("contacts:contact-capture"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["buurt"] == buurt.code and form.initial["channel"] == "straat"


def test_capture_without_js_redirects_with_saved_notice(logged_in, buurt):
    response = logged_in.post(reverse("contacts:contact-capture"), _capture(buurt, note="Mevrouw Visser, DigiD."))
    moment = ContactMoment.objects.get()
    assert response.status_code == 302 and f"opgeslagen={moment.pk}" in response["Location"]
    page = logged_in.get(response["Location"])
    assert page.context["saved"] == moment
    assert "Visser" not in page.content.decode()


def test_save_and_another_keeps_buurt_and_channel(logged_in, buurt):
    data = _capture(buurt, channel="huisbezoek", action="another")
    response = logged_in.post(reverse("contacts:contact-capture"), data, follow=True)
    form = response.context["form"]
    assert form.initial == {"buurt": buurt.code, "channel": "huisbezoek"}


def test_htmx_capture_returns_the_fresh_form_with_stored_note(logged_in, buurt):
    response = logged_in.post(
        reverse("contacts:contact-capture"),
        _capture(buurt, action="another", note="Bel Henk de Groot terug."),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.context["saved"].note
    body = response.content.decode()
    assert 'id="saved-notice"' in body and "Groot" not in body


def test_capture_bad_input_shows_form_again_and_stores_nothing(logged_in, buurt):
    response = logged_in.post(reverse("contacts:contact-capture"), _capture(buurt, topics=[], note=""))
    assert response.status_code == 422
    assert response.context["form"].errors["topics"]
    assert not ContactMoment.objects.exists()


def test_capture_outside_scope_buurt_is_refused(logged_in, other_buurt):
    response = logged_in.post(reverse("contacts:contact-capture"), _capture(other_buurt))
    assert response.status_code == 422
    assert "buurt" in response.context["form"].errors
    assert not ContactMoment.objects.exists()


def test_analist_cannot_open_capture(client, analist):
    client.force_login(analist)
    assert client.get(reverse("contacts:contact-capture")).status_code == 403


def test_capture_during_round_attaches_to_round(logged_in, worker, buurt):
    round_ = RoundFactory(worker=worker, buurten=[buurt])
    logged_in.post(reverse("contacts:contact-capture"), _capture(buurt))
    assert ContactMoment.objects.get().round == round_


def test_round_flow_start_and_end(logged_in, worker, buurt):
    response = logged_in.post(reverse("contacts:round-start"), {"buurten": [buurt.code]})
    round_ = Round.objects.get(worker=worker)
    assert response.status_code == 302
    logged_in.post(reverse("contacts:round-end", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.ended_at is not None


def test_round_start_without_buurt_shows_form_again(logged_in):
    response = logged_in.post(reverse("contacts:round-start"), {})
    assert response.status_code == 422
    assert not Round.objects.exists()


def test_round_of_other_worker_outside_scope_is_404(logged_in, other_buurt):
    round_ = RoundFactory(buurten=[other_buurt])
    assert logged_in.get(reverse("contacts:round-detail", args=[round_.pk])).status_code == 404


def test_timeline_shows_contacts_and_signals_and_is_audited(logged_in, worker, buurt):
    ContactMomentFactory(buurt=buurt, note="Gesprek over energietoeslag")
    SignalFactory(buurt=buurt, note="Lantaarnpaal kapot")
    response = logged_in.get(reverse("contacts:buurt-timeline", args=[buurt.code]))
    body = response.content.decode()
    assert "energietoeslag" in body and "Lantaarnpaal" in body
    assert AuditEvent.objects.filter(actor=worker, object_type="contactmoment_list", area_code=buurt.code).exists()


def test_timeline_for_a_worker_with_a_whole_wijk_names_the_wijk(client, buurt):
    from nabij.accounts.tests.factories import UserFactory as AccountUserFactory

    moment = ContactMomentFactory(buurt=buurt, note="Gesprek over de speeltuin")
    wijk_worker = AccountUserFactory(role="buurtwerker", scope_wijken=[buurt.wijk], organisation=moment.organisation)
    client.force_login(wijk_worker)
    body = client.get(reverse("contacts:buurt-timeline", args=[buurt.code])).content.decode()
    assert "speeltuin" in body
    assert f'href="{reverse("areas:wijk-detail", args=[buurt.wijk.code])}">{buurt.wijk.name}</a>' in body


def test_timeline_worker_filter_lists_who_logged_here_also_on_an_empty_page(logged_in, worker, buurt):
    from nabij.accounts.tests.factories import UserFactory as AccountUserFactory

    colleague = AccountUserFactory(
        role="buurtwerker", full_name="Collega Öztürk", scope_buurten=[buurt], organisation=worker.organisation
    )
    ContactMomentFactory(buurt=buurt, worker=colleague, channel="straat")
    SignalFactory(buurt=buurt, worker=worker)
    url = reverse("contacts:buurt-timeline", args=[buurt.code])
    for query in ({}, {"channel": "telefoon"}, {"worker": colleague.pk}):
        body = logged_in.get(url, query).content.decode()
        assert f'<option value="{colleague.pk}"' in body and "Collega Öztürk" in body
        assert f'<option value="{worker.pk}"' in body
    body = logged_in.get(url, {"worker": colleague.pk}).content.decode()
    assert f'<option value="{colleague.pk}" selected>' in body


def test_timeline_outside_scope_is_404_with_refusal(logged_in, worker, other_buurt):
    ContactMomentFactory(buurt=other_buurt, note="Gesprek elders")
    response = logged_in.get(reverse("contacts:buurt-timeline", args=[other_buurt.code]))
    assert response.status_code == 404
    assert "Gesprek elders" not in response.content.decode()
    assert AuditEvent.objects.filter(actor=worker, result="denied").exists()
    assert not AuditEvent.objects.filter(result="ok", object_type="contactmoment_list").exists()  # no read


def test_timeline_of_an_unknown_buurt_is_404(logged_in):
    assert logged_in.get(reverse("contacts:buurt-timeline", args=["BU99999999"])).status_code == 404
    assert not AuditEvent.objects.filter(result="ok", object_type="contactmoment_list").exists()


def test_timeline_for_a_worker_with_a_whole_gemeente(client, buurt):
    from nabij.accounts.tests.factories import UserFactory as AccountUserFactory

    moment = ContactMomentFactory(buurt=buurt, note="Gesprek over de bibliotheek")
    coordinator = AccountUserFactory(
        role="coordinator", scope_gemeenten=[buurt.gemeente], organisation=moment.organisation
    )
    client.force_login(coordinator)
    assert "bibliotheek" in client.get(reverse("contacts:buurt-timeline", args=[buurt.code])).content.decode()


def test_timeline_of_an_empty_buurt_says_so(logged_in, worker, buurt):
    response = logged_in.get(reverse("contacts:buurt-timeline", args=[buurt.code]))
    assert response.status_code == 200
    assert response.context["timeline"].total == 0
    assert "nog niets vastgelegd" in response.content.decode()
    assert AuditEvent.objects.filter(actor=worker, object_type="contactmoment_list", area_code=buurt.code).exists()


def test_timeline_audit_names_filters_and_page_and_a_page_past_the_end_shows_the_last(logged_in, worker, buurt):
    for _ in range(30):
        ContactMomentFactory(buurt=buurt, channel="telefoon")
    url = reverse("contacts:buurt-timeline", args=[buurt.code])
    response = logged_in.get(url, {"channel": "telefoon", "page": 9})
    assert response.context["timeline"].number == 2 and len(response.context["timeline"].entries) == 5
    event = AuditEvent.objects.filter(actor=worker, object_type="contactmoment_list").latest("pk")
    assert event.detail == {"channel": "telefoon", "page": 9}
    assert event.area_code == buurt.code


def test_timeline_bad_filter_still_renders(logged_in, buurt):
    response = logged_in.get(reverse("contacts:buurt-timeline", args=[buurt.code]), {"date_from": "gisteren"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]


@pytest.mark.parametrize("count", [3, 30])
def test_timeline_query_count_is_fixed(client, worker, buurt, count):
    for _ in range(count):
        ContactMomentFactory(buurt=buurt, topics=[topic("taal")])
        SignalFactory(buurt=buurt)
    client.force_login(worker)
    url = reverse("contacts:buurt-timeline", args=[buurt.code])
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    # session, user, second-factor device, scope, menu (badge, received referrals), page, its audit event in three
    # statements (0022)
    assert len(ctx.captured_queries) == 20
    pytest.timeline_queries = getattr(pytest, "timeline_queries", set()) | {len(ctx.captured_queries)}
    assert len(pytest.timeline_queries) == 1


def test_resident_page_is_audited(logged_in, worker, buurt):
    resident = ResidentFactory(buurt=buurt)
    ContactMomentFactory(buurt=buurt, resident=resident)
    response = logged_in.get(reverse("contacts:resident-detail", args=[resident.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(actor=worker, object_type="resident", object_id=str(resident.pk)).exists()


def test_resident_outside_scope_is_404(logged_in, other_buurt):
    resident = ResidentFactory(buurt=other_buurt)
    assert logged_in.get(reverse("contacts:resident-detail", args=[resident.pk])).status_code == 404


def test_analist_cannot_see_resident(client, analist, buurt):
    client.force_login(analist)
    resident = ResidentFactory(buurt=buurt)
    assert client.get(reverse("contacts:resident-detail", args=[resident.pk])).status_code == 403


def test_my_contacts_lists_own_contacts(logged_in, worker, buurt):
    ContactMomentFactory(buurt=buurt, worker=worker)
    response = logged_in.get(reverse("contacts:my-contacts"))
    assert response.context["page"].paginator.count == 1


def test_worker_cannot_manage_topics(logged_in):
    assert logged_in.get(reverse("contacts:topic-list")).status_code == 403


def test_beheerder_adds_a_topic(client, beheerder):
    client.force_login(beheerder)
    data = {"slug": "mobiliteit", "label": "mobiliteit", "label_en": "", "position": 200, "is_active": "on"}
    response = client.post(reverse("contacts:topic-list"), data)
    assert response.status_code == 302
    assert Topic.objects.filter(slug="mobiliteit", is_active=True).exists()


def test_round_overview_only_for_coordinators(logged_in, client, coordinator):
    assert logged_in.get(reverse("contacts:round-overview")).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("contacts:round-overview")).status_code == 200


def test_buurt_page_links_to_timeline(logged_in, buurt):
    response = logged_in.get(reverse("areas:buurt-detail", args=[buurt.code]))
    assert reverse("contacts:buurt-timeline", args=[buurt.code]) in response.content.decode()


def test_capture_with_resident_outside_scope_is_refused_on_the_field(logged_in, buurt, other_buurt):
    stranger = ResidentFactory(buurt=other_buurt)
    response = logged_in.post(reverse("contacts:contact-capture"), _capture(buurt, resident=stranger.pk))
    assert response.status_code == 422
    assert response.context["form"].errors["resident"]
    assert not ContactMoment.objects.exists()


def test_capture_page_without_js_lists_only_the_buurts_residents(logged_in, worker, buurt, wijk):
    from nabij.contacts.tests.factories import BuurtFactory

    neighbour_buurt = BuurtFactory(wijk=wijk)
    worker.scope_buurten.add(neighbour_buurt)
    own = ResidentFactory(buurt=buurt)
    elsewhere = ResidentFactory(buurt=neighbour_buurt)
    response = logged_in.get(reverse("contacts:contact-capture"), {"buurt": buurt.code})
    values = [value for value, _ in response.context["form"].fields["resident"].choices]
    assert own.pk in values and elsewhere.pk not in values


def test_resident_search_finds_residents_in_scope_only_and_is_audited(logged_in, worker, buurt, other_buurt):
    mine = ResidentFactory(buurt=buurt, label="bewoonster energietoeslag")
    ResidentFactory(buurt=other_buurt, label="bewoner energietoeslag elders")
    response = logged_in.get(
        reverse("contacts:resident-search"), {"bewoner_zoek": "energie", "buurt": buurt.code}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    values = [value for value, _ in response.context["form"].fields["resident"].choices if value]
    assert values == [mine.pk]
    event = AuditEvent.objects.get(actor=worker, action="search", object_type="resident")
    assert event.detail == {"count": 1}


def test_resident_search_refused_for_analist(client, analist):
    client.force_login(analist)
    assert client.get(reverse("contacts:resident-search"), {"bewoner_zoek": "x"}).status_code == 403


def test_resident_page_is_paginated(logged_in, buurt):
    resident = ResidentFactory(buurt=buurt)
    for _ in range(30):
        ContactMomentFactory(buurt=buurt, resident=resident)
    url = reverse("contacts:resident-detail", args=[resident.pk])
    first = logged_in.get(url)
    second = logged_in.get(url, {"pagina": 2})
    assert len(first.context["page"].object_list) == 25 and len(second.context["page"].object_list) == 5
    assert first.context["page"].paginator.count == 30


def test_timeline_shows_topics_resident_and_follow_up(logged_in, buurt):
    resident = ResidentFactory(buurt=buurt)
    ContactMomentFactory(buurt=buurt, resident=resident, needs_follow_up=True, topics=[topic("taal")])
    body = logged_in.get(reverse("contacts:buurt-timeline", args=[buurt.code])).content.decode()
    taal = Topic.objects.get(slug="taal")
    assert taal.label in body
    assert reverse("contacts:resident-detail", args=[resident.pk]) in body


def test_many_captures_and_timeline_reads_in_a_row_stay_correct(client, buurt, wijk):
    """Captures and timeline reads in a row, in two buurten, with and without filters, on one connection: every
    read counts exactly what was captured there, and an outsider still gets 404."""
    from nabij.contacts.tests.factories import BuurtFactory, UserFactory

    second = BuurtFactory(wijk=wijk, gemeente=wijk.gemeente, name="Tweede")
    outsider = UserFactory(buurten=[BuurtFactory(name="Ver weg")])
    client.force_login(UserFactory(buurten=[buurt, second]))
    capture = reverse("contacts:contact-capture")
    picks = [["taal"], [], ["taal", "eenzaamheid"], ["eenzaamheid"]]
    for n in range(12):
        target = buurt if n % 2 else second
        body = {"buurt": target.code, "channel": "straat", "topics": picks[n % 4], "note": f"Gesprek nummer {n}"}
        assert client.post(capture, body).status_code == 302
    for n in range(12):
        target = buurt if n % 2 else second
        query = {"channel": "straat"} if n % 3 == 0 else {}
        response = client.get(reverse("contacts:buurt-timeline", args=[target.code]), query)
        assert response.status_code == 200
        assert response.context["timeline"].total == 6
        assert response.context["buurt"].code == target.code
    stored = ContactMoment.objects.get(note="Gesprek nummer 2")
    assert sorted(stored.topics.values_list("slug", flat=True)) == ["eenzaamheid", "taal"]
    client.force_login(outsider)
    for _ in range(3):
        assert client.get(reverse("contacts:buurt-timeline", args=[buurt.code])).status_code == 404
