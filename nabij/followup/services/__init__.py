"""All writes of the follow-up app: promises and referrals (`records`), and here the morning digest.

Callers import from this package (`services.promise_keep(...)`); the digest sender stays in this module so that
tests can stop it halfway at its one delivery seam (`_deliver`)."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nabij.accounts.models import User
from nabij.followup import rules
from nabij.followup.models import DigestSent
from nabij.followup.services.records import (
    promise_create,
    promise_fail,
    promise_hand_over,
    promise_keep,
    promise_set_status,
    referral_create,
    referral_set_status,
)

if TYPE_CHECKING:
    from django.core.mail.backends.base import BaseEmailBackend

    from nabij.followup.digest import DigestSection, RenderedSection
    from nabij.followup.selectors import DigestItems

__all__ = [
    "DIGEST_BATCH_SIZE",
    "digest_send_all",
    "promise_create",
    "promise_fail",
    "promise_hand_over",
    "promise_keep",
    "promise_set_status",
    "referral_create",
    "referral_set_status",
]

logger = logging.getLogger(__name__)


# Morning digest --------------------------------------------------------------------------------------------


DIGEST_BATCH_SIZE = 200


def _claim_digests(*, claims: dict[int, int], day: date) -> set[int]:
    """Claim the digests of a batch of people for one day ({user id: item count}) in one statement, committed
    before anything is sent. Only rows this call inserted or took over come back: someone claimed by an earlier
    run or a parallel worker is skipped by the unique (user, day) constraint, so nobody gets two; a claim that was
    never sent and is older than the stale timeout (its worker died) is taken over, so nobody is left out."""
    if not claims:
        return set()
    ops = connection.ops
    table = connection.ops.quote_name(DigestSent._meta.db_table)
    now = ops.adapt_datetimefield_value(timezone.now())
    abandoned = ops.adapt_datetimefield_value(rules.digest_claim_abandoned_before())
    day_value = ops.adapt_datefield_value(day)
    rows, params = [], []
    for user_id, count in claims.items():
        rows.append("(%s, %s, %s, %s)")
        params.extend([user_id, day_value, now, count])
    sql = (
        f"INSERT INTO {table} (user_id, day, claimed_at, item_count) VALUES {', '.join(rows)} "
        "ON CONFLICT (user_id, day) DO UPDATE SET claimed_at = excluded.claimed_at, item_count = excluded.item_count "
        f"WHERE {table}.sent_at IS NULL AND {table}.claimed_at < %s RETURNING user_id"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [*params, abandoned])
        return {row[0] for row in cursor.fetchall()}


def _release_claims(*, user_ids: set[int], day: date) -> None:
    if user_ids:
        DigestSent.objects.filter(user_id__in=user_ids, day=day, sent_at__isnull=True).delete()


def _digest_message(*, user: User, day: date, items: DigestItems, sections: list[RenderedSection]) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        if items.count:
            subject = _("Nabij: %(count)d follow-ups for today") % {"count": items.count}
        else:
            subject = _("Nabij: your morning overview")
        body = render_to_string(
            "followup/email/digest.txt", {"user": user, "items": items, "sections": sections, "day": day}
        )
    return EmailMessage(subject, body, None, [user.email])


def _deliver(mail_connection: BaseEmailBackend, message: EmailMessage) -> None:
    """One message over the open mail connection (a seam for tests that stop the worker halfway)."""
    mail_connection.send_messages([message])


def digest_send_all(*, day: date, batch_size: int = DIGEST_BATCH_SIZE) -> int:
    """Every worker with something due (overdue and today's promises, referrals to check back on) — and everyone
    a registered digest section has something for — gets one digest for `day`, at most once.

    Batch-efficient for thousands of workers: recipients come in one query, the due items of everyone not yet
    served in two, per batch of people one claim INSERT, and one UPDATE per mail sent (so a hard kill leaves at
    most the one mail in flight unmarked); one open mail connection for the whole run. Safe to run twice or after a
    crash: claimed people are skipped. A mail that fails releases its claim (a re-run sends it) and does not stop
    the others; a worker stopped mid-batch releases the claims it had not sent yet; after a hard kill, the claims
    left unsent become claimable again after NABIJ_TASK_STALE_AFTER, when the recovered task runs again (decision
    0023). A digest lists only what its recipient may see by the promise and referral policies."""
    from nabij.followup import digest, selectors

    named = digest.section_recipient_ids(day=day)
    extra_ids = set().union(*(ids for ids in named.values() if ids is not None))
    everyone = any(ids is None for ids in named.values())
    # Whole user rows: the policies decide per recipient what their digest may list (role, organisation, scope).
    recipients = list(selectors.digest_recipients(today=day, extra_ids=extra_ids, everyone=everyone))
    if not recipients:
        return 0
    items_by_user = selectors.digest_items_by_user(today=day, unserved_only=True)
    empty = selectors.DigestItems(overdue=[], due_today=[], referrals=[])
    sent = 0
    # Section titles are lazy strings: render everything in the site language, as the job runs outside a request.
    with translation.override(settings.LANGUAGE_CODE), mailers.default as mail_connection:
        for start in range(0, len(recipients), batch_size):
            batch = recipients[start : start + batch_size]
            prepared = {}
            for user in batch:
                items = items_by_user.get(user.pk)
                items = selectors.digest_items_visible(user=user, items=items) if items else empty
                rendered = []
                if named:

                    def asked(section: DigestSection, pk: int = user.pk) -> bool:
                        ids = named.get(section.key)
                        return ids is None or pk in ids

                    rendered = digest.render_sections(user=user, day=day, asked=asked)
                if items.count or rendered:
                    prepared[user.pk] = (user, items, rendered)
            claimed = _claim_digests(claims={pk: value[1].count for pk, value in prepared.items()}, day=day)
            delivered: set[int] = set()
            try:
                for pk in sorted(claimed):
                    user, items, rendered = prepared[pk]
                    try:
                        _deliver(mail_connection, _digest_message(user=user, day=day, items=items, sections=rendered))
                    except Exception:
                        logger.exception("Digest for user %s on %s failed", pk, day)
                    else:
                        # Marked at once, not per batch: after a hard kill only this one mail can go twice.
                        DigestSent.objects.filter(user_id=pk, day=day).update(sent_at=timezone.now())
                        delivered.add(pk)
            finally:
                # Also when the worker is being stopped (SystemExit, KeyboardInterrupt): what did not go out is
                # released so that a re-run sends it.
                _release_claims(user_ids=claimed - delivered, day=day)
            sent += len(delivered)
    return sent
