"""The permission matrix: every URL of the project, GET as anonymous and as each role, against one table.

The table is derived from the capability table in roles.py wherever a view is guarded by one capability;
object-level rules (who may see which incident, attachment or case) are spelled out. A route that exists but
has no row here fails, so a new page or endpoint cannot ship without deciding who may open it. The rows are
split by part (`shared`, `clawback`, `regfd`); `table` holds the vocabulary they are written in.
"""

from . import clawback, regfd, shared
from .post_only import POST_ONLY
from .table import ANON, LOGIN_PREFIX, ROLES, Expected, Row, discover_routes, table

DISCOVERED = discover_routes()

EXPECTED: dict[str, Row] = table(
    shared.ROWS.items(),
    clawback.PAGES.items(),
    clawback.API.items(),
    regfd.INCIDENTS.items(),
    regfd.RECORD_PAGES.items(),
    regfd.RECORD_API.items(),
)

__all__ = ["ANON", "DISCOVERED", "EXPECTED", "LOGIN_PREFIX", "POST_ONLY", "ROLES", "Expected", "Row"]
