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
