"""The support pages, one module per area (the URLs are in `support/urls.py`); every form post
goes through `common._post`.

- `contracts.py`    the contract list and page, drawing up, signing, the move, the people
                    around the client, the final evaluation, the PDF
- `orientation.py`  orientation activities (the soft landing)
- `meetings.py`     support meetings
- `signals.py`      signals and the case table
- `timeouts.py`     time-out
- `calendar.py`     the calendar page and the iCalendar feed
"""

from .calendar import calendar_feed, calendar_page
from .contracts import (
    assign,
    contract,
    contract_detail,
    contracts,
    document,
    final,
    move_in,
    prepare,
    sign,
    sign_undo,
    withdraw,
)
from .meetings import meeting, meeting_detail, meeting_plan, meeting_record, meetings
from .orientation import orientation_add, orientation_remove
from .signals import (
    case_table,
    case_table_decide,
    case_table_pdf,
    case_table_session,
    signal,
    signal_close,
    signal_detail,
    signal_escalate,
    signal_plan,
    signal_report,
)
from .timeouts import (
    timeout_end,
    timeout_place_add,
    timeout_place_edit,
    timeout_places,
    timeout_start,
)

__all__ = [
    "assign",
    "calendar_feed",
    "calendar_page",
    "case_table",
    "case_table_decide",
    "case_table_pdf",
    "case_table_session",
    "contract",
    "contract_detail",
    "contracts",
    "document",
    "final",
    "meeting",
    "meeting_detail",
    "meeting_plan",
    "meeting_record",
    "meetings",
    "move_in",
    "orientation_add",
    "orientation_remove",
    "prepare",
    "sign",
    "sign_undo",
    "signal",
    "signal_close",
    "signal_detail",
    "signal_escalate",
    "signal_plan",
    "signal_report",
    "timeout_end",
    "timeout_place_add",
    "timeout_place_edit",
    "timeout_places",
    "timeout_start",
    "withdraw",
]
