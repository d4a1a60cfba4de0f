"""API-sleutels: a user's own API tokens (make, list, revoke) and the revoke action a beheerder uses on a
colleague's page (nabij.accounts.views.user_detail lists them)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.accounts import rules, selectors, services
from nabij.accounts.forms import ApiTokenForm
from nabij.core.exceptions import ApplicationError
from nabij.core.http import safe_next


def token_list(request):
    """The user's own tokens with name, prefix, made, last used, expiry; a form makes a new one, shown once."""
    if not rules.can_have_tokens(request.user):
        raise PermissionDenied
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            record, new_token = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = ApiTokenForm()
    tokens = selectors.api_tokens_for_user(user=request.user, owner=request.user)
    return render(request, "accounts/token_list.html", {"tokens": tokens, "form": form, "new_token": new_token})


@require_POST
def token_revoke(request, pk: int):
    """Revoke one token: the owner's own, or a colleague's by their beheerder. Back to where the button was."""
    token = selectors.api_token_get(user=request.user, pk=pk)  # NotVisible: 404, audited
    try:
        services.api_token_revoke(token=token, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token revoked. It no longer works."))
    return redirect(safe_next(request, fallback=reverse("accounts:token-list")))
