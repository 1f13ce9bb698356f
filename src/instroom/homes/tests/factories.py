from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from instroom.homes import services
from instroom.homes.models import Cluster, Home
from instroom.regions.models import Organisation

_numbers = count(1)


def home_fields(corporation: Organisation, **overrides: Any) -> dict[str, Any]:
    municipality = corporation.region.municipalities.order_by("cbs_code").first()
    fields: dict[str, Any] = {
        "street": "Proefstraat",
        "house_number": next(_numbers),
        "postcode": "2011 AB",
        "municipality": municipality,
        "home_type": "apartment",
        "rooms": 2,
        "floor": 0,
        "rent_eur": Decimal("612.50"),
        "available_from": date(2027, 2, 1),
    }
    fields.update(overrides)
    return fields


def make_home(actor: Any, corporation: Organisation, **overrides: Any) -> Home:
    """A home offered through the service, as a corporation user would."""
    return services.home_create(
        actor=actor, corporation=corporation, **home_fields(corporation, **overrides)
    )


def make_cluster(
    actor: Any, corporation: Organisation, places: int = 4, **overrides: Any
) -> Cluster:
    """A cluster of `places` places ("Kamer 1", …) offered through the service."""
    fields = home_fields(corporation, **overrides)
    place_fields = {k: fields.pop(k) for k in ("rooms", "floor", "rent_eur") if k in fields}
    fields.setdefault("name", "Hofje Proef")
    return services.cluster_create(
        actor=actor,
        corporation=corporation,
        places=[{"place": f"Kamer {n}", **place_fields} for n in range(1, places + 1)],
        **fields,
    )
