"""OpenAPI: every operation documents the error responses it can give, in the one error format."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.JSONField())


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


_ERRORS = {
    "400": "Invalid input; `fields` names each bad field.",
    "401": "Not signed in, or the token is missing or invalid.",
    "403": "Signed in, but this role may not do this.",
    "404": "No such record, or not visible to you.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "415": "Unsupported media type.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        error_schema = self._get_response_for_code(
            OpenApiResponse(response=ErrorSerializer), "400", direction=direction
        )["content"]
        for code, description in _ERRORS.items():
            if code not in responses:
                responses[code] = {"content": error_schema, "description": description}
        return responses
