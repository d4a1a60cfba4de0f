from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class AppCodeForm(forms.Form):
    """The 6 digits from an authenticator app. Phones offer the code from an SMS or app through
    `autocomplete="one-time-code"`; `inputmode="numeric"` brings up the number pad."""

    code = forms.CharField(
        label=_("Code from your app"),
        help_text=_("6 digits. The code changes every 30 seconds."),
        max_length=12,
        validators=[RegexValidator(r"^\s*(\d\s*){6}$", _("Type the 6 digits your app shows."))],
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "autofocus": True,
                "class": "nabij-code-input",
            }
        ),
        error_messages={"required": _("Type the 6 digits your app shows.")},
    )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the recovery codes you saved or printed, for example abcd efgh."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}
        ),
        error_messages={"required": _("Type one of your recovery codes.")},
    )


class FreshCodeForm(forms.Form):
    """A fresh code before a sensitive change (new recovery codes): from the app or a recovery code."""

    code = forms.CharField(
        label=_("Code from your app or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
        error_messages={"required": _("Type a code from your app or one of your recovery codes.")},
    )
