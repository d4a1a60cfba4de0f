"""The public input form and API are open to anyone: a honeypot catches form-filling bots and a per-client rate
limit (a hash of the address, never the address) stops floods. Plus: the public page loads a lean stylesheet."""

from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

import pytest

from nabij.core import ratelimit
from nabij.participation.models import Input
from nabij.participation.tests.factories import FrameItemFactory, ProjectFactory


@pytest.fixture
def project(buurt):
    project = ProjectFactory(published=True, buurten=[buurt])
    FrameItemFactory(project=project)
    return project


def _idea(n: int) -> dict:
    return {"kind": "idee", "text": f"Meer bankjes, idee {n}.", "idempotency_key": f"key-{n}"}


def test_filled_honeypot_stores_nothing_and_looks_fine(client, project):
    url = reverse("participation-public:project", args=[project.slug])
    response = client.post(url, {**_idea(1), "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Input.objects.exists()


def test_public_form_refuses_over_the_limit(client, project, settings):
    settings.PARTICIPATION_INPUT_LIMIT = 2
    url = reverse("participation-public:project", args=[project.slug])
    assert [client.post(url, _idea(n)).status_code for n in range(3)] == [302, 302, 429]
    assert Input.objects.count() == 2


def test_api_refuses_over_the_limit(client, project, settings):
    settings.PARTICIPATION_INPUT_LIMIT = 1
    url = f"/api/v1/projecten/{project.slug}/inbreng"
    first = client.post(url, {"soort": "idee", "tekst": "Meer bankjes."}, content_type="application/json")
    second = client.post(url, {"soort": "idee", "tekst": "Meer bomen."}, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 429)
    assert second.json()["detail"][0]["msg"]


def test_rate_limit_key_holds_no_address():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    ratelimit.allow(request, scope="test", limit=5)
    keys = list(cache._cache.keys())  # locmem internals: the stored keys
    assert keys and not any("203.0.113.7" in key for key in keys)


def test_rate_limit_is_per_client():
    factory = RequestFactory()
    one, other = factory.get("/", REMOTE_ADDR="203.0.113.7"), factory.get("/", REMOTE_ADDR="203.0.113.8")
    assert ratelimit.allow(one, scope="test", limit=1)
    assert not ratelimit.allow(one, scope="test", limit=1)
    assert ratelimit.allow(other, scope="test", limit=1)


def test_public_page_has_no_component_library(client, project):
    response = client.get(reverse("participation-public:project", args=[project.slug]))
    assert "participation/public.css" in response.text
    assert "component-library.css" not in response.text
    assert "<script" not in response.text
