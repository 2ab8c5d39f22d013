"""Properties of the normalisers and loaders on arbitrary input (hypothesis, bounded examples).

Whatever a user writes, ids and periods normalise or raise `IdentifierError`, numbers read as
the decimal written (or not at all), YAML loads or raises `YamlProblem`, and a returns file of
any bytes gives a frame and findings, never an exception.
"""

from __future__ import annotations

import decimal
import re
import string
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from laatool.base.ids import (
    WHITESPACE,
    IdentifierError,
    Period,
    check_slug,
    normalise_indicator_id,
    normalise_period,
    parse_period,
)
from laatool.base.numbers import exact_text, text_beyond
from laatool.load.normalise import normalise_returns, number_expr, parse_numbers
from laatool.load.returns import read_returns
from laatool.load.returns_table import RAW_SCHEMA
from laatool.load.yamlio import YamlProblem, load_yaml

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Anything a YAML value can hold where an id or a period belongs.
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


# --- ids and periods ------------------------------------------------------------------------

@FAST
@given(values)
def test_normalisers_raise_only_identifier_errors(value):
    for normalise in (normalise_indicator_id, normalise_period, check_slug):
        try:
            normalise(value)
        except IdentifierError as error:
            assert str(error)  # a sentence saying what was expected


@FAST
@given(st.text(max_size=16) | st.from_regex(r"\A\s?[Nn][Ii][ \-_]?0?[0-9]{1,3}\s?\Z"))
def test_a_normalised_id_is_its_own_normal_form(text):
    try:
        canonical = normalise_indicator_id(text)
    except IdentifierError:
        return
    assert normalise_indicator_id(canonical) == canonical
    assert canonical == canonical.strip(WHITESPACE) and canonical.upper() == canonical


@FAST
@given(st.integers(1990, 2099), st.integers(0, 4), st.booleans())
def test_every_period_reads_back_from_its_text(start, quarter, calendar):
    period = Period(start, 0 if calendar else quarter, calendar)
    assert parse_period(str(period)) == period
    if not calendar:  # the long spelling with a slash, spaces and a lower-case quarter
        assert normalise_period(f" {start}/{start + 1}{f' q{quarter}' if quarter else ''} ") == str(period)


@FAST
@given(st.text(alphabet=string.ascii_letters + string.digits + "-./\\ _~", max_size=12))
def test_an_accepted_slug_is_a_plain_file_name(text):
    """A slug names `agreements/<slug>.yaml`: it can never climb out of that folder."""
    try:
        slug = check_slug(text)
    except IdentifierError:
        return
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)


def test_equal_values_of_other_types_are_not_confused():
    """2008 == Decimal('2008.0'), but '2008.0' is not a period, whichever is read first."""
    assert normalise_period(2008) == "2008"
    with pytest.raises(IdentifierError):
        normalise_period(Decimal("2008.0"))


# --- numbers ----------------------------------------------------------------------------------

THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
PLAIN = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
LARGEST = Decimal(10) ** 28  # Decimal(38, 10) holds 28 digits before the point


def plain_text(text: str | None) -> str | None:
    """A number cell's text without spaces around it or thousands separators."""
    if text is None:
        return None
    stripped = text.strip(WHITESPACE)
    return stripped.replace(",", "") if THOUSANDS.fullmatch(stripped) else stripped


def reference(text: str | None) -> Decimal | None:
    """What README.md and docs/decisions.md say a number cell means, in plain Python."""
    stripped = plain_text(text)
    if stripped is None or not PLAIN.fullmatch(stripped):
        return None
    return Decimal(stripped)


def comparable(expected: Decimal | None) -> bool:
    """Within what Decimal(38, 10) holds exactly (the frame's own column)."""
    if expected is None:
        return True
    if expected.copy_abs() >= LARGEST:  # (no context: abs() of 1E1000000 overflows the default one)
        return False
    with decimal.localcontext(decimal.Context(prec=200)):  # quantizing 1E20 to 1e-10 needs 31 digits
        return expected == expected.quantize(Decimal("1e-10"))


def spellings(number: Decimal) -> st.SearchStrategy[str]:
    """Ways a spreadsheet or a person writes `number`."""
    plain = format(number, "f")
    whole, _, fraction = plain.lstrip("-").partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    sign = "-" if number < 0 else ""
    pad = st.sampled_from(["", " ", "  ", "\t", "\u00a0", " \r\n"])
    exponent = f"{number:e}" if number else plain
    body = st.sampled_from([plain, sign + grouped, exponent, plain if sign else "+" + plain])
    return st.tuples(pad, body, pad).map("".join)


decimals = st.decimals(min_value=-(10**15), max_value=10**15, places=4, allow_nan=False, allow_infinity=False)
# Up to 33 significant digits at any size from 1e-35 to 1e35: within laatool's limits and beyond
long_decimals = st.builds(lambda digits, exponent: Decimal(digits).scaleb(exponent),
                          st.integers(-(10**33), 10**33), st.integers(-45, 10))
cells = st.one_of(decimals.flatmap(spellings), long_decimals.map(lambda d: format(d, "f")),
                  long_decimals.map(str), st.text(max_size=10),
                  st.from_regex(r"\A[ +\-.,0-9eE%]{1,12}\Z"), st.none())


@FAST
@given(st.lists(cells, min_size=1, max_size=12))
# 31 digits that Decimal(38, 10) holds; 31 digits with zeros after the point; 1.5 in 252 characters
@example(["1234567890123456789012.123456789", "-123456789012345678901234567.0000100",
          "0" * 250 + "1.5", "50.60000000000005", "-0.00000000000000000000000000001"])
def test_numbers_read_as_the_decimal_written(texts):
    """Every number within the limits is read exactly, whatever its places; beyond them (or
    written in more than 200 characters) it is marked (R321) and has no value; anything else
    filled in is not a number (R305)."""
    expected = [reference(t) for t in texts]
    series = pl.Series("value", texts, dtype=pl.String)
    numbers, unparsed, beyond_limits, exact = parse_numbers(series)
    read = [Decimal(e) if e is not None else n for n, e in zip(numbers.to_list(), exact.to_list(), strict=True)]
    outside = [e is not None and text_beyond(plain_text(t)) is not None  # type: ignore[arg-type]  # a number's text
               for t, e in zip(texts, expected, strict=True)]
    assert read == [None if out else e for e, out in zip(expected, outside, strict=True)]
    assert beyond_limits.to_list() == outside
    # the frame's column is the value itself wherever it holds it exactly, within the limits
    held = [comparable(e) and not out for e, out in zip(expected, outside, strict=True)]
    assert [n for n, h in zip(numbers.to_list(), held, strict=True) if h] == \
        [e for e, h in zip(expected, held, strict=True) if h]
    assert exact.to_list() == [None if comparable(e) or out else exact_text(e)
                               for e, out in zip(expected, outside, strict=True)]
    # R305 reports a filled-in cell that is not a number; a blank one means "not reported"
    assert unparsed.to_list() == [n is None and t is not None and t.strip(WHITESPACE) != ""
                                  for t, n in zip(texts, expected, strict=True)]
    expressed = series.to_frame().select(number_expr("value")).to_series().to_list()
    assert [n for n, e in zip(expressed, expected, strict=True) if comparable(e)] == \
        [e for e in expected if comparable(e)]


@pytest.mark.parametrize("text, number", [("1,234", "1234"), ("-1,234.50", "-1234.5"), (" 5 ", "5"),
                                          ("\u00a012,345,678\t", "12345678"), ("1e3", "1000"), ("+.5", "0.5")])
def test_excel_style_numbers_that_are_accepted(text, number):
    assert parse_numbers(pl.Series([text]))[0].to_list() == [Decimal(number)]


@pytest.mark.parametrize("text", ["12%", "1.234,5", "n/a", "1,23", "1,2345", "1 234", "£5", "NaN", "inf", "0x1F", "-",
                                  "0,375", "-0,037", "0,000", "01,234"])  # a first group of 0: a decimal comma
def test_excel_style_numbers_that_are_findings(text):
    numbers, unparsed, *_ = parse_numbers(pl.Series([text]))
    assert numbers.to_list() == [None] and unparsed.to_list() == [True]


# --- loaders ----------------------------------------------------------------------------------

yaml_tokens = st.sampled_from([
    "a", "b", ": ", "- ", "\n", "  ", "[", "]", "{", "}", ", ", "&x ", "*x", "!!str ", "!!python/name:os ",
    "<<: ", "? ", "'", '"', "#", "|", ">", "---\n", "%TAG ", "1", "0.1", "2008-09", "~", "\t", "\\u0000",
])
yaml_bytes = st.one_of(st.binary(max_size=200), st.lists(yaml_tokens, max_size=40).map(lambda t: "".join(t).encode()))


@settings(max_examples=300, deadline=None)
@given(yaml_bytes)
def test_load_yaml_raises_only_yaml_problems(raw):
    try:
        load_yaml(raw)
    except YamlProblem as problem:
        assert problem.kind in {"syntax", "duplicate-key", "bomb", "encoding", "size", "empty"}
        assert problem.mark.line >= 1 and problem.mark.column >= 1


csv_tokens = st.sampled_from([
    "area", "indicator", "period", "value", "status", "note", ",", "\n", "\r\n", '"', '""', "leeds", "NI 8",
    "2008-09", "12.5", "1,234", "=1+2", " ", "\ufeff", "\x00", "\xa3", "provisional", "Area ", "VALUE",
])
table_bytes = st.one_of(
    st.binary(max_size=300),
    st.lists(csv_tokens, max_size=60).map(lambda t: "".join(t).encode("utf-8")),
    st.lists(csv_tokens, max_size=60).map(lambda t: "area,indicator,period,value\n" + "".join(t)).map(str.encode),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table_bytes | yaml_bytes, st.sampled_from([".csv", ".yaml", ".xlsx", ".parquet"]))
def test_read_returns_never_raises_on_any_bytes(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("returns") / f"r{suffix}"
    path.write_bytes(raw)
    frame, findings = read_returns([(path, f"returns/r{suffix}")])
    assert dict(frame.schema) == RAW_SCHEMA
    assert all(f.file == f"returns/r{suffix}" and f.code[0] in "YSR" for f in findings)
    normalise_returns(frame)


text_cells = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(text_cells, text_cells), min_size=1, max_size=5), st.sampled_from(["csv", "xlsx", "parquet"]))
def test_text_cells_read_back_as_written(tmp_path_factory, rows, kind):
    """Whatever text a cell holds (quotes, commas, '=', non-ASCII), it reads back unchanged."""
    subtargets = [subtarget for subtarget, _ in rows]
    areas = [area for _, area in rows]
    frame = pl.DataFrame({"area": areas, "indicator": ["NI 8"] * len(rows), "period": ["2008-09"] * len(rows),
                          "value": ["1"] * len(rows), "subtarget": subtargets, "note": subtargets})
    path = tmp_path_factory.mktemp("returns") / f"r.{kind}"
    getattr(frame, f"write_{'excel' if kind == 'xlsx' else kind}")(path)
    raw, findings = read_returns([(path, "r")])
    assert findings == []
    blank = lambda texts: [t if t != "" else None for t in texts]  # noqa: E731 - an empty cell is blank
    assert blank(raw["subtarget"].to_list()) == blank(subtargets)
    assert "note" not in raw.columns  # accepted, and not kept: nothing reads it
    assert blank(raw["area"].to_list()) == blank(areas)


