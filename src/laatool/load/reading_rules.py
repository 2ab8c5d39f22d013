"""Y: reading any file — YAML syntax, duplicate keys, hostile files, encodings, sizes, links.

The Y rules of returns tables are `table_rules`, those of what the folders hold `folder_rules`."""

from __future__ import annotations

from laatool.base.findings import Severity
from laatool.base.numbers import LIMITS
from laatool.base.rule import Rule


class Y001(Rule):
    """YAML syntax error.

    The file is not valid YAML, so nothing in it can be checked. The finding points at the
    line and column where the parser gave up, or, for a bracket or a quote left open, where it
    opens (the message says where the parser gave up, often the line after). A tag
    (`!!null`, `!!str`, `!!python/...`) is refused here too, at its place: it can only make a
    value something other than what is written (`maximum: !!null 1000000.50` would be none).
    So is a whole number written with a nought first that YAML 1.1 reads in base 8, in an
    agreement, indicator, scheme, neighbours file or laatool.yaml (`maximum: 01000000`,
    262,144 to PyYAML and an editor's YAML support, 1,000,000 to a person): which is meant is
    for the person to say. Quoted, it is the number written; `07`, the same in both, is read.
    (A YAML returns file's values are its cells, read as written, as a CSV's are.)

    Failing:
        targets:
          - indicator: NI 154
            targets: {2008-09: 3200, 2009-10: 3500
    Passing:
        targets:
          - indicator: NI 154
            targets: {2008-09: 3200, 2009-10: 3500}
    """

    code = "Y001"
    hint = "fix the YAML at this line (check indentation, brackets and quotes)"


class Y002(Rule):
    """Duplicate key.

    The same key appears twice in one mapping. YAML tools would silently keep the last
    value, so laatool refuses the file instead of guessing which one you meant.

    Failing:
        area: leeds
        name: Leeds
        area: leeds
    Passing:
        area: leeds
        name: Leeds
    """

    code = "Y002"
    hint = "keep one of the two entries and delete the other"


class Y003(Rule):
    """Alias expansion or nesting too large.

    Anchors and aliases that would expand past 100,000 nodes (counting only what the aliases
    stand for: nodes written out plainly are bounded by the file's size), or nesting deeper
    than 100 levels, are refused before anything else reads the file, so a hostile file
    cannot exhaust memory or time. Real agreements never come close.

    Failing:
        a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        # ... and so on, ten times more per level
    Passing:
        a: [1, 1, 1]
    """

    code = "Y003"
    hint = "write the data out plainly instead of through anchors, aliases or deep nesting"


class Y004(Rule):
    """File is not UTF-8 text.

    Every input must be UTF-8 (a byte-order mark is allowed). Files saved by older
    spreadsheets as Latin-1 or Windows-1252 fail here; the finding gives the line of the
    first byte that is not UTF-8 (often a '£' or an accented letter). A file in UTF-16 or
    UTF-32 with its byte-order mark (Excel's "Unicode Text", Notepad's "Unicode") is named as
    such; a YAML file's hint is a text editor's encoding rather than Excel's.

    Failing:
        a CSV saved as "CSV (Comma delimited)" by an old Excel, with '£' as byte 0xa3
    Passing:
        the same file saved as "CSV UTF-8 (Comma delimited)"
    """

    code = "Y004"
    hint = "save the file as UTF-8 (in Excel: 'CSV UTF-8'), then run again"


class Y005(Rule):
    """File too large.

    YAML files over 20 MiB and table files over 2 GiB are refused with this finding
    rather than read into memory. Agreements and indicator files are a few kilobytes: an
    agreement, indicator, scheme, neighbours file or laatool.yaml of more than 100,000 values
    (keys, items and values counted alike; a large agreement holds a few thousand) is refused
    as it is read, before its checks, whose work grows with every value.
    Tables are measured by their own metadata before they are read, and refused past these
    limits: an XLSX sheet of more than 1,048,576 rows or 16,384 columns (Excel's own
    limits), an XLSX workbook whose parts unzip to more than 1 GiB, a Parquet file of more
    than 2,000,000 rows, 16,384 columns or 1 GiB of uncompressed column data, and either of
    more than 30,000,000 cells (rows × columns, counted from A1 to the last cell), and a CSV
    file of more than 16,384 columns in its header line or 30,000,000 cells (its rows counted
    before it is read, the header row and blank lines among them); a
    workbook whose shared strings say they are more than that, or more than their part holds;
    a sheet with more than 1,000,000 number cells written with more digits than a spreadsheet
    reader keeps (each is read as written, so the sheet is refused rather than read rounded).
    No text is read past 64 MiB: a CSV file with a line of more (found at that line before the
    file is read), a Parquet file with a cell of more, an XLSX sheet with a text of more.

    Failing:
        a 30 MiB agreement file
        returns/2009-10.xlsx with one cell at XFD1048576
    Passing:
        a 5 KiB agreement file
        returns/2009-10.xlsx with 12 columns and 5,000 rows
    """

    code = "Y005"
    hint = "split the file, or check that it is the file you meant"


class Y007(Rule):
    """File is empty.

    A YAML file with no content defines nothing. An empty returns or comparators file is
    reported as a warning since it holds no rows; an empty agreement, indicator or scheme file
    is an error; a laatool.yaml of comments alone is info (every setting takes its default).

    Failing:
        agreements/leeds.yaml with no content
    Passing:
        agreements/leeds.yaml holding the agreement
    """

    code = "Y007"
    other_severities = {Severity.WARNING: "a returns or comparators file", Severity.INFO: "laatool.yaml"}
    hint = "fill the file in or delete it"


class Y008(Rule):
    """Number beyond laatool's limits.

    laatool uses every number exactly as written, so it holds numbers to limits it can
    compute with exactly: at most 30 significant digits, and a size from 1e-30 up to (not
    including) 1e31 (or zero). A number beyond them (`1.0e+40`, a 31-digit value such as
    `1234567890123456789012345678901`, a number written in thousands of digits) in a YAML
    file (an agreement, a scheme, an indicator, laatool.yaml or a YAML returns file) is
    refused where it is read, and nothing is computed with it. A returns table's cell beyond
    the limits is R321.

    Y008 is for what YAML 1.1 reads as a number: digits alone, a sign before them or not,
    not starting with 0 (an integer), or digits with a decimal point and, if any, an exponent
    with its sign (`1.0e+40`, `1.e+40`, `.1e+42`). Written without a point (`1e40`, `1e+40`),
    with an exponent without a sign (`1.0e40`) or quoted, it is text to YAML: where a number
    is expected the schema holds it to the same limits (S003), and a YAML returns file reads
    it as a table's cell (R321); a quoted one over 10,000 characters is Y009, as any text.

    Failing:
        reward: {scheme: lpsa2, maximum: 1.0e+40}
    Passing:
        reward: {scheme: lpsa2, maximum: 1250000.00}
    """

    code = "Y008"
    hint = f"write the number with {LIMITS}"


class Y009(Rule):
    """Text too long.

    Every text has a length limit that no real one comes near: names, titles, sources, ids
    and the cells of a returns table up to 1,000 characters, notes (a `note` cell, an
    indicator's `notes`) and any value in a YAML file up to 10,000. A longer text is refused
    where it is read; a table row holding one is left out of the returns. A number is not
    text: however many digits it is written in, it is held to the number limits (Y008, R321).

    Failing:
        name: Leeds Leeds Leeds ... (20,000 characters)
    Passing:
        name: Leeds
    """

    code = "Y009"
    hint = "shorten the text, or check that the file holds what you meant"


class Y012(Rule):
    """Link leads outside the workspace.

    laatool reads only inside the workspace folder. A file in it that is a symbolic link to
    a place outside it (`returns/2010-11.csv -> /srv/exports/2010-11.csv`), or a folder of
    returns that is such a link, is not followed and not read. Links that stay inside the
    workspace are read as the files they lead to.

    Failing:
        returns/leeds.csv -> /home/someone/leeds.csv
    Passing:
        returns/leeds.csv, a copy of the file
    """

    code = "Y012"
    hint = "copy the file into the workspace instead of linking to it"


class Y013(Rule):
    """Not a regular file.

    An entry named like an input (`laatool.yaml`, `agreements/leeds.yaml`,
    `returns/2010-11.csv`) that is a named pipe, a socket, a device or a folder is not read:
    a pipe would wait for ever for a writer and a device would never end.

    Failing:
        returns/live.csv made with `mkfifo`
    Passing:
        returns/live.csv, a file written by the export
    """

    code = "Y013"
    hint = "put the data in an ordinary file, or move this entry out of the workspace folders"


class Y019(Rule):
    """File name is not UTF-8.

    A file laatool would read (an agreement, an indicator, a scheme, a returns file) whose name,
    or the name of a folder of returns it is in, holds a byte that is not UTF-8 is not read:
    such a name comes from an old system or an old archive that wrote it in another encoding
    (a Latin-1 '£' is the byte 0xa3). It cannot be shown or stored as written, and the table
    readers cannot open it by name. The finding names the file with each such byte written
    `\\xNN`. A file laatool would not read anyway (`notes.txt`) is only named (Y017).

    Failing:
        returns/returns-2010-11\\xa3.csv, its name written in Latin-1
    Passing:
        returns/returns-2010-11£.csv, its name written in UTF-8 (or returns/returns-2010-11.csv)
    """

    code = "Y019"
    hint = "rename the file (or its folder) in UTF-8, replacing each byte shown as \\xNN"




