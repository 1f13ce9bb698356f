"""The contract: drawn up, signed (the placement counts), the move, the people around the
client, the final evaluation."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from instroom.accounts.models import User
from instroom.accounts.notifications import notify, send_notice
from instroom.applications.constants import CaseState
from instroom.applications.models import Application
from instroom.applications.services import transition_case
from instroom.applications.step_order import check_step_order
from instroom.audit import services as audit
from instroom.dates import add_months
from instroom.distribution import services as distribution
from instroom.matching import services as matching
from instroom.matching.constants import MatchState
from instroom.matching.models import Match
from instroom.pdf import render_pdf
from instroom.policy import audience, rules
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Organisation
from instroom.regions.rules.intake import ContractFormRule
from instroom.regions.selectors import rules_for

from .. import contract_text
from ..constants import (
    OPEN_MEETING_STATES,
    ContractState,
    FinalOutcome,
    MeetingState,
)
from ..labels import contract_effective, contract_rules
from ..models import Contract, Meeting
from .common import (
    _cancel_open_meetings,
    _coordinators,
    _date,
    _locked,
    _move,
    _support_workers,
    _today,
    _url,
    support_rules,
)


def contract_terms(application: Application) -> tuple[str, int]:
    """The form and support period the table decided; the form's own period when it said none
    (the region's rules in force today; the contract keeps their version)."""
    from instroom.assessment.models import Decision

    decision = (
        Decision.objects.filter(application=application, outcome="approve")
        .order_by("-decided_at")
        .first()
    )
    rules = rules_for(application.client.region_id).rules
    if decision is not None and decision.contract_form:
        code, months = decision.contract_form, decision.support_months
    else:
        code, months = application.contract_form or rules.contract_form[0].code, None
    form = rules.term("contract_form", code)
    if form is None:
        raise ValidationError(
            _(
                "The contract form “%(form)s” is not one of this region's contract forms; "
                "the service point records the decision again with one of them."
            )
            % {"form": code}
        )
    return code, months or form.support_months


def contract_form_rule(contract: Contract) -> ContractFormRule | None:
    """The contract's form in the rules it was made under."""
    return contract_rules(contract).term("contract_form", contract.form)  # type: ignore[no-any-return]


def conversion_text(form: ContractFormRule | None) -> str:
    """What follows a positive final evaluation, in the reader's language."""
    if form is None or form.conversion == "regular_lease":
        return _("a regular lease for an indefinite time")
    if form.conversion == "fixed_term":
        return _("a lease for a fixed term of %(years)d years") % {
            "years": form.lease_years_after_conversion
        }
    return _("no conversion: the support is extended or ended")


# The agreement's own words for the conversion (the contract's language, Dutch).
_CONVERSION_NL = {
    "regular_lease": "een reguliere huurovereenkomst voor onbepaalde tijd",
    "fixed_term": "een huurovereenkomst voor bepaalde tijd van {years} jaar",
    "none": "geen omzetting; de eindevaluatie leidt tot verlenging of beëindiging van de "
    "begeleiding",
}


def document_values(contract: Contract) -> dict[str, str]:
    client, home = contract.client, contract.home
    return {
        "region": contract.region.name,
        "scheme": contract_text.with_article(contract.region.name),
        "case_number": client.case_number,
        "tenant": client.full_name,
        "date_of_birth": _date(client.date_of_birth),
        "address": home.address,
        "municipality": home.municipality.name,
        "rent": formats.number_format(home.rent_eur, 2),
        "corporation": home.corporation.name,
        "support_provider": client.support_provider.name,
        "support_months": str(contract.support_months),
        "contract_form": contract.form_label,
        "conversion": _conversion_nl(contract_form_rule(contract)),
        "start_date": _date(contract.planned_move_in_on or contract.key_handover_on)
        if contract.planned_move_in_on or contract.key_handover_on
        else contract_text.START_DATE_UNKNOWN,
    }


def _conversion_nl(form: ContractFormRule | None) -> str:
    if form is None:
        return _CONVERSION_NL["regular_lease"]
    return _CONVERSION_NL[form.conversion].format(years=form.lease_years_after_conversion)


def agreement_text(contract: Contract) -> str:
    """The form's own agreement text in the language in use (Dutch when there is no English
    one), or the standard text for the form's tenant."""
    from django.utils.translation import get_language

    form = contract_form_rule(contract)
    if form is not None:
        english = (get_language() or "nl").startswith("en")
        own = (form.agreement_en if english else "") or form.agreement_nl
        if own:
            return own
    if form is not None and form.tenant == "care_provider":
        return contract_text.STANDARD_CARE_LEASE
    return contract_text.STANDARD_THREE_PARTY


def document_context(contract: Contract) -> dict[str, object]:
    """What the agreement's PDF shows: the form's text (or the standard one) filled in, the
    form, its conversion rule and the rules version the contract was made under."""
    values = document_values(contract)
    form = contract_form_rule(contract)
    return {
        "contract": contract,
        "articles": contract_text.fill(agreement_text(contract), values),
        "values": values,
        "form_label": contract.form_label,
        "tenant_is_client": form is None or form.tenant == "client",
        "conversion": conversion_text(form),
        "rules_label": contract_effective(contract).version_label,
        "signed_on": _date(contract.signed_on),
        "key_handover_on": _date(contract.key_handover_on),
    }


def _make_document(contract: Contract) -> None:
    """Fill the region's text and store the PDF with the case (in Dutch: the contract's
    language). The BSN is not in it: the parties do not need it."""
    with override("nl"):
        pdf = render_pdf("support/contract_pdf.html", document_context(contract))
    name = f"overeenkomst-{contract.client.case_number}.pdf"
    if contract.document:
        contract.document.delete(save=False)
    contract.document.save(name, ContentFile(pdf), save=False)
    contract.document_made_at = timezone.now()
    contract.save(update_fields=["document", "document_made_at"])


@transaction.atomic
def contract_prepare(*, actor: User, match: Match) -> Contract:
    """The corporation draws up the agreement for an accepted match, in the form the table
    decided; the PDF is made for signing."""
    match = (
        Match.objects.select_for_update()
        .select_related("home", "client", "application")
        .get(pk=match.pk)
    )
    contract = getattr(match, "contract", None)
    if not rules.may_prepare_contract(actor, match):
        raise PermissionDenied(_("Only the corporation of the home draws up the contract."))
    if contract is not None:
        raise ValidationError(_("A contract has already been drawn up for this offer."))
    if match.state != MatchState.ACCEPTED:
        raise ValidationError(_("A contract follows a match the client has accepted."))
    form, months = contract_terms(match.application)
    version = rules_for(match.region_id).version_id
    contract = Contract.objects.create(
        rule_version_id=version,
        match=match,
        application=match.application,
        client=match.client,
        home=match.home,
        region_id=match.region_id,
        form=form,
        support_months=months,
        prepared_by=actor,
    )
    audit.record_change(
        actor=actor,
        action="contract.prepare",
        obj=contract,
        client=contract.client,
        region_id=contract.region_id,
        changes={"form": form, "support_months": months, "rule_version": version},
    )
    _make_document(contract)
    notify(
        users=_support_workers(contract),
        kind="contract.plan_signing",
        params={"case": contract.client.case_number},
        about=contract,
        url=_url(contract),
    )
    return contract


@transaction.atomic
def contract_sign(
    *,
    actor: User,
    contract: Contract,
    signed_on: date,
    key_handover_on: date,
    planned_move_in_on: date,
) -> Contract:
    """All three parties signed: the placement counts for the quota from this day, the warm
    handover is due before the move."""
    contract = _locked(contract)
    if not rules.can_manage_contract(actor, contract):
        raise PermissionDenied(_("Only the corporation of the home records the signing."))
    errors: dict[str, str] = {}
    if signed_on > _today():
        errors["signed_on"] = _("The signing date cannot be in the future.")
    elif signed_on < contract.prepared_at.date():
        errors["signed_on"] = _("The contract was drawn up on %(date)s: it was signed later.") % {
            "date": _date(contract.prepared_at.date())
        }
    if key_handover_on < signed_on:
        errors["key_handover_on"] = _("The keys are handed over on or after the signing.")
    if planned_move_in_on < signed_on:
        errors["planned_move_in_on"] = _("The move is on or after the signing.")
    if errors:
        raise ValidationError(errors)
    home = contract.home
    placement = distribution.placement_record(
        actor=actor,
        region=contract.region,
        municipality=home.municipality,
        corporation=home.corporation,
        placed_on=signed_on,
        neighbourhood=home.neighbourhood,
        complex_code=home.complex_code,
        reference=_("Contract %(case)s") % {"case": contract.client.case_number},
        client=contract.client,
        by_signing=True,
    )
    _move(
        contract,
        actor=actor,
        to=ContractState.SIGNED,
        action="contract.sign",
        signed_on=signed_on,
        key_handover_on=key_handover_on,
        planned_move_in_on=planned_move_in_on,
        placement=placement,
    )
    transition_case(
        contract.application, actor=actor, to=CaseState.CONTRACTED, action="case.contract"
    )
    # The warm handover before the move, when the contract's rules have one.
    schedule = contract_rules(contract).support
    for kind in schedule.meeting_kind:
        if kind.moment == "before_move":
            Meeting.objects.create(
                contract=contract,
                kind=kind.code,
                moment=kind.moment,
                due_on=max(
                    signed_on, planned_move_in_on - timedelta(days=schedule.handover_days_before)
                ),
            )
    _make_document(contract)
    for users in (_support_workers(contract), _coordinators(contract.region_id)):
        notify(
            users=users,
            kind="contract.plan_handover",
            params={"case": contract.client.case_number},
            about=contract,
            url=_url(contract),
        )
    return contract


@transaction.atomic
def contract_sign_undo(*, actor: User, contract: Contract, reason: str) -> Contract:
    """Take back a signing recorded by mistake (before the move): the placement is undone."""
    contract = _locked(contract)
    if not rules.can_manage_contract(actor, contract):
        raise PermissionDenied(_("Only the corporation of the home records the signing."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the signing is taken back.")})
    if contract.state != ContractState.SIGNED:
        raise ValidationError(_("Only a signing before the move can be taken back."))
    placement = contract.placement
    _move(
        contract,
        actor=actor,
        to=ContractState.PREPARED,
        action="contract.sign_undo",
        note=reason,
        signed_on=None,
        key_handover_on=None,
        planned_move_in_on=None,
        placement=None,
    )
    if placement is not None:
        distribution.placement_undo(
            actor=actor, placement=placement, reason=reason, by_signing=True
        )
    _cancel_open_meetings(contract, actor=actor)
    transition_case(
        contract.application,
        actor=actor,
        to=CaseState.MATCHING,
        action="case.contract_undo",
        note=reason,
    )
    _make_document(contract)
    return contract


@transaction.atomic
def contract_withdraw(*, actor: User, contract: Contract, reason: str) -> Contract:
    """The prepared contract will not be signed: the offer is cancelled, home and client free."""
    contract = _locked(contract)
    if not rules.can_manage_contract(actor, contract):
        raise PermissionDenied(_("Only the corporation of the home withdraws the contract."))
    if contract.state != ContractState.PREPARED:
        raise ValidationError(_("Only a contract that has not been signed can be withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contract is withdrawn.")})
    _move(
        contract,
        actor=actor,
        to=ContractState.TERMINATED,
        action="contract.withdraw",
        note=reason,
        ended_on=_today(),
    )
    matching.match_cancel(actor=actor, match=contract.match, note=reason)
    return contract


def _meeting_plan_for(contract: Contract, moved_in_on: date) -> list[Meeting]:
    """The schedule of the contract's rules: the kinds at the move-in, those at their months
    after it within the support period, and the final evaluation at its end."""
    meetings: list[Meeting] = []
    months_of = contract.support_months
    for kind in contract_rules(contract).support.meeting_kind:
        if kind.moment == "move_in":
            at = [0]
        elif kind.moment == "months_after_move_in":
            at = [m for m in sorted(set(kind.months)) if 0 < m < months_of]
        elif kind.moment == "end_of_support":
            at = [months_of]
        else:  # before the move (made at the signing) or only when planned
            at = []
        meetings.extend(
            Meeting(
                contract=contract,
                kind=kind.code,
                moment=kind.moment,
                months=m,
                due_on=add_months(moved_in_on, m),
            )
            for m in at
        )
    return sorted(meetings, key=lambda m: (m.due_on, m.months or 0))


def _handover_refusals(contract: Contract, moved_in_on: date) -> dict[str, str]:
    """The warm handover comes before the move (DOMAIN.md: soft landing): held, on or before
    the day of the move."""
    handovers = contract.meetings.filter(moment="before_move")
    held = handovers.filter(state=MeetingState.HELD).order_by("held_on").first()
    if held is None and not handovers.exists():
        return {}  # the contract's rules have no warm handover
    if held is None:
        return {"moved_in_on": _("The warm handover must be held before the tenant moves in.")}
    if held.held_on and held.held_on > moved_in_on:
        return {
            "moved_in_on": _(
                "The warm handover was held on %(date)s, after this move: the move comes after "
                "the handover."
            )
            % {"date": _date(held.held_on)}
        }
    return {}


@transaction.atomic
def contract_move_in(
    *, actor: User, contract: Contract, moved_in_on: date, override_reason: str = ""
) -> Contract:
    """The client lives in the home: support starts and the meetings are created. The warm
    handover must have been held first; in a crisis the service point may record the move
    without it (`override_reason`, audited and counted)."""
    contract = _locked(contract)
    if not rules.can_manage_contract(actor, contract):
        raise PermissionDenied(_("Only the corporation of the home records the move."))
    if contract.state != ContractState.SIGNED:
        raise ValidationError(_("The move follows the signing of the contract."))
    if moved_in_on > _today():
        raise ValidationError({"moved_in_on": _("Record the move once it has happened.")})
    if contract.signed_on and moved_in_on < contract.signed_on:
        raise ValidationError(
            {
                "moved_in_on": _("The move is on or after the signing (%(date)s).")
                % {"date": _date(contract.signed_on)}
            }
        )
    check_step_order(
        actor=actor,
        step="move_in",
        refusals=_handover_refusals(contract, moved_in_on),
        override_reason=override_reason,
        obj=contract,
        client=contract.client,
    )
    ends = add_months(moved_in_on, contract.support_months)
    _move(
        contract,
        actor=actor,
        to=ContractState.HOUSED,
        action="contract.move_in",
        moved_in_on=moved_in_on,
        support_ends_on=ends,
    )
    transition_case(contract.application, actor=actor, to=CaseState.HOUSED, action="case.move_in")
    Meeting.objects.bulk_create(_meeting_plan_for(contract, moved_in_on))
    notify(
        users=_support_workers(contract),
        kind="contract.plan_meetings",
        params={"case": contract.client.case_number},
        about=contract,
        url=_url(contract),
    )
    return contract


@transaction.atomic
def contract_assign(
    *,
    actor: User,
    contract: Contract,
    support_worker: User | None,
    welfare_organisation: Organisation | None,
    welfare_contact: str,
) -> Contract:
    """Name the support worker and the welfare or district-team contact (the soft landing)."""
    contract = _locked(contract)
    if not rules.can_support(actor, contract):
        raise PermissionDenied(_("Only the support provider names the people around the client."))
    errors: dict[str, str] = {}
    if (
        support_worker is not None
        and not audience.support_workers_of(contract.client.support_provider_id)
        .filter(pk=support_worker.pk)
        .exists()
    ):
        errors["support_worker"] = _("Choose a support worker of %(provider)s.") % {
            "provider": contract.client.support_provider.name
        }
    if welfare_organisation is not None and (
        welfare_organisation.region_id != contract.region_id
        or welfare_organisation.type != OrganisationType.WELFARE
    ):
        errors["welfare_organisation"] = _("Choose a welfare organisation of this region.")
    if welfare_contact.strip() and welfare_organisation is None:
        errors["welfare_organisation"] = _("Choose the organisation the contact works for.")
    if errors:
        raise ValidationError(errors)
    contract.support_worker = support_worker
    contract.welfare_organisation = welfare_organisation
    contract.welfare_contact = welfare_contact.strip()
    contract.save(update_fields=["support_worker", "welfare_organisation", "welfare_contact"])
    audit.record_change(
        actor=actor,
        action="contract.assign",
        obj=contract,
        client=contract.client,
        region_id=contract.region_id,
        changes={
            "support_worker": support_worker.pk if support_worker else None,
            "welfare_organisation": welfare_organisation.slug if welfare_organisation else None,
        },
    )
    if welfare_organisation is not None:
        notify(
            users=audience.welfare_workers_of(welfare_organisation.pk),
            kind="contract.soft_landing",
            params={"case": contract.client.case_number},
            about=contract,
            url=_url(contract),
        )
    return contract


def _final_kind(contract: Contract) -> str:
    """The code of the final evaluation: the one the contract had, else its rules' kind."""
    earlier = contract.meetings.filter(moment="end_of_support").order_by("-pk").first()
    if earlier is not None:
        return earlier.kind
    kinds = contract_rules(contract).support.meeting_kind
    return next(k.code for k in kinds if k.moment == "end_of_support")


def final_due_from(contract: Contract) -> date | None:
    """The first day the final outcome may be decided: the support's end minus the region's
    planning window (the final evaluation is then due)."""
    if contract.support_ends_on is None:
        return None
    window = support_rules(contract.region_id).plan_days_before
    return contract.support_ends_on - timedelta(days=window)


def _final_refusals(contract: Contract, today: date) -> dict[str, str]:
    refusals: dict[str, str] = {}
    due_from = final_due_from(contract)
    if due_from is not None and today < due_from:
        refusals["outcome"] = _(
            "The support runs until %(end)s: convert or end it from %(date)s, when the final "
            "evaluation is due."
        ) % {"end": _date(contract.support_ends_on), "date": _date(due_from)}
    finals = contract.meetings.filter(moment="end_of_support")
    if (
        finals.filter(state__in=OPEN_MEETING_STATES).exists()
        or not finals.filter(state=MeetingState.HELD).exists()
    ):
        refusals["__all__"] = _(
            "Record the final evaluation meeting first; then decide its outcome."
        )
    return refusals


@transaction.atomic
def contract_final_decide(
    *,
    actor: User,
    contract: Contract,
    outcome: str,
    note: str,
    new_end: date | None = None,
    today: date | None = None,
    override_reason: str = "",
) -> Contract:
    """The final evaluation: convert to a regular lease, extend the support, or end it.

    Converting or ending closes the support and cancels the meetings still open, so it comes
    at the end: not before the final evaluation is due (the support's end minus the region's
    planning window, `plan_days_before`) and after the final evaluation meeting is recorded.
    The service point may decide earlier with a reason (`override_reason`). Extending can be
    decided at any time: it only moves the end."""
    today = today or _today()
    contract = _locked(contract)
    if not rules.can_decide_final(actor, contract):
        raise PermissionDenied(
            _("The support worker or the corporation records the final evaluation.")
        )
    if contract.state != ContractState.HOUSED:
        raise ValidationError(_("The final evaluation is for a client living in the home."))
    if outcome not in FinalOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the final evaluation.")})
    if not note.strip():
        raise ValidationError({"note": _("Explain the outcome in a few words.")})
    form = contract_form_rule(contract)
    if outcome == FinalOutcome.CONVERT and form is not None and form.conversion == "none":
        raise ValidationError(
            {
                "outcome": _(
                    "The contract form “%(form)s” has no conversion: extend or end the support."
                )
                % {"form": contract.form_label}
            }
        )
    if outcome == FinalOutcome.EXTEND:
        current = contract.support_ends_on or today
        if new_end is None or new_end <= current:
            raise ValidationError(
                {"new_end": _("Choose a new end date after %(date)s.") % {"date": _date(current)}}
            )
        contract.support_ends_on = new_end
        contract.final_outcome = outcome
        contract.final_note = note.strip()
        contract.save(update_fields=["support_ends_on", "final_outcome", "final_note"])
        audit.record_change(
            actor=actor,
            action="contract.extend",
            obj=contract,
            client=contract.client,
            region_id=contract.region_id,
            changes={"support_ends_on": new_end.isoformat()},
            note=note,
        )
        # The next final evaluation is due at the new end.
        final = contract.meetings.filter(
            moment="end_of_support", state__in=OPEN_MEETING_STATES
        ).first()
        if final is not None:
            final.due_on = new_end
            final.reminded_at = final.escalated_at = None
            final.save(update_fields=["due_on", "reminded_at", "escalated_at"])
        else:
            Meeting.objects.create(
                contract=contract,
                kind=_final_kind(contract),
                moment="end_of_support",
                months=contract.support_months,
                due_on=new_end,
            )
        return contract
    check_step_order(
        actor=actor,
        step="final",
        refusals=_final_refusals(contract, today),
        override_reason=override_reason,
        obj=contract,
        client=contract.client,
    )
    to, case_to, action = (
        (ContractState.CONVERTED, CaseState.COMPLETED, "contract.convert")
        if outcome == FinalOutcome.CONVERT
        else (ContractState.ENDED, CaseState.ENDED, "contract.end")
    )
    ending: dict[str, object] = {}
    if outcome == FinalOutcome.CONVERT and form is not None and form.conversion == "fixed_term":
        # The form's rule: a lease for a fixed number of years from the conversion.
        ending["lease_ends_on"] = add_months(today, 12 * form.lease_years_after_conversion)
    _move(
        contract,
        actor=actor,
        to=to,
        action=action,
        note=note,
        final_outcome=outcome,
        final_note=note.strip(),
        ended_on=today,
        **ending,
    )
    _cancel_open_meetings(contract, actor=actor)
    transition_case(contract.application, actor=actor, to=case_to, action=f"case.{outcome}")
    send_notice(
        users=_coordinators(contract.region_id),
        kind="contract.final_outcome",
        params={"case": contract.client.case_number, "outcome": outcome},
        url=_url(contract),
    )
    return contract
