from typing import Any

from rest_framework import serializers

from instroom.regions.models import Municipality, Region


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["cbs_code", "name"]


class RegionSerializer(serializers.ModelSerializer):
    municipalities = MunicipalitySerializer(many=True, read_only=True)

    class Meta:
        model = Region
        fields = [
            "slug",
            "name",
            "is_fictional",
            "start_year",
            "admitted_sources",
            "municipalities",
        ]


class MembershipSerializer(serializers.Serializer):
    role = serializers.CharField()
    organisation = serializers.CharField()
    region = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    roles = MembershipSerializer(many=True)


class ClientSerializer(serializers.Serializer):
    """A client as the caller may see them: fields outside their level are absent, not empty."""

    id = serializers.IntegerField()
    detail_level = serializers.CharField()
    case_number = serializers.CharField(required=False)
    candidate_number = serializers.CharField(required=False)
    first_name = serializers.CharField(required=False)
    last_name = serializers.CharField(required=False)
    bsn = serializers.CharField(required=False)
    date_of_birth = serializers.DateField(required=False)
    source = serializers.CharField(required=False)  # type: ignore[assignment]
    municipality_of_origin = serializers.CharField(required=False)
    care_provider = serializers.CharField(required=False)
    support_provider = serializers.CharField(required=False)
    household_adults = serializers.IntegerField(required=False)
    household_children = serializers.IntegerField(required=False)

    def to_representation(self, view: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"id": view.client.pk, "detail_level": str(view.level)}
        for name, value in view.fields.items():
            data[name] = self.fields[name].to_representation(
                str(value) if hasattr(value, "_meta") else value
            )
        return data
