"""What the contract page posts: each form calls one service, then goes back to the page (to the card it came
from), or shows the page again with the refusal next to the form that caused it. The payment form also
answers htmx: its own fragment with the refusal, or a redirect once the money is recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from irontriangle.collections import selectors, services
from irontriangle.collections.forms_contract import (
    ActionForm,
    DisputeForm,
    EventForm,
    EvidenceForm,
    InvoiceForm,
    PaymentForm,
    ResolveForm,
    SignedForm,
    SignOffForm,
    TickForm,
    schedule_rows,
    schedule_service_rows,
)
from irontriangle.collections.models import Contract, MilestoneTemplate, PaymentMilestone
from irontriangle.collections.views_contract import contract_page, contract_url, render_contract
from irontriangle.common.errors import Conflict, Forbidden, InvalidInput, NotFound, VersionConflict
from irontriangle.web.guards import actor, add_domain_errors, htmx, viewer, web_view

CHANGED_MEANWHILE = gettext_lazy("Someone else changed this contract meanwhile; nothing was overwritten. Try again.")


def _contract(request: HttpRequest, contract_id: int) -> Contract:
    return selectors.contract_get(viewer(request), contract_id)


def _milestone(request: HttpRequest, contract: Contract, milestone_id: int) -> PaymentMilestone:
    milestone = selectors.milestones_visible(viewer(request)).filter(pk=milestone_id, contract_id=contract.pk).first()
    if milestone is None:
        raise NotFound()
    return milestone


def _messages_of(error: InvalidInput) -> str:
    return " ".join(str(item.message) for item in error.errors) or error.detail


def _run(
    request: HttpRequest,
    contract: Contract,
    call: Callable[[], Any],
    *,
    anchor: str,
    success: str,
    form: Any = None,
    form_key: Any = None,
    open_form: str = "",
) -> HttpResponse:
    """Call the service; on success back to the page, else the page again with why, at the right status."""
    given: dict[str, Any] = {"open_form": open_form}
    if form_key is not None:
        given["forms"] = {form_key: form}
    if form is not None and not form.is_valid():
        return render_contract(request, contract.pk, status=422, **given)
    try:
        call()
    except VersionConflict:
        given["action_error"] = CHANGED_MEANWHILE
        return render_contract(request, contract.pk, status=409, **given)
    except InvalidInput as error:
        if form is not None:
            add_domain_errors(form, error)
        else:
            given["action_error"] = _messages_of(error)
        return render_contract(request, contract.pk, status=422, **given)
    except Forbidden as error:
        given["action_error"] = error.detail
        return render_contract(request, contract.pk, status=403, **given)
    except Conflict as error:
        given["action_error"] = error.detail
        return render_contract(request, contract.pk, status=409, **given)
    messages.success(request, success)
    return redirect(contract_url(contract.pk, anchor))


# --- the contract's events and schedule ------------------------------------------------------------------


@require_POST
@web_view
def contract_event(request: HttpRequest, contract_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    form = EventForm(request.POST)

    def call() -> Any:
        event = form.cleaned_data["event"]
        return services.contract_update(
            viewer=who,
            actor=actor(request),
            contract=contract,
            data={event: form.cleaned_data["on"]},
            version=form.cleaned_data.get("version"),
        )

    return _run(
        request,
        contract,
        call,
        anchor="#events",
        success=_("The contract's events were updated; due dates that follow them are set."),
        form=form,
        form_key="event",
        open_form=f"event-{request.POST.get('event', '')}",
    )


@require_POST
@web_view
def schedule_save(request: HttpRequest, contract_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    rows = schedule_rows(request.POST)
    given: dict[str, Any] = {"schedule_rows": rows, "open_form": "schedule"}
    service_rows, problems = schedule_service_rows(rows)
    if problems:
        return render_contract(request, contract.pk, status=422, schedule_error=" ".join(problems), **given)
    try:
        services.milestones_replace(
            viewer=who, actor=actor(request), contract=contract, rows=service_rows, version=_version(request)
        )
    except VersionConflict:
        return render_contract(request, contract.pk, status=409, schedule_error=str(CHANGED_MEANWHILE), **given)
    except InvalidInput as error:
        return render_contract(request, contract.pk, status=422, schedule_error=_schedule_errors(error), **given)
    except Conflict as error:
        return render_contract(request, contract.pk, status=409, schedule_error=error.detail, **given)
    messages.success(request, _("The payment schedule was saved."))
    return redirect(contract_url(contract.pk, "#schedule"))


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _schedule_errors(error: InvalidInput) -> str:
    """Each refusal, with the row it is about when it names one (`milestones.2.percent` is row 3)."""
    texts = []
    for item in error.errors:
        parts = item.field.split(".")
        if len(parts) >= 2 and parts[1].isdigit():
            texts.append(_("Row %(n)s: %(message)s") % {"n": int(parts[1]) + 1, "message": item.message})
        else:
            texts.append(str(item.message))
    if isinstance(error, services.MilestoneTotal) and error.detail not in texts:
        texts.insert(0, error.detail)
    return " ".join(texts) or error.detail


@require_POST
@web_view
def schedule_apply_template(request: HttpRequest, contract_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    template = MilestoneTemplate.objects.filter(code=request.POST.get("template", ""), is_active=True).first()
    if template is None:
        return render_contract(
            request, contract.pk, status=422, schedule_error=_("Choose a template."), open_form="schedule"
        )
    try:
        services.milestones_replace(
            viewer=who,
            actor=actor(request),
            contract=contract,
            rows=services.template_rows(template),
            version=_version(request),
        )
    except VersionConflict:
        return render_contract(
            request, contract.pk, status=409, schedule_error=str(CHANGED_MEANWHILE), open_form="schedule"
        )
    except (InvalidInput, Conflict) as error:
        message = _schedule_errors(error) if isinstance(error, InvalidInput) else error.detail
        return render_contract(request, contract.pk, status=422, schedule_error=message, open_form="schedule")
    messages.success(request, _("The template was applied; edit the schedule if the contract says otherwise."))
    return redirect(contract_url(contract.pk, "#schedule"))


# --- money: payments, invoices, disputes -----------------------------------------------------------------


@require_POST
@web_view
def payment_record(request: HttpRequest, contract_id: int, milestone_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    milestone = _milestone(request, contract, milestone_id)
    form = PaymentForm(request.POST, prefix=f"pay-{milestone.pk}")
    key = (milestone.pk, "payment")
    open_form = f"payment-{milestone.pk}"
    if not htmx(request):
        return _run(
            request,
            contract,
            lambda: services.payment_record(
                viewer=who, actor=actor(request), milestone=milestone, data=form.cleaned_data
            ),
            anchor=f"#milestone-{milestone.pk}",
            success=_("The payment was recorded."),
            form=form,
            form_key=key,
            open_form=open_form,
        )
    status = 422
    if form.is_valid():
        try:
            services.payment_record(viewer=who, actor=actor(request), milestone=milestone, data=form.cleaned_data)
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The payment was recorded."))
            # The page reloads where the person was, with the new figures and the confirmation.
            response = HttpResponse(status=200)
            response["HX-Refresh"] = "true"
            return response
    context = contract_page(who, contract.pk, forms={key: form})
    row = next(row for row in context["rows"] if row["m"].pk == milestone.pk)
    return render(request, "collections/contract_payment_form.html", {**context, "row": row}, status=status)


@require_POST
@web_view
def payment_reverse(request: HttpRequest, contract_id: int, payment_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    payment = selectors.payment_get(who, payment_id)
    if payment.milestone.contract_id != contract.pk:
        raise NotFound()
    return _run(
        request,
        contract,
        lambda: services.payment_reverse(viewer=who, actor=actor(request), payment=payment),
        anchor="#payments",
        success=_("The payment was reversed."),
    )


@require_POST
@web_view
def milestone_invoice(request: HttpRequest, contract_id: int, milestone_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    milestone = _milestone(request, contract, milestone_id)
    form = InvoiceForm(request.POST, prefix=f"invoice-{milestone.pk}")
    return _run(
        request,
        contract,
        lambda: services.milestone_invoice(
            viewer=who,
            actor=actor(request),
            milestone=milestone,
            invoiced_on=form.cleaned_data["invoiced_on"],
            invoice_number=form.cleaned_data["invoice_number"],
        ),
        anchor=f"#milestone-{milestone.pk}",
        success=_("The invoice was recorded."),
        form=form,
        form_key=(milestone.pk, "invoice"),
        open_form=f"invoice-{milestone.pk}",
    )


@require_POST
@web_view
def milestone_dispute(request: HttpRequest, contract_id: int, milestone_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    milestone = _milestone(request, contract, milestone_id)
    form = DisputeForm(request.POST, prefix=f"dispute-{milestone.pk}")
    return _run(
        request,
        contract,
        lambda: services.milestone_dispute(
            viewer=who, actor=actor(request), milestone=milestone, reason=form.cleaned_data["reason"]
        ),
        anchor=f"#milestone-{milestone.pk}",
        success=_("The dispute was recorded."),
        form=form,
        form_key=(milestone.pk, "dispute"),
        open_form=f"dispute-{milestone.pk}",
    )


@require_POST
@web_view
def milestone_resolve(request: HttpRequest, contract_id: int, milestone_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    milestone = _milestone(request, contract, milestone_id)
    form = ResolveForm(request.POST, prefix=f"resolve-{milestone.pk}")
    return _run(
        request,
        contract,
        lambda: services.milestone_resolve(
            viewer=who, actor=actor(request), milestone=milestone, note=form.cleaned_data["note"]
        ),
        anchor=f"#milestone-{milestone.pk}",
        success=_("The dispute was settled."),
        form=form,
        form_key=(milestone.pk, "resolve"),
        open_form=f"resolve-{milestone.pk}",
    )


# --- evidence ------------------------------------------------------------------------------------------


def _upload(request: HttpRequest, contract: Contract, milestone: PaymentMilestone | None) -> HttpResponse:
    who = viewer(request)
    prefix = f"evidence-{milestone.pk}" if milestone is not None else "evidence"
    form = EvidenceForm(request.POST, request.FILES, prefix=prefix)

    def call() -> Any:
        upload = form.cleaned_data["file"]
        return services.evidence_upload(
            viewer=who,
            actor=actor(request),
            contract=contract,
            milestone=milestone,
            kind=form.cleaned_data["kind"],
            name=upload.name or "",
            data=upload.file,
            size=upload.size or 0,
            notes=form.cleaned_data["notes"],
        )

    return _run(
        request,
        contract,
        call,
        anchor=f"#milestone-{milestone.pk}" if milestone is not None else "#documents",
        success=_("The document was added to the evidence chain."),
        form=form,
        form_key=(milestone.pk, "evidence") if milestone is not None else "evidence",
        open_form=prefix,
    )


@require_POST
@web_view
def evidence_upload(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _upload(request, _contract(request, contract_id), None)


@require_POST
@web_view
def milestone_evidence_upload(request: HttpRequest, contract_id: int, milestone_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    return _upload(request, contract, _milestone(request, contract, milestone_id))


@require_POST
@web_view
def evidence_remove(request: HttpRequest, contract_id: int, evidence_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    evidence = selectors.evidence_get(who, evidence_id)
    if evidence.contract_id != contract.pk:
        raise NotFound()
    anchor = f"#milestone-{evidence.milestone_id}" if evidence.milestone_id else "#documents"
    return _run(
        request,
        contract,
        lambda: services.evidence_remove(viewer=who, actor=actor(request), evidence=evidence),
        anchor=anchor,
        success=_("The document was removed from the evidence chain."),
    )


# --- the delivery decision chain -------------------------------------------------------------------------


def _contacts(request: HttpRequest, contract: Contract) -> list[tuple[int, str]]:
    from irontriangle.relationships.selectors import contacts_visible

    people = contacts_visible(viewer(request)).filter(account_id=contract.account_id).order_by("name", "pk")
    return [(pk, name) for pk, name in people.values_list("pk", "name")[:500]]


@require_POST
@web_view
def sign_off_add(request: HttpRequest, contract_id: int, milestone_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    milestone = _milestone(request, contract, milestone_id)
    form = SignOffForm(request.POST, prefix=f"signoff-{milestone.pk}", contacts=_contacts(request, contract))
    return _run(
        request,
        contract,
        lambda: services.sign_off_add(viewer=who, actor=actor(request), milestone=milestone, data=form.cleaned_data),
        anchor=f"#milestone-{milestone.pk}",
        success=_("The decision chain was updated."),
        form=form,
        form_key=(milestone.pk, "sign_off"),
        open_form=f"signoff-{milestone.pk}",
    )


@require_POST
@web_view
def sign_off_signed(request: HttpRequest, contract_id: int, milestone_id: int, sign_off_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    milestone = _milestone(request, contract, milestone_id)
    sign_off = milestone.sign_offs.select_related("contact").filter(pk=sign_off_id).first()
    if sign_off is None:
        raise NotFound()
    sign_off.milestone = milestone
    form = SignedForm(request.POST, prefix=f"signed-{sign_off.pk}")
    if not form.is_valid():
        return render_contract(request, contract.pk, status=422, action_error=_("Give the date it was signed."))
    return _run(
        request,
        contract,
        lambda: services.sign_off_update(
            viewer=who,
            actor=actor(request),
            sign_off=sign_off,
            signed_on=form.cleaned_data["signed_on"],
            notes=sign_off.notes,
        ),
        anchor=f"#milestone-{milestone.pk}",
        success=_("The decision chain was updated."),
    )


@require_POST
@web_view
def sign_off_remove(request: HttpRequest, contract_id: int, milestone_id: int, sign_off_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    milestone = _milestone(request, contract, milestone_id)
    return _run(
        request,
        contract,
        lambda: services.sign_off_remove(
            viewer=who, actor=actor(request), milestone=milestone, sign_off_id=sign_off_id
        ),
        anchor=f"#milestone-{milestone.pk}",
        success=_("The decision chain was updated."),
    )


# --- collection actions and the checklist ----------------------------------------------------------------


@require_POST
@web_view
def action_log(request: HttpRequest, contract_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    milestones = [(m.pk, str(m.pk)) for m in contract.milestones.all()]
    form = ActionForm(request.POST, prefix="action", contacts=_contacts(request, contract), milestones=milestones)
    return _run(
        request,
        contract,
        lambda: services.collection_action_log(
            viewer=who, actor=actor(request), contract=contract, data=form.cleaned_data
        ),
        anchor="#actions",
        success=_("The collection action was logged."),
        form=form,
        form_key="action",
        open_form="action",
    )


@require_POST
@web_view
def checklist_tick(request: HttpRequest, contract_id: int) -> HttpResponse:
    who = viewer(request)
    contract = _contract(request, contract_id)
    form = TickForm(request.POST)
    if not form.is_valid():
        return render_contract(request, contract.pk, status=422, action_error=_("Say which item."))
    return _run(
        request,
        contract,
        lambda: services.contract_tick(
            viewer=who,
            actor=actor(request),
            contract=contract,
            key=form.cleaned_data["key"],
            done=request.POST.get("done") != "0",
            note=form.cleaned_data["note"],
        ),
        anchor="#checklist",
        success=_("The checklist was updated."),
        open_form="checklist",
    )
