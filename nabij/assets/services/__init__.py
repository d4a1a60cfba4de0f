"""All writes of the sociale kaart (other apps call these, never the models): organisations, initiatives,
support given and places in `social_map`, key figures (personal data) in `key_figures`."""

from nabij.assets.services.common import KEEP
from nabij.assets.services.key_figures import key_figure_create, key_figure_delete, key_figure_update
from nabij.assets.services.social_map import (
    initiative_save,
    place_save,
    provider_save,
    support_log_add,
    topic_renamed,
    topic_search_text_refresh,
)

__all__ = [
    "KEEP",
    "initiative_save",
    "key_figure_create",
    "key_figure_delete",
    "key_figure_update",
    "place_save",
    "provider_save",
    "support_log_add",
    "topic_renamed",
    "topic_search_text_refresh",
]
