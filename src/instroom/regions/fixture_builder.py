"""Build a region's Django fixture from its curated TOML file and, where it names them, the CSV
files of public reference figures beside it. Pure: reads files, returns data; no database."""

import csv
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.utils.text import slugify

WELL_KNOWN = ("population", "housing_stock", "households", "social_stock")
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures"

AFFORDABILITY_HOUSEHOLDS = {
    "one-person": "one_person",
    "multi-person (2)": "two_persons",
    "multi-person (3+)": "three_plus",
    "one-person pension age": "one_person_pension",
    "multi-person pension age (2)": "two_persons_pension",
    "multi-person pension age (3+)": "three_plus_pension",
}


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _district_names(
    reference_dir: Path, ref: dict[str, Any], known_codes: set[str]
) -> dict[str, str]:
    """District names by CBS code from the optional `district_names_csv` (cbs_wijk_code, name,
    source). A name there wins over an optional `name` column of the districts CSV itself."""
    if "district_names_csv" not in ref:
        return {}
    names: dict[str, str] = {}
    for row in _read_csv(reference_dir / ref["district_names_csv"]):
        code = row["cbs_wijk_code"]
        if code not in known_codes:
            raise ValueError(
                f"{ref['district_names_csv']}: {code} is not in {ref['districts_csv']}"
            )
        names[code] = row["name"].strip()
    return names


def _figure(
    region: str,
    code: str,
    kind: str,
    value: int,
    date: str,
    source: str,
    estimate: bool = False,
    method: str = "",
) -> dict[str, Any]:
    return {
        "model": "regions.municipalityfigure",
        "fields": {
            "municipality": [region, code],
            "kind": kind,
            "value": value,
            "reference_date": date,
            "source": source,
            "is_estimate": estimate,
            "method": method,
        },
    }


def build(slug: str, reference_dir: Path = REFERENCE_DIR) -> list[dict[str, Any]]:
    config = tomllib.loads((reference_dir / f"{slug}.toml").read_text(encoding="utf-8"))
    r = config["region"]
    out: list[dict[str, Any]] = [
        {
            "model": "regions.region",
            "fields": {
                "slug": r["slug"],
                "name": r["name"],
                "is_fictional": r["is_fictional"],
                "start_year": r["start_year"],
                "three_party_target": r["three_party_target"],
                "decision_lead_time_weeks": r["decision_lead_time_weeks"],
                "support_months": r["support_months"],
                "retention_months": r["retention_months"],
                **{
                    key: r[key]
                    for key in ("cap_per_complex", "cap_per_neighbourhood", "cap_window_months")
                    if key in r
                },
            },
        }
    ]
    municipalities: list[dict[str, Any]] = []  # cbs_code, name, table
    figures: list[dict[str, Any]] = []
    districts: list[dict[str, Any]] = []
    limits: list[dict[str, Any]] = []

    ref = config.get("reference", {})
    if "municipalities_csv" in ref:
        est = config["estimates"]
        size = Decimal(est["household_size"])
        for row in _read_csv(reference_dir / ref["municipalities_csv"]):
            code, date, source = row["cbs_code"], row["reference_date"], row["source"]
            municipalities.append(
                {"cbs_code": code, "name": row["name"], "table": row["assessment_table"]}
            )
            population, stock = int(row["population"]), int(row["housing_stock"])
            share = est["social_share"][code]
            figures += [
                _figure(slug, code, "population", population, date, source),
                _figure(slug, code, "housing_stock", stock, date, source),
                _figure(
                    slug,
                    code,
                    "households",
                    _round(population / size),
                    date,
                    f"Schatting op basis van {source}",
                    True,
                    est["household_method"],
                ),
                _figure(
                    slug,
                    code,
                    "social_stock",
                    _round(stock * Decimal(share["share"])),
                    date,
                    f"Schatting op basis van {source}",
                    True,
                    est["social_stock_method"].format(
                        share=f"{Decimal(share['share']) * 100:.0f} %", share_source=share["source"]
                    ),
                ),
            ]
    for m in config.get("municipality", []):
        municipalities.append(
            {"cbs_code": m["cbs_code"], "name": m["name"], "table": m.get("table", "")}
        )
        # A figure named in `estimates` is an estimate, with that text as its method.
        estimates = m.get("estimates", {})
        for kind in WELL_KNOWN:
            if kind in m:
                figures.append(
                    _figure(
                        slug,
                        m["cbs_code"],
                        kind,
                        m[kind],
                        m["reference_date"],
                        m["source"],
                        kind in estimates,
                        estimates.get(kind, ""),
                    )
                )
    for f in config.get("figure", []):
        figures.append(
            _figure(
                slug,
                f["municipality"],
                f["kind"],
                f["value"],
                f["reference_date"],
                f["source"],
                bool(f.get("method")),
                f.get("method", ""),
            )
        )

    if "districts_csv" in ref:
        district_rows = _read_csv(reference_dir / ref["districts_csv"])
        names = _district_names(reference_dir, ref, {row["cbs_wijk_code"] for row in district_rows})
        for row in district_rows:
            districts.append(
                {
                    "model": "regions.neighbourhood",
                    "fields": {
                        "municipality": [slug, row["municipality_code"]],
                        "cbs_code": row["cbs_wijk_code"],
                        "level": "wijk",
                        "name": names.get(row["cbs_wijk_code"], (row.get("name") or "").strip()),
                        "population": int(row["population"]),
                        "housing_stock": int(row["housing_stock"]),
                        "reference_date": row["reference_date"],
                        "source": row["source"],
                    },
                }
            )
    for d in config.get("district", []):
        districts.append(
            {
                "model": "regions.neighbourhood",
                "fields": {
                    "municipality": [slug, d["municipality"]],
                    "cbs_code": d["cbs_code"],
                    "level": "wijk",
                    "name": d.get("name", ""),
                    "population": None,
                    "housing_stock": None,
                    "reference_date": None,
                    "source": "",
                },
            }
        )

    if "affordability_csv" in ref:
        for row in _read_csv(reference_dir / ref["affordability_csv"]):
            limits.append(
                {
                    "year": int(row["year"]),
                    "household": AFFORDABILITY_HOUSEHOLDS[row["household"]],
                    "income_limit_eur": row["income_limit_eur"],
                    "rent_cap_eur": row["rent_cap_eur"] or None,
                    "source": row["source"],
                }
            )
    limits += config.get("affordability", [])

    sub_of: dict[str, str] = {}
    for sub in config.get("sub_region", []):
        out.append(
            {
                "model": "regions.subregion",
                "fields": {"region": [slug], "slug": sub["slug"], "name": sub["name"]},
            }
        )
        for code in sub["municipalities"]:
            sub_of[code] = sub["slug"]
    kinds = {k["slug"]: k for k in config.get("figure_kind", [])}
    for kind in [*WELL_KNOWN, *sorted(set(kinds) - set(WELL_KNOWN))]:
        out.append(
            {
                "model": "regions.figurekind",
                "fields": {
                    "region": [slug],
                    "slug": kind,
                    "name": kinds.get(kind, {}).get("name", ""),
                    "description": kinds.get(kind, {}).get("description", ""),
                },
            }
        )
    out += [
        {
            "model": "regions.municipality",
            "fields": {
                "region": [slug],
                "cbs_code": m["cbs_code"],
                "name": m["name"],
                "sub_region": [slug, sub_of[m["cbs_code"]]] if m["cbs_code"] in sub_of else None,
            },
        }
        for m in municipalities
    ]
    out += figures + districts

    all_codes = [m["cbs_code"] for m in municipalities]
    for org in config.get("organisation", []):
        served = org.get("municipalities", [])
        codes = all_codes if served == "all" else served
        out.append(
            {
                "model": "regions.organisation",
                "fields": {
                    "region": [slug],
                    "slug": org["slug"],
                    "name": org["name"],
                    "type": org["type"],
                    "municipalities": [[slug, c] for c in codes],
                    "represents": None,
                    "provides_residential_care": org.get("residential", False),
                    "provides_ambulant_support": org.get("ambulant", False),
                    "coverage_source": org.get("coverage_source", ""),
                    "active": True,
                },
            }
        )
    for m in municipalities:
        out.append(
            {
                "model": "regions.organisation",
                "fields": {
                    "region": [slug],
                    "slug": f"gemeente-{slugify(m['name'])}",
                    "name": f"Gemeente {m['name']}",
                    "type": "municipality",
                    "municipalities": [[slug, m["cbs_code"]]],
                    "represents": [slug, m["cbs_code"]],
                    "provides_residential_care": False,
                    "provides_ambulant_support": False,
                    "coverage_source": "",
                    "active": True,
                },
            }
        )

    tables: dict[str, list[str]] = {}
    for m in municipalities:
        if m["table"]:
            tables.setdefault(m["table"], []).append(m["cbs_code"])
    for name, codes in tables.items():
        out.append(
            {
                "model": "regions.assessmenttable",
                "fields": {
                    "region": [slug],
                    "slug": slugify(name),
                    "name": name,
                    "municipalities": [[slug, c] for c in codes],
                    "sub_region": None,
                },
            }
        )
    for sub in config.get("sub_region", []):
        if "table" in sub:  # a table that covers the whole sub-region
            out.append(
                {
                    "model": "regions.assessmenttable",
                    "fields": {
                        "region": [slug],
                        "slug": slugify(sub["table"]),
                        "name": sub["table"],
                        "municipalities": [],
                        "sub_region": [slug, sub["slug"]],
                    },
                }
            )

    for q in config.get("quota", []):
        weights = q.get("weights") or {
            "households": q["weight_households"],
            "social_stock": q["weight_social_stock"],
        }
        for year in range(q["first_year"], q["last_year"] + 1):
            out.append(
                {
                    "model": "regions.quotayear",
                    "fields": {
                        "region": [slug],
                        "year": year,
                        "total_homes": q["total_homes"],
                        "method": q["method"],
                        "source": q["source"],
                        **{k: q[k] for k in ("carry_over", "catch_up_limit_percent") if k in q},
                    },
                }
            )
            out += [
                {
                    "model": "regions.quotaweight",
                    "fields": {
                        "quota_year": [slug, year],
                        "kind": kind,
                        "weight": str(weight),
                    },
                }
                for kind, weight in weights.items()
            ]
    for a in config.get("agreed_homes", []):
        out.append(
            {
                "model": "regions.agreedhomes",
                "fields": {
                    "municipality": [slug, a["municipality"]],
                    "year": a["year"],
                    "homes": a["homes"],
                    "agreement": a["agreement"],
                    "source": a.get("source", ""),
                },
            }
        )
    for lim in limits:
        out.append(
            {
                "model": "regions.affordabilitylimit",
                "fields": {
                    "region": [slug],
                    "year": lim["year"],
                    "household_type": lim["household"],
                    "income_limit_eur": lim["income_limit_eur"],
                    "rent_cap_eur": lim["rent_cap_eur"],
                    "source": lim["source"],
                },
            }
        )
    for stock in config.get("corporation_stock", []):
        out.append(
            {
                "model": "regions.corporationstock",
                "fields": {
                    "corporation": [slug, stock["corporation"]],
                    "municipality": [slug, stock["municipality"]],
                    "homes": stock["homes"],
                    "reference_date": stock["reference_date"],
                    "source": stock["source"],
                    "is_estimate": stock.get("is_estimate", False),
                },
            }
        )
    out.append(rules_fixture(slug, config, r["start_year"]))
    return out


def rules_fixture(slug: str, config: dict[str, Any], start_year: int) -> dict[str, Any]:
    """The region's rules (its `[rules]` table, the template where it says nothing) as version 1,
    applying from `valid_from` or the start of the scheme. Every value is checked here."""
    from . import rules

    table = dict(config.get("rules", {}))
    valid_from = str(table.pop("valid_from", f"{start_year}-01-01"))
    note = str(table.pop("note", ""))
    return {
        "model": "regions.ruleversion",
        "fields": {
            "region": [slug],
            "number": 1,
            "valid_from": valid_from,
            "rules": rules.write(rules.read(table)),
            "created_by": None,
            "note": note,
        },
    }


def available_regions(reference_dir: Path = REFERENCE_DIR) -> list[str]:
    return sorted(p.stem for p in reference_dir.glob("*.toml"))
