from django.urls import reverse

from nabij.accounts.tests.factories import UserFactory
from nabij.core.navigation import menu_for


def test_only_the_most_specific_menu_entry_is_current(rf, db):
    request = rf.get(reverse("contacts:contact-capture"))
    request.user = UserFactory(role="buurtwerker")

    current = [item.url for item in menu_for(request) if item.current]

    assert current == [reverse("contacts:contact-capture")]
