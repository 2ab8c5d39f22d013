"""`laatool template` on the terminal: the rows the template pre-fills, with what each takes."""

from __future__ import annotations

from typing import Any

from laatool.base.money import decimal_text
from laatool.compute.template import Template
from laatool.render.values import visible


def template_table(report: Template) -> Any:
    from rich.table import Table

    table = Table(title=f"Returns template of {visible(report.name)}: {report.rows.height} row(s), "
                        f"{', '.join(report.years)}", title_justify="left")
    for column in ("indicator", "period", "subtarget", "title", "unit", "decimals", "range"):
        table.add_column(column, overflow="fold", no_wrap=column in ("indicator", "period"))
    for row in report.rows.iter_rows(named=True):
        low, high = row["range_min"], row["range_max"]
        limits = "" if low is None and high is None else \
            f"{'' if low is None else decimal_text(low)}..{'' if high is None else decimal_text(high)}"
        table.add_row(row["indicator"], row["period"], visible(row["subtarget"] or ""), visible(row["title"]),
                      row["unit"], str(row["decimals"]), limits)
    return table
