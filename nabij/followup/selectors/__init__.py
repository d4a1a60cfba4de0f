"""Reads of the follow-up app, always through the promise and referral policies (`nabij.core.access.followup`);
selectors that hand personal data to a person audit the read themselves.

- `records`: lists, one record, "Mijn beloftes", the badge, received referrals;
- `digest`: the morning digest's items and recipients;
- `team`: the coordinators' team view and learning dashboard.
"""

from nabij.followup.models import Promise, PromiseHandover, Referral
from nabij.followup.selectors.digest import (
    DigestItems,
    digest_items_by_user,
    digest_items_for,
    digest_items_visible,
    digest_last_sent,
    digest_recipients,
)
from nabij.followup.selectors.records import (
    API_STATUS,
    AuditedRows,
    MyFollowup,
    badge_count,
    handovers_for,
    my_followup,
    promise_get,
    promise_list,
    promise_list_read,
    received_referral_list,
    receives_referrals,
    referral_get,
    referral_history,
    referral_list,
    referral_list_read,
    team_colleagues,
)
from nabij.followup.selectors.team import (
    Learning,
    LearningRow,
    MonthRate,
    TeamOverview,
    TeamRow,
    kept_on_time_by_month,
    learning_dashboard,
    team_overview,
)

__all__ = [
    "API_STATUS",
    "AuditedRows",
    "DigestItems",
    "Learning",
    "LearningRow",
    "MonthRate",
    "MyFollowup",
    "Promise",
    "PromiseHandover",
    "Referral",
    "TeamOverview",
    "TeamRow",
    "badge_count",
    "digest_items_by_user",
    "digest_items_for",
    "digest_items_visible",
    "digest_last_sent",
    "digest_recipients",
    "handovers_for",
    "kept_on_time_by_month",
    "learning_dashboard",
    "my_followup",
    "promise_get",
    "promise_list",
    "promise_list_read",
    "received_referral_list",
    "receives_referrals",
    "referral_get",
    "referral_history",
    "referral_list",
    "referral_list_read",
    "team_colleagues",
    "team_overview",
]
