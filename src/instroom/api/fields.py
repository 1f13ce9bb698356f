"""Serializer fields for what people type, on the same functions as the forms and the imports
(`instroom.validation`): a value the page refuses, the API refuses with the same message."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from instroom import validation


def _checked(function: Callable[..., Any], value: Any, **kwargs: Any) -> Any:
    try:
        return function(value, **kwargs)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None


class BSNField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Nine digits; spaces, dots and hyphens are allowed")
        super().__init__(trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        return str(_checked(validation.normalise_bsn, data))


class NameField(serializers.CharField):
    def __init__(self, *, max_length: int = validation.NAME_MAX_LENGTH, **kwargs: Any) -> None:
        super().__init__(trim_whitespace=False, **kwargs)
        self.name_max_length = max_length

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(_checked(validation.normalise_name, data, max_length=self.name_max_length))


class DateOfBirthField(serializers.DateField):
    def to_internal_value(self, value: Any) -> date:
        return _checked(validation.validate_date_of_birth, super().to_internal_value(value))


class AvailableFromField(serializers.DateField):
    def to_internal_value(self, value: Any) -> date:
        return _checked(validation.validate_available_from, super().to_internal_value(value))


class WholeNumberField(serializers.IntegerField):
    def __init__(self, *, min_value: int, max_value: int, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        self.bounds = (min_value, max_value)

    def to_internal_value(self, data: Any) -> int:
        low, high = self.bounds
        return int(_checked(validation.parse_whole_number, data, min_value=low, max_value=high))


class AmountField(serializers.DecimalField):
    def __init__(
        self, *, max_digits: int, decimal_places: int, min_value: Any, max_value: Any, **kwargs: Any
    ) -> None:
        super().__init__(
            max_digits=max_digits,
            decimal_places=decimal_places,
            min_value=Decimal(min_value),
            max_value=Decimal(max_value),
            **kwargs,
        )
        self.bounds = (Decimal(min_value), Decimal(max_value))

    def to_internal_value(self, data: Any) -> Decimal:
        low, high = self.bounds
        return _checked(
            validation.parse_amount,
            data,
            min_value=low,
            max_value=high,
            decimal_places=self.decimal_places,
        )


class PostcodeField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        return str(_checked(validation.normalise_postcode, data))
