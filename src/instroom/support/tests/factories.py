"""Contracts made through the real services: approved → proposed → accepted → contract."""

from datetime import date
from typing import Any

from instroom.homes.tests.factories import make_home
from instroom.matching import services as matching
from instroom.matching.models import Match
from instroom.matching.tests.factories import make_approved
from instroom.support import services
from instroom.support.models import Contract


def accepted_match(cast: Any, **overrides: Any) -> Match:
    """A match the client accepted; the client is supported by care provider B (whose support
    worker is in the cast)."""
    overrides.setdefault("support_provider", cast.care_b)
    application = make_approved(cast, **overrides)
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    match = matching.match_propose(actor=cast.corporation_user, home=home, application=application)
    matching.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    matching.match_client_decide(actor=cast.care_worker_a, match=match, accept=True)
    return match


def housed_contract(cast: Any, *, on: date, **overrides: Any) -> Contract:
    """Signed and moved in on `on` (which must not be in the future)."""
    match = accepted_match(cast, **overrides)
    contract = services.contract_prepare(actor=cast.corporation_user, match=match)
    services.contract_sign(
        actor=cast.corporation_user,
        contract=contract,
        signed_on=on,
        key_handover_on=on,
        planned_move_in_on=on,
    )
    return services.contract_move_in(actor=cast.corporation_user, contract=contract, moved_in_on=on)
