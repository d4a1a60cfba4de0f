"""Fill in the owning organisation of existing records: the organisation of whoever recorded them."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def _org_of(apps, column):
    User = apps.get_model("accounts", "User")
    return Subquery(User.objects.filter(pk=OuterRef(column)).values("organisation_id")[:1])


def fill(apps, schema_editor):
    Promise = apps.get_model("followup", "Promise")
    Referral = apps.get_model("followup", "Referral")
    Promise.objects.filter(organisation__isnull=True).update(organisation_id=_org_of(apps, "created_by_id"))
    Promise.objects.filter(organisation__isnull=True).update(organisation_id=_org_of(apps, "owner_id"))
    Referral.objects.filter(organisation__isnull=True).update(organisation_id=_org_of(apps, "worker_id"))


class Migration(migrations.Migration):
    dependencies = [("followup", "0002_organisation"), ("accounts", "0003_organisation_slug_sharing_agreement")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
