from django.urls import reverse

import pytest

from nabij.accounts.tests.factories import UserFactory
from nabij.core.navigation import menu_for


def test_only_the_most_specific_menu_entry_is_current(rf, db):
    request = rf.get(reverse("contacts:contact-capture"))
    request.user = UserFactory(role="buurtwerker")

    current = [item.url for item in menu_for(request) if item.current]

    assert current == [reverse("contacts:contact-capture")]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/contacten/", "/contacten/"),  # Mijn contacten, on its own page
        ("/contacten/buurt/BU00000001/", None),  # a buurt timeline is not "Mijn contacten"
        ("/contacten/rondes/12/", "/contacten/rondes/"),  # a round belongs to Mijn rondes
    ],
)
def test_an_entry_holding_other_entries_is_current_only_on_its_own_page(rf, db, path, expected):
    request = rf.get(path)
    request.user = UserFactory(role="buurtwerker")
    assert reverse("contacts:my-contacts") == "/contacten/"
    assert reverse("contacts:round-list") == "/contacten/rondes/"

    current = [item.url for item in menu_for(request) if item.current]

    assert current == ([expected] if expected else [])


def test_menu_markup_marks_the_current_page_and_speaks_the_badge():
    from django.utils import translation

    from nabij.core.navigation import NavItem
    from nabij.core.templatetags.nabij import main_navigation

    items = [
        NavItem(label="Mijn buurten", url="/", current=False),
        NavItem(label="Mijn beloftes & <meer>", url="/beloftes/", current=True, badge=3),
    ]
    with translation.override("nl"):
        html = main_navigation(items)
    assert '<nav class="utrecht-nav-bar nabij-nav" aria-label="Hoofdmenu">' in html
    assert 'href="/beloftes/" aria-current="page">Mijn beloftes &amp; &lt;meer&gt;' in html
    assert '<span aria-hidden="true">3</span><span class="nabij-visually-hidden">3 te laat of vandaag</span>' in html
    assert html.count("aria-current") == 1
    assert main_navigation([]) == ""


def test_apps_add_their_entries_through_the_registry_in_order(rf, db, monkeypatch):
    """The menu is what the apps registered: a new group shows at its place, after home, for the users it
    returns entries for."""
    from nabij.core import navigation

    monkeypatch.setitem(navigation._ENTRIES, "test", (15, lambda user: [("Proef", "/proef/", 3)]))
    request = rf.get("/")
    request.user = UserFactory(role="buurtwerker")

    items = menu_for(request)
    labels = [item.label for item in items]

    assert labels[0] == "Mijn buurten"
    assert labels.index("Proef") == labels.index("Mijn contacten") + 1  # contacts (10) < test (15) < followup (20)
    assert [item.badge for item in items if item.label == "Proef"] == [3]


def test_core_lists_no_higher_app_in_its_menu_code():
    """Core's menu knows no domain app: the entries of contacts, followup, … come from their own registrations."""
    import inspect

    from nabij.core import navigation

    source = inspect.getsource(navigation)
    for app in ("contacts", "followup", "assets", "surveys", "participation", "themes"):
        assert f"nabij.{app}" not in source
        assert f'"{app}:' not in source
