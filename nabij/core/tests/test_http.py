from django.test import RequestFactory

import pytest

from nabij.core.http import safe_next


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/beloftes/", "/beloftes/"),
        ("https://evil.example/", "/fallback/"),
        ("//evil.example/pad", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_a_posted_next_only_redirects_within_the_site(target, expected):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, fallback="/fallback/") == expected


@pytest.mark.django_db
def test_pages_for_a_logged_in_user_and_the_api_are_never_cached(client, django_user_model):
    user = django_user_model.objects.create_user(email="w@example.org", password="x" * 12, full_name="W")
    assert client.get("/api/v1/onderwerpen").headers["Cache-Control"] == "no-store"
    client.force_login(user)
    assert client.get("/").headers["Cache-Control"] == "no-store"
