from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from compliance_site.paging import COUNT_CAP, CappedCountPaginator


class Pagination(PageNumberPagination):
    """50 a page, the count capped (compliance_site/paging.py): past COUNT_CAP rows `count_exact` is false,
    `count` is the cap plus one ("more than"), and `next` still leads to every row."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_exact": paginator.exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count_exact"] = {
            "type": "boolean",
            "description": f"False when the list has more than {COUNT_CAP:,} rows: `count` is then "
            f"{COUNT_CAP + 1:,}, read as 'more than {COUNT_CAP:,}', and `next` still leads to every row.",
        }
        answer["required"] = [*answer.get("required", []), "count_exact"]
        return answer
