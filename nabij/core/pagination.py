"""API paging shared by the apps' django-ninja routers."""

from django.utils.translation import gettext as _

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from nabij.core.exceptions import ApplicationError


class LazyMap:
    """A sliceable view of a queryset that converts only the page it is sliced to (for ninja's @paginate), so a
    list endpoint builds output dicts for one page, not for every row in scope."""

    def __init__(self, qs, convert):
        self.qs, self.convert = qs, convert

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        rows = self.qs[item]
        return [self.convert(r) for r in rows] if isinstance(item, slice) else self.convert(rows)


MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25


class BoundedPagination(LimitOffsetPagination):
    """Limit/offset paging with a documented maximum of 100 per page (Dutch API Design Rules): a larger `limit`
    or an `offset` past the end is refused with 400 and a Dutch message naming the parameter, never served
    unbounded. Every list endpoint of the API uses this."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            description=f"Rows per page, at most {MAX_PAGE_SIZE}.",
            json_schema_extra={"maximum": MAX_PAGE_SIZE},
        )
        offset: int = Field(0, ge=0, description="Rows to skip; not past the last row.")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        if pagination.limit > MAX_PAGE_SIZE:
            raise PageOutOfRange(
                _("At most %(max)d rows per page: ask for limit=%(max)d or less.") % {"max": MAX_PAGE_SIZE},
                field="limit",
            )
        count = self._items_count(queryset)
        if pagination.offset and pagination.offset >= count:
            raise PageOutOfRange(
                _("The offset %(offset)d is past the last row (%(count)d rows).")
                % {"offset": pagination.offset, "count": count},
                field="offset",
            )
        return {"items": queryset[pagination.offset : pagination.offset + pagination.limit], "count": count}


class PageOutOfRange(ApplicationError):
    status_code = 400
    location = "query"
