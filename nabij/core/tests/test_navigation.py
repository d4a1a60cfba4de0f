from django.urls import reverse

from nabij.accounts.tests.factories import UserFactory
from nabij.core.navigation import menu_for


def test_only_the_most_specific_menu_entry_is_current(rf, db):
    request = rf.get(reverse("contacts:contact-capture"))
    request.user = UserFactory(role="buurtwerker")

    current = [item.url for item in menu_for(request) if item.current]

    assert current == [reverse("contacts:contact-capture")]


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
