"""Fill in the owning organisation of existing records: the organisation of whoever recorded them."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def _org_of(apps, column):
    User = apps.get_model("accounts", "User")
    return Subquery(User.objects.filter(pk=OuterRef(column)).values("organisation_id")[:1])


def fill(apps, schema_editor):
    Project = apps.get_model("participation", "Project")
    Input = apps.get_model("participation", "Input")
    Reply = apps.get_model("participation", "Reply")
    project_org = Subquery(Project.objects.filter(pk=OuterRef("project_id")).values("owner_id")[:1])
    Input.objects.filter(organisation__isnull=True).update(organisation_id=project_org)
    input_org = Subquery(Input.objects.filter(pk=OuterRef("input_id")).values("organisation_id")[:1])
    Reply.objects.filter(organisation__isnull=True).update(organisation_id=input_org)


class Migration(migrations.Migration):
    dependencies = [("participation", "0003_organisation"), ("accounts", "0003_organisation_slug_sharing_agreement")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
