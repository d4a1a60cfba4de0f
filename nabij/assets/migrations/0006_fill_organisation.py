"""Fill in the owning organisation of existing records: the organisation of whoever recorded them."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def _org_of(apps, column):
    User = apps.get_model("accounts", "User")
    return Subquery(User.objects.filter(pk=OuterRef(column)).values("organisation_id")[:1])


def fill(apps, schema_editor):
    KeyFigure = apps.get_model("assets", "KeyFigure")
    KeyFigure.objects.filter(organisation__isnull=True).update(organisation_id=_org_of(apps, "consent_recorded_by_id"))


class Migration(migrations.Migration):
    dependencies = [("assets", "0005_organisation"), ("accounts", "0003_organisation_slug_sharing_agreement")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
