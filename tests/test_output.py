"""The shared output layer: formats, atomic -o, neutralised cells, exit codes."""

from __future__ import annotations

import json
import os
import stat
from decimal import Decimal

import pytest

from conftest import EXAMPLES, invoke, workbook_rows
from laatool.base.errors import UsageError
from laatool.base.models import Settings
from laatool.load.workspace import Workspace, select_areas
from laatool.render.json import dumps
from laatool.render.output import OutputFormat, atomic_write, render, resolve_format
from laatool.render.values import cell_text, money


class Rows:
    def __init__(self, rows):
        self.rows = rows

    def to_json(self):
        return {"rows": self.rows}

    def to_rows(self):
        return self.rows

    def to_table(self):
        from rich.table import Table

        table = Table()
        table.add_column("area")
        for row in self.rows:
            table.add_row(str(row["area"]))
        return table


def test_decimals_are_written_exactly():
    assert dumps({"a": Decimal("0.1"), "b": Decimal("3200.0000000000"), "c": None, "d": [Decimal("-8.60")]}) == (
        '{"a":0.1,"b":3200,"c":null,"d":[-8.6]}\n'
    )
    assert dumps({"text": "laatool-number:1", "£": "é"}) == '{"text":"laatool-number:1","£":"é"}\n'
    with pytest.raises(TypeError):
        dumps({"a": object()})


def test_money_rounds_half_up_to_the_penny():
    assert money(Decimal("0.125")) == "0.13"
    assert money(Decimal("333333.333")) == "333333.33"
    assert money(Decimal("-0.005")) == "-0.01"


@pytest.mark.parametrize(
    "value,cell",
    [("=SUM(A1)", "'=SUM(A1)"), ("+1+1", "'+1+1"), ("-x", "'-x"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
     ("-12.5", "-12.5"), ("+3", "+3"), ("Leeds", "Leeds"), (Decimal("-2.50"), "-2.5"), (None, ""), (True, "true"),
     # a NUL or an escape sequence is no text a spreadsheet holds: written as escapes
     ("Lee\x00ds", "Lee\\x00ds"), ("\x1b[2J=1", "\\x1b[2J=1"), ("a\x9bb\x7f", "a\\x9bb\\x7f"),
     # nor a mark that reorders or hides text: escaped as on the terminal
     ("\u202eevil\u200b", "\\u202eevil\\u200b"), ("a\u2066=b\u2069", "a\\u2066=b\\u2069"), ("\ufeffx", "\\ufeffx"),
     # what Python's Decimal reads as a number and a spreadsheet does not: text, neutralised
     ("+inf", "'+inf"), ("-NaN", "'-NaN"), ("-1_000", "'-1_000"), ("-\uff11", "'-\uff11"), ("+sNaN", "'+sNaN"),
     ("-1.5E+3", "-1.5E+3"), ("-.5", "-.5")],
)
def test_cells_a_spreadsheet_would_execute_are_neutralised(value, cell):
    assert cell_text(value) == cell


def test_every_format_has_a_renderer():
    from laatool.render.output import RENDERERS

    report = Rows([{"area": "leeds", "name": "Leeds", "value": Decimal("1.5")}])
    # html is the board report's page (`laatool report` alone), from its own report type
    assert set(RENDERERS) == {f.value for f in OutputFormat} | {"xlsx", "html"}
    for fmt in set(RENDERERS) - {"html"}:
        assert render(report, fmt), fmt


def test_csv_has_one_line_per_row_with_neutralised_text():
    data = render(Rows([{"area": "leeds", "name": "=HYPERLINK()", "value": Decimal("1.50")}]), "csv")
    assert data.decode() == "area,name,value\nleeds,'=HYPERLINK(),1.5\n"


NASTY = ["Testshire\r=1+1", "a\nb", "a\r\n-b", 'say "hi", then', ",", '"', "\r", "\n@x\t+y", "", "\x00\x01true\x01\x00",
         "[link=https://x]y[/link]", "\x1b[2J", "é\u2028ü"]


def test_csv_of_any_text_reads_back_as_one_row_per_row_and_its_cells():
    """RFC 4180 quoting: every cell reads back (by Python's csv reader) as `cell_text` wrote it,
    one row per row, whatever line breaks, quotes and commas it holds."""
    import csv
    import io

    rows = [{"area": "leeds", "name": text, "note": f"{text}|{text}"} for text in NASTY]
    data = render(Rows(rows), "csv").decode("utf-8")
    read = list(csv.reader(io.StringIO(data, newline="")))
    assert read[0] == ["area", "name", "note"]
    assert read[1:] == [["leeds", cell_text(r["name"]), cell_text(r["note"])] for r in rows]


@pytest.mark.parametrize("value,cell", [
    ("Testshire\r=1+1", "Testshire\r'=1+1"), ("a\n@b\n+c", "a\n'@b\n'+c"), ("=a\r\n-b", "'=a\r\n'-b"),
    ("a\r\rb", "a\r'\rb"), ("a\n-1", "a\n'-1"), ("a\nb", "a\nb"),
])
def test_formulas_after_a_line_break_in_a_cell_are_neutralised(value, cell):
    assert cell_text(value) == cell


@pytest.mark.parametrize("text", NASTY)
def test_no_text_changes_the_structure_of_json(text):
    import polars as pl

    from laatool.render.json import json_objects

    document = {"name": text, "value": Decimal("1.50"), "rows": [{"title": text, "target": Decimal("-0.0")}]}
    assert json.loads(dumps(document)) == {"name": text, "value": 1.5, "rows": [{"title": text, "target": 0}]}
    frame = pl.DataFrame({"name": [text, None], "value": [Decimal("8.60"), None]},
                         schema={"name": pl.String, "value": pl.Decimal(20, 2)})
    encoded = frame.select(row=json_objects(frame, ["name", "value"]))["row"].to_list()
    assert [json.loads(row) for row in encoded] == [{"name": text, "value": 8.6}, {"name": None, "value": None}]


@pytest.mark.parametrize("text,shown", [
    ("\x1b[2J", "\\x1b[2J"), ("a\nb\r\tc", "a\\nb\\r\\tc"), ("\x07\x7f\x9b", "\\x07\\x7f\\x9b"),
    ("\u202eevil\u200b", "\\u202eevil\\u200b"), ("[link=x]é", "[link=x]é"),
    ("a\ufffeb\uffff", "a\\ufffeb\\uffff"),  # no characters at all: no page may hold them
])
def test_control_characters_are_made_visible(text, shown):
    from laatool.render.values import visible

    assert visible(text) == shown


def test_every_output_escapes_the_characters_the_terminal_escapes():
    """One list of characters is escaped everywhere: CSV and XLSX cells write each as the
    terminal shows it (but for the tab and the line breaks a cell holds), and JSON writes each
    as a \\u escape, which reads back as the character. The bidirectional marks (U+202E) once
    reached CSV, XLSX and JSON raw."""
    from laatool.render.report_json import json_chunks
    from laatool.render.values import visible

    escaped = [chr(code) for code in range(0x10000) if visible(chr(code)) != chr(code)]
    assert "\u202e" in escaped and "\u2066" in escaped and "\x9b" in escaped and "\ufffe" in escaped
    for char in escaped:
        assert cell_text(f"a{char}b") == (f"a{char}b" if char in "\t\n\r" else f"a{visible(char)}b"), hex(ord(char))
    text = "".join(escaped)
    document = b"".join(json_chunks(Rows([{"area": "leeds", "name": text}])))
    assert document.isascii()
    assert json.loads(document) == {"rows": [{"area": "leeds", "name": text}]}
    # a document otherwise all ASCII (the quick path) still has its DEL escaped
    assert b"".join(json_chunks(Rows([{"area": "leeds", "name": "a\x7fb"}]))).endswith(b'"name":"a\\u007fb"}]}\n')


def test_xlsx_keeps_numbers_as_numbers(tmp_path):

    path = tmp_path / "out.xlsx"
    atomic_write(path, render(Rows([{"area": "leeds", "name": "@x", "value": Decimal("1.25")}]), "xlsx"))
    assert workbook_rows(path) == [{"area": "leeds", "name": "'@x", "value": 1.25}]


def test_format_comes_from_the_option_then_the_file_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("LAATOOL_FORMAT", raising=False)
    assert resolve_format(None, None) == "table"
    assert resolve_format(None, tmp_path / "a.json") == "json"
    assert resolve_format(OutputFormat.csv, tmp_path / "a.json") == "csv"
    assert resolve_format(OutputFormat.json, tmp_path / "a.xlsx") == "xlsx"
    monkeypatch.setenv("LAATOOL_FORMAT", "csv")
    assert resolve_format(None, None) == "csv"
    assert resolve_format(OutputFormat.json, None) == "json"



@pytest.mark.parametrize(("command", "name", "instead"), [
    (["score"], "score.pdf", "`laatool report -a AREA -o FILE.html` makes a page to read or print"),
    (["reward-grant"], "grant.XLS", "give -o FILE.xlsx for a workbook"),
    (["validate"], "findings.tsv", "give -o FILE.csv for comma-separated values"),
    (["project"], "project.docx", "give -o FILE.json, FILE.csv, FILE.xlsx or FILE.txt (a table)"),
])
def test_an_output_named_for_a_format_laatool_does_not_write_is_a_usage_error(tmp_path, command, name, instead):
    """`score -o score.pdf` wrote a table of text that no PDF reader opens, with exit 0."""
    target = tmp_path / name
    result = invoke(["-w", EXAMPLES, *command, "-o", target], code=2)
    suffix = target.suffix
    assert result.stderr == (f"laatool: cannot write '{target}': laatool does not write {suffix} files; {instead} "
                             "(or choose the format with --format)\n")
    assert not target.exists()


def test_an_output_name_of_another_kind_still_takes_the_table_or_the_format_given(tmp_path):
    for name in ("scores.out", "scores", "scores.2010-11"):
        invoke(["-w", EXAMPLES, "score", "-a", "leeds", "-o", tmp_path / name])
        assert (tmp_path / name).read_text(encoding="utf-8").startswith("Leeds (leeds)")
    invoke(["-w", EXAMPLES, "score", "-a", "leeds", "--format", "csv", "-o", tmp_path / "scores.tsv"])
    assert (tmp_path / "scores.tsv").read_text(encoding="utf-8").startswith("area,")

def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "report.json"
    path.write_text("old")
    atomic_write(path, b"new")
    assert path.read_text() == "new" and os.listdir(tmp_path) == ["report.json"]


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_a_new_output_file_follows_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path, umask, mode):
    path = tmp_path / "report.json"
    previous = os.umask(umask)
    try:
        atomic_write(path, b"new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    path.chmod(0o640)
    atomic_write(path, b"newer")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("args", [["score"], ["reward-grant", "--format", "csv"], ["report", "-a", "leeds"],
                                  ["rules"]])
def test_a_write_protected_output_file_is_refused_not_replaced(tmp_path, args):
    """Replacing needs only the folder's permission, so `chmod a-w` on a report kept as it was
    sent did not keep it: `-o` replaced it with exit 0. A file that is only the user's to
    write (0o644) is replaced as before."""
    path = tmp_path / ("board.xlsx" if "report" in args else "board.json")
    path.write_bytes(b"as sent")
    path.chmod(0o444)
    result = invoke(["-w", EXAMPLES, *args, "-o", path], code=2)
    assert result.stderr == (f"laatool: cannot write '{path}': it is read-only; make it writable (chmod u+w) to "
                             "replace it, or choose another name\n")
    assert path.read_bytes() == b"as sent" and os.listdir(tmp_path) == [path.name]
    path.chmod(0o644)
    invoke(["-w", EXAMPLES, *args, "-o", path])
    assert path.read_bytes() != b"as sent" and stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_existing_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "report.json"
    path.write_text("old")

    def broken_replace(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write(path, b"new")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["report.json"]


def test_unknown_area_suggests_the_closest():
    workspace = Workspace(root=None, settings=Settings(), agreement_files={"leeds": "a", "leicester": "b"})
    assert select_areas(workspace, None) == ["leeds", "leicester"]
    assert select_areas(workspace, ["leicester", "leeds", "leeds"]) == ["leeds", "leicester"]
    with pytest.raises(UsageError, match="unknown area 'leds'.*did you mean leeds"):
        select_areas(workspace, ["leds"])
    # a name may be any text (names in any case are taken), so a text that is no slug is an
    # unknown area too, not "not an area slug"
    with pytest.raises(UsageError) as unknown:
        select_areas(workspace, ["Leds"])
    assert str(unknown.value) == ("unknown area 'Leds': no agreement has that slug, name or ONS code; "
                                  "did you mean leeds?")
    with pytest.raises(UsageError, match="unknown area '../x': no agreement has that slug, name or ONS code"):
        select_areas(workspace, ["../x"])


def test_an_area_is_chosen_by_its_ons_code_in_any_case():
    """Stockton's agreement gives `ons_code: E06000004`: `--area e06000004` is Stockton, as a
    return's area written that way is said to be (R301's "did you mean")."""
    by_code = json.loads(invoke(["-w", EXAMPLES, "reward-grant", "-a", "e06000004", "--format", "json"]).stdout)
    by_slug = json.loads(invoke(["-w", EXAMPLES, "reward-grant", "-a", "stockton", "--format", "json"]).stdout)
    assert [a["area"] for a in by_code["areas"]] == ["stockton"] and by_code == by_slug


def test_a_name_or_code_two_agreements_share_names_neither_and_says_whose_it_is(workspace):
    """Two agreements named Shared Town, with one ONS code: either is chosen by its slug only,
    and the code or the name says which slugs share it (it read "no agreement has that ... ONS
    code", with a "did you mean" of another area)."""
    agreement = """
        area: {slug}
        name: Shared Town
        ons_code: E09000009
        periods: [2008-09, 2009-10, 2010-11]
        targets:
          - indicator: NI 154
            kind: designated
            baseline: {{period: 2007-08, value: 100}}
            targets: {{2010-11: 120}}
        """
    root = workspace({"agreements/eps.yaml": agreement.format(slug="eps"),
                      "agreements/zeta.yaml": agreement.format(slug="zeta")})
    for given in ("e09000009", "SHARED town"):
        assert invoke(["-w", root, "score", "-a", given], 2).stderr.strip() == (
            f"laatool: area '{given}' is the name or ONS code of eps and zeta: give the slug of the one meant")
    assert [a["area"] for a in json.loads(invoke(["-w", root, "score", "-a", "zeta", "--format", "json"]).stdout)[
        "areas"]] == ["zeta"]


def test_machine_output_goes_to_stdout_and_nothing_else(tmp_path):
    result = invoke(["indicators", "show", "NI 154", "--format", "json"])
    assert json.loads(result.stdout)["id"] == "NI 154" and result.stderr == ""


def test_output_file_is_written_and_stdout_stays_empty(tmp_path):
    target = tmp_path / "ni.csv"
    result = invoke(["indicators", "--statutory", "-o", target])
    assert result.stdout == "" and target.read_text().startswith("id,title,")
    assert len(target.read_text().splitlines()) == 17


def test_output_into_a_missing_folder_is_a_usage_error(tmp_path):
    result = invoke(["indicators", "-o", tmp_path / "nowhere" / "x.json"], code=2)
    assert "does not exist" in result.stderr


def test_output_to_a_named_pipe_nothing_reads_is_a_usage_error_not_a_wait(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = invoke(["rules", "-o", pipe], code=2)  # the old code waited for a reader for ever
    assert f"cannot write '{pipe}': it is a named pipe that nothing is reading" in result.stderr



@pytest.mark.parametrize("name", ["--skip-invalid", "--", "-a"])
def test_an_output_named_like_an_option_is_a_usage_error_not_a_file(tmp_path, monkeypatch, name):
    """`score -o --skip-invalid` (the file's name left out) wrote a file named `--skip-invalid`."""
    monkeypatch.chdir(tmp_path)
    result = invoke(["-w", EXAMPLES, "score", "-o", name], code=2)
    assert result.stderr == (f"laatool: cannot write '{name}': a name that begins with '-' is an option, not a file; "
                             f"give the file after -o (or '{tmp_path / name}' for a file of that name, - for standard "
                             "output)\n")
    assert list(tmp_path.iterdir()) == []
    invoke(["-w", EXAMPLES, "score", "-a", "leeds", "-o", tmp_path / name])  # named with its folder, it is written
    assert (tmp_path / name).read_text(encoding="utf-8").startswith("Leeds (leeds)")

def test_output_dash_is_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["rules", "-o", "-", "--format", "csv"])
    assert result.stdout.startswith("code,severity,title,hint,other_severities\n")
    assert not (tmp_path / "-").exists()


def test_bad_option_is_a_usage_error():
    invoke(["indicators", "--format", "yaml"], code=2)
    invoke(["no-such-command"], code=2)


def test_table_honours_no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    result = invoke(["indicators", "show", "NI 154"])
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize("columns", ["2147483648", "100000000000", "9223372036854775808"])
def test_a_columns_past_a_thousand_is_taken_as_a_thousand(columns):
    # every line of the table was laid out that wide: 40 s and 2.2 GB, or exit 3
    wide = invoke(["-w", EXAMPLES, "score"], env={"COLUMNS": columns}).stdout
    assert wide == invoke(["-w", EXAMPLES, "score"], env={"COLUMNS": "1000"}).stdout
    assert max(len(line) for line in wide.splitlines()) <= 1000


def test_version():
    assert invoke(["--version"]).stdout.startswith("laatool ")


def test_an_empty_indicator_list_in_csv_still_has_its_header():
    result = invoke(["-w", EXAMPLES, "indicators", "no such words anywhere", "--format", "csv"])
    assert result.stdout == "id,title,polarity,unit,frequency,department,statutory,status\n"


def test_indicators_in_a_workspace_that_is_not_there_is_a_usage_error(tmp_path):
    # as every command says; without -w the bundled set is listed from any folder
    result = invoke(["-w", tmp_path / "no-such-workspace", "indicators"], 2)
    assert "no such folder" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("command", "output"), [
    (["score"], "returns/scores.csv"), (["reward-grant"], "returns/grant.json"),
    (["report", "-a", "leeds"], "returns/board.xlsx"), (["validate"], "agreements/report.yaml"),
    (["benchmark"], "comparators/bench.csv"),
    # the template only into returns/, where it is filled in: a comparator or an agreement it
    # would be was refused by every later run (504 S001 errors in agreements/leeds-template.yaml)
    (["template", "-a", "leeds"], "comparators/t.csv"),
    (["template", "-a", "leeds", "-f", "json"], "agreements/t.yaml"),
    (["template", "-a", "leeds", "-f", "json"], "neighbours/t.yaml"),
])
def test_output_where_a_later_run_would_read_it_is_a_usage_error(tmp_path, command, output):
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    result = invoke(["-w", root, *command, "-o", root / output], 2)
    assert "where every later run would read it" in result.stderr
    assert not (root / output).exists()


@pytest.mark.parametrize("command", [["template", "-a", "leeds", "-f", "csv"], ["score"], ["validate"]])
def test_output_to_a_laatool_yaml_not_there_yet_is_a_usage_error(tmp_path, command):
    """`-o WS/laatool.yaml` where the workspace has none was written, and every later run then
    read a table as its settings (S003, exit 1); one there already was refused as a file read."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out", "laatool.yaml"))
    result = invoke(["-w", root, *command, "-o", root / "laatool.yaml"], 2)
    assert result.stderr == (f"laatool: cannot write '{root / 'laatool.yaml'}': it is the workspace's laatool.yaml, "
                             "which every later run would read as its settings; write it elsewhere\n")
    assert not (root / "laatool.yaml").exists()


@pytest.mark.parametrize("output", ["agreements/t.xlsx", "indicators/t.xlsx", "neighbours/t.csv", "schemes/t.xlsx"])
def test_a_template_in_a_folder_of_inputs_not_read_as_returns_is_a_usage_error(tmp_path, output):
    # its returns, filled in there, would count for nothing, and no run would say so (exit 0)
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    (root / "schemes").mkdir(exist_ok=True)
    result = invoke(["-w", root, "template", "-a", "stockton", "-o", root / output], 2)
    assert f"it is in the workspace's {output.split('/')[0]} folder, where the returns filled in would never be read" \
        in result.stderr
    assert not (root / output).exists()


def test_the_template_may_be_written_into_the_returns_folder(tmp_path):
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    invoke(["-w", root, "template", "-a", "stockton", "-p", "2010-11 Q3", "-o", root / "returns" / "q3.xlsx"])
    assert (root / "returns" / "q3.xlsx").is_file()


@pytest.mark.parametrize("args, same_as", [
    (["score", "--format", "JSON"], ["score", "--format", "json"]),
    (["project", "--method", "LAST-CHANGE", "-f", "Csv"], ["project", "--method", "last-change", "-f", "csv"]),
])
def test_choices_are_taken_in_any_case_as_laatool_format_is(args, same_as):
    # `--format JSON` was refused ("Value error, 'JSON' is not one of ...") where LAATOOL_FORMAT=JSON works
    assert invoke(["-w", EXAMPLES, *args]).stdout == invoke(["-w", EXAMPLES, *same_as]).stdout


def test_fail_on_is_taken_in_any_case():
    invoke(["-w", EXAMPLES, "validate", "--fail-on", "WARNING", "-f", "json"], 1)
