"""Background work: keep theme counts current after contacts and observations change (safe to run twice)."""

from datetime import date

from django.tasks import task


@task()
def refresh_counts_task(buurt_code: str, week: str) -> int:
    from nabij.themes.services import refresh_run

    return refresh_run(buurt_code=buurt_code, week=date.fromisoformat(week))


@task()
def rebuild_themes_task() -> list[int]:
    from nabij.themes.services import themes_rebuild

    return list(themes_rebuild())
