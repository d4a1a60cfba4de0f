"""Fill in the owning organisation of existing records: the organisation of whoever recorded them."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def _org_of(apps, column):
    User = apps.get_model("accounts", "User")
    return Subquery(User.objects.filter(pk=OuterRef(column)).values("organisation_id")[:1])


def fill(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Survey.objects.filter(organisation__isnull=True).update(organisation_id=_org_of(apps, "owner_id"))
    survey_org = Subquery(Survey.objects.filter(pk=OuterRef("survey_id")).values("organisation_id")[:1])
    for name in ("Collector", "Response"):
        apps.get_model("surveys", name).objects.filter(organisation__isnull=True).update(organisation_id=survey_org)
    Response = apps.get_model("surveys", "Response")
    response_org = Subquery(Response.objects.filter(pk=OuterRef("response_id")).values("organisation_id")[:1])
    apps.get_model("surveys", "Answer").objects.filter(organisation__isnull=True).update(organisation_id=response_org)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_organisation"), ("accounts", "0003_organisation_slug_sharing_agreement")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
