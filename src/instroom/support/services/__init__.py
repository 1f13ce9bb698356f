"""Writes of the support stage, one module per area; import them from here
(`from instroom.support import services; services.contract_sign(...)`).

Each function checks the policy, validates the step against the state tables, changes the data
and writes the audit record in one transaction (the case's state moves with it).

- `contracts.py`    the contract: drawn up, signed, the move, the people around the client, the
                    final evaluation
- `orientation.py`  the soft landing: orientation activities
- `meetings.py`     support meetings and their checklist
- `signals.py`      signals and the case table
- `timeouts.py`     time-out and the register of time-out places
- `calendar.py`     the secret address of the calendar feed
- `daily.py`        the daily job: reminders and escalations
- `retention.py`    what goes when a client's file is anonymised
- `common.py`       the support section of the region's rules and the helpers the areas share
"""

from .calendar import calendar_feed_create, calendar_feed_revoke, calendar_feed_user
from .common import support_rules
from .contracts import (
    agreement_text,
    contract_assign,
    contract_final_decide,
    contract_form_rule,
    contract_move_in,
    contract_prepare,
    contract_sign,
    contract_sign_undo,
    contract_terms,
    contract_withdraw,
    conversion_text,
    document_context,
    document_values,
    final_due_from,
)
from .daily import support_follow_up
from .meetings import (
    checklist_for,
    earliest_held_on,
    meeting_attention,
    meeting_plan,
    meeting_record,
    order_refusals,
)
from .orientation import orientation_add, orientation_remove
from .retention import anonymise_client
from .signals import (
    case_table_close,
    case_table_decide,
    case_table_session_create,
    signal_close,
    signal_escalate,
    signal_plan,
    signal_report,
)
from .timeouts import (
    first_full_day,
    occupancy_on,
    occupied_until,
    timeout_end,
    timeout_place_create,
    timeout_place_update,
    timeout_start,
)

__all__ = [
    "agreement_text",
    "anonymise_client",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "calendar_feed_user",
    "case_table_close",
    "case_table_decide",
    "case_table_session_create",
    "checklist_for",
    "contract_assign",
    "contract_final_decide",
    "contract_form_rule",
    "contract_move_in",
    "contract_prepare",
    "contract_sign",
    "contract_sign_undo",
    "contract_terms",
    "contract_withdraw",
    "conversion_text",
    "document_context",
    "document_values",
    "earliest_held_on",
    "final_due_from",
    "first_full_day",
    "meeting_attention",
    "meeting_plan",
    "meeting_record",
    "occupancy_on",
    "occupied_until",
    "order_refusals",
    "orientation_add",
    "orientation_remove",
    "signal_close",
    "signal_escalate",
    "signal_plan",
    "signal_report",
    "support_follow_up",
    "support_rules",
    "timeout_end",
    "timeout_place_create",
    "timeout_place_update",
    "timeout_start",
]
