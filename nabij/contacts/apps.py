from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "nabij.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self):
        from nabij.contacts import navigation
        from nabij.core.navigation import register_nav_entries

        register_nav_entries(key="contacts", entries=navigation.nav_entries, order=10)
        register_nav_entries(key="contacts.overview", entries=navigation.overview_entries, order=30)
        from nabij.contacts.inzage import register as register_inzage

        register_inzage()  # the file, its consent and its contacts in a resident's inzage
