"""Fair distribution of a region's yearly homes: pure Python on exact fractions.

No database, no floats. The layer above (`selectors`) feeds it the figures of a region.

Shares: share_m = Σ_k w_k · figure_k,m / Σ_m figure_k,m over the key's figures k (any number,
e.g. households and social rental stock; the weights add up to 1).

Methods (the region chooses one per year):
- largest remainder (Hamilton, the default): everyone gets the whole part of their exact
  entitlement; the homes left over go to the largest remainders;
- Sainte-Laguë: the highest averages weight / (2s + 1), for s homes already given.

Deterministic tie-breaks, in this order: the larger remainder (largest remainder) or the larger
average (Sainte-Laguë); then the larger exact entitlement; then the smaller key (the CBS code or
the corporation's slug), so the same figures always give the same quotas, whatever the order in
which they are listed.

Carry-over ("catch up own backlog", `CATCH_UP`, the default; `NONE` ignores history). Each year t:

- E_m(t): the exact cumulative entitlement (Σ share × total over the years so far);
  F_m(t) = F_m(t−1) + plain_m: the *fair position* in whole homes, where plain_m, this year's
  plain quota, apportions the year's total with the year's method over E_m(t) − F_m(t−1) (what
  keeps the fair position nearest the exact entitlement; it never depends on deliveries and
  stays within one home of E under largest remainder). In the first year plain = share × total
  apportioned.
- backlog_m = F_m(t−1) − delivered_m before t (whole homes; + behind, − ahead) and
  target_m = plain_m + backlog_m: what brings it back to its fair position this year.
- The year's homes are handed out one at a time in a fixed order of "tokens" (home k of m), the
  top `total` tokens win. Highest first: (1) homes of the plain quota a municipality still needs
  (k ≤ min(plain, target)); (2) catch-up homes of one that is behind (plain < k ≤ target),
  the j-th of each in proportion to its share ((j − ½) / share, smallest first), at most the
  catch-up limit (a percentage of the plain share) each; (3) homes of the plain quota that one
  which is ahead does not need (its "giving way"), the ones nearest the start of its quota
  first; (4) anything else (beyond the limit, or more than share + what is owed + 1), only if
  nothing else is left. Ties: the larger share, then the smaller key.

Its properties (checked by hypothesis over 1,050 random ten-year histories, either method
unless said, in tests/test_carry_over.py):
(a) the quotas sum exactly to the year's total;
(b) one that is behind catches up as far as others are ahead; one that is ahead gives way; the
    shortfall of one that does not deliver stays its own: as long as the others deliver their
    quotas they keep their fair position, whatever it fails to deliver (no one is asked to make
    up for another: the catch-up is paid only out of what others delivered ahead; within one
    home under largest remainder);
(c) stability: one home more or less delivered by one municipality changes its next quota by at
    most one home and all quotas together by at most two (each delivery moves one token of
    that municipality up or down the order: the plain quotas never depend on deliveries);
(d) no quota exceeds plain share + what is owed (cumulative entitlement − delivered, when
    positive) + 1;
(e) while every municipality delivers its quota, each stays within one home of its cumulative
    fair share (largest remainder; under Sainte-Laguë, which does not keep the quota rule, within
    half the number of municipalities, at least two);
    after a disturbance that the others' deliveries cover (the region as a whole not behind),
    everyone is back within one home after N = 1 year, or ⌈backlog / limit⌉ years under a
    catch-up limit;
(f) an optional catch-up limit: at most `catch_up_limit_percent` % of the plain share on top.

Delivering more than the quota is never held against anyone: when nobody is behind, the year
follows the plain key, however far ahead some are.

Errors: every refusal is a `ConfigurationError` (a ValueError) naming the field to fix.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

LARGEST_REMAINDER = "largest_remainder"
SAINTE_LAGUE = "sainte_lague"
METHODS = (LARGEST_REMAINDER, SAINTE_LAGUE)
CATCH_UP = "catch_up"
NONE = "none"
CARRY_OVERS = (CATCH_UP, NONE)


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
    """One municipality's figures of the key, per kind (None: not known)."""

    key: str
    values: Mapping[str, int | None]


def _fraction(value: object, field: str) -> Fraction:
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise ConfigurationError(
            field, f"{value!r} is not a number", code="not_a_number", value=value
        ) from None


def shares(figures: Sequence[Figures], weights: Mapping[str, object]) -> dict[str, Fraction]:
    """The exact share of each municipality (they sum to exactly 1):
    share_m = Σ_kind weight_kind · value_m,kind / Σ_m value_m,kind, over any number of kinds."""
    w = {kind: _fraction(value, kind) for kind, value in weights.items()}
    if not w:
        raise ConfigurationError("weights", "the key weighs no figure", code="no_weights")
    for kind, weight in w.items():
        if weight < 0:
            raise ConfigurationError(kind, "a weight cannot be negative", code="negative")
    if sum(w.values()) != 1:
        raise ConfigurationError(
            "weights",
            f"the weights add up to {sum(w.values())}, not to 1",
            code="weights_sum",
            total=sum(w.values()),
        )
    if not figures:
        raise ConfigurationError("municipalities", "the region has no municipalities", code="empty")
    keys = [f.key for f in figures]
    if len(set(keys)) != len(keys):
        raise ConfigurationError(
            "municipalities", "a municipality is listed twice", code="duplicate"
        )
    totals: dict[str, int] = {}
    for kind, weight in w.items():
        for f in figures:
            value = f.values.get(kind)
            if value is None:
                if not weight:
                    continue  # a figure that weighs nothing need not be known
                raise ConfigurationError(
                    kind, f"{f.key} has no figure for {kind}", code="missing", key=f.key
                )
            if value < 0:
                raise ConfigurationError(
                    kind, f"{f.key} has a negative figure for {kind}", code="negative", key=f.key
                )
        totals[kind] = sum(f.values.get(kind) or 0 for f in figures)
        if weight and not totals[kind]:
            raise ConfigurationError(
                kind, f"the figures for {kind} of the region add up to 0", code="zero_sum"
            )
    return {
        f.key: sum(
            (
                weight * Fraction(f.values.get(kind) or 0, totals[kind])
                for kind, weight in w.items()
                if weight
            ),
            Fraction(0),
        )
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
    carry_over: str = CATCH_UP
    catch_up_limit_percent: int | None = None  # None: no limit


@dataclass(frozen=True)
class YearResult:
    year: int
    total: int
    share: dict[str, Fraction]
    entitlement: dict[str, Fraction]  # cumulative exact entitlement up to and including year
    delivered_before: dict[str, int]
    fair_before: dict[str, int]  # F(t − 1): the fair position in whole homes before the year
    plain: dict[str, int]  # this year's plain quota F(t) − F(t − 1)
    quota: dict[str, int]
    carry_over_rule: str = CATCH_UP
    catch_up_limit_percent: int | None = None

    def share_homes(self, key: str) -> Fraction:
        """The plain share of this year's total, exact."""
        return self.share[key] * self.total

    def owed(self, key: str) -> Fraction:
        """Exact cumulative entitlement before the year minus homes delivered (+ behind)."""
        return self.entitlement[key] - self.share_homes(key) - self.delivered_before[key]

    def backlog(self, key: str) -> int:
        """Whole homes behind (+) or ahead (−) of the fair position before this year."""
        return self.fair_before[key] - self.delivered_before[key]

    def target(self, key: str) -> int:
        """What would bring it back to its fair position this year (never below zero)."""
        return max(self.plain[key] + self.backlog(key), 0)

    def carry_over(self, key: str) -> Fraction:
        """What is still owed from earlier years (+ behind, − ahead of the fair share)."""
        return self.owed(key)


def catch_up_limit(share_homes: Fraction, percent: int | None) -> int | None:
    """The most catch-up homes on top of the plain share: `percent` % of it, rounded down."""
    if percent is None:
        return None
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 500:
        raise ConfigurationError(
            "catch_up_limit_percent", "give a whole percentage from 0 to 500", code="limit"
        )
    return math.floor(share_homes * percent / 100)


def catch_up(
    total: int,
    share_homes: Mapping[str, Fraction],
    plain: Mapping[str, int],
    backlog: Mapping[str, int],
    owed: Mapping[str, Fraction],
    limit: Mapping[str, int | None],
) -> dict[str, int]:
    """One year's quotas under the catch-up rule (see the module docstring): the `total` best
    tokens. `share_homes`: exact share × total; `plain`: the plain quota; `backlog`: whole homes
    behind (+); `owed`: exact entitlement − delivered before the year; `limit`: catch-up homes
    at most (None: no limit)."""
    _check_total(total)
    tokens: list[tuple[tuple[int, Fraction, Fraction], str]] = []
    reserve: list[tuple[tuple[int, Fraction, Fraction], str]] = []
    for key, e in share_homes.items():
        p = plain[key]
        p_plus = max(p, 0)
        need = p + backlog[key]
        bound = math.ceil(e + max(owed[key], Fraction(0)))  # quota ≤ share + owed + 1
        cap = limit.get(key)
        for k in range(1, max(bound, need, p_plus, 0) + 1):
            if k <= min(need, p_plus) and k <= bound:
                tier, value = 3, Fraction(-k)
            elif k <= need and k <= bound:
                j = k - p_plus
                if cap is not None and j > cap:
                    tier, value = 0, Fraction(-j)
                else:
                    tier = 2
                    value = -(j - Fraction(1, 2)) / e if e else Fraction(-j * 10**9)
            elif k <= bound:
                tier, value = 1, Fraction(p - (k - 1))
            else:
                tier, value = 0, Fraction(bound - k)
            (tokens if tier else reserve).append(((tier, value, e), key))
        for k in range(max(bound, need, p_plus, 0) + 1, total + 1):
            reserve.append(((0, Fraction(bound - k) - total, e), key))
    order = sorted(tokens, key=lambda t: (-t[0][0], -t[0][1], -t[0][2], t[1]))
    order += sorted(reserve, key=lambda t: (-t[0][1], -t[0][2], t[1]))
    quota = dict.fromkeys(share_homes, 0)
    for _token, key in order[:total]:
        quota[key] += 1
    if sum(quota.values()) != total:
        raise ConfigurationError("weights", "nothing to distribute over", code="empty")
    return quota


def with_carry_over(
    years: Sequence[Year], delivered: Mapping[int, Mapping[str, int]]
) -> list[YearResult]:
    """Quotas for consecutive years from the start year. `delivered[year][key]`: homes that
    counted in that year (signed contracts)."""
    results: list[YearResult] = []
    cumulative: dict[str, Fraction] = {}
    fair: dict[str, int] = {}
    done: dict[str, int] = {}
    for y in years:
        _check_total(y.total)
        if y.carry_over not in CARRY_OVERS:
            raise ConfigurationError(
                "carry_over", f"unknown carry-over rule {y.carry_over!r}", code="unknown"
            )
        for k, share in y.shares.items():
            cumulative[k] = cumulative.get(k, Fraction(0)) + y.total * share
            done.setdefault(k, 0)
            fair.setdefault(k, 0)
        entitlement = {k: cumulative[k] for k in y.shares}
        # The fair position moves on by this year's total, apportioned over what keeps it
        # nearest the exact entitlement: never backwards, within one home of it (largest
        # remainder), and independent of what anyone delivered.
        toward = {k: max(entitlement[k] - fair[k], Fraction(0)) for k in y.shares}
        plain = apportion(y.total, toward if any(toward.values()) else dict(y.shares), y.method)
        fair_now = {k: fair[k] + plain[k] for k in y.shares}
        share_homes = {k: y.total * s for k, s in y.shares.items()}
        if y.carry_over == NONE:
            quota = apportion(y.total, dict(y.shares), y.method)
        else:
            quota = catch_up(
                y.total,
                share_homes,
                plain,
                {k: fair[k] - done[k] for k in y.shares},
                {k: cumulative[k] - share_homes[k] - done[k] for k in y.shares},
                {k: catch_up_limit(share_homes[k], y.catch_up_limit_percent) for k in y.shares},
            )
        results.append(
            YearResult(
                year=y.year,
                total=y.total,
                share=dict(y.shares),
                entitlement=entitlement,
                delivered_before={k: done[k] for k in y.shares},
                fair_before={k: fair[k] for k in y.shares},
                plain=plain,
                quota=quota,
                carry_over_rule=y.carry_over,
                catch_up_limit_percent=y.catch_up_limit_percent,
            )
        )
        fair = {k: fair_now[k] for k in y.shares}
        for k, n in delivered.get(y.year, {}).items():
            done[k] = done.get(k, 0) + n
    return results
