"""Background work of the sociale kaart (django.tasks, run by `manage.py db_worker`)."""

from django.tasks import task


@task()
def topic_search_text_refresh_task(topic_id: int) -> int:
    """Rewrite the search text of the entries with a renamed topic (safe to run twice)."""
    from nabij.assets.services import topic_search_text_refresh

    return topic_search_text_refresh(topic_id=topic_id)
