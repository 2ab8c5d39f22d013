"""The YAML loader: exact locations for errors, duplicate keys, hostile files, exact numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import write
from laatool.base.models import Agreement, Indicator, Settings
from laatool.load.documents import load_document
from laatool.load.yamlio import MAX_NODES, Mark, YamlProblem, load_yaml

AGREEMENT = """\
area: leeds
name: Leeds
periods: [2008-09, 2009-10, 2010-11]
targets:
  - indicator: NI 154
    kind: designated
    baseline: {period: 2007-08, value: 2940}
    targets: {2008-09: 3200, 2010-11: 3800}
"""


def _agreement(tmp_path, text):
    path = write(tmp_path, {"agreements/leeds.yaml": text}) / "agreements" / "leeds.yaml"
    return load_document(path, "agreements/leeds.yaml", Agreement)


def test_numbers_are_the_decimals_written():
    data = load_yaml(b"a: 0.1\nb: 3200\nc: 8.60\nd: '12'\n").data
    assert data == {"a": Decimal("0.1"), "b": 3200, "c": Decimal("8.60"), "d": "12"}
    assert isinstance(data["a"], Decimal) and not isinstance(data["a"], float)


@pytest.mark.parametrize(("written", "column", "number"), [
    # DESIGN.md §4.2's example as Word shows money: the items 412, 0, 0, 96, 0, 0, a maximum of £12.70
    ("reward: {scheme: lpsa2, net_budget_requirement: [412,000,000, 96,000,000]}", 50, "412,000,000"),
    ("reward: {scheme: lpsa2, maximum: 1,000,000.50}", 34, "1,000,000.50"),
    ("reward: {scheme: lpsa2, net_budget_requirement: [100000000, 32,993,000]}", 61, "32,993,000"),
])
def test_a_number_with_thousands_separators_in_brackets_is_refused_not_read_as_several(tmp_path, written, column,
                                                                                       number):
    loaded, findings = _agreement(tmp_path, AGREEMENT + written + "\n")
    assert loaded is None
    plain = number.replace(",", "")
    assert [(f.code, f.line, f.column, f.message, f.hint) for f in findings] == [
        ("Y001", 9, column, f"{number} is read as the separate items {', '.join(number.split(','))}: inside [...] "
         "or {...} a comma separates items", f"write the number without thousands separators ({plain}), or, for "
         "several numbers, put a space after each comma")]


@pytest.mark.parametrize(("written", "column", "joined"), [
    # a separator slipped, a comma in the wrong place, a decimal comma: YAML read 380500 and
    # 000.00 (a maximum of £2,089,512.50 for £11,592,500.00), 380 and 500000.00, 380500000 and
    # 50, all valid numbers; a part that starts with a nought, or a bare comma in a list whose
    # other commas have a space after them, is no list of numbers anyone wrote
    ("reward: {scheme: lpsa2, net_budget_requirement: [380500,000.00, 83200000.00]}", 50, "380500,000.00"),
    ("reward: {scheme: lpsa2, net_budget_requirement: [380,500000.00, 83200000.00]}", 50, "380,500000.00"),
    ("reward: {scheme: lpsa2, net_budget_requirement: [380500000,50, 83200000.00]}", 50, "380500000,50"),
    ("reward: {scheme: lpsa2, net_budget_requirement: [83200000.00, 380500000,50]}", 63, "380500000,50"),
])
def test_a_number_with_a_comma_slipped_into_a_list_is_refused_not_read_as_two(tmp_path, written, column, joined):
    loaded, findings = _agreement(tmp_path, AGREEMENT + written + "\n")
    assert loaded is None
    assert [(f.code, f.line, f.column, f.message, f.hint) for f in findings] == [
        ("Y001", 9, column, f"{joined} is read as the separate items {', '.join(joined.split(','))}: inside [...] "
         "or {...} a comma separates items", "write each number without a comma in it (no thousands separators, "
         "a point before decimals), and put a space after each comma between numbers")]


@pytest.mark.parametrize("written", ["[1,2,3]", "[1, 2, 3]", "[0.5,0.5]", "[100000000,32993000]", "[a,000]",
                                     "['1',000]", "{min: 0,max: 100}", "[0.25,0.25, 0.5]"])
def test_lists_written_without_spaces_are_read_as_written(written):
    assert load_yaml(f"x: {written}\n".encode()).data["x"] is not None


def test_a_valid_agreement_loads_with_normalised_ids_and_periods(tmp_path):
    text = AGREEMENT.replace("NI 154", "ni-0154").replace("2008-09: 3200", "2008/2009: 3200")
    loaded, findings = _agreement(tmp_path, text)
    assert findings == []
    target = loaded.model.targets[0]
    assert target.indicator == "NI 154"
    assert target.targets == {"2008-09": Decimal(3200), "2010-11": Decimal(3800)}
    assert loaded.line_of("targets", 0, "baseline") == (7, 15)


def test_duplicate_key_is_reported_at_its_exact_line_and_column(tmp_path):
    text = AGREEMENT.replace("    kind: designated\n", "    kind: designated\n    kind: local\n")
    loaded, findings = _agreement(tmp_path, text)
    assert loaded is None
    assert [(f.code, f.line, f.column) for f in findings] == [("Y002", 7, 5)]
    assert "duplicate key 'kind' (first at line 6)" in findings[0].message


def test_a_key_repeated_in_a_list_item_suggests_the_dash_left_out(tmp_path):
    """A second target written without its `- ` repeats the first one's keys: Y002 says what
    most likely happened (its hint said to delete one of the two, a whole target's key); a key
    repeated outside a list keeps the plain hint."""
    text = AGREEMENT.replace("    kind: designated\n", "    kind: designated\n    indicator: NI 8\n")
    _, findings = _agreement(tmp_path, text)
    assert [(f.code, f.line, f.column, f.hint) for f in findings] == [
        ("Y002", 7, 5, "if line 7 begins the next item of the list, write '- ' before 'indicator'; else keep one of "
                       "the two entries and delete the other")]
    _, findings = _agreement(tmp_path, AGREEMENT.replace("name: Leeds\n", "name: Leeds\nname: Leeds\n"))
    assert [(f.code, f.hint) for f in findings] == [("Y002", "keep one of the two entries and delete the other")]


@pytest.mark.parametrize(("old", "new", "said"), [
    ("baseline: {period: 2007-08, value: 2940}", "baseline: 2940",
     "targets[0].baseline: 2940 is a single value, where a mapping of keys is written: "
     "{period: 2007-08, value: 12.10}"),
    ("targets: {2008-09: 3200, 2010-11: 3800}", "targets: [3200, 3800]",
     "targets[0].targets: it is a list, where a mapping of keys is written: each period with its target, "
     "{2008-09: 11.60, 2009-10: 11.10}"),
])
def test_a_value_where_a_mapping_is_written_shows_the_form(tmp_path, old, new, said):
    """S003 said "Input should be a valid dictionary or instance of Baseline", the words of the
    library that checks the format, and a list was quoted as Python writes it."""
    _, findings = _agreement(tmp_path, AGREEMENT.replace(old, new))
    assert [(f.code, f.message) for f in findings] == [("S003", said)]


def test_a_type_error_is_reported_at_the_value(tmp_path):
    text = AGREEMENT.replace("value: 2940", "value: lots")
    _, findings = _agreement(tmp_path, text)
    assert [(f.code, f.file, f.line, f.column) for f in findings] == [("S003", "agreements/leeds.yaml", 7, 40)]
    assert findings[0].message.startswith("targets[0].baseline.value:")


def test_a_typo_in_a_key_is_an_unknown_key_with_a_suggestion(tmp_path):
    _, findings = _agreement(tmp_path, AGREEMENT.replace("    targets:", "    tragets:"))
    assert [(f.code, f.line, f.column) for f in findings] == [("S001", 8, 5)]
    assert "did you mean 'targets'?" in findings[0].message


def test_a_missing_key_points_at_its_parent(tmp_path):
    _, findings = _agreement(tmp_path, AGREEMENT.replace("    kind: designated\n", ""))
    assert [(f.code, f.line, f.message) for f in findings] == [("S002", 5, "missing key 'kind' at targets[0]")]


def test_a_malformed_period_key_is_reported_at_that_key(tmp_path):
    _, findings = _agreement(tmp_path, AGREEMENT.replace("2010-11: 3800", "2010-12: 3800"))
    assert [(f.code, f.line) for f in findings] == [("S003", 8)]
    assert "'2010-12' is not a period" in findings[0].message


def test_syntax_error_location(tmp_path):
    # the brace left open in line 8, where it is to be closed: the parser stops at the end, line 9
    _, findings = _agreement(tmp_path, AGREEMENT.replace("2010-11: 3800}", "2010-11: 3800"))
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [
        ("Y001", 8, 14, "YAML syntax: in the {…} that opens here, did not find expected ',' or '}' (line 9, column 1)")]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("name: 'Leeds\n", 2, "YAML syntax: in the quoted text that opens here, found unexpected end of stream "
                          "(line 9, column 1)"),
    ("periods: [2008-09, 2009-10, 2010-11\n", 3, "YAML syntax: in the […] that opens here, did not find expected "
                                                "',' or ']' (line 4, column 8)"),
    # a comma left out inside one line: the place the parser stops is the place to fix
    ("periods: [2008-09, {2009-10: 1]\n", 3, "YAML syntax: did not find expected ',' or '}'"),
])
def test_a_bracket_or_quote_left_open_is_reported_where_it_opens(tmp_path, text, line, message):
    first, key = text.split(":")[0], text.split(":")[0] + ":"
    original = next(row for row in AGREEMENT.splitlines() if row.startswith(key))
    _, findings = _agreement(tmp_path, AGREEMENT.replace(original + "\n", text))
    assert [(f.code, f.line, f.message) for f in findings] == [("Y001", line, message)], first


def test_indentation_by_a_non_breaking_space_is_named_at_its_line(tmp_path):
    # a paste from a word processor: the parser gives up a line later, on "did not find expected key"
    text = AGREEMENT.replace("    baseline:", "\u00a0   baseline:")
    loaded, findings = _agreement(tmp_path, text)
    assert loaded is None
    assert [(f.code, f.line, f.column, f.message, f.hint) for f in findings] == [
        ("Y001", 7, 1, "line 7 is indented with a non-breaking space (U+00A0), which YAML does not count as "
         "indentation", "replace the indentation of that line with ordinary spaces")]


def test_indentation_by_a_tab_is_named_at_its_line(tmp_path):
    # an editor that keeps tabs: the parser says only "found character that cannot start any token"
    text = AGREEMENT.replace("    baseline:", "\tbaseline:")
    loaded, findings = _agreement(tmp_path, text)
    assert loaded is None
    assert [(f.code, f.line, f.column, f.message, f.hint) for f in findings] == [
        ("Y001", 7, 1, "line 7 is indented with a tab, which YAML does not allow in indentation",
         "indent that line with spaces (an editor can turn tabs into spaces)")]


def test_a_non_breaking_space_inside_a_block_of_text_is_not_blamed_for_an_error_after_it(tmp_path):
    # an aside pasted into a `name: |` block is text; the error is the brace left open after it
    text = AGREEMENT.replace("name: Leeds", "name: |\n  Leeds\n  \u00a0\u00a0(an aside)").replace(
        "targets: {2008-09: 3200, 2010-11: 3800}", "targets: {2008-09: 3200, 2010-11: 3800")
    loaded, findings = _agreement(tmp_path, text)
    assert [(f.code, f.line) for f in findings] == [("Y001", 10)]
    assert "non-breaking" not in findings[0].message


def test_a_last_line_indented_with_a_non_breaking_space_is_named_without_a_line_end(tmp_path):
    loaded, findings = _agreement(tmp_path, AGREEMENT.rstrip("\n") + "\n \u00a0 expected_without_agreement: 3400")
    assert [(f.code, f.line, f.column) for f in findings] == [("Y001", 9, 2)]
    assert findings[0].message.startswith("line 9 is indented with a non-breaking space")


def test_a_key_indented_with_non_breaking_spaces_that_parses_says_what_it_holds(tmp_path):
    loaded, findings = _agreement(tmp_path, AGREEMENT + "\u00a0\u00a0lead: Jo\n")
    assert [(f.code, f.line) for f in findings] == [("S001", 9)]
    assert findings[0].message.endswith(
        "(it holds a non-breaking space, U+00A0: retype it, and its indentation, with spaces)")


def test_alias_bomb_is_refused_before_expansion():
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    with pytest.raises(YamlProblem) as raised:
        load_yaml("\n".join(lines).encode())
    assert raised.value.kind == "bomb"
    assert f"{MAX_NODES:,} nodes" in raised.value.message


DEEP_BLOCK = b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(1, 300))


@pytest.mark.parametrize("text", [b"[" * 500 + b"]" * 500, DEEP_BLOCK])
def test_deep_nesting_is_refused(text):
    with pytest.raises(YamlProblem) as raised:
        load_yaml(text)
    assert raised.value.kind == "bomb"


def test_self_referencing_alias_is_refused():
    with pytest.raises(YamlProblem) as raised:
        load_yaml(b"a: &a [*a]\n")
    assert raised.value.kind == "bomb"


def test_latin1_text_is_an_encoding_problem_at_its_line():
    with pytest.raises(YamlProblem) as raised:
        load_yaml("name: Leeds\nnote: \u00a3100\n".encode("latin-1"))
    assert (raised.value.kind, raised.value.mark.line) == ("encoding", 2)


@pytest.mark.parametrize(("mark", "encoding", "name"), [
    (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
])
def test_utf16_and_utf32_text_is_named_as_such_not_called_binary(tmp_path, mark, encoding, name):
    path = write(tmp_path, {"agreements/leeds.yaml": mark + AGREEMENT.encode(encoding)}) / "agreements" / "leeds.yaml"
    loaded, findings = load_document(path, "agreements/leeds.yaml", Agreement)
    assert loaded is None
    assert [(f.code, f.file, f.line, f.column, f.message, f.hint) for f in findings] == [
        ("Y004", "agreements/leeds.yaml", 1, 1, f"the file is {name} text, not UTF-8",
         "save the file as UTF-8 (a text editor's 'Save As' offers the encoding), then run again")]


def test_utf16_without_a_byte_order_mark_is_named_and_other_nul_bytes_are_binary():
    # ASCII in two bytes each, a NUL beside every character: UTF-16 with no mark (it was
    # called binary, with no word of its encoding)
    for encoding in ("utf-16-le", "utf-16-be"):
        with pytest.raises(YamlProblem) as raised:
            load_yaml(AGREEMENT.encode(encoding))
        assert (raised.value.kind, raised.value.message) == ("encoding", "the file is UTF-16 text, not UTF-8")
    with pytest.raises(YamlProblem) as raised:
        load_yaml(b"area: leeds\nname: \x00\x01\x02Leeds\n")
    assert raised.value.message == "the file holds NUL bytes: it is binary, not YAML text"


def test_bom_and_crlf_are_fine():
    assert load_yaml(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n").data == {"a": 1, "b": 2}


def test_python_tags_are_not_executed():
    with pytest.raises(YamlProblem):
        load_yaml(b"a: !!python/object/apply:os.system ['true']\n")


@pytest.mark.parametrize(("written", "tag"), [
    ("!!null 1000000.50", "!!null"),  # once read as no maximum: an A215 warning and a grant of 0
    ("!!bool 1", "!!bool"),  # once false
    ("!!str 1000000.50", "!!str"),
    ("!!int 1000000", "!!int"),
    ("!!float 1000000.50", "!!float"),
    ("!<tag:yaml.org,2002:null> 1000000.50", "!!null"),
])
def test_an_explicit_tag_is_refused_at_the_tag_not_read_as_another_value(tmp_path, written, tag):
    text = AGREEMENT.replace("periods:", f"reward: {{scheme: lpsa2, maximum: {written}}}\nperiods:")
    loaded, findings = _agreement(tmp_path, text)
    assert loaded is None
    assert [(f.code, f.file, f.line, f.column) for f in findings] == [("Y001", "agreements/leeds.yaml", 3, 34)]
    assert findings[0].message == f"the tag '{tag}' is not allowed: write the value plainly (in quotes for a text)"


@pytest.mark.parametrize("written", ["!!map {scheme: lpsa2}", "!!seq [lpsa2]"])
def test_a_tag_on_a_mapping_or_a_list_is_refused_too(written):
    with pytest.raises(YamlProblem) as raised:
        load_yaml(f"area: leeds\nreward: {written}\n".encode())
    assert (raised.value.kind, raised.value.mark) == ("syntax", Mark(2, 9))


def test_the_non_specific_tag_reads_the_text_written():
    assert load_yaml(b"name: ! 2010\ncode: ! 007\n").data == {"name": "2010", "code": "007"}


def test_nodes_written_out_plainly_are_not_alias_expansion():
    """9,500 returns rows of 13 nodes each (123,500 nodes) once counted as an alias bomb."""
    row = b"- {area: leeds, indicator: NI 8, period: 2008-09, value: 21.0, status: final, note: checked}\n"
    data = load_yaml(row * 9500).data
    assert len(data) == 9500 and data[-1]["value"] == Decimal("21.0")


def test_aliases_count_the_nodes_they_stand_for():
    """One 13-node mapping, aliased: 7,692 aliases stand for 99,996 nodes, 7,693 for 100,009."""
    head = b"- &r {area: leeds, indicator: NI 8, period: 2008-09, value: 21.0, status: final, note: x}\n"
    assert len(load_yaml(head + b"- *r\n" * 7692).data) == 7693
    with pytest.raises(YamlProblem) as raised:
        load_yaml(head + b"- *r\n" * 7693)
    assert raised.value.kind == "bomb" and raised.value.mark == Mark(7694, 3)


@pytest.mark.parametrize("length, refused", [(10_000, False), (10_001, True)])
def test_a_value_longer_than_10000_characters_is_refused_where_it_is_read(length, refused):
    text = b"name: " + b"x" * length + b"\n"
    if not refused:
        assert len(load_yaml(text).data["name"]) == length
        return
    with pytest.raises(YamlProblem) as raised:
        load_yaml(text)
    assert (raised.value.kind, raised.value.mark) == ("text", Mark(1, 7))
    assert raised.value.message == "a value of 10,001 characters, over the limit of 10,000"


@pytest.mark.parametrize(("written", "read"), [("yes", "true"), ("Off", "false")])
def test_a_yes_or_no_where_a_number_is_wanted_says_what_was_written_and_how_it_was_read(tmp_path, written, read):
    loaded, findings = _agreement(tmp_path, AGREEMENT + f"reward: {{scheme: lpsa2, maximum: {written}}}\n")
    assert loaded is None
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [
        ("S003", 9, 34, f"reward.maximum: '{written}' is read as {read} (a yes or no), which this key does not "
                        "take: write a number, or put a text in quotes")]


def test_a_yes_or_no_where_a_slug_is_wanted_says_so_too(tmp_path):
    """`scheme: off` (a slug's validator, not a type, refuses it) said 'False' is not a slug:
    a name the user never wrote, and no word of quoting it."""
    loaded, findings = _agreement(tmp_path, AGREEMENT + "reward: {scheme: off, maximum: 1000}\n")
    assert [(f.code, f.line, f.message) for f in findings] == [
        ("S003", 9, "reward.scheme: 'off' is read as false (a yes or no), which this key does not take: write a "
                    "number, or put a text in quotes")]


INDICATOR = """\
id: LOCAL-01
title: Council tax collected in year (%)
polarity: higher
unit: percent
decimals: {decimals}
frequency: annual
period_type: financial-year
"""


@pytest.mark.parametrize(("written", "read"), [("yes", None), ("no", None), ("true", None), ("1", 1), ("0", 0)])
def test_decimals_written_yes_or_no_is_refused_not_read_as_one_or_nought(tmp_path, written, read):
    files = {"indicators/LOCAL-01.yaml": INDICATOR.format(decimals=written)}
    path = write(tmp_path, files) / "indicators/LOCAL-01.yaml"
    loaded, findings = load_document(path, "indicators/LOCAL-01.yaml", Indicator)
    if read is None:
        assert loaded is None
        assert [(f.code, f.line, f.column) for f in findings] == [("S003", 5, 11)]
        assert f"decimals: '{written}' is read as {written == 'no' and 'false' or 'true'} (a yes or no)" in \
            findings[0].message
    else:
        assert findings == [] and loaded.model.decimals == read


def test_a_target_group_not_written_as_a_slug_is_not_called_an_area(tmp_path):
    group = "  - group: North Group\n    title: North\n    indicator: NI 154\n"
    text = AGREEMENT.replace("  - indicator: NI 154\n", group)
    _, findings = _agreement(tmp_path, text)
    assert [(f.code, f.line, f.column) for f in findings][:1] == [("S003", 5, 12)]
    assert findings[0].message.startswith("targets[0].group: 'North Group' is not a slug: use lower-case letters")


def test_a_misspelt_nested_key_is_matched_with_its_neighbours_only(tmp_path):
    for written, suggestion in [("ambr", "; did you mean 'amber'?"), ("green", "")]:
        path = write(tmp_path, {"laatool.yaml": f"rag: {{amber: 0.6, {written}: 1}}\n"}) / "laatool.yaml"
        _, findings = load_document(path, "laatool.yaml", Settings)
        assert [f.message for f in findings] == [f"unknown key '{written}' at rag.{written}{suggestion}"]


def test_a_null_where_a_value_is_wanted_is_named_as_written(tmp_path):
    """`leeds: [bradford, null, ~]` in a neighbour group said "'None' is not an area slug": a
    word the file does not hold."""
    from laatool.base.models import Neighbours

    path = write(tmp_path, {"neighbours/g.yaml": "leeds: [bradford, null, ~]\n"}) / "neighbours/g.yaml"
    _, findings = load_document(path, "neighbours/g.yaml", Neighbours)
    assert [(f.code, f.column, f.message) for f in findings] == [
        ("S003", 19, "leeds[1]: 'null' is read as no value (null), which this key does not take: write the value, "
                     "or put a text in quotes"),
        ("S003", 25, "leeds[2]: '~' is read as no value (null), which this key does not take: write the value, or "
                     "put a text in quotes")]


@pytest.mark.parametrize("written", ["2940\u00a0", "'2940 '", "\"\u202f2940\u00a0\"", "'\t2940'"])
def test_spaces_around_a_number_are_ignored_as_in_a_returns_cell(tmp_path, written):
    # Excel's non-breaking, narrow and figure spaces, pasted after a value: ignored around ids,
    # periods and numbers (docs/decisions.md); a value of 2940 was refused (S003) for them
    loaded, findings = _agreement(tmp_path, AGREEMENT.replace("value: 2940}", f"value: {written}}}"))
    assert findings == []
    assert loaded.model.targets[0].baseline.value == Decimal("2940")


def test_a_finding_about_a_period_points_at_its_key_and_one_about_a_value_at_the_value(tmp_path):
    """A205, A234 and A239 are about the period a target is keyed to: they pointed at its value
    (`3800`), where nothing is to be changed. A217 and A207 are about the value: there, quoted as
    written (`120.50`; A217 said `120.5`)."""
    from laatool.api import load_workspace
    from laatool.checks.validation import validate_workspace

    text = (AGREEMENT.replace("baseline: {period: 2007-08, value: 2940}", "baseline: {period: 2007-08, value: 120.50}")
            .replace("targets: {2008-09: 3200, 2010-11: 3800}",
                     "targets: {2008-09: 95.0, 2010-11 Q1: 96.0, 2011-12: 97.0}")
            .replace("NI 154", "NI 8"))
    write(tmp_path, {"agreements/leeds.yaml": text, "returns/.keep": ""})
    workspace = load_workspace(tmp_path)
    found = sorted((f.code, f.line, f.column, f.message) for f in validate_workspace(workspace)
                   if f.code in ("A205", "A207", "A217", "A234"))
    line = text.splitlines()[7]
    assert found == [
        ("A205", 8, line.index("2011-12") + 1, "NI 8: target period 2011-12 is not one of the agreement's periods "
                                               "(2008-09, 2009-10, 2010-11)"),
        ("A207", 8, line.index("97.0") + 1, "NI 8: the 2011-12 target 97.0 is below the baseline 120.50, but higher "
                                            "is better for NI 8"),
        ("A217", 7, text.splitlines()[6].index("120.50") + 1, "NI 8: baseline 120.50 is outside NI 8's range 0..100"),
        ("A234", 8, line.index("2010-11 Q1") + 1, "NI 8: target period 2010-11 Q1 is a quarter, but NI 8's frequency "
                                                  "is annual, not quarterly"),
    ]
