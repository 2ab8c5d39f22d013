"""Identifier and period normalisation (DESIGN.md §3), in Python and as polars expressions."""

from __future__ import annotations

import json

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laatool.base.ids import IdentifierError, check_slug, normalise_indicator_id, normalise_period, parse_period
from laatool.load.normalise import indicator_expr, period_expr


@pytest.mark.parametrize("text", ["NI 154", "NI154", "ni 154", "NI-154", "NI 0154", " ni 154 ", "Ni154", "ni-0154"])
def test_national_ids_normalise(text):
    assert normalise_indicator_id(text) == "NI 154"


@pytest.mark.parametrize("text", ["NI_154", "ni_0154", "NI  154", "NI--154", "NI -_- 154", "NI - 154"])
def test_a_national_id_spelt_otherwise_than_design_lists_is_an_error_naming_the_id(text):
    """DESIGN.md §3 accepts `NI154`, `ni 154`, `NI-154`, `NI 0154`: "anything else is an
    error" (an underscore or two separators were read as NI 154 without a word)."""
    with pytest.raises(IdentifierError) as raised:
        normalise_indicator_id(text)
    assert str(raised.value) == f"'{text}' is not an indicator id: write it 'NI 154'"
    assert pl.DataFrame({"indicator": [text]}).select(indicator_expr("indicator")).item() is None


@pytest.mark.parametrize("text,canonical", [("leeds-01", "LEEDS-01"), ("CUMBRIA-2", "CUMBRIA-2"), ("x1", "X1")])
def test_local_ids_normalise_to_upper_case(text, canonical):
    assert normalise_indicator_id(text) == canonical


@pytest.mark.parametrize("text", ["NI 0", "NI 200", "NI 1540", "NI154x", "leeds 01", "", "-x", "LEEDS--01", "NI 15 4"])
def test_bad_ids_are_rejected_with_a_message(text):
    with pytest.raises(IdentifierError, match="not"):
        normalise_indicator_id(text)


@pytest.mark.parametrize(
    "text,canonical",
    [
        ("2008-09", "2008-09"),
        ("2008/09", "2008-09"),
        ("2008-2009", "2008-09"),
        ("2008/2009", "2008-09"),
        ("2008-09 Q1", "2008-09 Q1"),
        ("2008/09 q4", "2008-09 Q4"),
        ("2008-09Q2", "2008-09 Q2"),
        ("2008", "2008"),
        (2008, "2008"),
        ("1999-00", "1999-00"),
        ("1999/2000", "1999-00"),
    ],
)
def test_periods_normalise(text, canonical):
    assert normalise_period(text) == canonical


@pytest.mark.parametrize("text", ["2008-10", "2008/2010", "2008-09 Q5", "2008-09 Q0", "08-09", "2008-9",
                                  "Q1 2008-09", "1800", "2008-09-01", "", "twenty"])
def test_malformed_periods_are_rejected(text):
    with pytest.raises(IdentifierError, match="is not a period"):
        normalise_period(text)


def test_periods_order_by_year_then_quarter():
    periods = [parse_period(p) for p in ["2009-10", "2008-09 Q4", "2008-09", "2008-09 Q1"]]
    assert [str(p) for p in sorted(periods)] == ["2008-09", "2008-09 Q1", "2008-09 Q4", "2009-10"]
    assert str(parse_period("2009").agreement_year) == "2009-10"
    assert str(parse_period("2008-09 Q3").year) == "2008-09"


@pytest.mark.parametrize("slug", ["leeds", "east-riding", "area-51"])
def test_slugs(slug):
    assert check_slug(slug) == slug


@pytest.mark.parametrize("slug", ["Leeds", "../x", "/etc/passwd", "east_riding", "-x", "x-", ""])
def test_bad_slugs(slug):
    with pytest.raises(IdentifierError):
        check_slug(slug)


def _python(normalise, text):
    try:
        return normalise(text)
    except IdentifierError:
        return None


id_text = st.one_of(
    st.from_regex(r"\A\s?[Nn][Ii][ \-_]?0{0,2}[0-9]{1,4}\s?\Z"),
    st.from_regex(r"\A[A-Za-z0-9\-]{1,12}\Z"),
    st.text(max_size=12),
)
period_text = st.one_of(
    st.from_regex(r"\A(19|20)[0-9]{2}[-/](19|20)?[0-9]{2}( ?[Qq][0-6])?\Z"),
    st.from_regex(r"\A[0-9]{4}\Z"),
    st.text(max_size=12),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(id_text, min_size=1, max_size=60))
def test_polars_indicator_expression_agrees_with_python(texts):
    frame = pl.DataFrame({"indicator": texts}, schema={"indicator": pl.String})
    assert frame.select(indicator_expr("indicator")).to_series().to_list() == [
        _python(normalise_indicator_id, t) for t in texts
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(period_text, min_size=1, max_size=60))
def test_polars_period_expression_agrees_with_python(texts):
    frame = pl.DataFrame({"period": texts}, schema={"period": pl.String})
    assert frame.select(period_expr("period")).to_series().to_list() == [
        _python(normalise_period, t) for t in texts
    ]


@pytest.mark.parametrize(("written", "said"), [(["other"], "a list is not an area slug: write one slug"),
                                               ({"a": "b"}, "a mapping is not an area slug: write one slug")])
def test_a_list_or_a_mapping_where_a_slug_goes_is_named_as_such_not_by_its_python_text(written, said):
    # a neighbour group's `tiny: [[other]]` said "['other']" is not an area slug
    with pytest.raises(IdentifierError) as refused:
        check_slug(written)
    assert str(refused.value) == said


def _examples_with(tmp_path, name: str, changes: list[tuple[str, str]]):
    """A copy of the examples with `leeds.yaml`'s texts replaced (each must be there)."""
    import shutil

    from conftest import EXAMPLES

    root = tmp_path / name
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    agreement = root / "agreements" / "leeds.yaml"
    text = agreement.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    agreement.write_text(text, encoding="utf-8")
    return root


def test_a_calendar_year_in_an_agreement_is_named_as_the_year_it_is_read_as(tmp_path):
    """NI 154 (by financial year) with its baseline written `2007` and its final target `2010`
    is read as 2007-08 and 2010-11 (A239 says so): score, reward-grant and project name those
    years, and give what the agreement written with them gives, byte for byte (the rows said
    `2010` and the change `from_period` `2007`)."""
    from conftest import EXAMPLES, invoke

    written = _examples_with(tmp_path, "calendar", [
        ("baseline: {period: 2007-08, value: 2940}\n    targets: {2008-09: 3200, 2009-10: 3500, 2010-11: 3800}",
         "baseline: {period: 2007, value: 2940}\n    targets: {2008-09: 3200, 2009-10: 3500, 2010: 3800}")])
    for command in ("score", "reward-grant", "project"):
        assert (invoke(["-w", written, command, "--format", "json"]).stdout
                == invoke(["-w", EXAMPLES, command, "--format", "json"]).stdout), command


def test_a_calendar_year_indicators_targets_keyed_by_calendar_year_fill_the_template_s_years(tmp_path):
    """NI 47 (by calendar year) with its targets keyed `2008`, `2009`, `2010`: the template's
    `targets` sheet gives them under 2008-09, 2009-10 and 2010-11, as when keyed by those years
    (its columns are the agreement's years, and the calendar keys were left out)."""
    import openpyxl

    from conftest import invoke

    root = _examples_with(tmp_path, "keys", [("targets: {2008-09: 360, 2009-10: 345, 2010-11: 330}",
                                              "targets: {2008: 360, 2009: 345, 2010: 330}")])
    invoke(["-w", root, "template", "--area", "leeds", "-o", tmp_path / "leeds.xlsx"])
    rows = list(openpyxl.load_workbook(tmp_path / "leeds.xlsx")["targets"].iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "indicator")
    (line,) = [dict(zip(header, row, strict=True)) for row in rows if row and row[0] == "NI 47"]
    assert (line["2008-09"], line["2009-10"], line["2010-11"]) == (360, 345, 330)


def test_the_report_names_a_baseline_written_as_a_calendar_year_as_read(tmp_path):
    """NI 154's baseline written `2007` is read as 2007-08: the board report's workbook names
    that year, as score's change does (it named the year as written)."""
    import openpyxl

    from conftest import invoke

    root = _examples_with(tmp_path, "baseline", [("baseline: {period: 2007-08, value: 2940}",
                                                  "baseline: {period: 2007, value: 2940}")])
    invoke(["-w", root, "report", "--area", "leeds", "-o", tmp_path / "leeds.xlsx"])
    rows = list(openpyxl.load_workbook(tmp_path / "leeds.xlsx")["leeds"].iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Ref")
    line = dict(zip(header, next(row for row in rows if row and row[0] == "NI 154"), strict=False))
    assert line["Baseline period"] == "2007-08"


def test_a_change_names_the_earlier_year_as_the_rows_name_it(tmp_path):
    """NI 47 (by calendar year) with its targets keyed `2008`, `2009`, `2010`: its rows are
    named so, and each row's change is from the row before it by that name, which a script
    joins to `period` (it said `2008-09` and `2009-10`, the agreement years of the returns,
    which no row is named)."""
    from conftest import invoke

    root = _examples_with(tmp_path, "keys", [("targets: {2008-09: 360, 2009-10: 345, 2010-11: 330}",
                                              "targets: {2008: 360, 2009: 345, 2010: 330}")])
    leeds = json.loads(invoke(["-w", root, "score", "--area", "leeds", "--format", "json"]).stdout)["areas"][0]
    rows = [(row["period"], row["change"]["from_period"]) for row in leeds["rows"] if row["indicator"] == "NI 47"]
    assert rows == [("2008", "2007"), ("2009", "2008"), ("2010", "2009")]  # the baseline as written, `2007`
    # One year asked for (`--period`, in either spelling): the same row, its change named the same (it
    # said `2009-10`: the earlier row is not in this output, but it is the agreement's, named `2009`)
    for period in ("2010", "2010-11"):
        one = json.loads(invoke(["-w", root, "score", "--area", "leeds", "--period", period, "--format", "json"]
                                ).stdout)["areas"][0]
        assert [row for row in one["rows"] if row["indicator"] == "NI 47"] == [
            row for row in leeds["rows"] if row["indicator"] == "NI 47" and row["period"] == "2010"]
