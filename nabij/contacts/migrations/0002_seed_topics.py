"""The initial controlled list of topics (issue 4). Slugs are stable; labels may be edited by beheerders."""

from django.db import migrations

TOPICS = [
    ("energie-geldzaken", "energie & geldzaken", "energy & money matters"),
    ("digitale-vaardigheden", "digitale vaardigheden", "digital skills"),
    ("taal", "taal", "language"),
    ("eenzaamheid", "eenzaamheid", "loneliness"),
    ("wonen-onderhoud", "wonen & onderhoud", "housing & maintenance"),
    ("veiligheid", "veiligheid", "safety"),
    ("groen-openbare-ruimte", "groen & openbare ruimte", "green & public space"),
    ("jeugd", "jeugd", "youth"),
    ("gezondheid-zorg", "gezondheid & zorg", "health & care"),
    ("werk-inkomen", "werk & inkomen", "work & income"),
    ("ontmoeting-activiteiten", "ontmoeting & activiteiten", "meeting & activities"),
    ("overlast", "overlast", "nuisance"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("contacts", "Topic")
    for position, (slug, label, label_en) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(
            slug=slug, defaults={"label": label, "label_en": label_en, "position": position * 10}
        )


def unseed(apps, schema_editor):
    Topic = apps.get_model("contacts", "Topic")
    Topic.objects.filter(slug__in=[slug for slug, *_ in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
