"""Portal pages of federated sign-in: an agency's admins list, add, change and switch off
their agency's identity providers on its host; central IT's platform admins every agency's,
and add central IT's own, on the central host. Every write goes through actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from portal.forms import submit
from services.agencies.federation import actions, policies
from services.agencies.federation.models import IdentityProvider, ProviderKind
from services.agencies.federation.pages import login_url, on_its_host
from tenants.models import Agency, AgencyKind
from tenants.roles import Role
from tenants.viewer import Viewer, of_request

LINES = forms.Textarea(attrs={"rows": 4})
OTHER_KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ProviderKind.OIDC: ("entity_id", "metadata_url", "metadata_xml"),
    ProviderKind.SAML: ("discovery_url", "client_id", "client_secret_ref"),
}


class ProviderForm(forms.Form):
    name = forms.CharField(
        label=_l("Name"), max_length=100, help_text=_l('Shown as "Sign in with <name>".')
    )
    discovery_url = forms.CharField(
        label=_l("Discovery URL (OpenID Connect)"),
        required=False,
        max_length=500,
        help_text=_l("The issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0"),
    )
    client_id = forms.CharField(
        label=_l("Client id (OpenID Connect)"), required=False, max_length=200
    )
    client_secret_ref = forms.CharField(
        label=_l("Client secret: environment variable (OpenID Connect)"),
        required=False,
        max_length=100,
        help_text=_l(
            "The name of the variable that holds the secret on the servers; "
            "the secret itself is never stored."
        ),
    )
    entity_id = forms.CharField(label=_l("Entity id (SAML 2)"), required=False, max_length=500)
    metadata_url = forms.CharField(
        label=_l("Metadata URL (SAML 2)"), required=False, max_length=500
    )
    metadata_xml = forms.CharField(
        label=_l("Metadata (SAML 2)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_l("Paste the identity provider's metadata when it has no address."),
    )
    subject_claim = forms.CharField(
        label=_l("Subject claim or attribute"),
        required=False,
        max_length=200,
        help_text=_l("Empty: sub (OpenID Connect) or the NameID (SAML 2). For Entra ID, oid."),
    )
    email_claim = forms.CharField(
        label=_l("E-mail claim or attribute"), required=False, max_length=200
    )
    name_claim = forms.CharField(
        label=_l("Name claim or attribute"), required=False, max_length=200
    )
    groups_claim = forms.CharField(
        label=_l("Groups claim or attribute"), required=False, max_length=200
    )
    group_roles = forms.CharField(
        label=_l("Roles by group"),
        required=False,
        widget=LINES,
        help_text=_l("One per line: group = role, e.g. 3f2a… = agency_admin."),
    )
    default_role = forms.ChoiceField(label=_l("Role for everyone it signs in"), required=False)
    creates_people = forms.BooleanField(
        label=_l("Add people to the register at their first sign-in"), required=False
    )
    mfa_values = forms.CharField(
        label=_l("Values that mean a second factor"),
        required=False,
        widget=LINES,
        help_text=_l(
            "One per line (amr values or authentication contexts); "
            "empty: the defaults in the README."
        ),
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        roles: frozenset[str],
        agencies: list[Agency] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in OTHER_KIND_FIELDS[kind]:  # only the fields of this kind of provider
            del self.fields[name]
        if agencies:  # central IT adds a provider for an agency, or its own
            field = forms.ChoiceField(label=_l("For"), choices=[(a.slug, a.name) for a in agencies])
            self.fields = {"agency": field, **self.fields}
        labels = dict(Role.choices)
        choices = [("", _l("None"))] + [(r, labels[r]) for r in sorted(roles)]
        self.fields["default_role"].choices = choices  # type: ignore[attr-defined]

    def clean_group_roles(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["group_roles"].splitlines(), start=1):
            if not line.strip():
                continue
            group, sep, role = line.partition("=")
            if not sep or not group.strip() or not role.strip():
                raise ValidationError(_("Line %(n)s: write group = role.") % {"n": number})
            mapping[group.strip()] = role.strip()
        return mapping

    def clean_mfa_values(self) -> list[str]:
        return [v.strip() for v in self.cleaned_data["mfa_values"].splitlines() if v.strip()]


def _viewer(request: HttpRequest) -> Viewer:
    viewer = of_request(request)
    if not (viewer.central(Role.PLATFORM_ADMIN) or viewer.admin_agency is not None):
        raise PermissionDenied(_("Only the agency's admins and central IT configure this."))
    return viewer


def _own_agency(viewer: Viewer) -> Agency:
    return viewer.admin_agency or Agency.objects.get(kind=AgencyKind.CENTRAL)


def _initial(idp: IdentityProvider) -> dict[str, Any]:
    initial = {f: getattr(idp, f) for f in ProviderForm.base_fields if hasattr(idp, f)}
    initial["group_roles"] = "\n".join(f"{g} = {r}" for g, r in sorted(idp.group_roles.items()))
    initial["mfa_values"] = "\n".join(idp.mfa_values or ())
    return initial


@login_required
def providers(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    rows = policies.providers(viewer, IdentityProvider.objects.select_related("agency"))
    return render(
        request, "federation/list.html", {"providers": rows.order_by("agency__name", "name")}
    )


@login_required
def add(request: HttpRequest, kind: str) -> HttpResponse:
    viewer = _viewer(request)
    if kind not in ProviderKind.values:
        raise Http404
    agency = _own_agency(viewer)
    choices = None
    if viewer.on_central_host:
        choices = [agency, *Agency.objects.members().exclude(state="offboarded").order_by("name")]
        chosen = request.POST.get("agency") or request.GET.get("agency")
        agency = next((a for a in choices if a.slug == chosen), agency)
    form = ProviderForm(
        request.POST or None,
        kind=kind,
        roles=actions.scope_roles_of(agency),
        agencies=choices,
        initial={"creates_people": True, "agency": agency.slug},
    )
    if request.method == "POST":
        idp = submit(
            form,
            lambda data: actions.create_provider(
                viewer,
                agency,
                actions.ProviderInput(
                    kind=kind, **{k: v for k, v in data.items() if k != "agency"}
                ),
            ),
        )
        if idp is not None:
            messages.success(request, _("The identity provider is added."))
            return redirect("identity:edit", pk=idp.pk)
    return render(
        request,
        "federation/form.html",
        {"form": form, "idp": None, "kind": ProviderKind(kind).label},
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    idp = (
        policies.providers(viewer, IdentityProvider.objects.select_related("agency"))
        .filter(pk=pk)
        .first()
    )
    if idp is None:
        raise Http404
    form = ProviderForm(
        request.POST or None,
        kind=idp.kind,
        roles=actions.scope_roles_of(idp.agency),
        initial=_initial(idp),
    )
    if request.method == "POST":
        done = submit(form, lambda data: actions.update_provider(viewer, idp.pk, **data))
        if done is not None:
            messages.success(request, _("The changes are saved."))
            return redirect("identity:edit", pk=idp.pk)
    if idp.kind == ProviderKind.OIDC:
        path = reverse("openid_connect_callback", kwargs={"provider_id": idp.key})
        ours = {"redirect_uri": on_its_host(request, idp, path)}
    else:
        ours = {"metadata": on_its_host(request, idp, reverse("saml_metadata", args=[idp.key]))}
    ours["sign_in"] = on_its_host(request, idp, login_url(idp))
    return render(
        request,
        "federation/form.html",
        {"form": form, "idp": idp, "kind": idp.get_kind_display(), "ours": ours},
    )


@login_required
@require_POST
def switch(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _viewer(request)
    active = request.POST.get("active") == "1"
    try:
        actions.set_provider_active(viewer, pk, active=active)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("identity:list")
    messages.success(request, _("Switched on.") if active else _("Switched off."))
    return redirect("identity:edit", pk=pk)
