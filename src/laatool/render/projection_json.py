"""The JSON of `laatool project`, an area at a time, made by polars from the report's frame."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from laatool.base.money import money
from laatool.render.json import area_pieces, dumps, joined_rows, json_objects

if TYPE_CHECKING:
    from laatool.compute.projection_report import ProjectionReport


def projection_json(report: ProjectionReport) -> Iterator[str]:
    """`report.to_json()` as the text `render.json.dumps` writes: the rows of a national run
    are tens of thousands of dicts otherwise."""
    from laatool.compute.projection_report import AREA_MONEY, NUMBER_TEXTS, ROW_KEYS

    frame = report.frame
    encoded = frame.lazy().select("area", row=json_objects(frame, list(ROW_KEYS), NUMBER_TEXTS))
    rows = joined_rows(encoded, "area").collect(engine="in-memory")
    totals = report.totals()
    yield dumps({"as_at": report.as_at, "method": report.method})[:-2] + ',"areas":['
    areas = {a.area: a for a in report.areas}
    for index, (area, joined) in enumerate(area_pieces(list(areas), rows)):
        a = areas[area]
        head = dumps({"area": a.area, "name": a.name, "as_at": a.as_at, "maximum": money(a.maximum),
                      **{key: totals[area][key] for key in AREA_MONEY}})[:-2]  # without its closing brace and line end
        yield f'{"," if index else ""}{head},"rows":[{joined}],"summary":{dumps(totals[area]["summary"])[:-1]}}}'
    yield "]}\n"
