"""The consent history of residents recorded before it existed: one "given" row for every resident with
consent, at the recorded consent date (the start of that day) or, without one, when the file was made."""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    Resident = apps.get_model("contacts", "Resident")
    ResidentConsent = apps.get_model("contacts", "ResidentConsent")
    have = set(ResidentConsent.objects.values_list("resident_id", flat=True))
    rows = []
    for resident in Resident.objects.filter(consent=True).iterator():
        if resident.pk in have:
            continue
        at = resident.created_at
        if resident.consent_date:
            at = timezone.make_aware(datetime.combine(resident.consent_date, time.min))
        rows.append(
            ResidentConsent(
                resident_id=resident.pk,
                organisation_id=resident.organisation_id,
                given=True,
                at=at,
                recorded_by_id=resident.consent_recorded_by_id,
            )
        )
    ResidentConsent.objects.bulk_create(rows, batch_size=500)


def unfill(apps, schema_editor):
    apps.get_model("contacts", "ResidentConsent").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0009_correction")]

    operations = [migrations.RunPython(fill, unfill)]
