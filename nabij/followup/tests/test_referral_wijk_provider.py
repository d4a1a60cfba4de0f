"""An organisation on the sociale kaart may serve a whole wijk instead of listing buurten (issue 5); a referral
to it from a buurt of that wijk needs no "does not serve the buurt" reason."""

import pytest

from nabij.accounts.tests.factories import UserFactory
from nabij.areas.tests.factories import BuurtFactory
from nabij.assets.models import Provider
from nabij.core.models import Topic
from nabij.core.services import topic_seed_standard
from nabij.followup.services import referral_create


@pytest.mark.django_db
def test_referral_to_an_organisation_serving_the_whole_wijk_needs_no_reason():
    topic_seed_standard()
    buurt = BuurtFactory()
    worker = UserFactory(role="buurtwerker", scope_buurten=[buurt])
    provider = Provider.objects.create(name="Sociaal wijkteam")
    provider.wijken.add(buurt.wijk)
    topic = Topic.objects.first()

    referral = referral_create(
        user=worker, provider=provider.pk, topic=topic.slug, buurt=buurt.code, warm=False, consent_to_share=False
    )

    assert referral.pk is not None
