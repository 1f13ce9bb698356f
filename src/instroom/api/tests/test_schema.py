"""The published schema matches the minimised answers: a field a caller may not see is absent."""

from drf_spectacular.generators import SchemaGenerator


def test_no_field_of_a_minimised_application_is_required() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    detail = schema["components"]["schemas"]["ApplicationDetail"]
    assert "required" not in detail and "minimisation" in detail["description"]
    assert "motivation_text" in detail["properties"]  # documented, for those who may read it
