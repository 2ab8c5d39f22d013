"""Rows that no selected agreement uses cost their reading and one finding (DESIGN.md §14):
R301 once per area and file, and a command computing some areas reads no other area's rows."""

from __future__ import annotations

import json

from conftest import invoke

AGREEMENT = """
area: {area}
name: {name}
periods: [2008-09, 2009-10, 2010-11]
reward: {{scheme: lpsa2, maximum: 1000000.00}}
targets:
  - indicator: NI 154
    kind: designated
    baseline: {{period: 2007-08, value: 2940}}
    targets: {{2008-09: 3200, 2009-10: 3500, 2010-11: 3800}}
"""
LEEDS = AGREEMENT.format(area="leeds", name="Leeds")
BRADFORD = AGREEMENT.format(area="bradford", name="Bradford")


def findings(root, code=0):
    report = json.loads(invoke(["-w", root, "validate", "--format", "json"], code).stdout)
    return [(f["code"], f["file"], f["row"], f["message"]) for f in report["findings"]]


def test_an_area_without_agreement_is_one_finding_per_file_and_its_rows_are_not_checked(workspace):
    root = workspace({"agreements/leeds.yaml": LEEDS, "returns/a.csv": """
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
        craven,NI 154,2008-09,lots
        craven,NI 999,2009-10,12
        selby,NI 154,2008-09,-5
        craven,NI 154,2010-11,3
        """, "returns/b.csv": """
        area,indicator,period,value
        craven,NI 154,2008-09,3105
        """})
    # `lots`, NI 999 and -5 would be errors in an agreement's rows: here nothing reads them
    assert findings(root) == [
        ("R301", "returns/a.csv", 3, "no agreement for area 'craven' (no agreements/craven.yaml): 3 row(s) of "
                                     "this file, not checked further"),
        ("R301", "returns/a.csv", 5, "no agreement for area 'selby' (no agreements/selby.yaml): 1 row(s) of "
                                     "this file, not checked further"),
        ("R301", "returns/b.csv", 2, "no agreement for area 'craven' (no agreements/craven.yaml): 1 row(s) of "
                                     "this file, not checked further"),
    ]


def test_an_area_without_agreement_is_quoted_as_its_first_row_writes_it(workspace):
    # it was quoted as read, in lower case: 'e10000099', which no search of the file finds
    root = workspace({"agreements/leeds.yaml": LEEDS, "returns/a.csv": """
        area,indicator,period,value
        leeds,NI 154,2008-09,3105
        E10000099,NI 154,2008-09,3
        e10000099,NI 154,2009-10,4
        """})
    assert findings(root) == [
        ("R301", "returns/a.csv", 3, "no agreement for area 'E10000099' (no agreements/e10000099.yaml): 2 row(s) "
                                     "of this file, not checked further")]


def test_without_any_agreement_every_row_is_checked(workspace):
    root = workspace({"agreements/.keep": "", "returns/a.csv": """
        area,indicator,period,value
        craven,NI 154,2008-09,lots
        craven,NI 154,2009-10,12
        """})
    assert [(code, row) for code, _, row, _ in findings(root, 1)] == [("R301", 2), ("R305", 2)]
    message = "no agreement for area 'craven' (no agreements/craven.yaml): 2 row(s) of this file"
    assert findings(root, 1)[0][3] == message


def test_a_malformed_area_is_still_checked_beside_the_agreements(workspace):
    root = workspace({"agreements/leeds.yaml": LEEDS, "returns/a.csv": """
        area,indicator,period,value
        Leeds City Council,NI 154,2008-09,lots
        """})
    assert [(code, row) for code, _, row, _ in findings(root, 1)] == [("R316", 2), ("R305", 2)]


def test_another_areas_errors_do_not_refuse_the_area_asked_for(workspace):
    # b.csv holds only Bradford's rows, one of them an error; c.csv only Bradford's, with an
    # unknown column (S001, an error): neither is in what Leeds uses, both in what Bradford uses
    root = workspace({"agreements/leeds.yaml": LEEDS, "agreements/bradford.yaml": BRADFORD,
                      "returns/a.csv": "area,indicator,period,value\nleeds,NI 154,2008-09,3250\n",
                      "returns/b.csv": "area,indicator,period,value\nbradford,NI 154,2008-09,lots\n",
                      "returns/c.csv": "area,indicator,period,value,colour\nbradford,NI 154,2009-10,3300,red\n"})
    [area] = json.loads(invoke(["-w", root, "score", "--area", "leeds", "--format", "json"]).stdout)["areas"]
    assert [(r["period"], r["actual"], r["status"]) for r in area["rows"]] == [
        ("2008-09", 3250, "green"), ("2009-10", None, "no-data"), ("2010-11", None, "no-data")]
    refused = invoke(["-w", root, "score", "--format", "json"], 1)
    assert "2 error(s) in the inputs of bradford;" in " ".join(refused.stderr.split())



def test_a_file_refused_for_its_header_refuses_only_the_area_whose_rows_it_holds(workspace, tmp_path):
    """A file of Bradford's rows without a `period` column, or naming `value` twice, cannot be
    read (S002, S003): it stopped Leeds too, as if it might hold Leeds's rows, and
    `--skip-invalid` refused both with a total of £0.00. Its rows name Bradford alone, so it
    stops Bradford alone; a district council's such file (no agreement) stops no one, and a YAML
    item left out for a missing key stops the area it names."""
    import polars as pl

    workbook = tmp_path / "bradford.xlsx"
    pl.DataFrame({"area": ["Bradford"], "indicator": ["NI 154"], "value": ["3300"]}).write_excel(workbook)
    root = workspace({
        "agreements/leeds.yaml": LEEDS, "agreements/bradford.yaml": BRADFORD,
        "returns/a.csv": "area,indicator,period,value\nleeds,NI 154,2010-11,3800\nbradford,NI 154,2010-11,3800\n",
        "returns/b.csv": "area,indicator,value\nbradford,NI 154,3300\n",
        "returns/c.csv": "area,indicator,period,value,value\nbradford,NI 154,2009-10,3300,3400\n",
        "returns/d.csv": "area,indicator,value\nhartlepool,NI 154,3300\n",
        "returns/e.yaml": "- {area: leeds, indicator: NI 154, period: 2009-10, value: 3500}\n"
                          "- {area: bradford, indicator: NI 154, value: 3300}\n",
        "returns/bradford.xlsx": workbook.read_bytes(),
    })
    # 1,000,000 for one target met: Leeds is paid in full, whatever Bradford's files hold
    report = json.loads(invoke(["-w", root, "reward-grant", "--area", "leeds", "--format", "json"]).stdout)
    assert [a["total"] for a in report["areas"]] == ["1000000.00"]
    skipped = invoke(["-w", root, "reward-grant", "--skip-invalid", "--format", "json"], 1)
    report = json.loads(skipped.stdout)
    assert ([a["area"] for a in report["areas"]], report["refused"]) == (["leeds"], [{"area": "bradford", "errors": 4}])
    assert report["total"] == "1000000.00"
    # validate still lists each of them, the district's among them
    assert sorted((code, file) for code, file, _, _ in findings(root, 1) if code in ("S002", "S003")) == [
        ("S002", "returns/b.csv"), ("S002", "returns/bradford.xlsx"), ("S002", "returns/d.csv"),
        ("S002", "returns/e.yaml"), ("S003", "returns/c.csv")]

def test_a_file_naming_thousands_of_areas_lists_and_suggests_for_the_first_thousand_alone(workspace, monkeypatch):
    """A file of a million areas without an agreement took 34 s: a finding and a "did you
    mean" was made for each, to list a thousand. Only those listed are made now, the rest
    counted, in each file."""
    import laatool.checks.returns_engine as engine

    asked = []
    suggest = engine.did_you_mean
    monkeypatch.setattr(engine, "did_you_mean", lambda text, *args, **kwargs: (
        asked.append(text), suggest(text, *args, **kwargs))[1])
    many = "".join(f"d{n:05},NI 154,2008-09,1\n" for n in range(2500))
    root = workspace({"agreements/leeds.yaml": LEEDS, "returns/a.csv": "area,indicator,period,value\n" + many,
                      "returns/b.csv": "area,indicator,period,value\nleedz,NI 154,2008-09,1\n"})
    found = findings(root)
    a = [f for f in found if f[1] == "returns/a.csv"]
    assert [row for _, _, row, _ in a if row is not None] == list(range(2, 1002))  # the first 1,000 rows
    assert [f for f in a if f[2] is None] == [
        ("R301", "returns/a.csv", None,
         "1,500 more of this file's findings are R301 (only the first 1,000 are listed)")]
    assert [f[3] for f in found if f[1] == "returns/b.csv"] == [
        "no agreement for area 'leedz' (no agreements/leedz.yaml): 1 row(s) of this file, not checked further; "
        "did you mean leeds?"]
    assert len(asked) == 1001  # the first thousand of a.csv, and leedz
