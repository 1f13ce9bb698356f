"""The region's wording of the codes the support stage stores (contract forms, meeting kinds,
signal kinds, severities, outcomes), and which rules a contract or signal is read under.

A contract keeps the rules version it was made under (`Contract.rule_version`): its form,
agreement, support length, meeting schedule and conversion come from those. A signal is worded
with the region's rules of today, or, for a code they no longer know, with the rules in force
when it was reported. The rules are read once per object (kept on the instance for the request
that loaded it); `attach_contract_rules` / `attach_signal_rules` read them once for a whole list.
"""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from instroom.regions.rules import Rules
from instroom.regions.selectors import EffectiveRules, rules_for, rules_version

if TYPE_CHECKING:
    from .models import Contract, Meeting, Signal

_KEY = "_support_rules"


def contract_effective(contract: "Contract") -> EffectiveRules:
    """The rules the contract was made under (the template for a contract without version)."""
    found = contract.__dict__.get(_KEY)
    if found is None:
        found = contract.__dict__[_KEY] = rules_version(contract.rule_version_id)
    return found  # type: ignore[no-any-return]


def contract_rules(contract: "Contract") -> Rules:
    return contract_effective(contract).rules


def attach_contract_rules(contracts: Iterable["Contract"]) -> None:
    """Read each rules version once for a list of contracts (a page costs the same queries for
    ten rows as for ten thousand of one version)."""
    contracts = list(contracts)
    versions = {c.rule_version_id: None for c in contracts}
    found = {v: rules_version(v) for v in versions}
    for c in contracts:
        c.__dict__[_KEY] = found[c.rule_version_id]


def form_label(contract: "Contract") -> str:
    return contract_rules(contract).label("contract_form", contract.form)


def meeting_title(meeting: "Meeting") -> str:
    name = contract_rules(meeting.contract).label("meeting_kind", meeting.kind)
    if meeting.moment == "months_after_move_in" and meeting.months:
        return _("%(kind)s at %(months)d months") % {"kind": name, "months": meeting.months}
    return name


def names(make: Any) -> dict[str, str]:
    """A wording in both languages, for a task stored now and read later in either."""
    result = {}
    for language in ("nl", "en"):
        with override(language):
            result[language] = str(make())
    return result


def pick(params: Mapping[str, Any], key: str, fallback: str) -> str:
    """The stored wording (see `names`) in the reader's language, or the fallback."""
    from django.utils.translation import get_language

    found = params.get(key)
    if isinstance(found, Mapping):
        language = "en" if (get_language() or "nl").startswith("en") else "nl"
        return str(found.get(language) or fallback)
    return fallback


def _signal_rules(signal: "Signal") -> Rules:
    found = signal.__dict__.get(_KEY)
    if found is None:
        found = signal.__dict__[_KEY] = rules_for(signal.contract.region_id).rules
    return found  # type: ignore[no-any-return]


def attach_signal_rules(signals: Iterable["Signal"]) -> None:
    signals = list(signals)
    by_region = {s.contract.region_id: None for s in signals}
    found = {r: rules_for(r).rules for r in by_region}
    for s in signals:
        s.__dict__[_KEY] = found[s.contract.region_id]


def signal_label(signal: "Signal", name: str, code: str) -> str:
    term = _signal_rules(signal).term(name, code)
    if term is None:  # a code today's rules no longer know: the wording of its day
        on = timezone.localdate(signal.reported_at)
        term = rules_for(signal.contract.region_id, on=on).rules.term(name, code)
    return term.label if term is not None else code
