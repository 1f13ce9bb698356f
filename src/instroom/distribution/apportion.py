"""Fair distribution of a region's yearly homes: pure Python on exact fractions.

No database, no floats. The layer above (`selectors`) feeds it the figures of a region.

Shares: share_m = w_h · households_m / Σ households + w_s · social_stock_m / Σ social_stock.

Methods (the region chooses one per year):
- largest remainder (Hamilton, the default): everyone gets the whole part of their exact
  entitlement; the homes left over go to the largest remainders;
- Sainte-Laguë: the highest averages weight / (2s + 1), for s homes already given.

Deterministic tie-breaks, in this order: the larger remainder (largest remainder) or the larger
average (Sainte-Laguë); then the larger exact entitlement; then the smaller key (the CBS code or
the corporation's slug), so the same figures always give the same quotas, whatever the order in
which they are listed.

Carry-over: a municipality's entitlement accumulates from the region's start year; each year's
total is apportioned over what each is still owed (cumulative entitlement minus homes delivered,
never below zero), so one that fell behind catches up and none drifts more than about one home
from its cumulative fair share while supply allows. When nobody is owed anything (everyone
delivered ahead), the year follows the plain key.

Errors: every refusal is a `ConfigurationError` (a ValueError) naming the field to fix.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

LARGEST_REMAINDER = "largest_remainder"
SAINTE_LAGUE = "sainte_lague"
METHODS = (LARGEST_REMAINDER, SAINTE_LAGUE)


class ConfigurationError(ValueError):
    """Refused configuration. `field` names what to fix; `code` and `params` let the layer
    above say the same in the user's language (this module stays free of Django)."""

    def __init__(
        self, field: str, message: str, *, code: str = "invalid", **params: object
    ) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Figures:
    """One municipality's figures of the key."""

    key: str
    households: int | None
    social_stock: int | None


def _fraction(value: object, field: str) -> Fraction:
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise ConfigurationError(
            field, f"{value!r} is not a number", code="not_a_number", value=value
        ) from None


def shares(
    figures: Sequence[Figures], weight_households: object, weight_social_stock: object
) -> dict[str, Fraction]:
    """The exact share of each municipality (they sum to exactly 1)."""
    w_h = _fraction(weight_households, "weight_households")
    w_s = _fraction(weight_social_stock, "weight_social_stock")
    for field, weight in (("weight_households", w_h), ("weight_social_stock", w_s)):
        if weight < 0:
            raise ConfigurationError(field, "a weight cannot be negative", code="negative")
    if w_h + w_s != 1:
        raise ConfigurationError(
            "weight_households",
            f"the weights add up to {w_h + w_s}, not to 1",
            code="weights_sum",
            total=w_h + w_s,
        )
    if not figures:
        raise ConfigurationError("municipalities", "the region has no municipalities", code="empty")
    keys = [f.key for f in figures]
    if len(set(keys)) != len(keys):
        raise ConfigurationError(
            "municipalities", "a municipality is listed twice", code="duplicate"
        )
    for f in figures:
        for field in ("households", "social_stock"):
            value = getattr(f, field)
            if value is None:
                raise ConfigurationError(
                    field, f"{f.key} has no figure for {field}", code="missing", key=f.key
                )
            if value < 0:
                raise ConfigurationError(
                    field, f"{f.key} has a negative figure for {field}", code="negative", key=f.key
                )
    total_h = sum(f.households or 0 for f in figures)
    total_s = sum(f.social_stock or 0 for f in figures)
    if w_h and not total_h:
        raise ConfigurationError(
            "households", "the households of the region add up to 0", code="zero_sum"
        )
    if w_s and not total_s:
        raise ConfigurationError(
            "social_stock", "the social stock of the region adds up to 0", code="zero_sum"
        )
    return {
        f.key: (w_h * Fraction(f.households or 0, total_h) if w_h else Fraction(0))
        + (w_s * Fraction(f.social_stock or 0, total_s) if w_s else Fraction(0))
        for f in figures
    }


def _check_total(total: int) -> None:
    if not isinstance(total, int) or isinstance(total, bool):
        raise ConfigurationError("total_homes", "give a whole number of homes", code="not_whole")
    if total < 0:
        raise ConfigurationError(
            "total_homes", "the number of homes cannot be negative", code="negative"
        )


def _check_weights(weights: Mapping[str, Fraction]) -> None:
    if not weights:
        raise ConfigurationError("weights", "nothing to distribute over", code="empty")
    if any(w < 0 for w in weights.values()):
        raise ConfigurationError("weights", "a weight cannot be negative", code="negative")


def entitlements(total: int, weights: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Each key's exact (fractional) number of homes: total × weight / Σ weights."""
    _check_total(total)
    _check_weights(weights)
    whole = sum(weights.values(), Fraction(0))
    if whole == 0:
        # Nobody is owed anything: share equally rather than divide by zero.
        return {k: Fraction(total, len(weights)) for k in weights}
    return {k: total * w / whole for k, w in weights.items()}


def largest_remainder(total: int, weights: Mapping[str, Fraction]) -> dict[str, int]:
    exact = entitlements(total, weights)
    quotas = {k: int(v) for k, v in exact.items()}  # floor: v is never negative
    left = total - sum(quotas.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - quotas[k]), -exact[k], k))
    for k in order[:left]:
        quotas[k] += 1
    return quotas


def sainte_lague(total: int, weights: Mapping[str, Fraction]) -> dict[str, int]:
    _check_total(total)
    _check_weights(weights)
    whole = sum(weights.values(), Fraction(0))
    w = dict(weights) if whole else {k: Fraction(1) for k in weights}
    quotas = dict.fromkeys(w, 0)
    for _ in range(total):
        best = min(w, key=lambda k: (-(w[k] / (2 * quotas[k] + 1)), -w[k], k))
        quotas[best] += 1
    return quotas


def apportion(total: int, weights: Mapping[str, Fraction], method: str) -> dict[str, int]:
    if method == LARGEST_REMAINDER:
        return largest_remainder(total, weights)
    if method == SAINTE_LAGUE:
        return sainte_lague(total, weights)
    raise ConfigurationError(
        "method", f"unknown apportionment method {method!r}", code="unknown", value=method
    )


@dataclass(frozen=True)
class Year:
    year: int
    total: int
    shares: Mapping[str, Fraction]
    method: str


@dataclass(frozen=True)
class YearResult:
    year: int
    total: int
    share: dict[str, Fraction]
    entitlement: dict[str, Fraction]  # cumulative exact entitlement up to and including year
    delivered_before: dict[str, int]
    owed: dict[str, Fraction]  # entitlement − delivered before the year, never negative
    quota: dict[str, int]

    def carry_over(self, key: str) -> Fraction:
        """What is still owed from earlier years (+ behind, − ahead of the fair share)."""
        return self.entitlement[key] - self.share[key] * self.total - self.delivered_before[key]


def with_carry_over(
    years: Sequence[Year], delivered: Mapping[int, Mapping[str, int]]
) -> list[YearResult]:
    """Quotas for consecutive years from the start year. `delivered[year][key]`: homes that
    counted in that year (signed contracts)."""
    results: list[YearResult] = []
    cumulative: dict[str, Fraction] = {}
    done: dict[str, int] = {}
    for y in years:
        _check_total(y.total)
        for k, share in y.shares.items():
            cumulative[k] = cumulative.get(k, Fraction(0)) + y.total * share
            done.setdefault(k, 0)
        owed = {k: max(cumulative[k] - done[k], Fraction(0)) for k in y.shares}
        # Everyone delivered at least their entitlement (more homes than quota): nobody is
        # behind, so this year's homes follow the plain key.
        quota = apportion(y.total, owed if any(owed.values()) else dict(y.shares), y.method)
        results.append(
            YearResult(
                year=y.year,
                total=y.total,
                share=dict(y.shares),
                entitlement={k: cumulative[k] for k in y.shares},
                delivered_before={k: done[k] for k in y.shares},
                owed=owed,
                quota=quota,
            )
        )
        for k, n in delivered.get(y.year, {}).items():
            done[k] = done.get(k, 0) + n
    return results
