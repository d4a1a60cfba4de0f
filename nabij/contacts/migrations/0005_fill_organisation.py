"""Fill in the owning organisation of existing records: the organisation of whoever recorded them."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def _org_of(apps, column):
    User = apps.get_model("accounts", "User")
    return Subquery(User.objects.filter(pk=OuterRef(column)).values("organisation_id")[:1])


def fill(apps, schema_editor):
    ContactMoment = apps.get_model("contacts", "ContactMoment")
    Signal = apps.get_model("contacts", "Signal")
    Resident = apps.get_model("contacts", "Resident")
    ContactMoment.objects.filter(organisation__isnull=True).update(organisation_id=_org_of(apps, "worker_id"))
    Signal.objects.filter(organisation__isnull=True).update(organisation_id=_org_of(apps, "worker_id"))
    Resident.objects.filter(organisation__isnull=True).update(organisation_id=_org_of(apps, "created_by_id"))
    Resident.objects.filter(organisation__isnull=True).update(organisation_id=_org_of(apps, "consent_recorded_by_id"))
    first_contact = ContactMoment.objects.filter(resident_id=OuterRef("pk"), organisation__isnull=False)
    Resident.objects.filter(organisation__isnull=True).update(
        organisation_id=Subquery(first_contact.order_by("occurred_at").values("organisation_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_organisation"), ("accounts", "0003_organisation_slug_sharing_agreement")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
