"""/api/v1/taal — Dutch text tools. POST /b1-check: is this text plain Dutch (B1)? See nabij.language.b1."""

from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status

from nabij.core.errors import error_body
from nabij.language.b1 import b1_check

router = Router(tags=["taal"])

MAX_CHARS = 50_000


class B1In(Schema):
    tekst: str = Field(..., description="The text to check (at most 50,000 characters)")


class HardWordOut(Schema):
    woord: str
    alternatief: str


class SentenceOut(Schema):
    tekst: str
    woorden: int
    lettergrepen: int
    moeilijke_woorden: list[HardWordOut]


class B1Out(Schema):
    score: float = Field(..., description="Flesch-Douma reading ease (higher is easier; B1 from 60)")
    niveau: str = Field(..., description='"B1" or "boven B1"')
    zinnen: list[SentenceOut]
    advies: list[str]


@router.post("/b1-check", response={200: B1Out, 422: dict}, summary="B1 check of a Dutch text")
def b1_check_endpoint(request, payload: B1In):
    text = payload.tekst.strip()
    if not text:
        return Status(422, error_body(["body", "tekst"], _("This field is required.")))
    if len(text) > MAX_CHARS:
        return Status(422, error_body(["body", "tekst"], _("This text is too long.")))
    return Status(200, b1_check(text).as_api())
