"""The stepper on the client page: every state of a case has its place in the journey, the steps
before it are done, and the page says what comes next."""

import pytest

from instroom.applications.constants import CaseState
from instroom.applications.journey import STEPS, journey

KEYS = [key for key, _label in STEPS]


def _statuses(state: str) -> dict[str, str]:
    return {step.key: step.status for step in journey(state).steps}


def test_every_state_has_a_place_and_a_next_step() -> None:
    for state in CaseState.values:
        result = journey(state)
        assert [s.key for s in result.steps] == KEYS
        assert str(result.next).strip(), state
        assert sum(s.status == "current" for s in result.steps) == (result.current is not None)


@pytest.mark.parametrize(
    ("state", "step"),
    [
        ("draft", "application"),
        ("submitted", "application"),
        ("returned", "application"),
        ("complete", "complete"),
        ("scheduled", "assessment"),
        ("deferred", "assessment"),
        ("approved", "matchable"),
        ("parked", "matchable"),
        ("matching", "offer"),
        ("contracted", "contract"),
        ("housed", "support"),
        ("completed", "closed"),
        ("ended", "closed"),
        ("terminated", "closed"),
    ],
)
def test_the_current_step_follows_the_state(state: str, step: str) -> None:
    statuses = _statuses(state)
    assert statuses[step] == "current"
    position = KEYS.index(step)
    assert all(statuses[k] == "done" for k in KEYS[:position])
    assert all(statuses[k] == "todo" for k in KEYS[position + 1 :])


def test_a_case_that_left_the_journey_is_shown_as_closed() -> None:
    rejected = journey("rejected")
    assert rejected.ended and rejected.current == "assessment"
    assert _statuses("rejected")["matchable"] == "todo"
    withdrawn = journey("withdrawn")
    assert withdrawn.ended and withdrawn.current is None
    assert set(_statuses("withdrawn").values()) == {"todo"}
    assert not journey("housed").ended and journey("completed").ended


def test_the_badge_warns_when_someone_must_act_and_greys_when_closed() -> None:
    assert journey("returned").tone == "warning"
    assert journey("housed").tone == "success"
    assert journey("withdrawn").tone == "neutral"
    assert journey("submitted").tone == "active"
