"""JSON out of the API through orjson (drf-orjson-renderer), about ten times faster than the standard
library's encoder on a 50-row page.

Two things differ from the library's renderer on purpose:
- a key that is not a string (an error keyed by a list index) is written as one, as the standard library
  does;
- a value it does not know is an error, never a silent `null` (its fallback returns None for an unknown
  object, which would publish a wrong record rather than fail);
- money stays a string: the serializers already give Decimal fields as strings (COERCE_DECIMAL_TO_STRING),
  and a Decimal that reaches the renderer any other way is written as a string too, never as a float.
"""

from decimal import Decimal

import orjson
from django.utils.functional import Promise
from drf_orjson_renderer.renderers import ORJSONRenderer


class JSONRenderer(ORJSONRenderer):
    # Error details can be keyed by a list index (an int), which the standard encoder writes as a string.
    options = ORJSONRenderer.options | orjson.OPT_NON_STR_KEYS

    @staticmethod
    def default(obj):
        if isinstance(obj, Decimal | Promise):
            return str(obj)
        if isinstance(obj, set | frozenset | tuple):
            return list(obj)
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")
