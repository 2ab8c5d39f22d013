"""The returns template as a workbook (DESIGN.md §12), written with xlsxwriter.

Sheet `returns` first (what `laatool validate` reads): §4.3's columns, a pre-filled row per
(sub-)target indicator and period due with `area`, `indicator`, `period` and `subtarget`
locked, the rest open, each with the checks Excel can make and a prompt naming the unit and
decimals. Then `targets` (read-only), `guidance` (one correct example per column) and
`sign-off` (ignored on reading). The workbook's properties carry a fixed date, so the same
inputs give the same bytes.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from laatool.base.money import decimal_text
from laatool.compute.template import Template
from laatool.load.returns_table import LARGEST, RETURN_COLUMNS
from laatool.render.values import cell_text, sheet_text
from laatool.render.xlsx import FIXED_DATE, exact_float, for_print, places, text_workbook

KEY_COLUMNS = ("area", "indicator", "period", "subtarget")
WIDTHS = {"area": 14, "indicator": 11, "period": 12, "value": 12, "subtarget": 14, "note": 40}
STATUSES = ["final", "provisional"]
ANY_NUMBER = {"validate": "decimal", "criteria": "between", "minimum": -float(LARGEST), "maximum": float(LARGEST)}
# Excel's `between` takes its ends, and a number typed keeps 15 significant digits: the largest
# it holds below 10^15, the least value R306 refuses, is 999,999,999,999,999
BELOW_LARGEST = LARGEST - 1
OTHER_CHECKS: dict[str, dict[str, Any]] = {
    "numerator": {"validate": "decimal", "criteria": ">=", "value": 0,
                  "input_title": "numerator", "input_message": "The count the value is worked out from (0 or more)."},
    "denominator": {"validate": "decimal", "criteria": ">", "value": 0,
                    "input_title": "denominator", "input_message": "The count the numerator is part of (above 0)."},
    "sample_size": {"validate": "integer", "criteria": ">=", "value": 1,
                    "input_title": "sample_size", "input_message": "Survey respondents: a whole number, 1 or more."},
    "lower_ci": {**ANY_NUMBER, "input_title": "lower_ci", "input_message": "Lower limit of the value's interval."},
    "upper_ci": {**ANY_NUMBER, "input_title": "upper_ci", "input_message": "Upper limit of the value's interval."},
    "status": {"validate": "list", "source": STATUSES, "input_title": "status",
               "input_message": "final (or blank), or provisional."},
}
# Each column's meaning and an example (the examples of one return: 210 of 1,000 is 21.0%, the
# interval around it); the area and the sub-target are the template's own (`_guidance_sheet`).
GUIDANCE = [
    ("area", "yes", "The area's slug, as its agreement's file name (filled in).", None),
    ("indicator", "yes", "The indicator id: NI 154, or a local id such as LEEDS-01 (filled in).", "NI 8"),
    ("period", "yes", "2008-09 for a year, 2008-09 Q1 for a quarter (April to June), 2008 for a calendar "
     "year (filled in; kept as text).", "2008-09"),
    ("value", "yes", "The value in the indicator's unit, to its published decimals; a percentage as 47.1, "
     "not 0.471. Blank means not reported.", "21.0"),
    ("subtarget", "no", "The sub-target's id, where the agreement splits the target (filled in).", None),
    ("numerator", "no", "The count the value is worked out from.", "210"),
    ("denominator", "no", "The count the numerator is part of; value = numerator / denominator x 100 for a "
     "percentage.", "1000"),
    ("sample_size", "no", "For a survey: the respondents who answered the question.", "1000"),
    ("lower_ci", "no", "For a survey: the lower limit of its confidence interval.", "18.6"),
    ("upper_ci", "no", "For a survey: the upper limit of its confidence interval.", "23.6"),
    ("status", "no", "final (blank means final) or provisional.", "final"),
    ("note", "no", "Why a value changed much, or anything a reader should know.", "New definition from 2009-10"),
]
SIGN_OFF = ["Name", "Role", "Date", "Certified (yes/no)"]


def template_workbook(report: Template) -> bytes:
    buffer = io.BytesIO()
    workbook = text_workbook(buffer)
    workbook.set_properties({"title": sheet_text(f"Returns for {report.name}"), "created": FIXED_DATE,
                             "author": "laatool", "comments": ""})
    styles = {
        "header": workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1}),
        "key": workbook.add_format({"num_format": "@", "bg_color": "#F2F2F2"}),
        "open": workbook.add_format({"locked": False}),
        "open_text": workbook.add_format({"locked": False, "num_format": "@"}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    _returns_sheet(workbook, report, styles)
    _targets_sheet(workbook, report, styles)
    _guidance_sheet(workbook, report, styles)
    _sign_off_sheet(workbook, report, styles)
    workbook.close()
    return buffer.getvalue()


def _returns_sheet(workbook: Any, report: Template, styles: dict[str, Any]) -> None:
    sheet = workbook.add_worksheet("returns")
    for index, column in enumerate(RETURN_COLUMNS):
        sheet.write_string(0, index, column, styles["header"])
        locked = column in KEY_COLUMNS
        style = styles["key"] if locked else styles["open_text" if column in ("status", "note") else "open"]
        sheet.set_column(index, index, WIDTHS.get(column, 12), style)
    rows = report.row_dicts()
    for number, row in enumerate(rows, start=1):
        for index, column in enumerate(RETURN_COLUMNS):
            if column in KEY_COLUMNS:
                sheet.write_string(number, index, cell_text(row[column]), styles["key"])
    last = len(rows)
    if last:
        value = RETURN_COLUMNS.index("value")
        for (first, final), check in _value_checks(rows):
            sheet.data_validation(first, value, final, value, check)
        for column, check in OTHER_CHECKS.items():
            index = RETURN_COLUMNS.index(column)
            sheet.data_validation(1, index, last, index, {**check, "error_type": "stop"})
    sheet.freeze_panes(1, 0)
    for_print(sheet, 0)
    sheet.autofilter(0, 0, max(last, 1), len(RETURN_COLUMNS) - 1)
    sheet.protect("", {"autofilter": True, "sort": False, "format_columns": True})
    sheet.activate()


def _value_checks(rows: list[dict[str, Any]]) -> list[tuple[tuple[int, int], dict[str, Any]]]:
    """The value column's check for each run of rows whose indicator allows the same values."""
    runs: list[tuple[tuple[int, int], dict[str, Any]]] = []
    for number, row in enumerate(rows, start=1):
        check = value_check(row)
        if runs and runs[-1][1] == check and runs[-1][0][1] == number - 1:
            runs[-1] = ((runs[-1][0][0], number), check)
        else:
            runs.append(((number, number), check))
    return runs


def value_check(row: dict[str, Any]) -> dict[str, Any]:
    """Excel's check and prompt for a row's value: whole numbers for a count, else decimals,
    within the indicator's range (DESIGN.md §12)."""
    low, high = row["range_min"], row["range_max"]
    kind = "integer" if row["unit"] == "count" else "decimal"
    # validate refuses 10^15 or more either way (R306), whatever the range: so does the check
    low = low if low is not None and low > -BELOW_LARGEST else None
    high = high if high is not None and high < BELOW_LARGEST else None
    limits = {"criteria": "between", "minimum": _number(-BELOW_LARGEST if low is None else low),
              "maximum": _number(BELOW_LARGEST if high is None else high)}
    if low is not None and high is not None:
        allowed = f"from {decimal_text(low)} to {decimal_text(high)}"
    elif low is not None:
        allowed = f"{decimal_text(low)} or more, below 10^15"
    elif high is not None:
        allowed = f"{decimal_text(high)} or less, above -10^15"
    else:
        allowed = "any number above -10^15 and below 10^15"
    places = row["decimals"]
    unit = "a whole number (a count)" if kind == "integer" else f"{row['unit']}, {places} decimal place(s)"
    if row["unit"] == "percent":
        unit += "; 47.1 for 47.1%, not 0.471"
    # the title is the indicator's, as written: its control characters as escapes (`sheet_text`)
    # at most 255 characters (Excel's limit): a long title is shortened, never the unit or range
    rule = sheet_text(f": {unit}; {allowed}.")
    title = sheet_text(row["title"])
    if len(title) + len(rule) > 255:
        title = title[:max(255 - len(rule) - 1, 0)] + "…"
    message = (title + rule)[:255]
    return {"validate": kind, **limits, "input_title": sheet_text(f"{row['indicator']} value")[:32],
            "input_message": message, "error_type": "stop", "error_title": "Not a valid value",
            "error_message": sheet_text(f"{row['indicator']} takes {unit}; {allowed}.")[:255]}


def _number(value: Decimal) -> int | float:
    """A limit as Excel holds numbers (doubles; a whole number stays an integer)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _targets_sheet(workbook: Any, report: Template, styles: dict[str, Any]) -> None:
    sheet = workbook.add_worksheet("targets")
    sheet.write_string(0, 0, cell_text(f"Targets of {report.name} (read-only)"), styles["title"])
    rows = report.target_rows()
    for index, column in enumerate(rows[0] if rows else report.targets.columns):
        sheet.write_string(2, index, column, styles["header"])
        sheet.set_column(index, index, 40 if column == "title" else 13)
    formats: dict[int, Any] = {}
    for number, row in enumerate(rows, start=3):
        for index, (column, value) in enumerate(row.items()):
            if value is None:
                continue
            if isinstance(value, Decimal):
                # shown to the indicator's decimals, or to the places it was written with (a
                # weight to its own places: it is not a value of the indicator)
                shown = places(value) if column == "weight" else max(row["decimals"] or 0, places(value))
                style = formats.setdefault(shown, workbook.add_format(
                    {"num_format": "0" if shown == 0 else "0." + "0" * shown}))
                if (held := exact_float(value)) is None:  # more than a double holds: its exact text
                    sheet.write_string(number, index, decimal_text(value))
                else:
                    sheet.write_number(number, index, held, style)
            elif isinstance(value, bool):
                sheet.write_string(number, index, "yes" if value else "no")
            elif isinstance(value, int):
                sheet.write_number(number, index, value)
            else:
                sheet.write_string(number, index, cell_text(value))
    sheet.freeze_panes(3, 2)
    for_print(sheet, 2)
    sheet.protect()


def _guidance_sheet(workbook: Any, report: Template, styles: dict[str, Any]) -> None:
    sheet = workbook.add_worksheet("guidance")
    sheet.write_string(0, 0, "How to fill in the returns sheet", styles["title"])
    sheet.write_string(1, 0, cell_text(
        f"One row per value of {report.name}'s targets. Type values in the open columns only; keep the "
        "filled-in columns as they are. `laatool validate` checks the whole file again."))
    for index, column in enumerate(("column", "required", "what it holds", "a correct example")):
        sheet.write_string(3, index, column, styles["header"])
    subtargets = report.rows.get_column("subtarget").drop_nulls()
    own = {"area": report.area,
           "subtarget": subtargets[0] if len(subtargets) else "(blank: none in this agreement)"}
    for number, (column, required, meaning, example) in enumerate(GUIDANCE, start=4):
        sheet.write_string(number, 0, column)
        sheet.write_string(number, 1, required)
        sheet.write_string(number, 2, meaning, styles["wrap"])
        sheet.write_string(number, 3, cell_text(own.get(column, example)))
    sheet.set_column(0, 1, 12)
    sheet.set_column(2, 2, 80)
    sheet.set_column(3, 3, 28)
    for_print(sheet, None)
    sheet.protect()


def _sign_off_sheet(workbook: Any, report: Template, styles: dict[str, Any]) -> None:
    sheet = workbook.add_worksheet("sign-off")
    sheet.write_string(0, 0, cell_text(f"Sign-off of {report.name}'s returns (not read by laatool)"),
                       styles["title"])
    for number, label in enumerate(SIGN_OFF, start=2):
        sheet.write_string(number, 0, label, styles["header"])
        sheet.write_blank(number, 1, None, styles["open_text"])
    certified = 2 + len(SIGN_OFF) - 1
    sheet.data_validation(certified, 1, certified, 1, {"validate": "list", "source": ["yes", "no"]})
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 40)
    for_print(sheet, None)
    sheet.protect()
