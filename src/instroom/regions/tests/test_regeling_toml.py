"""A whole regeling as one TOML file: exported, imported (all or nothing, every error with its
line) and exported again to the same bytes."""

import re
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instroom.regions import fixture_builder
from instroom.regions.models import Municipality, Organisation, Region, RuleVersion
from instroom.regions.regeling_toml import RegelingError, export_region, import_region, line_index
from instroom.regions.selectors import rules_for

REFERENCE = ("zk-ijmond", "lindewaard")


def _exported(slug: str) -> str:
    call_command("loaddata", slug, verbosity=0)
    return export_region(Region.objects.get(slug=slug))


def _exported_and_gone(slug: str) -> str:
    """The export of a reference region, the database left without it (an empty database)."""
    with transaction.atomic():
        text = _exported(slug)
        transaction.set_rollback(True)
    assert not Region.objects.filter(slug=slug).exists()
    return text


def _line(text: str, needle: str, *, after: str = "") -> int:
    """The number of the first line containing `needle` (after the first one with `after`)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def _replace_line(text: str, line: int, new: str) -> str:
    lines = text.splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


def _problems(text: str, **kwargs: object) -> list[tuple[int | None, str]]:
    with pytest.raises(RegelingError) as caught:
        import_region(text, **kwargs)  # type: ignore[arg-type]
    return [(p.line, p.message) for p in caught.value.problems]


# Round trip --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("slug", REFERENCE)
def test_export_import_export_into_an_empty_database_gives_the_same_bytes(slug: str) -> None:
    text = _exported_and_gone(slug)
    report = import_region(text)
    assert report.region is not None and report.region.slug == slug
    assert export_region(Region.objects.get(slug=slug)) == text


@pytest.mark.django_db
@pytest.mark.parametrize("slug", REFERENCE)
def test_a_region_starts_from_another_ones_regeling(slug: str) -> None:
    text = _exported(slug)
    source = Region.objects.get(slug=slug)
    report = import_region(text, as_slug="nieuwe-regio", name="Nieuwe regio (fictief)")
    copy = report.region
    assert copy is not None and copy.pk != source.pk
    expected = text.replace(f'slug = "{slug}"', 'slug = "nieuwe-regio"', 1).replace(
        f'name = "{source.name}"', 'name = "Nieuwe regio (fictief)"', 1
    )
    assert export_region(copy) == expected
    # The copy has its own rows and the same rules; the source is untouched.
    assert copy.municipalities.count() == source.municipalities.count()
    assert rules_for(copy.pk).rules == rules_for(source.pk).rules
    assert export_region(source) == text


@pytest.mark.django_db
def test_the_export_holds_everything_regional_and_no_users() -> None:
    text = _exported("lindewaard")
    data = tomllib.loads(text)
    assert data["region"]["slug"] == "lindewaard" and "admitted_sources" not in data["region"]
    assert {m["cbs_code"] for m in data["municipality"]} == {"GM9901", "GM9902", "GM9903"}
    assert len(data["figure"]) == 12 and all("source" in f for f in data["figure"])
    assert {"cbs_code", "name", "level", "source"} <= set().union(*data["neighbourhood"])
    corporation = next(o for o in data["organisation"] if o["slug"] == "oostwonen")
    assert corporation["municipalities"] == ["GM9901", "GM9903"]
    municipality_org = next(o for o in data["organisation"] if o.get("represents") == "GM9902")
    assert municipality_org["type"] == "municipality"
    assert [t["slug"] for t in data["assessment_table"]] == ["tafel-lindewaard", "tafel-oosterveen"]
    assert [q["year"] for q in data["quota_year"]] == [2024, 2025, 2026, 2027, 2028]
    weights = [w for w in data["quota_weight"] if w["quota_year"] == 2024]
    assert {w["kind"]: w["weight"] for w in weights} == {  # decimals exact, as text
        "households": "0.700",
        "social_stock": "0.300",
    }
    assert {k["slug"] for k in data["figure_kind"]} >= {"households", "social_stock"}
    assert {a["household_type"] for a in data["affordability_limit"]} >= {"one_person"}
    assert len(data["corporation_stock"]) == 4
    (version,) = data["rules_version"]
    assert version["number"] == 1 and str(version["valid_from"]) == "2024-01-01"
    assert version["rules"]["route"]["assessed_by"] == "service_point"
    assert "created_by" not in version and "user" not in text.lower()


@pytest.mark.django_db
def test_every_rules_version_travels_in_full() -> None:
    text = _exported_and_gone("lindewaard")
    region = import_region(text).region
    assert region is not None
    first = RuleVersion.objects.get(region=region)
    changed = dict(first.rules, route={"assessed_by": "table", "extra_participants_from": ""})
    RuleVersion.objects.create(
        region=region, number=2, valid_from="2026-01-01", rules=changed, note="Tafel erbij"
    )
    second = export_region(region)
    assert second.count("[[rules_version]]") == 2
    copy = import_region(second, as_slug="kopie", name="Kopie").region
    assert copy is not None
    assert rules_for(copy.pk, on=None).version_label == rules_for(region.pk).version_label
    assert [v.note for v in copy.rule_versions.order_by("number")] == [first.note, "Tafel erbij"]
    assert (
        export_region(copy)
        .replace('"kopie"', '"lindewaard"')
        .replace('name = "Kopie"', f'name = "{region.name}"')
        == second
    )


# The command -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_then_check_on_the_command_line(tmp_path: Path) -> None:
    call_command("loaddata", "zk-ijmond", verbosity=0)
    out = StringIO()
    call_command("region", "export", "zk-ijmond", stdout=out)
    file = tmp_path / "x.toml"
    file.write_text(out.getvalue(), encoding="utf-8")
    regions_before = Region.objects.count()

    checked = StringIO()
    call_command("region", "import", "--check", str(file), stdout=checked)
    assert "--check" in checked.getvalue() and "--as" in checked.getvalue()
    assert Region.objects.count() == regions_before  # nothing written

    with pytest.raises(CommandError, match="1"):
        call_command("region", "import", str(file), stdout=StringIO(), stderr=StringIO())
    errors = StringIO()
    with pytest.raises(CommandError):
        call_command("region", "import", str(file), stdout=StringIO(), stderr=errors)
    assert "--as NEW_SLUG --name NAME" in errors.getvalue()
    assert f"{file}: regel 6" in errors.getvalue()  # Dutch by default, with the line

    done = StringIO()
    call_command("region", "import", "--as", "kopie", "--name", "Kopie", str(file), stdout=done)
    assert "kopie" in done.getvalue()
    assert Region.objects.get(slug="kopie").municipalities.count() == 7


@pytest.mark.django_db
def test_command_refuses_half_an_override_and_an_unknown_region(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--name"):
        call_command("region", "import", "--as", "x", str(tmp_path / "x.toml"))
    with pytest.raises(CommandError, match="nergens"):
        call_command("region", "export", "nergens")


# Every error, with its line ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_broken_value_in_each_section_is_reported_at_its_line() -> None:
    text = _exported_and_gone("lindewaard")
    breaks = [  # (needle, after, new line, words of the message)
        ('three_party_target = "0.600"', "", 'three_party_target = "1.5"', "1"),
        ('cbs_code = "GM9902"', "[[municipality]]", 'cbs_code = "XX9902"', "GM"),
        ('kind = "households"', "[[figure]]", 'kind = "inwoners"', "inwoners"),
        ('municipality = "GM9903"', "[[neighbourhood]]", 'municipality = "GM0000"', "GM0000"),
        ('type = "care_provider"', "[[organisation]]", 'type = "zorg"', "zorg"),
        ('municipalities = ["GM9903"]', "[[assessment_table]]", "municipalities = 3", "lijst"),
        ("total_homes = 25", "[[quota_year]]", "total_homes = -1", "0"),
        ('income_limit_eur = "28000.00"', "", "income_limit_eur = 28000.5", "0.850"),
        (
            "homes = 5200",
            "[[corporation_stock]]",
            'homes = "veel"',
            "geheel getal (zonder aanhalingstekens)",
        ),
        ("client_response_days = 7", "", "client_response_days = -1", ""),
    ]
    broken = text
    expected = []
    for needle, after, new, words in breaks:
        line = _line(text, needle, after=after)
        broken = _replace_line(broken, line, new)
        expected.append((line, words))
    problems = _problems(broken)
    for line, words in expected:
        assert any(at == line and words in message for at, message in problems), (line, problems)
    assert {at for at, _ in problems} >= {line for line, _ in expected}
    assert not Region.objects.filter(slug="lindewaard").exists()  # all or nothing
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_references_duplicates_and_rules_are_checked_across_the_file() -> None:
    text = _exported_and_gone("lindewaard")
    stock = _line(text, 'corporation = "woonstichting-de-linde"')
    text = _replace_line(text, stock, 'corporation = "politie-lindewaard"')  # no corporation
    # oostwonen comes first (rows are in slug order): the later servicepunt is the duplicate
    duplicate = _line(text, 'slug = "servicepunt"') - 1
    text = _replace_line(text, _line(text, 'slug = "oostwonen"'), 'slug = "servicepunt"')
    reason = _line(text, 'consequence = "back_to_table"')
    text = _replace_line(text, reason, 'consequence = "verbannen"')
    estimate = _line(text, "is_estimate = false", after="[[figure]]")
    text = _replace_line(text, estimate, "is_estimate = true")  # an estimate without its method
    unknown = _line(text, "start_year = 2024")
    text = _replace_line(text, unknown, "start_year = 2024\nkleur = 'groen'")
    with translation.override("en"):
        problems = _problems(text)
    lines = {line for line, _ in problems}
    assert stock + 1 in lines and reason + 1 in lines and unknown + 1 in lines
    assert any(line == duplicate + 2 and "already exists" in m for line, m in problems)
    assert any("kleur" in m and line == unknown + 1 for line, m in problems)
    assert any("verbannen" in m for _, m in problems)
    assert (estimate + 2, "An estimate needs its method: say how the figure was estimated.") in (
        problems
    )


@pytest.mark.django_db
def test_the_file_may_be_written_by_hand_in_other_toml_styles() -> None:
    text = """format = 1
region = { slug = "hand", name = "Met de hand", start_year = 2025 }
municipality = [
    { cbs_code = "GM9901", name = "Een" },
    { cbs_code = "GM99X2", name = "Twee" },
]

[[rules_version]]
number = 1
valid_from = "2025-01-01"
rules.route.assessed_by = "table"
rules.dossier_weight = [
  { code = "light", nl = "Licht", en = "Light" },
  { code = "Zwaar!", nl = "Zwaar", en = "Heavy" },
]
"""
    problems = _problems(text)
    assert [line for line, _ in problems] == [5, 14], problems
    fixed = text.replace("GM99X2", "GM9902").replace("Zwaar!", "heavy")
    region = import_region(fixed).region
    assert region is not None and region.municipalities.count() == 2
    assert rules_for(region.pk).rules.choices("dossier_weight")[1][0] == "heavy"


@pytest.mark.django_db
def test_invalid_toml_names_its_line_in_the_readers_language() -> None:
    text = "format = 1\n\n[region]\nslug = zonder-aanhalingstekens\n"
    with translation.override("en"):
        with pytest.raises(RegelingError) as caught:
            import_region(text)
        (problem,) = caught.value.problems
        assert problem.line == 4 and str(problem).startswith("line 4, the file: this is not")
    with translation.override("nl"):
        with pytest.raises(RegelingError) as caught:
            import_region(text)
        assert str(caught.value.problems[0]).startswith("regel 4, het bestand: dit is geen")


def test_lines_are_found_in_the_reference_files_as_written() -> None:
    text = (fixture_builder.REFERENCE_DIR / "zk-ijmond.toml").read_text(encoding="utf-8")
    index = line_index(text)
    assert index[("region", "slug")] == _line(text, 'slug = "zk-ijmond"')
    assert index[("organisation", 1)] == _line(
        text, "[[organisation]]", after='slug = "servicepunt"'
    )
    assert index[("estimates", "social_share", "GM0453")] == _line(text, "GM0453 =")
    lindewaard = (fixture_builder.REFERENCE_DIR / "lindewaard.toml").read_text(encoding="utf-8")
    index = line_index(lindewaard)
    assert index[("organisation", 2, "slug")] == _line(lindewaard, 'slug = "oostwonen"')
    assert index[("rules", "matching", "refusal_reason", 3, "parking_months")] == _line(
        lindewaard, "parking_months = 3"
    )


# Any single broken value is found at its line -----------------------------------------------------


@pytest.fixture(scope="module")
def lindewaard_export(django_db_setup: None, django_db_blocker: object) -> str:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return _exported_and_gone("lindewaard")


def _key_lines(text: str) -> list[int]:
    return [
        n
        for n, line in enumerate(text.splitlines(), start=1)
        if re.match(r"^[a-z_]+ = ", line) and not line.startswith("format")
    ]


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_value_of_the_wrong_type_is_reported_at_its_line(
    lindewaard_export: str, data: st.DataObject
) -> None:
    text = lindewaard_export
    line = data.draw(st.sampled_from(_key_lines(text)))
    key, value = text.splitlines()[line - 1].split(" = ", 1)
    wrong = "true" if value.startswith('"') else '"zz"'
    problems = _problems(_replace_line(text, line, f"{key} = {wrong}"), check_only=True)
    assert line in {at for at, _ in problems}, (line, key, problems)
    assert not Organisation.objects.filter(region__slug="lindewaard").exists()
