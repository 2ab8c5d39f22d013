"""`laatool template` on the terminal: the rows the template pre-fills, with what each takes."""

from __future__ import annotations

from typing import Any

from laatool.compute.template import Template
from laatool.render.values import range_text, visible


def template_table(report: Template) -> Any:
    """The rows to fill in: the indicator, period and sub-target whole, the title shortened."""
    from laatool.render.fit import Column, Fitted, Row

    columns = [Column("indicator"), Column("period"), Column("subtarget"), Column("title", kind="title", least=10),
               Column("unit", step=2), Column("decimals", "right", step=1), Column("range", "right")]
    rows: list[Row] = []
    for row in report.row_dicts():
        rows.append([row["indicator"], row["period"], visible(row["subtarget"] or ""), visible(row["title"]),
                     row["unit"], str(row["decimals"]), range_text(row["range_min"], row["range_max"])])
    return Fitted(columns, rows, title=f"Returns template of {visible(report.name)}: {report.rows.height} row(s), "
                                       f"{', '.join(report.years)}")
