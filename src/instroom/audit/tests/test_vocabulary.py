"""One audit vocabulary: every recorded action is declared once with a label in both languages,
and the client's timeline reads as sentences, each event once."""

import ast
import itertools
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from instroom.accounts.constants import Role
from instroom.audit import actions
from instroom.audit import services as audit
from instroom.audit.models import AuditEvent
from instroom.support import services as support
from instroom.support.tests.factories import housed_contract

SRC = Path(__file__).resolve().parents[2]
# Calls whose `action=` is an audit action (argparse's add_argument(action=...) is not).
NOT_AUDIT = {"add_argument"}
# Labels that read the same in Dutch and English.
SAME_IN_BOTH: set[str] = set()


def _literal_actions() -> list[tuple[str, int, str]]:
    """Every `action="..."` (or f-string pattern) passed in a call in the source tree."""
    found = []
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in NOT_AUDIT:
                continue
            for kw in node.keywords:
                if kw.arg != "action":
                    continue
                if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    found.append((str(path.relative_to(SRC)), node.lineno, kw.value.value))
                elif isinstance(kw.value, ast.JoinedStr):
                    pattern = "".join(
                        re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+"
                        for v in kw.value.values
                    )
                    found.append((str(path.relative_to(SRC)), node.lineno, f"re:{pattern}"))
            # Helpers that pass the action positionally (accounts.admin._log).
            if name == "_log" and len(node.args) > 1:
                arg = node.args[1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((str(path.relative_to(SRC)), node.lineno, arg.value))
    return found


def test_every_action_in_the_source_is_declared() -> None:
    declared = actions.all_actions()
    found = _literal_actions()
    assert len(found) > 60  # the scan sees the services
    missing = []
    for where, line, code in found:
        if code.startswith("re:"):
            if not any(re.fullmatch(code[3:], known) for known in declared):
                missing.append(f"{where}:{line} {code}")
        elif code not in declared:
            missing.append(f"{where}:{line} {code}")
    assert not missing, "undeclared audit actions: " + ", ".join(missing)


def test_every_declared_action_has_a_label_in_english_and_dutch() -> None:
    problems = []
    for code, action in actions.all_actions().items():
        with override("en"):
            english = str(action.label)
        with override("nl"):
            dutch = str(action.label)
        if not english.strip() or english == code:
            problems.append(f"{code}: no label")
        elif dutch == english and english not in SAME_IN_BOTH:
            problems.append(f"{code}: no Dutch translation of {english!r}")
    assert not problems, problems


@pytest.mark.django_db
def test_an_undeclared_action_is_refused(cast) -> None:
    with pytest.raises(ValueError, match="not declared"):
        audit.record_change(actor=cast.coordinator, action="client.teleport", obj=cast.coordinator)
    with pytest.raises(ValueError, match="not declared"):
        audit.record_access(actor=cast.coordinator, clients=[], action="client.peek", purpose="x")
    assert not AuditEvent.objects.filter(action="client.teleport").exists()


RAW_CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")


def _timeline_text(page: str) -> list[str]:
    block = page.split('<ol class="instroom-timeline">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", block, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def _whole_journey(cast):
    """Intake, table, offer, contract, move, meeting, signal, time-out, conversion."""
    contract = housed_contract(cast, on=timezone.localdate())
    today = timezone.localdate()
    intro = contract.meetings.get(kind="introduction")
    questions = support.checklist_for(intro)
    support.meeting_plan(
        actor=cast.support_worker, meeting=intro, planned_at=timezone.now() - timedelta(hours=2)
    )
    support.meeting_record(
        actor=cast.support_worker,
        meeting=intro,
        held_on=today,
        notes="Goed gesprek",
        answers={q.position: ("good", "") for q in questions},
    )
    signal = support.signal_report(
        actor=cast.corporation_user,
        contract=contract,
        kind="nuisance",
        severity="low",
        description="Geluid in de nacht.",
    )
    support.signal_plan(actor=cast.support_worker, signal=signal, action_plan="Gesprek")
    timeout = support.timeout_start(
        actor=cast.support_worker,
        contract=contract,
        starts_on=today,
        ends_on=today + timedelta(days=10),
        stay="Time-outvoorziening",
        return_plan="Terug na gesprekken",
    )
    support.timeout_end(actor=cast.support_worker, timeout=timeout, ended_on=today, returned=True)
    support.signal_close(actor=cast.support_worker, signal=signal, outcome="resolved", note="Rust")
    # Converting on the day of the move is out of order: the service point's override, with why.
    support.contract_final_decide(
        actor=cast.coordinator,
        contract=contract,
        outcome="convert",
        note="Gaat goed",
        override_reason="Huurder woont er al jaren; de regeling wordt achteraf vastgelegd.",
    )
    return contract


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "signed", "moved"),
    [("nl", "Contract getekend", "Verhuisd"), ("en", "Contract signed", "Moved in")],
)
def test_the_timeline_of_a_whole_journey_reads_as_sentences(
    client, cast, language, signed, moved
) -> None:
    contract = _whole_journey(cast)
    client.force_login(cast.coordinator)
    page = client.get(
        reverse("applications:client", args=[contract.client_id]),
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    entries = _timeline_text(page)
    assert len(entries) > 15  # every stage is there
    whats = [e.split(" — ")[0] for e in entries]
    for entry in entries:
        assert not RAW_CODE.search(entry.split(" — ")[0]), entry
        assert not any(role in entry for role in Role.values), entry
    # Each event once: the contract's signing and move are not told again by the case.
    assert whats.count(signed) == 1 and whats.count(moved) == 1
    assert all(a != b for a, b in itertools.pairwise(entries)), entries
    with override(language):
        assert str(Role.SUPPORT_WORKER.label) in page
