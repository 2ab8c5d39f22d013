"""Y: what the workspace's folders hold — files laatool does not read, lock files, and schemes
named by two files or replacing a bundled one."""

from __future__ import annotations

from laatool.base.findings import Severity
from laatool.base.rule import Rule


class Y014(Rule):
    """Scheme named by two files.

    Two files of the workspace's `schemes/` folder give the same scheme `name`: only one of
    them can be read (the last in name order), and the grant of every agreement on that scheme
    would depend on which. The one read is named at the other.

    Failing:
        schemes/custom.yaml and schemes/custom-2010.yaml, both `name: custom`
    Passing:
        one file for each scheme name
    """

    code = "Y014"
    hint = "delete one of the files, or give each scheme a name of its own"


class Y015(Rule):
    """Lock file of an open workbook or file.

    While a workbook is open, Excel keeps a small lock file beside it (`~$returns.xlsx`), and
    some editors do the same (`.#returns.csv`). It holds no returns and is not read; this says
    so, so that running laatool with the workbook open needs no step of its own.

    Failing:
        (information) returns/~$returns-2010-11.xlsx beside returns/returns-2010-11.xlsx
    Passing:
        the workbook closed, or no lock file in the folder
    """

    code = "Y015"
    severity = Severity.INFO
    hint = "nothing to do; it goes when the workbook is closed"


class Y017(Rule):
    """File in a workspace folder that laatool does not read.

    Returns are read from `.csv`, `.xlsx`, `.parquet` and `.yaml` files. A file of any other
    kind in the returns folder (a workbook saved as `.xlsm`, `.xls` or `.ods`, a `.tsv`, a
    backup) is not read, so whatever returns it holds count for nothing; this names it. Hidden
    files (`.DS_Store`) and the thumbnail and folder files of Windows are passed over quietly.
    Agreements, indicators, schemes and neighbour groups are read from their folder itself
    (DESIGN.md §2): a YAML file in a folder below one (`agreements/tees/stockton.yaml`) is
    named too, and so is a returns file in a hidden or system folder below the returns or
    comparators folder (`returns/.Trash-1000/files/leeds.csv`, `$RECYCLE.BIN`, `__MACOSX`).

    Failing:
        returns/returns-2010-11.xlsm beside returns/returns-2009-10.csv
        agreements/tees/stockton.yaml
    Passing:
        returns/returns-2010-11.xlsx
        agreements/stockton.yaml
    """

    code = "Y017"
    severity = Severity.WARNING
    hint = "save it as .csv or .xlsx (an .xlsm or .xls workbook as Excel Workbook .xlsx), or move it out of the folder"


class Y018(Rule):
    """Workspace scheme replaces a bundled scheme.

    A file in the workspace's `schemes/` folder with the `name` of a bundled scheme (`lpsa2`,
    `final-2011`) replaces the bundled rules for every agreement of this workspace on that
    scheme. That is allowed (a Government Office's own reading of the rules), and reported so the
    grant never changes without a word; give the file a name of its own to keep both.

    Failing:
        schemes/lpsa2.yaml in the workspace, `name: lpsa2`
    Passing:
        schemes/lpsa2-leeds.yaml, `name: lpsa2-leeds`, named by the agreement's `reward.scheme`
    """

    code = "Y018"
    severity = Severity.INFO
    hint = "nothing to do if the replacement is intended; else give the scheme a name of its own"
