"""Tables that fit the width they are printed in (DESIGN.md §11: 80 columns and up).

A `Fitted` table is built for the width rich gives it. Its columns are *fixed* (ids, periods,
numbers, money, statuses), always as wide as their widest cell so that no figure or id is ever
cut, *title* (titles and names), which take the width left and are shortened with `…`, or
*wrap* (a message, a catalogue's titles), which take the width left and wrap in it. When
even the titles at their narrowest leave too little room, the columns a table marks with a
`step` give way, the highest step first: each is left out, stacked under the column before it
(its figure on a second line of that cell, nothing lost), or shown as a line of its own above
its row (a title across the whole width); then the titles; and last, while the table is still
too wide (long ids, amounts in the billions), fixed columns are stacked in pairs. A wrap column
to `keep` is never left out: when nothing else gives way it wraps narrower than its `least`. A header
may wrap at its spaces; a cell of a fixed column never wraps, unless the table is narrower than
even one such cell, with every column stacked in one (then it folds: every character is kept).
A table made of parts (labels, lines) is drawn as tables of the same column widths, one under
the other. A `Key` under tables explains only the columns they show at the width they are
drawn in: a column left out is not explained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich import box
from rich._wrap import divide_line  # how rich's Text.wrap breaks a line: the plain layout must match it
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from laatool.render.values import visible


@dataclass(frozen=True)
class Column:
    """`kind` fixed (never cut), title (shortened first, down to `least`) or wrap (text that
    takes the width left, as a title does, and wraps in it: a message); `step` > 0 when the
    column gives way in a narrow table, the highest first, by `how`: dropped, stacked under the
    column before it, or shown as a line of its own above its row (a title, shortened there).
    The title and wrap columns with a `share` split the width left in those parts (a message
    3, its hint 2), each up to its widest; the others, and then these, take what is still left
    in their order. A wrap column to `keep` (a finding's message) is never left out: when
    nothing else gives way, it wraps narrower than its `least`."""

    header: str
    justify: Literal["left", "right", "center"] = "left"
    kind: Literal["fixed", "title", "wrap"] = "fixed"
    step: int = 0
    how: Literal["drop", "stack", "line"] = "drop"
    least: int = 12
    style: str | None = None
    share: int = 0
    keep: bool = False


@dataclass(frozen=True)
class Label:
    """A line of its own naming the rows under it (`Designated targets (20)`), across the table
    and shortened like a title; after a blank line unless `space` is False."""

    text: str
    style: str = "bold"
    space: bool = True


SECTION = None  # a line across the table between groups of rows
GAP = 2  # between two columns
Row = Sequence[Any] | Label | None


def as_text(cell: Any) -> Text:
    """A cell as rich text; a string from input shows as itself (`render.values.visible`), as
    the console shows every string."""
    return cell if isinstance(cell, Text) else Text("\n".join(map(visible, str(cell).split("\n"))))


def cell_width(cell: Any) -> int:
    plain = cell.plain if isinstance(cell, Text) else cell
    if isinstance(plain, str) and plain.isprintable():  # one line, shown as itself (`visible`)
        return len(plain) if plain.isascii() else cell_len(plain)
    text = as_text(cell)
    return max((line.cell_len for line in text.split("\n")), default=0)


def header_width(header: str) -> int:
    """The narrowest a header can be: its longest word (it wraps at its spaces)."""
    return max((len(word) for word in header.split()), default=0)


class Fitted:
    """A rich table that fits its width: see the module's docstring. `title` goes above it,
    `caption` under it (both wrap, never cut), `footer` is a row under the others; `options` go
    to rich's `Table`. A `Label` is a line of its own across the table, between its rows. A
    caption that explains columns is a function of the headers shown (`shown_headers`), so
    that it explains only those."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Row], footer: Sequence[Any] | None = None,
                 title: str | Text = "", caption: str | Text | Callable[[set[str]], Text] = "",
                 title_style: str = "", **options: Any) -> None:
        self.columns = list(columns)
        self.rows = list(rows)
        self.footer = footer
        self.title = title if isinstance(title, Text) else Text(str(as_text(title)), style=title_style)
        self.caption = caption if isinstance(caption, Text) or callable(caption) else \
            Text(str(as_text(caption)), style="dim")
        self.options = {"box": box.SIMPLE_HEAD, "pad_edge": False, "collapse_padding": True, "show_edge": False,
                        **options}
        self._plans: dict[int, tuple[list[list[int]], list[int]]] = {}
        self._widest: list[int] | None = None

    def shown_headers(self, width: int) -> set[str]:
        """The headers of the columns shown at `width`: stacked under another or as a line above
        their row count as shown, a column left out does not."""
        shown, lines = self.plan(width)
        return {self.columns[i].header for i in [*(i for group in shown for i in group), *lines]}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        shown, lines = self.plan(options.max_width)
        widths = self.widths(shown, options.max_width)
        # Without colour (a pipe, a file: national tables of tens of thousands of rows) the
        # parts are laid out here, as rich's Table lays them out, at a fraction of its cost;
        # with colour, or too narrow for every column, by rich's Table itself.
        plain = (console.color_system is None and bool(widths) and min(widths) > 0
                 and sum(widths) + GAP * (len(widths) - 1) <= options.max_width)
        out: list[Any] = [self.title] if self.title else []
        pending: list[Row] = []
        header = True

        def flush(last: bool = False) -> None:
            nonlocal header, pending
            while pending and pending[-1] is None:
                pending.pop()
            if pending or header or (last and self.footer is not None):
                out.append(self.plain_part(console, options, shown, widths, pending, header, last) if plain
                           else self.part(shown, widths, pending, header, last))
            header, pending = False, []

        def line(text: str, style: str = "") -> None:
            """A line across the table, shortened with `…`: without colour, as rich shows it."""
            laid = _laid_out(text, options.max_width, "left", cut=True) if plain else None
            if laid is None or len(laid) != 1:
                out.append(Text(text, style=style, no_wrap=True, overflow="ellipsis"))
            elif out and isinstance(out[-1], Lines):
                out[-1].lines.append(laid[0].rstrip())  # no space at its end: the padding alone
            else:
                out.append(Lines([laid[0].rstrip()]))

        for row in self.rows:
            if isinstance(row, Label):
                first = header
                flush()
                if row.space and not first:
                    line("")
                line(visible(row.text), row.style)
            elif row is None:
                if pending:
                    pending.append(row)
            else:
                above = " ".join(str(row[i]) for i in lines if i < len(row) and str(row[i]))
                if above:
                    flush()
                    line(visible(above))
                pending.append(row)
        flush(last=True)
        caption = self.caption(self.shown_headers(options.max_width)) if callable(self.caption) else self.caption
        if caption:
            out.append(caption)
        yield from out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)

    def cells(self) -> list[list[Any]]:
        """Each column's cells, the footer's last."""
        rows = [row for row in self.rows if row is not None and not isinstance(row, Label)]
        if self.footer is not None:
            rows.append(self.footer)
        return [[row[i] if i < len(row) else "" for row in rows] for i in range(len(self.columns))]

    def plan(self, width: int) -> tuple[list[list[int]], list[int]]:
        """The columns shown, each as the indices of the columns stacked in it, and those shown
        as a line above their row (worked out once per width: a key asks for it too)."""
        if width not in self._plans:
            self._plans[width] = self._plan(width)
        shown, lines = self._plans[width]
        return [list(group) for group in shown], list(lines)

    def _plan(self, width: int) -> tuple[list[list[int]], list[int]]:
        shown = [[i] for i in range(len(self.columns))]
        lines: list[int] = []
        steps = sorted((c.step, i) for i, c in enumerate(self.columns) if c.step)
        while self.needed(shown) > width:
            if steps:
                _, index = steps.pop()
                place = next(n for n, group in enumerate(shown) if index in group)
                if self.columns[index].how == "stack" and shown[place][0] == index and place > 0:
                    shown[place - 1] += shown.pop(place)
                else:
                    lines += [index] if self.columns[index].how == "line" else []
                    shown[place].remove(index)
                    if not shown[place]:
                        shown.pop(place)
            elif any(self._gives_way(g) for g in shown):  # then: no titles at all
                shown = [g for g in shown if not self._gives_way(g)]
            elif pairs := [p for p in range(2, len(shown)) if self._fixed(shown[p - 1]) and self._fixed(shown[p])]:
                # Last: a column stacked under the one before it (never under the first, which
                # names the row), the pair making the fewest lines, the rightmost of those: a
                # long area id beside five amounts still shows every figure whole.
                height = [max((len(as_text(c).split("\n")) for c in column), default=1) for column in self.cells()]
                place = min(pairs, key=lambda p: (sum(height[i] for i in shown[p - 1] + shown[p]), -p))
                shown[place - 1] += shown.pop(place)
            elif len(shown) > 1 and self._fixed(shown[0]) and self._fixed(shown[1]):
                shown[0] += shown.pop(1)  # last of all: the figures under the row's name, every one whole
            else:
                break  # a wrap column to keep is never left out: it wraps narrower than its `least` (`widths`)
        return shown, lines

    def _fixed(self, group: list[int]) -> bool:
        return self.columns[group[0]].kind == "fixed"

    def _gives_way(self, group: list[int]) -> bool:
        """Whether a column is left out once no step is left: a title, or a wrap column not kept."""
        return not self._fixed(group) and not self.columns[group[0]].keep

    def widest(self) -> list[int]:
        """Each column's widest cell or header word, measured once: planning a width asks for
        them again at every step, and a national table has tens of thousands of cells."""
        if self._widest is None:
            self._widest = [max([len(c) if type(c) is str and c.isascii() and c.isprintable() else cell_width(c)
                                 for c in cells] + [header_width(column.header)])  # most cells: plain ASCII
                            for column, cells in zip(self.columns, self.cells(), strict=True)]
        return self._widest

    def natural(self, group: list[int], narrowest: bool) -> int:
        head, widest = self.columns[group[0]], self.widest()
        if head.kind != "fixed":
            return min(widest[group[0]], head.least) if narrowest else widest[group[0]]
        return max(widest[i] for i in group)

    def needed(self, shown: list[list[int]]) -> int:
        return sum(self.natural(g, True) for g in shown) + GAP * max(len(shown) - 1, 0)

    def widths(self, shown: list[list[int]], width: int) -> list[int]:
        """Each shown column's width: a fixed one its widest cell; the titles share what is left
        (by their `share`, then in order), each up to its widest."""
        widths = [self.natural(g, True) for g in shown]
        spare = width - self.needed(shown)
        growing = [n for n, group in enumerate(shown) if self.columns[group[0]].kind != "fixed"]
        shares = {n: self.columns[shown[n][0]].share for n in growing if self.columns[shown[n][0]].share}
        if spare > 0 and shares:
            given = {n: min(spare * share // sum(shares.values()), self.natural(shown[n], False) - widths[n])
                     for n, share in shares.items()}
            for n, more in given.items():
                widths[n] += more
            spare -= sum(given.values())
        for n in growing:
            more = min(max(spare, 0), self.natural(shown[n], False) - widths[n])
            widths[n] += more
            spare -= more
        for n in reversed(growing):  # too narrow even so: the wrap columns kept give way, the last first
            less = min(max(-spare, 0), widths[n] - 1)
            widths[n] -= less
            spare += less
        return widths

    def part(self, shown: list[list[int]], widths: list[int], rows: list[Row], header: bool, last: bool) -> Table:
        """Some rows as a table of the given column widths (so that the parts line up)."""
        footer = last and self.footer is not None
        table = Table(**self.options, show_header=header, show_footer=footer)
        for group, width in zip(shown, widths, strict=True):
            head = self.columns[group[0]]
            table.add_column("\n".join(self.columns[i].header for i in group), justify=head.justify,
                             style=head.style, width=width, no_wrap=head.kind == "title",
                             overflow="ellipsis" if head.kind == "title" else "fold")
        for row in rows:
            if row is None:
                table.add_section()
            elif not isinstance(row, Label):
                table.add_row(*[self.cell(row, group) for group in shown])
        if footer and self.footer is not None:
            for column, group in zip(table.columns, shown, strict=True):
                column.footer = self.cell(self.footer, group)
        return table

    def plain_part(self, console: Console, options: ConsoleOptions, shown: list[list[int]], widths: list[int],
                   rows: list[Row], header: bool, last: bool) -> Lines:
        """`part`'s lines without colour, laid out as rich's Table lays out a table of the
        options `Fitted` gives it (no edge, the padding collapsed to one space beside a
        divider of one), which costs rich about 2 ms a row (`_cell_lines` draws each cell)."""
        heads = [self.columns[group[0]] for group in shown]
        edge = self.options["box"].substitute(options, safe=console.safe_box)
        edge = edge if header else edge.get_plain_headed_box()
        line_widths = [width + 1 for width in widths[:-1]] + widths[-1:]  # a cell and its padding
        out: list[str] = []

        def add(cells: list[Any], bottom: bool = False) -> None:
            drawn = [_cell_lines(console, options, cell, width, head) for cell, width, head in zip(cells, widths, heads,
                                                                                                   strict=True)]
            height = max(len(lines) for lines in drawn)
            for lines, width in zip(drawn, widths, strict=True):
                blank = [" " * width] * (height - len(lines))
                if bottom:  # a header sits on the line above the rule
                    lines[:0] = blank
                else:
                    lines += blank
            out.extend("  ".join(parts) for parts in zip(*drawn, strict=True))

        if header:
            add(["\n".join(self.columns[i].header for i in group) for group in shown], bottom=True)
            out.append(edge.get_row(line_widths, "head", edge=False))
        body = sum(1 for row in rows if row is not None and not isinstance(row, Label))
        done = 0
        for position, row in enumerate(rows):
            if row is None or isinstance(row, Label):
                continue
            line = _one_line(row, shown, widths, heads)
            if line is None:
                add([self.cell(row, group) for group in shown])
            else:
                out.append(line)
            done += 1
            # a section's line under its last row, as rich draws it: never under the last row
            if done < body and position + 1 < len(rows) and rows[position + 1] is None:
                out.append(edge.get_row(line_widths, "row", edge=False))
        if last and self.footer is not None:
            out.append(edge.get_row(line_widths, "foot", edge=False))
            add([self.cell(self.footer, group) for group in shown])
        return Lines(out)

    def cell(self, row: Sequence[Any], group: list[int]) -> Any:
        parts = [row[i] if i < len(row) else "" for i in group]
        if self.columns[group[0]].kind == "title":  # wrap columns wrap as rich wraps text
            part = parts[0]
            text = as_text(part).copy()
            text.no_wrap, text.overflow = True, "ellipsis"
            return text
        while len(parts) > 1 and not cell_width(parts[-1]):  # nothing stacked: no empty line
            parts.pop()
        if len(parts) == 1:
            return parts[0]
        joined = Text()
        for n, part in enumerate(parts):
            joined.append_text(Text("\n") if n else Text(""))
            joined.append_text(as_text(part))
        return joined


def _one_line(row: Sequence[Any], shown: list[list[int]], widths: list[int], heads: list[Column]) -> str | None:
    """The row's line when each of its cells is one line in its column (text of characters a
    column wide each, nothing stacked under it, that fits or is a title cut with `…`: most rows
    of a national table), as `_cell_lines` lays each out; else None."""
    parts = []
    for group, width, head in zip(shown, widths, heads, strict=True):
        if len(group) > 1 and any(cell_width(row[i]) for i in group[1:] if i < len(row)):
            return None
        cell = row[group[0]] if group[0] < len(row) else ""
        if isinstance(cell, Text):
            if cell.justify or cell.overflow or cell.no_wrap is not None:
                return None
            cell = cell.plain
        if not isinstance(cell, str) or "\n" in cell or head.justify not in ("left", "right"):
            return None
        if len(cell) <= width and cell.isascii() and cell.isprintable() and not cell.endswith(" "):
            parts.append(cell.ljust(width) if head.justify == "left" else cell.rjust(width))  # most cells
            continue
        laid = _laid_out(cell, width, head.justify, cut=head.kind == "title")
        if laid is None:
            return None
        parts += laid
    return "  ".join(parts)


class Lines:
    """Lines laid out already (`Fitted.plain_part`), printed as they are."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.lines:  # as one piece of text: no colour to give each line
            yield Segment("\n".join(self.lines) + "\n")


def _cell_lines(console: Console, options: ConsoleOptions, cell: Any, width: int, head: Column) -> list[str]:
    """A cell's lines at `width`, each padded to it, as rich draws the cell in a column like
    `head`: lines of printable characters a column wide each, that fit, are cut with `…` or
    wrap (most are: ids, periods, figures, money, titles, messages), are laid out here; rich
    draws the others (wide or combining characters, a control, a space at a line's end)."""
    plain = cell.plain if isinstance(cell, Text) else cell
    own = cell if isinstance(cell, Text) else None
    justify = (own and own.justify) or head.justify
    title = head.kind == "title"
    if isinstance(plain, str) and justify in ("left", "right"):
        # as `Text.__rich_console__` picks them: the cell's own, else the column's
        overflow = (own and own.overflow) or ("ellipsis" if title else "fold")
        no_wrap = own.no_wrap if own is not None and own.no_wrap is not None else title
        laid = _laid_out(plain, width, justify, cut=no_wrap and overflow == "ellipsis",
                         wrap=not no_wrap and overflow == "fold")
        if laid is not None:
            return laid
    text = as_text(cell)
    lines = console.render_lines(text, options.update(width=width, justify=head.justify, no_wrap=title,
                                                      overflow="ellipsis" if title else "fold", height=None,
                                                      highlight=False), pad=True)
    return ["".join(segment.text for segment in line) for line in lines]


def _laid_out(plain: str, width: int, justify: str, cut: bool, wrap: bool = False) -> list[str] | None:
    """`plain`'s lines padded to `width` as rich pads them, a line too long cut to end in `…`
    when `cut`, or wrapped at its spaces (a word longer than the width folded) when `wrap`;
    None when rich must draw them: a line too long for neither, or one with a character not a
    column wide (wide, combining, a control) or a space at its end (rich strips it)."""
    laid: list[str] = []
    for line in plain.split("\n"):
        if not line.isprintable() or line.endswith(" ") or not (line.isascii() or cell_len(line) == len(line)):
            return None
        if len(line) <= width:
            pieces = [line]
        elif wrap and line.isascii():
            # where rich's own Text.wrap breaks the line (a piece keeps the spaces after its
            # last word, which padding hides on the left and rich strips on the right)
            breaks = [0, *divide_line(line, width), len(line)]
            pieces = [line[start:end][:width] for start, end in zip(breaks, breaks[1:], strict=False)]
            pieces = [piece.rstrip() for piece in pieces] if justify == "right" else pieces
        elif cut and line.isascii():  # a wide or zero-width character: rich cuts by columns
            pieces = [line[:width - 1] + "…"]
        else:
            return None
        laid += [piece.ljust(width) if justify == "left" else piece.rjust(width) for piece in pieces]
    return laid


def explained(sentences: Sequence[tuple[str | None, str]], shown: set[str]) -> str:
    """The sentences of a key that explain a column in `shown` (by its header) or the table as
    a whole (None), in their order."""
    return " ".join(sentence for column, sentence in sentences if column is None or column in shown)


class Key:
    """A key under `tables`: each of its sentences explains a column (named by its header) or
    the tables as a whole (None), and a column's is given only when a table shows that column at
    the width they are drawn in, so a narrow table's key explains no column it left out."""

    def __init__(self, tables: Sequence[Fitted], sentences: Sequence[tuple[str | None, str]],
                 style: str = "dim") -> None:
        self.tables = list(tables)
        self.sentences = list(sentences)
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        shown = set().union(*(table.shown_headers(options.max_width) for table in self.tables))
        text = explained(self.sentences, shown)
        if text:
            yield Text(text, style=self.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)
