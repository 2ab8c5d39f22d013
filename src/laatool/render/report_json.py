"""The JSON output format: a report's JSON document, in pieces.

Score and reward reports are written an area at a time, made by polars from their frames: a
national report is tens of thousands of rows, which as Python dicts would cost more than the
rest of the run. Each piece is the text `render.json.dumps` makes of the report's `to_json()`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from laatool.base.money import money
from laatool.render.json import area_pieces, dumps, encoded_rows, joined_rows, json_objects
from laatool.render.projection_json import projection_json
from laatool.render.values import json_escaped

if TYPE_CHECKING:  # the reports are imported by the commands that make them, with polars
    import polars as pl

    from laatool.compute.reward import RewardReport
    from laatool.compute.scoring import ScoreReport


def score_json(report: ScoreReport) -> Iterator[str]:
    """`to_json()` as the text `render.json.dumps` writes, an area at a time, made by polars
    from the frame: the rows of a national report are tens of thousands of dicts otherwise."""
    from laatool.compute.scoring import ROW_KEYS, STATUSES

    rows = encoded_rows(report.frame, "area", list(ROW_KEYS))
    if report.in_python:  # those rows as `dumps` writes them
        rows = _with_python_rows(report)
    counts = dict(((area, status), n) for area, status, n
                  in report.frame.group_by("area", "status").len().iter_rows())
    yield '{"areas":['
    for index, (area, joined) in enumerate(area_pieces(sorted(report.names), rows)):
        summary = {status: counts.get((area, status), 0) for status in STATUSES}
        head = dumps({"area": area, "name": report.names[area]})[:-2]  # without its closing brace and line end
        yield f'{"," if index else ""}{head},"rows":[{joined}],"summary":{dumps(summary)[:-1]}}}'
    yield "]}\n"


def _with_python_rows(report: ScoreReport) -> pl.DataFrame:
    """The rows' JSON joined by area as `encoded_rows` gives it, with the rows scored in Python
    written from their values."""
    import polars as pl

    from laatool.compute.scoring import ROW_KEYS

    encoded = report.frame.lazy().select("area", "order", row=json_objects(report.frame, list(ROW_KEYS)))
    written = pl.LazyFrame({"order": list(report.in_python),
                            "python": [dumps(row)[:-1] for row in report.in_python.values()]},
                           schema={"order": report.frame.schema["order"], "python": pl.String})
    encoded = (encoded.join(written, on="order", how="left", maintain_order="left")
               .with_columns(row=pl.coalesce("python", "row")))
    return joined_rows(encoded.select("area", "row"), "area").collect(engine="in-memory")


def reward_json(report: RewardReport) -> Iterator[str]:
    """`to_json()` as the text `render.json.dumps` writes, an area at a time, made by polars
    from the frame: the targets of a national report are thousands of dicts otherwise."""
    import polars as pl

    from laatool.compute.reward import JSON_COLUMNS

    frame = report.frame.select("area", "order", "exact", **JSON_COLUMNS)
    encoded = frame.lazy().select("area", "order", "exact", row=json_objects(frame, list(JSON_COLUMNS)))
    if report.in_python:  # those rows as their TargetReward writes them
        written = pl.LazyFrame({"order": list(report.in_python), "python": [
            dumps(t.to_json())[:-1] for t in report.in_python.values()]},
            schema={"order": frame.schema["order"], "python": pl.String})
        encoded = (encoded.join(written, on="order", how="left", maintain_order="left")
                   .with_columns(row=pl.when("exact").then("row").otherwise("python")))
    rows = joined_rows(encoded.select("area", "row"), "area").collect(engine="in-memory")
    grants = {a.area: a for a in report.grants}
    yield f'{{"scheme":{dumps(report.scheme)[:-1]},"areas":['
    for index, (area, joined) in enumerate(area_pieces(list(grants), rows)):
        a = grants[area]
        head = dumps({"area": a.area, "name": a.name, "scheme": a.scheme.name,
                      "maximum": money(a.maximum)})[:-2]  # without its closing brace and line end
        tail = dumps(a.tail_json())[1:-1]  # without its braces
        yield f'{"," if index else ""}{head},"targets":[{joined}],{tail}'
    yield f'],"total":{dumps(money(report.total))[:-1]}}}\n'


# Reports whose JSON is written from their frames, by the report's type.
PIECES: dict[str, Callable[[Any], Iterable[str]]] = {"ScoreReport": score_json, "RewardReport": reward_json,
                                                     "ProjectionReport": projection_json}


def json_chunks(report: Any, refused: list[dict[str, Any]] | None = None) -> Iterator[bytes]:
    """The report's JSON document in pieces. Score and reward reports are written an area at a
    time from their frames (`render.report_json`), so the document of a national run is never
    held whole; any other is `dumps`ed in one piece. With `refused` (a run with
    `--skip-invalid`, DESIGN.md §13) the document ends with the areas left out."""
    last = None
    for piece in _pieces_of(report):
        if last is not None:
            yield json_escaped(last).encode("utf-8")
        last = piece
    if last is None:
        return
    if refused is not None:
        assert last.endswith("}\n"), "a report with refused areas is one JSON object"
        last = last[:-2] + ',"refused":' + dumps(refused)[:-1] + "}\n"
    yield json_escaped(last).encode("utf-8")


def _pieces_of(report: Any) -> Iterable[str]:
    function = PIECES.get(type(report).__name__)
    return [dumps(report.to_json())] if function is None else function(report)


def render_json(report: Any, refused: list[dict[str, Any]] | None = None) -> bytes:
    """The report's JSON document, whole (the output layer writes `json_chunks` as they come)."""
    return b"".join(json_chunks(report, refused))
