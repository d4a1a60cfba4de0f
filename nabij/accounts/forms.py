from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from nabij.accounts.models import Organisation, RecordKind, Role, Team
from nabij.core import ratelimit
from nabij.core.concurrency import VersionField


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but at most `NABIJ_PASSWORD_RESET_LIMIT` (3) mails per account per hour: beyond it
    no mail is sent, and the page says the same as always, so nobody learns whether an account exists or how
    often it was asked for (nabij.core.ratelimit, counted per account id)."""

    def get_users(self, email):
        for user in super().get_users(email):
            if ratelimit.allow_key(
                key=str(user.pk), scope="password-reset", limit=settings.NABIJ_PASSWORD_RESET_LIMIT, window=3600
            ):
                yield user


def _team_field(teams) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Team"), queryset=teams, required=False, empty_label=_("No team"))


class UserFilterForm(forms.Form):
    """GET filters of the user list; every field is optional."""

    ACTIVE_CHOICES = [("", _("Active and inactive")), ("1", _("Active")), ("0", _("Inactive"))]

    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"1": True, "0": False}.get(data.get("active") or "")
        return {
            "role": data.get("role") or "",
            "team_id": data["team"].pk if data.get("team") else None,
            "active": active,
        }


class UserDetailsForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_field(teams)


class UserCreateForm(UserDetailsForm):
    """A new colleague: the beheerder never types a password; the user gets a link to choose one."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The user logs in with this address and receives a link to choose a password."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    field_order = ["email", "full_name", "organisation", "role", "team"]

    def __init__(self, *args, teams, organisations, **kwargs):
        super().__init__(*args, teams=teams, **kwargs)
        if organisations.count() == 1:
            # A beheerder only ever adds users to their own organisation: no choice to show.
            self.fixed_organisation = organisations.first()
            del self.fields["organisation"]
        else:
            self.fixed_organisation = None
            self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if self.fixed_organisation is not None:
            data["organisation"] = self.fixed_organisation
        return data


class _CodesField(forms.MultipleChoiceField):
    """Area codes as checkboxes. Whether a code may be handed out is decided (and audited) by the service,
    not by the form, so a tampered request is refused on the record rather than silently dropped."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return isinstance(value, str) and 0 < len(value) <= 10


class UserScopeForm(forms.Form):
    """The areas a beheerder hands out: whole gemeenten, whole wijken, and buurten grouped by wijk."""

    gemeenten = _CodesField(label=_("Whole gemeenten"), required=False)
    wijken = _CodesField(label=_("Whole wijken"), required=False)
    buurten = _CodesField(label=_("Buurten"), required=False)

    def __init__(self, *args, areas: dict, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.fields["gemeenten"].choices = [(code, name) for code, name in areas["gemeenten"]]
        self.fields["wijken"].choices = [(code, name) for code, name, _g in areas["wijken"]]
        self.fields["buurten"].choices = [(code, name) for code, name, _w, _wn in areas["buurten"]]
        if not self.is_bound:
            for name in ("gemeenten", "wijken", "buurten"):
                offered = {code for code, _label in self.fields[name].choices}
                self.initial[name] = sorted(set(current.get(name, ())) & offered)

    def _checked(self, name: str) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist(name)) if hasattr(self.data, "getlist") else set(self.data.get(name, ()))
        return set(self.initial.get(name, ()))

    def _box(self, name: str, code: str, label: str, checked: set[str]) -> dict:
        return {"name": name, "value": code, "label": label, "id": f"id_{name}_{code}", "checked": code in checked}

    def gemeente_boxes(self) -> list[dict]:
        checked = self._checked("gemeenten")
        return [self._box("gemeenten", code, name, checked) for code, name in self.areas["gemeenten"]]

    def wijk_groups(self) -> list[dict]:
        """One group per wijk: the whole-wijk checkbox (when it may be handed out) and its buurten."""
        wijken_checked, buurten_checked = self._checked("wijken"), self._checked("buurten")
        groups: dict[str, dict] = {}
        for code, name, _gemeente in self.areas["wijken"]:
            groups[code] = {"code": code, "name": name, "wijk": None, "buurten": []}
            groups[code]["wijk"] = self._box("wijken", code, name, wijken_checked)
        for code, name, wijk_code, wijk_name in self.areas["buurten"]:
            group = groups.setdefault(wijk_code, {"code": wijk_code, "name": wijk_name, "wijk": None, "buurten": []})
            group["buurten"].append(self._box("buurten", code, name, buurten_checked))
        return list(groups.values())


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)


class _BuurtCodesField(forms.MultipleChoiceField):
    """Buurt codes as checkboxes grouped by wijk. Whether a code may be shared is decided (and a tampered one
    refused on the record) by the service, not silently dropped here."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return isinstance(value, str) and 0 < len(value) <= 10


class AgreementForm(forms.Form):
    """A proposal for a samenwerkingsafspraak. Fields are optional here so that the service's own Dutch messages
    (no buurten, no kinds, end before start) are the ones a beheerder sees."""

    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Choose an organisation"),
    )
    buurten = _BuurtCodesField(
        label=_("Buurten"), required=False, help_text=_("Only buurten within your own area scope.")
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of records"),
        choices=RecordKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Share as little as the purpose needs."),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the two organisations share these records, in words both can stand behind."),
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, partners, buurt_rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        groups: dict[str, list[tuple[str, str]]] = {}
        for code, name, wijk_name in buurt_rows:
            groups.setdefault(wijk_name or "—", []).append((code, f"{name} ({code})"))
        self.fields["buurten"].choices = list(groups.items())


class AgreementAcceptForm(forms.Form):
    version = VersionField()


class ApiTokenForm(forms.Form):
    """A new API token: a name to recognise it by and how long it works (at most the configured maximum)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so that you recognise it later. For example: “monthly report script”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        maximum = settings.NABIJ_API_TOKEN_MAX_DAYS
        self.fields["days"].max_value = maximum
        self.fields["days"].initial = settings.NABIJ_API_TOKEN_DAYS
        self.fields["days"].help_text = _("At most %(max)d days. After that the token stops working.") % {
            "max": maximum
        }
        self.fields["days"].validators.append(MaxValueValidator(maximum))
        self.fields["days"].widget.attrs.update({"min": 1, "max": maximum, "inputmode": "numeric"})
