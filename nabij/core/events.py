"""Named events: how a lower app tells higher apps what happened without importing them.

Each event is a `django.dispatch.Signal`; the app that owns the fact sends it after the write, the apps that care
connect a receiver in their `AppConfig.ready()`. Sending never fails because of a receiver's absence.
"""

from django.dispatch import Signal

# A topic's Dutch or English label changed (core.services.topic_update, the admin). Argument: topic.
topic_renamed = Signal()
