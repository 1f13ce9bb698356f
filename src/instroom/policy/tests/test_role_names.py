"""No role name outside `policy/`: code asks the policy a named question (`rules.may_...`,
`rules.can_...`), filters by `rules.scope_for(user)`, or addresses `policy.audience.<who>_of(...)`.

A new `Role.X`, a role code in a string, a direct read of the actor's roles or a template that
tests `actor.roles` fails here. The files allowed to name roles, and why, are listed below."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # src/instroom

# Where naming a role is not a decision.
ALLOWED = {
    "policy/",  # the one place that decides
    "accounts/constants.py",  # the Role vocabulary itself and the organisation types per role
    "accounts/models.py",  # the membership's role field
    "accounts/selectors.py",  # `users_with_role`, the query behind `policy.audience`
    "demo/",  # demo data builders give each demo user a role
    "conftest.py",  # the test personas
}
ROLE_CODES = (
    "coordinator",
    "administrator",
    "applicant_worker",
    "support_worker",
    "corporation_staff",
    "table_member",
    "welfare",
    "municipality",
    "police",
)
FORBIDDEN = [
    (re.compile(r"\bRole\."), "Role.X"),
    (
        re.compile(r"\bactor_context\("),
        "reads the actor's roles (ask rules.scope_for or a question)",
    ),
    (re.compile(r"memberships__role"), "filters users by role (use policy.audience)"),
    (re.compile(r"\busers_with_role\("), "addresses users by role (use policy.audience)"),
    # A role code passed to a role test (`.has("police")`, `.regions("coordinator")`, ...).
    (
        re.compile(r"\.(has|regions|organisations)\(\s*[\"'](" + "|".join(ROLE_CODES) + r")[\"']"),
        "a role code in a role test",
    ),
    # The unambiguous codes as a string anywhere ("welfare", "municipality" and "police" are
    # also organisation types, "support_worker" a contract's field).
    (
        re.compile(
            r"(?<!sections\[)[\"'](coordinator|administrator|applicant_worker"
            r"|corporation_staff|table_member)[\"']"
        ),
        "a role code as a string",
    ),
]
# `{% if "coordinator" in actor.roles %}`: the menu comes from `rules.menu_for` instead.
TEMPLATE_FORBIDDEN = re.compile(
    r"[\"'](" + "|".join(ROLE_CODES) + r")[\"']\s+in\b|\bactor\.roles\b"
)


def _allowed(relative: str) -> bool:
    return (
        "/tests/" in f"/{relative}"
        or "/migrations/" in f"/{relative}"
        or any(relative == a or (a.endswith("/") and relative.startswith(a)) for a in ALLOWED)
    )


def _offences(path: Path, patterns: list[tuple[re.Pattern[str], str]]) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for pattern, what in patterns:
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    return found


def test_no_role_name_outside_policy() -> None:
    offences = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if not _allowed(relative):
            offences += _offences(path, FORBIDDEN)
    assert offences == [], "Ask the policy a named question instead:\n" + "\n".join(offences)


def test_templates_do_not_test_roles() -> None:
    offences = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        offences += _offences(path, [(TEMPLATE_FORBIDDEN, "tests roles (use `menu` or a flag)")])
    assert offences == [], "\n".join(offences)


def test_the_guard_catches_a_role_name(tmp_path: Path) -> None:
    """The patterns find what they are meant to find (a test that cannot fail is a defect)."""
    sample = tmp_path / "views.py"
    sample.write_text(
        "if ctx.has(Role.COORDINATOR): pass\n"
        'regions = rules.actor_context(user).regions("coordinator")\n'
        'qs = User.objects.filter(memberships__role="applicant_worker")\n'
        'sections["coordinator"] = {}\n',
        encoding="utf-8",
    )
    found = [
        what
        for number, line in enumerate(sample.read_text().splitlines(), 1)
        for pattern, what in FORBIDDEN
        if pattern.search(line)
    ]
    assert "Role.X" in found
    assert "a role code in a role test" in found
    assert "filters users by role (use policy.audience)" in found
    assert len([w for w in found if w == "a role code as a string"]) == 2  # not the section key
