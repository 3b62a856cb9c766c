"""Input fields shared by the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance_site.lib.numbers import parse_typed_number

# What AmountField reads, for the schema: the plain decimal a program sends, or what a person types.
AMOUNT_PATTERN = r"^-?\$?-?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?$"
AMOUNT_HINT = 'Thousands separators and a leading "$" are accepted ("$1,000,000", "950,000,000").'


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": AMOUNT_PATTERN,
        "example": "1,000,000.00",
    }
)
class AmountField(serializers.DecimalField):
    """An amount or a measure value as people write it: "$1,000,000", "950,000,000", "-1,250.50", or a plain
    decimal string or number. Separators go in threes ("1,00" is refused rather than read as 100), as the
    forms' AmountField reads them (compliance_site.lib.numbers.parse_typed_number). The digit limits are
    the column's; output stays a plain decimal string."""

    def __init__(self, *args, **kwargs):
        kwargs["help_text"] = " ".join(filter(None, [kwargs.get("help_text"), AMOUNT_HINT]))
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and ("$" in data or "," in data):
            try:
                data = parse_typed_number(data)
            except ValueError as exc:
                raise serializers.ValidationError(str(exc), code="invalid") from None
        return super().to_internal_value(data)
