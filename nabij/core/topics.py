"""The standard controlled list of topics (issue 4). Slugs are stable: themes and the API count on them.

Migration contacts 0002 seeds a frozen copy of this list; `core.services.topic_seed_standard` restores it where a
database was emptied (demo loads, browser tests that flush the database).
"""

STANDARD_TOPICS = [
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
