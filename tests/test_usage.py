"""Usage that batch scripts rely on (DESIGN.md §12–§13): `--area` by an agreement's name in any
case, and an unknown LAATOOL_FORMAT refused rather than answered with a table."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, invoke


def test_area_by_name_in_any_case_is_the_slug():
    # "Stockton-on-Tees" is stockton's name; "LEEDS" is leeds' slug and name in capitals.
    by_name = json.loads(invoke(["-w", EXAMPLES, "score", "--area", "stockton-ON-tees", "--area", "LEEDS",
                                 "--format", "json"]).stdout)
    by_slug = json.loads(invoke(["-w", EXAMPLES, "score", "--area", "leeds", "--area", "stockton",
                                 "--format", "json"]).stdout)
    assert [a["area"] for a in by_name["areas"]] == ["leeds", "stockton"]
    assert by_name == by_slug


@pytest.mark.parametrize(("saved", "typed"), [
    ("Ynys Mo\u0302n", "Ynys M\u00f4n"),  # the name saved on a Mac (o and a combining circumflex), typed as one letter
    ("Ynys M\u00f4n", "ynys mo\u0302n"),  # and the other way round
])
def test_an_accented_name_is_found_however_its_letters_are_encoded(tmp_path, saved, typed):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns("out"))
    agreement = root / "agreements" / "stockton.yaml"
    agreement.write_text(agreement.read_text(encoding="utf-8").replace("name: Stockton-on-Tees", f"name: {saved}"),
                         encoding="utf-8")
    chosen = json.loads(invoke(["-w", root, "score", "--area", typed, "--format", "json"]).stdout)
    assert [a["area"] for a in chosen["areas"]] == ["stockton"]


def test_unknown_area_name_is_a_usage_error():
    result = invoke(["-w", EXAMPLES, "score", "--area", "Leads"], code=2)
    assert "did you mean leeds" in result.stderr


def test_unknown_laatool_format_is_a_usage_error(monkeypatch, tmp_path):
    monkeypatch.setenv("LAATOOL_FORMAT", "bogus")
    result = invoke(["-w", EXAMPLES, "score", "--area", "leeds"], code=2)
    assert "LAATOOL_FORMAT='bogus'" in result.stderr
    assert result.stdout == ""
    # refused even where --format or the -o file's extension decides: the setting is wrong
    assert "LAATOOL_FORMAT='bogus'" in invoke(["-w", EXAMPLES, "score", "--format", "json"], code=2).stderr
    assert invoke(["-w", EXAMPLES, "rules", "-o", str(tmp_path / "rules.csv")], code=2).stdout == ""
    assert not (tmp_path / "rules.csv").exists()


def test_laatool_format_in_any_case(monkeypatch):
    monkeypatch.setenv("LAATOOL_FORMAT", " JSON ")
    assert json.loads(invoke(["-w", EXAMPLES, "rules", "R301"]).stdout)


def _bad_leeds(tmp_path):
    """The examples with one unreadable Leeds value (R305) that also conflicts with Leeds' NI 8
    2010-11 return (R308): two errors, both in Leeds' returns rows."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    with (root / "returns" / "returns-2010-11.csv").open("a", encoding="utf-8") as csv:
        csv.write("leeds,NI 8,2010-11,abc,,,,,,,,\n")
    return root


@pytest.mark.parametrize("command", ["score", "reward-grant", "project"])
def test_refusal_names_the_area_and_the_ways_round(tmp_path, command):
    result = invoke(["-w", _bad_leeds(tmp_path), command, "--format", "json"], code=1)
    assert result.stdout == ""
    assert ("laatool: 2 error(s) in the inputs of leeds; nothing was computed. `--skip-invalid` computes the 2 "
            "other area(s) and lists those refused; or choose areas: `--area cumbria --area stockton`"
            in result.stderr)


@pytest.mark.parametrize("command", ["score", "reward-grant", "project"])
def test_skip_invalid_computes_the_others_in_full(tmp_path, command):
    root = _bad_leeds(tmp_path)
    skipped = invoke(["-w", root, command, "--skip-invalid", "--format", "json"], code=1)
    alone = invoke(["-w", root, command, "--area", "cumbria", "--area", "stockton", "--format", "json"])
    document = json.loads(skipped.stdout)
    assert document.pop("refused") == [{"area": "leeds", "errors": 2}]
    assert document == json.loads(alone.stdout)  # the others exactly as computed alone
    assert "leeds refused: 2 error(s) in its inputs; the other areas are computed" in skipped.stderr
    assert "R305" in skipped.stderr and "R308" in skipped.stderr


def test_skip_invalid_with_nothing_refused_exits_0_and_lists_none(tmp_path):
    document = json.loads(invoke(["-w", _bad_leeds(tmp_path), "reward-grant", "--area", "stockton",
                                  "--skip-invalid", "--format", "json"]).stdout)
    assert document["refused"] == []
    assert [a["area"] for a in document["areas"]] == ["stockton"]


def test_skip_invalid_refusing_every_area_writes_the_empty_report(tmp_path):
    out = tmp_path / "score.json"
    result = invoke(["-w", _bad_leeds(tmp_path), "score", "--area", "Leeds", "--skip-invalid", "-o", out], code=1)
    assert json.loads(out.read_text()) == {"areas": [], "refused": [{"area": "leeds", "errors": 2}]}
    assert "no area is left to compute" in result.stderr


REFUSED = ("Refused with --skip-invalid, so not in this report: leeds (2 error(s) in its inputs). "
           "`laatool validate` lists the errors.")


@pytest.mark.parametrize("command", ["score", "reward-grant", "project", "opportunities", "report"])
def test_a_workbook_s_summary_says_which_areas_were_refused(tmp_path, command):
    """A workbook's summary says which areas --skip-invalid left out and why, in row 4 between
    the titles and the header, as the JSON's `refused` does (it left them out in silence)."""
    import openpyxl

    out = tmp_path / f"{command}.xlsx"
    invoke(["-w", _bad_leeds(tmp_path), command, "--skip-invalid", "-o", out], code=1)
    book = openpyxl.load_workbook(out)
    summary = book.worksheets[0]
    assert summary.title == "Summary" and "leeds" not in book.sheetnames
    assert summary["A4"].value == REFUSED and summary["A4"].font.b
    assert summary["A5"].value in ("area", "Area")  # the header stays in row 5


def test_the_page_says_which_areas_were_refused_and_is_written_when_every_one_was(tmp_path):
    """The page says which areas --skip-invalid left out and why. When every area asked for is
    refused the page is written all the same, saying so, and the exit code is 1, as `score`
    writes its empty report: a board is not left reading last quarter's page."""
    root = _bad_leeds(tmp_path)
    page = tmp_path / "r.html"
    invoke(["-w", root, "report", "--skip-invalid", "--area", "leeds", "--area", "cumbria", "-o", page], code=1)
    text = page.read_text(encoding="utf-8")
    assert f'<p class="refused" data-field="refused">{REFUSED}</p>' in text
    assert 'data-area="cumbria"' in text and 'data-area="leeds"' not in text
    page.write_text("last quarter's page")
    result = invoke(["-w", root, "report", "--skip-invalid", "--area", "leeds", "-o", page], code=1)
    text = page.read_text(encoding="utf-8")
    assert f'<p class="refused" data-field="refused">{REFUSED}</p>' in text
    assert "No area to report: every area asked for was refused." in text and "data-area=" not in text
    assert "no area is left to compute" in result.stderr


def test_a_shared_file_error_refuses_the_areas_that_use_it(tmp_path):
    # LEEDS-01 is Leeds' local indicator: an error in its definition is Leeds' alone.
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    path = root / "indicators" / "LEEDS-01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("polarity: higher", "polarity: sideways"),
                    encoding="utf-8")
    document = json.loads(invoke(["-w", root, "score", "--skip-invalid", "--format", "json"], code=1).stdout)
    assert [r["area"] for r in document["refused"]] == ["leeds"]
    assert [a["area"] for a in document["areas"]] == ["cumbria", "stockton"]
    # an error in laatool.yaml is every area's
    (root / "laatool.yaml").write_text("rag: {amber: 2}\n", encoding="utf-8")
    document = json.loads(invoke(["-w", root, "score", "--skip-invalid", "--format", "json"], code=1).stdout)
    assert [r["area"] for r in document["refused"]] == ["cumbria", "leeds", "stockton"]


def test_a_row_of_no_area_refuses_the_areas_of_its_file(tmp_path):
    # returns-2010-11.csv holds Cumbria's and Leeds' rows (Stockton's are in its own workbook): a
    # row whose area is blank may be either's, so both are refused and Stockton is computed
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    with (root / "returns" / "returns-2010-11.csv").open("a", encoding="utf-8") as csv:
        csv.write(",NI 8,2010-11,22.0,,,,,,,,\n")
    refused = invoke(["-w", root, "score", "--area", "cumbria", "--format", "json"], code=1)
    assert "R316 error" in refused.stderr and refused.stdout == ""
    document = json.loads(invoke(["-w", root, "score", "--skip-invalid", "--format", "json"], code=1).stdout)
    assert document["refused"] == [{"area": "cumbria", "errors": 1}, {"area": "leeds", "errors": 1}]
    assert [a["area"] for a in document["areas"]] == ["stockton"]


def test_a_folder_laatool_yaml_renames_must_be_there(workspace):
    # `returns: Returns` where the folder is `returns/` (as Windows would forgive): every return
    # would be missing in silence, a £0 grant with exit 0. A folder under its own name may be
    # absent, as when laatool.yaml does not name it.
    files = {"agreements/leeds.yaml": (
        "area: leeds\nname: Leeds\nperiods: [2008-09, 2009-10, 2010-11]\nreward: {maximum: 1000000.00}\n"
        "targets:\n  - {indicator: NI 8, kind: designated, baseline: {period: 2007-08, value: 20.1}, "
        "targets: {2010-11: 23}}\n"),
        "returns/returns.csv": "area,indicator,period,value\nleeds,NI 8,2010-11,22.8\n"}
    root = workspace({**files, "laatool.yaml": "returns: Returns\n"})
    result = invoke(["-w", root, "reward-grant"], code=2)
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "laatool: laatool.yaml names returns: Returns, but the workspace has no folder 'Returns'; "
        "did you mean 'returns'? (folder names are matched exactly, capitals too)")
    (root / "laatool.yaml").write_text("returns: returns\nschemes: schemes\n", encoding="utf-8")
    invoke(["-w", root, "validate"])


@pytest.mark.parametrize(("settings", "message"), [
    ("returns: comparators\n", "the workspace's comparators and returns folders are one folder, 'comparators'"),
    ("returns: agreements\n", "the workspace's agreements and returns folders are one folder, 'agreements'"),
    ("comparators: ./returns\n", "the workspace's comparators and returns folders are one folder, './returns'"),
    ("comparators: returns/cmp\n", "the workspace's comparators folder, 'returns/cmp', is inside its returns "
                                   "folder, 'returns'"),
])
def test_one_folder_for_two_kinds_of_file_is_a_usage_error(tmp_path, settings, message):
    # `returns: comparators` read each comparator row as a return repeating itself (R309) and
    # left every target pending, £0.00 with exit 0; `returns: agreements`, S003s on agreements;
    # comparators inside returns (read with its sub-folders) were an area's own returns
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    (root / "returns" / "cmp").mkdir()
    (root / "laatool.yaml").write_text(settings, encoding="utf-8")
    result = invoke(["-w", root, "reward-grant"], code=2)
    assert result.stdout == ""
    assert result.stderr.strip() == (f"laatool: {message} (as laatool.yaml names them, or through a link): each "
                                     "file would be read as both; give each kind of file a folder of its own")


def test_a_link_from_one_folder_to_another_is_one_folder(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    shutil.rmtree(root / "comparators")
    (root / "comparators").symlink_to("returns")
    result = invoke(["-w", root, "score"], code=2)
    assert "the workspace's comparators and returns folders are one folder, 'comparators'" in result.stderr


@pytest.mark.parametrize("option", [["score", "--area"], ["score", "--period"], ["reward-grant", "--scheme"],
                                    ["benchmark", "-i"]])
def test_a_huge_option_value_is_quoted_in_short(option):
    # a 100,000-character value was echoed whole, twice for --area: 200 KB on stderr
    result = invoke(["-w", EXAMPLES, *option, "x" * 100_000], code=2)
    assert len(result.stderr) < 1_000 and "xxx...xxx" in result.stderr


@pytest.mark.parametrize("settings", ["", "# amber: 0.5\n", "---\n"])
def test_a_laatool_yaml_of_nothing_but_comments_takes_every_default(tmp_path, settings):
    # every setting commented out is the defaults, said as information, not an error refusing
    # every area: the examples' reward-grant is what it is without the file
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    (root / "laatool.yaml").unlink()
    without = invoke(["-w", root, "reward-grant", "--format", "json"]).stdout
    (root / "laatool.yaml").write_text(settings, encoding="utf-8")
    assert invoke(["-w", root, "reward-grant", "--format", "json"]).stdout == without
    findings = json.loads(invoke(["-w", root, "validate", "--format", "json"]).stdout)["findings"]
    assert [(f["code"], f["severity"], f["file"], f["message"]) for f in findings if f["file"] == "laatool.yaml"] == [
        ("Y007", "info", "laatool.yaml", "laatool.yaml holds no settings (it is empty, or only comments): every "
         "setting takes its default")]


def _leeds_row_left_out(tmp_path, how):
    """The examples with the 2010-11 returns in a workbook where one Leeds row holds an error
    cell (`error`), or in the CSV with one Leeds row holding an area name over its limit
    (`long`): the row is left out on reading, with one error finding (Y010, Y009)."""
    import xlsxwriter

    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    csv_file = root / "returns" / "returns-2010-11.csv"
    if how == "long":
        with csv_file.open("a", encoding="utf-8") as text:
            text.write(f"leeds,NI 8,2010-11,1,{'x' * 1001},,,,,,,\n")
        return root
    rows = list(csv.reader(csv_file.read_text(encoding="utf-8").splitlines()))
    csv_file.unlink()
    book = xlsxwriter.Workbook(root / "returns" / "returns-2010-11.xlsx")
    sheet = book.add_worksheet("returns")
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    leeds = next(number for number, row in enumerate(rows) if row[0] == "leeds" and row[1] == "NI 8")
    sheet.write_formula(leeds, 3, "=1/0", None, "#DIV/0!")
    book.close()
    return root


@pytest.mark.parametrize("how", ["error", "long"])
def test_a_row_left_out_on_reading_stops_its_own_area_alone(tmp_path, how):
    """A row the reader leaves out (an error cell, a cell over its limit) is still its area's:
    its error refuses that area, not every area with rows in the same file, so a Government
    Office's national workbook with one broken row still computes every other area."""
    root = _leeds_row_left_out(tmp_path, how)
    code = "Y010" if how == "error" else "Y009"
    refused = invoke(["-w", root, "score", "--format", "json"], code=1)
    assert "laatool: 1 error(s) in the inputs of leeds; nothing was computed." in refused.stderr
    skipped = json.loads(invoke(["-w", root, "score", "--skip-invalid", "--format", "json"], code=1).stdout)
    assert skipped.pop("refused") == [{"area": "leeds", "errors": 1}]
    alone = invoke(["-w", root, "score", "--area", "cumbria", "--area", "stockton", "--format", "json"])
    assert skipped == json.loads(alone.stdout)
    assert code in invoke(["-w", root, "validate"], code=1).stdout


def test_a_folder_named_with_the_same_letters_otherwise_says_so(workspace):
    """`returns: données` (é one character, NFC) beside a folder `données` written with e and a
    combining accent (NFD, as macOS names files): "did you mean 'données'?" named the same
    word twice."""
    composed, decomposed = "donn\u00e9es", "donne\u0301es"
    root = workspace({"laatool.yaml": f"returns: {composed}\n", f"{decomposed}/r.csv": "area,indicator,period,value\n"})
    result = invoke(["-w", root, "validate"], code=2)
    assert result.stderr.strip() == (
        f"laatool: laatool.yaml names returns: {composed}, but the workspace's folder '{decomposed}' writes the same "
        "letters with other characters (an accent as a letter of its own, Unicode NFC against NFD): copy the "
        "folder's name into laatool.yaml, or rename the folder")


@pytest.mark.parametrize("command", ["score", "rules"])
def test_an_empty_workspace_name_is_a_usage_error_not_the_current_folder(command, monkeypatch):
    # `-w "$WS"` with WS unset in a nightly script scored whatever folder it started in
    monkeypatch.chdir(EXAMPLES)
    result = invoke(["-w", "", command], 2)
    assert "the folder's name is empty" in result.stderr


def test_a_workspace_that_is_a_file_is_a_usage_error():
    result = invoke(["-w", EXAMPLES / "laatool.yaml", "score"], 2)
    assert f"dir '{EXAMPLES / 'laatool.yaml'}' is a file (`laatool -h` for help)" in result.stderr


@pytest.mark.parametrize(("args", "said"), [
    (["score", "extra"], "got unexpected extra argument(s) (extra) (`laatool score -h` for help)"),
    (["scroe"], "no such command 'scroe'. Did you mean 'score'? (`laatool -h` for help)"),
    ([], "missing command (`laatool -h` for help)"),  # `laatool -w DIR` alone
    (["validate", ""], "invalid value for 'paths': a path is empty: name a file or folder, or leave it out "
                       "(`laatool validate -h` for help)"),  # was "'.' is outside the workspace"
    (["--"], "missing command (`laatool -h` for help)"),
    (["template"], "missing option '--area' / '-a' (`laatool template -h` for help)"),
    (["score", "--aera", "leeds"], "no such option: --aera (Possible options: --area) (`laatool score -h` for help)"),
    (["score", "-o"], "option '-o' requires an argument (`laatool score -h` for help)"),
    (["score", "-p", "2009-10", "-p", "2010-11"],
     "invalid value for '--period' / '-p': given 2 times: give it once (`laatool score -h` for help)"),
    (["score", "--format", "jso  n"], "invalid value for '--format' / '-f': 'jso  n' is not one of "
                                      "'table', 'json', 'csv' (`laatool score -h` for help)"),  # quoted as given
    (["validate", "--fail-on", "never"], "invalid value for '--fail-on': 'never' is not one of 'error', "
                                         "'warning' (`laatool validate -h` for help)"),
    (["schema"], "missing argument 'name'. Choose from: indicator, agreement, returns, scheme, settings, neighbours "
                 "(`laatool schema -h` for help)"),  # click's message over lines, in one
])
def test_a_usage_error_click_finds_is_one_line_as_laatools_own_are(args, said):
    """click said these in four lines (usage, hint, a blank line, `Error: ...`); a nightly
    script's log that keeps the lines starting `laatool:` lost them."""
    result = invoke(["-w", EXAMPLES, *args], 2)
    assert (result.stdout, result.stderr) == ("", f"laatool: {said}\n")


@pytest.mark.parametrize("command", [["score"], ["report", "-a", "leeds"], ["template", "-a", "leeds"]])
def test_an_empty_output_name_says_it_is_empty(command):
    # `-o ''` said "file '' is a directory"
    assert "the file's name is empty" in invoke(["-w", EXAMPLES, *command, "-o", ""], 2).stderr


@pytest.mark.parametrize("name", ["newdir/", "out.xlsx/", "out/."])
def test_an_output_name_ending_in_a_slash_names_a_folder_and_writes_nothing(tmp_path, name):
    # `-o newdir/` wrote a file named `newdir`, exit 0: the slash says a folder was meant
    result = invoke(["-w", EXAMPLES, "score", "-o", f"{tmp_path}/{name}"], 2)
    assert f"'{tmp_path}/{name}' names a folder (it ends in '/'): give a file's name" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["rules"], ["rules", "A201"], ["schema", "agreement"]])
def test_a_workspace_named_that_is_not_there_is_a_usage_error_for_every_command(command, tmp_path):
    # `rules` and `schema` read nothing of the workspace, and said nothing of a wrong -w (exit 0)
    result = invoke(["-w", tmp_path / "missing", *command], 2)
    assert f"no workspace at '{tmp_path / 'missing'}': the folder does not exist (see --workspace)" in result.stderr


def test_a_workspace_named_like_a_command_given_twice_is_refused(tmp_path, monkeypatch):
    """`-w report -w /elsewhere score`: `report`, the first -w's value, was taken for the command's
    name, so the options before it were only `-w`, and the second went unchecked: the run used
    /elsewhere without a word."""
    shutil.copytree(EXAMPLES, tmp_path / "report")
    monkeypatch.chdir(tmp_path)
    result = invoke(["-w", "report", "-w", "report", "score"], 2)
    assert result.stderr == ("laatool: invalid value for '--workspace' / '-w' (env var: 'LAATOOL_WORKSPACE'): given 2 "
                             "times: give it once (`laatool -h` for help)\n")
    assert "Leeds" in invoke(["-w", "report", "score", "-a", "leeds"]).stdout


@pytest.mark.parametrize("command", [["opportunities", "--within"], ["benchmark", "--neighbours"], ["rules"]])
def test_a_value_of_ten_thousand_characters_is_quoted_by_its_start_and_end(command):
    # each was echoed whole: 10,109 bytes of stderr, 20,073 where the message quoted it twice
    result = invoke(["-w", EXAMPLES, *command, "a" * 10_000], 2)
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 600, result.stderr
    assert "a" * 50 + "..." + "a" * 50 in result.stderr and "a" * 201 not in result.stderr


def test_a_long_path_in_a_message_is_kept_whole():
    # a path of 2,000 characters was cut to its start and end, so two files of a deep folder read
    # the same in a message; Linux allows 4,095
    missing = Path("/nowhere") / "/".join([f"{n:02}" + "d" * 198 for n in range(20)] + ["x" * 66])  # 4,095 characters
    assert len(str(missing)) == 4095
    result = invoke(["-w", missing, "score"], 2)
    assert f"no workspace at '{missing}'" in result.stderr
