from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.accounts import rules, selectors, services, sharing
from nabij.accounts.forms import (
    AgreementAcceptForm,
    AgreementForm,
    EmailAuthenticationForm,
    LimitedPasswordResetForm,
    TeamForm,
    UserCreateForm,
    UserDetailsForm,
    UserFilterForm,
    UserScopeForm,
)
from nabij.accounts.models import AgreementStatus
from nabij.core import permissions
from nabij.core.concurrency import StaleEdit
from nabij.core.errors import form_errors
from nabij.core.exceptions import ApplicationError
from nabij.privacy.models import AuditEvent
from nabij.privacy.refusals import require

USERS_PER_PAGE = 50


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = LimitedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- User management by beheerders -----------------------------------------------------------------------


def _require_manager(request, object_type: str = "user") -> None:
    require(
        permissions.can_manage_users(request.user),
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type=object_type,
    )


def _managed_user(request, pk: int):
    _require_manager(request)
    return selectors.user_get(user=request.user, pk=pk)  # NotVisible: 404, audited


def _managed_team(request, pk: int):
    _require_manager(request, "team")
    return selectors.team_get(user=request.user, pk=pk)  # NotVisible: 404, audited


def _add_errors(form, exc: Exception) -> None:
    """Map a service's ValidationError or ApplicationError onto the form, next to the field it concerns."""
    form_errors(form, exc)


def user_list(request):
    _require_manager(request)
    teams = selectors.team_list(user=request.user)
    filter_form = UserFilterForm(request.GET or None, teams=teams)
    users = selectors.user_list(user=request.user, **filter_form.filters())
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "accounts/user_list.html",
        {"filter_form": filter_form, "page": page, "query": query.urlencode()},
    )


def user_create(request):
    _require_manager(request)
    teams = selectors.team_list(user=request.user)
    organisations = selectors.organisation_list(user=request.user)
    form = UserCreateForm(request.POST or None, teams=teams, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                by=request.user,
                organisation=data["organisation"],
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                team=data["team"],
                domain=request.get_host(),
                use_https=request.is_secure(),
            )
        except (ValidationError, ApplicationError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("User added. They received an e-mail to choose a password."))
            return redirect("accounts:user-detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def user_detail(request, pk: int):
    """A user's details (name, role, team) as an edit form, with their scope and status."""
    other = _managed_user(request, pk)
    teams = selectors.team_list(user=request.user, organisation=other.organisation)
    initial = {"full_name": other.full_name, "role": other.role, "team": other.team_id}
    form = UserDetailsForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                by=request.user, user=other, full_name=data["full_name"], role=data["role"], team=data["team"]
            )
        except (ValidationError, ApplicationError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user-detail", pk=other.pk)
    tokens = selectors.api_tokens_for_user(user=request.user, owner=other)
    return render(request, "accounts/user_detail.html", {"other": other, "form": form, "tokens": tokens})


def user_scope(request, pk: int):
    other = _managed_user(request, pk)
    areas = selectors.assignable_areas(user=request.user)
    current = {
        "gemeenten": [g.pk for g in other.scope_gemeenten.all()],
        "wijken": [w.pk for w in other.scope_wijken.all()],
        "buurten": [b.pk for b in other.scope_buurten.all()],
    }
    form = UserScopeForm(request.POST or None, areas=areas, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_scope_set(
                by=request.user,
                user=other,
                gemeenten=data["gemeenten"],
                wijken=data["wijken"],
                buurten=data["buurten"],
            )
        except (ValidationError, ApplicationError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Areas saved."))
            return redirect("accounts:user-detail", pk=other.pk)
    return render(request, "accounts/user_scope.html", {"other": other, "form": form})


@require_POST
def user_deactivate(request, pk: int):
    other = _managed_user(request, pk)
    try:
        services.user_deactivate(by=request.user, user=other)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("User deactivated. They can no longer log in."))
    return redirect("accounts:user-detail", pk=other.pk)


@require_POST
def user_reactivate(request, pk: int):
    other = _managed_user(request, pk)
    services.user_reactivate(by=request.user, user=other)
    messages.success(request, _("User reactivated."))
    return redirect("accounts:user-detail", pk=other.pk)


def team_list(request):
    """The organisation's teams, with a form to add one."""
    _require_manager(request, "team")
    organisations = selectors.organisation_list(user=request.user)
    form = TeamForm(request.POST or None)
    own = request.user.organisation
    if request.method == "POST" and form.is_valid():
        if own is None:
            form.add_error(None, _("Only a beheerder of an organisation can add its teams."))
        else:
            try:
                services.team_create(by=request.user, organisation=own, name=form.cleaned_data["name"])
            except (ValidationError, ApplicationError) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Team added."))
                return redirect("accounts:team-list")
    teams = selectors.team_list(user=request.user)
    return render(
        request,
        "accounts/team_list.html",
        {"teams": teams, "form": form, "can_add": own is not None and organisations.exists()},
    )


def team_rename(request, pk: int):
    team = _managed_team(request, pk)
    form = TeamForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.team_rename(by=request.user, team=team, name=form.cleaned_data["name"])
        except (ValidationError, ApplicationError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Team renamed."))
            return redirect("accounts:team-list")
    return render(request, "accounts/team_form.html", {"team": team, "form": form})


# --- Samenwerkingsafspraken -------------------------------------------------------------------------------

AGREEMENT_GROUPS = (
    ("in_effect", {AgreementStatus.IN_EFFECT, AgreementStatus.SCHEDULED}),
    ("waiting", {AgreementStatus.WAITING}),
    ("ended", {AgreementStatus.ENDED, AgreementStatus.EXPIRED}),
)


def _require_agreement_manager(request) -> None:
    require(
        rules.can_manage_agreements(request.user),
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type=sharing.OBJECT_TYPE,
    )


def _agreement(request, pk: int):
    _require_agreement_manager(request)
    return selectors.agreement_get(user=request.user, pk=pk)  # NotVisible: 404, audited


def agreement_list(request):
    """The organisation's samenwerkingsafspraken: in effect, waiting for acceptance, ended."""
    _require_agreement_manager(request)
    groups: dict[str, list] = {name: [] for name, _statuses in AGREEMENT_GROUPS}
    for agreement in selectors.agreement_list(user=request.user):
        status = agreement.current_status
        for name, statuses in AGREEMENT_GROUPS:
            if status in statuses:
                groups[name].append(agreement)
    return render(request, "accounts/agreement_list.html", {"groups": groups})


def agreement_create(request):
    _require_agreement_manager(request)
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        partners=selectors.agreement_partner_choices(user=request.user),
        buurt_rows=selectors.agreement_buurt_choices(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = sharing.agreement_propose(
                by=request.user,
                partner=data["partner"],
                buurten=data["buurten"],
                kinds=data["kinds"],
                purpose=data["purpose"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
        except (ValidationError, ApplicationError) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Agreement proposed. It takes effect once the partner's beheerder accepts it."))
            return redirect("accounts:agreement-detail", pk=agreement.pk)
    return render(request, "accounts/agreement_form.html", {"form": form})


def agreement_detail(request, pk: int):
    agreement = _agreement(request, pk)
    return render(
        request,
        "accounts/agreement_detail.html",
        {
            "agreement": agreement,
            "accept_form": AgreementAcceptForm(initial={"version": agreement.version}),
            "can_accept": rules.can_accept_agreement(request.user, agreement),
            "can_end": rules.can_end_agreement(request.user, agreement),
        },
    )


@require_POST
def agreement_accept(request, pk: int):
    agreement = _agreement(request, pk)
    form = AgreementAcceptForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else 0
    try:
        sharing.agreement_accept(by=request.user, agreement=agreement, expected_version=version)
    except StaleEdit:
        messages.error(request, _("The agreement changed in the meantime. Read it again before you accept it."))
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, exc.message if isinstance(exc, ApplicationError) else " ".join(exc.messages))
    else:
        messages.success(request, _("Agreement accepted."))
    return redirect("accounts:agreement-detail", pk=agreement.pk)


@require_POST
def agreement_end(request, pk: int):
    agreement = _agreement(request, pk)
    try:
        sharing.agreement_end(by=request.user, agreement=agreement)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Agreement ended. Records are no longer shared under it."))
    return redirect("accounts:agreement-detail", pk=agreement.pk)
