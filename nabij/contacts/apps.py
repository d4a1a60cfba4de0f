from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "nabij.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from nabij.contacts.models import Topic
        from nabij.contacts.selectors import topic_cache_clear

        post_save.connect(topic_cache_clear, sender=Topic, dispatch_uid="contacts-topic-cache-save")
        post_delete.connect(topic_cache_clear, sender=Topic, dispatch_uid="contacts-topic-cache-delete")
        from nabij.contacts.inzage import register as register_inzage

        register_inzage()  # the file, its consent and its contacts in a resident's inzage
