"""Form fields shared by both programs."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from compliance_site.lib.numbers import parse_typed_number, plain_grouped


class AmountInput(forms.TextInput):
    """A text box for an amount or a measure value, shown as people write it (1,100,000,000)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "class": "mono", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int):
            return plain_grouped(value)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """A decimal typed with thousands separators and an optional leading $ ("$1,000,000", "950,000,000").

    The digit limits are the column's; the message names the mistake in plain words."""

    widget = AmountInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_typed_number(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None
        return number

    def widget_attrs(self, widget):
        # DecimalField would make this a number input with a step; a text box takes "1,000,000".
        attrs = forms.Field.widget_attrs(self, widget)
        return attrs
