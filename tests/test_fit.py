"""Tables without colour (a pipe, a file) are laid out by `laatool.render.fit` itself, for
speed: they must be, character for character, what rich's Table draws with colour taken away,
whatever the cells, the column kinds, the sections, the footer and the width."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from laatool.render.console import TextConsole
from laatool.render.fit import SECTION, Column, Fitted, Label
from laatool.render.table import printed

COLOUR = re.compile(r"\x1b\[[0-9;]*m")

# figures, ids and words, with what a cell may also hold: wide and combining characters,
# line breaks, spaces at either end, a pound sign, an empty cell; and messages of plain words
# long enough to wrap, with runs of spaces and words longer than a column
texts = st.one_of(
    st.from_regex(r"(NI [0-9]{1,3}|-?[0-9]{1,9}(\.[0-9]{1,4})?|£[0-9,]{1,12}\.[0-9]{2})", fullmatch=True),
    st.text(st.sampled_from("ab éz中e\u0301\n-—£ 7"), max_size=30),
    st.text(st.sampled_from("abcdefgh   .7\n"), max_size=90),
)
cells = st.one_of(texts, texts.map(lambda text: Text(text, style="bold")))
columns = st.builds(Column, header=st.text(st.sampled_from("Ab cd"), min_size=1, max_size=12),
                    justify=st.sampled_from(["left", "right"]), kind=st.sampled_from(["fixed", "title", "wrap"]),
                    step=st.integers(0, 3), how=st.sampled_from(["drop", "stack", "line"]),
                    least=st.integers(4, 16), share=st.integers(0, 3), keep=st.booleans())


@st.composite
def tables(draw):
    heads = draw(st.lists(columns, min_size=1, max_size=6))
    row = st.lists(cells, min_size=len(heads), max_size=len(heads))
    rows = draw(st.lists(st.one_of(row, st.just(SECTION), st.builds(Label, texts)), max_size=8))
    footer = draw(st.one_of(st.none(), row))
    return Fitted(heads, rows, footer=footer, title=draw(texts), caption=draw(texts))


def drawn(table: Fitted, width: int, colour: bool) -> str:
    out = io.StringIO()
    console = TextConsole(file=out, width=width, color_system="standard" if colour else None, force_terminal=colour)
    printed(console, table)
    return COLOUR.sub("", out.getvalue())


@settings(max_examples=150, deadline=None)
@given(tables(), st.integers(20, 160))
def test_a_table_without_colour_is_what_rich_draws(table, width):
    assert drawn(table, width, colour=False) == drawn(table, width, colour=True)


def test_a_title_cut_with_wide_and_zero_width_characters_is_cut_by_columns():
    """Two wide characters and two combining marks: as many columns as characters, so a cut
    by characters looked right and left the row two columns too wide."""
    title = "中中abcdefghijklmnopqrstuvwxyz and more text to make it long, e\u0301\u0301"
    table = Fitted([Column("ref"), Column("title", kind="title", least=8), Column("value", justify="right")],
                   [["T-05", title, "12.5"]])
    for width in (40, 60, 80):
        assert drawn(table, width, colour=False) == drawn(table, width, colour=True)
        assert all(cell_len(line) <= width for line in drawn(table, width, colour=False).splitlines())


def test_a_kept_wrap_column_beside_fixed_columns_too_wide_still_fits():
    """A wrap column to keep is never left out: beside five fixed columns, one a 37-digit
    figure, the fixed columns go under the row's name and the wrap column narrows, so that 40
    columns hold the table (it was drawn 41 wide, and rich cut it with colour)."""
    table = Fitted([Column("a"), Column("b"), Column("c"), Column("d"), Column("e"),
                    Column("note", kind="wrap", least=4, keep=True)],
                   [["NI 0", "NI 1", "NI 2", "7" * 37, "NI 4", "kept note"]])
    plain = drawn(table, 40, colour=False)
    assert plain == drawn(table, 40, colour=True)
    assert max(cell_len(line) for line in plain.splitlines()) <= 40
    assert "7" * 37 in plain.split()
