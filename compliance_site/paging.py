"""Pages of a list whose count never reads the whole table.

Django's Paginator counts every row the list selects on every page: 50,000 audit events are a sequential
scan of the table each time someone opens the audit trail. `CappedCountPaginator` counts at most
COUNT_CAP + 1 rows (`SELECT COUNT(*) FROM (… LIMIT 1001)`), which reads a bounded number of index
entries however large the table grows:

- up to COUNT_CAP rows it is Django's Paginator exactly: the count, the last page, "Page 3 of 7";
- past it, `exact` is False, the count shown is "more than 1,000", and paging goes on beyond the counted
  pages: a page is read with one row more than it shows, and that row says whether a next page exists. No
  row is ever out of reach, through the pages or the API's `next` links.

The API's pagination (compliance_site/api/pagination.py) and the list pages use it.
"""

from __future__ import annotations

import math

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1_000
LAST_OFFSET = 2**62


class CappedPage(Page):
    """A page past the counted rows: whether a next page exists was read, not computed from a count."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedCountPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, list | tuple):
            return len(rows)
        # Without the list's ORDER BY: the number is the same, and no sort runs before the LIMIT.
        return rows.order_by()[: self.cap + 1].count()

    @property
    def exact(self) -> bool:
        return self.count <= self.cap

    @cached_property
    def num_pages(self) -> int:
        """The pages counted; past the cap more may follow (`exact` is False)."""
        if self.exact:
            return super().num_pages
        return math.ceil(self.cap / self.per_page)

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        # Uncounted, the last page is not known; the database's OFFSET is (a 64-bit integer). A page past it
        # is a page past the last row, as a page past the counted ones is below the cap.
        return self._validate_number(number, LAST_OFFSET // self.per_page)

    def page(self, number):
        if self.exact:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number):
        try:
            return super().get_page(number)
        except EmptyPage:  # past the last row of an uncounted list: its last counted page
            return self.page(self.num_pages)
