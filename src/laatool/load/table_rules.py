"""Y: reading a returns table — formats, spreadsheet cells, sheets, merged cells, CSV rows."""

from __future__ import annotations

from laatool.base.findings import Severity
from laatool.base.rule import Rule


class Y006(Rule):
    """File cannot be read as a table.

    A returns file that is empty, binary, truncated or not in the format its extension
    says (CSV, XLSX, Parquet or YAML) cannot be loaded. A CSV file whose columns are
    separated by semicolons or tabs, whose lines end with a carriage return alone, or with a
    row of more cells than its header (the finding names the row) is one too, and so is a
    workbook with a cell a reader would read as another value (a shared text whose index is
    not a plain whole number, a cell holding two values; the finding names the cell and its
    row) or a part declaring a DTD.

    Failing:
        returns/2009-10.xlsx that is really a renamed CSV
    Passing:
        returns/2009-10.xlsx saved by Excel as a workbook
    """

    code = "Y006"
    hint = "re-export the file in the format its extension says"


class Y010(Rule):
    """Spreadsheet error in a cell.

    A cell of an XLSX returns file holds an error value (`#DIV/0!`, `#N/A`, `#REF!`,
    `#VALUE!` ...) instead of a value, usually a formula that failed, or a formula with no
    stored result (a workbook written by a program and never saved from a spreadsheet). It is
    not a blank ("not reported") and not a number, so it is reported at the cell's own row and
    column rather than read as either.

    Failing:
        value: =B2/C2 with C2 empty, shown as #DIV/0!
    Passing:
        value: 21.5, or an empty cell when there is nothing to report
    """

    code = "Y010"
    hint = "fix the formula or type the value in; leave the cell empty if nothing is reported"


class Y011(Rule):
    """Sheet read from a workbook of several.

    An XLSX returns file is read from one sheet: a visible sheet named `returns` (in any
    case), else the first visible sheet; a hidden sheet only when none is visible. When the
    workbook has more than one sheet, this finding says which was read, so that the rows of
    the other findings can be found.

    Failing:
        (information) a workbook with the sheets 'Notes', 'Returns' and a hidden 'returns old'
    Passing:
        a workbook with one sheet
    """

    code = "Y011"
    severity = Severity.INFO
    hint = "if the returns are on another sheet, name that sheet 'returns'"


class Y016(Rule):
    """Merged cells in a returns sheet.

    A merged cell shows its value across every row it spans, but holds it in its first cell
    alone: the rows below read that column blank (an area or an indicator written once for
    several rows), and so does any other cell of the merge, whatever the file keeps under it.
    The blank cells are reported where they matter (a blank area is R316); this names the
    merge, so the blank cells are not a mystery. Header cells merged across columns
    leave every column after the first without a name (S001, S002): the merge is named too.

    Failing:
        A2:A4 merged, showing `leeds` beside three rows of returns
    Passing:
        `leeds` in each of A2, A3 and A4
    """

    code = "Y016"
    severity = Severity.WARNING
    hint = "unmerge the cells and fill the value into every row (Excel: Merge & Center off, then Fill Down)"


class Y020(Rule):
    """A note in a CSV file holds lines that read as rows of returns.

    A double quote opens a cell that runs, line ends and all, to the next double quote: a
    quote left open in a note (`"see the housing team's figures`) takes every line up to the
    next quote into that one note, so the rows written there are not read, as a spreadsheet
    opening the file would not read them either. Those returns then count for nothing (a
    target left without its actual), and nothing else would say so: a note is never checked.
    A note whose second or later line holds as many commas as a row of the file's columns is
    named, with how many such lines it holds and the first of them.

    Failing:
        area,indicator,period,value,note
        leeds,NI 8,2009-10,22.1,"see the team's figures
        leeds,NI 8,2010-11,23.8,
        leeds,NI 154,2010-11,1640,checked"
    Passing:
        area,indicator,period,value,note
        leeds,NI 8,2009-10,22.1,"see the team's figures"
        leeds,NI 8,2010-11,23.8,
        leeds,NI 154,2010-11,1640,"checked"
    """

    code = "Y020"
    severity = Severity.WARNING
    hint = "close the quote where the note ends (a quote inside a note is written twice: \"\"), then run again"


class Y021(Rule):
    """The last row of a CSV file may be cut off.

    The file ends without a line end, in a row of fewer cells than its header: what a copy or
    a download cut off in the middle of a row leaves, its last value perhaps cut too (`34.8`
    as `34`), and nothing after it read: a program writing CSV writes a cell for every column,
    blank or not, so a short row is rarely written whole. The row is read as written (a row
    typed by hand may be short), and named. A last row short of the area, indicator, period or value cells is refused
    (Y006): it would read as a return not reported.

    Failing:
        area,indicator,period,value,status
        leeds,NI 154,2010-11,3790,final
        leeds,NI 192,2010-11,34        (the file's last bytes)
    Passing:
        area,indicator,period,value,status
        leeds,NI 154,2010-11,3790,final
        leeds,NI 192,2010-11,34.8,final
    """

    code = "Y021"
    severity = Severity.WARNING
    hint = "check the row against the program that made the file, and save the file again whole"
