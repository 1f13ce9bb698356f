"""The OpenAPI schema says what the API really answers.

An application's detail is minimised per caller (policy's minimisation table): a field group the
caller may not see is left out, not sent empty. So no field of that component is required in a
response; the fuzzer in `make security` checks every answer against this schema."""

from typing import Any

MINIMISED_COMPONENTS = ("ApplicationDetail",)


def minimised_fields_are_optional(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    for name in MINIMISED_COMPONENTS:
        if name in schemas:
            schemas[name].pop("required", None)
            schemas[name]["description"] = (
                "Only the field groups the caller may see are present (data minimisation)."
            )
    return result
