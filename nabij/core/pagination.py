"""API paging helper shared by the apps' django-ninja routers."""


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
