"""The chart of each target in `laatool report` (DESIGN.md §11), drawn by matplotlib to SVG.

matplotlib is imported here, when the first chart is drawn, and nowhere else: `laatool --help`
and the other commands never load it; `laatool report` draws its charts in processes of its
own (`Painters`), and reads back the charts it drew before (`draw_all`). One small figure is
drawn again for every chart (its lines given new data, never rebuilt), which costs a few
milliseconds a chart where a new figure costs tens. The SVG is the same bytes on every run: no
date in its metadata, text kept as text (`svg.fonttype: none`) and the ids it makes salted
with the chart's own name (`svg.hashsalt`), so the charts of one page never share an id.
"""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

# Colours: the actuals dark blue, the agreed trajectory grey, the projection orange (dashed);
# none of them is the only way a thing is told apart (markers and line styles differ too).
ACTUAL = "#1f4e79"
TRAJECTORY = "#6b6b6b"
FINAL = "#2d7d46"
PROJECTION = "#b35806"
STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 6.5,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.5,
    "ytick.major.width": 0.5,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
}
SIZE = (3.1, 1.45)  # inches: four to a row of an A4 landscape page


@dataclass
class Chart:
    """What one target's chart shows, as plain numbers (floats are fine for drawing: every
    figure a reader reads is in the table, exactly). x is a year's first calendar year."""

    name: str  # unique on the page: the ids of its SVG are made from it
    title: str  # the chart's title (its SVG <title>)
    description: str  # the text alternative (its SVG <desc>)
    years: list[tuple[float, str]]  # (x, label) of the ticks: baseline year to final year
    actuals: list[tuple[float, float]] = field(default_factory=list)
    intervals: list[tuple[float, float, float]] = field(default_factory=list)  # (x, lower, upper)
    trajectory: list[tuple[float, float]] = field(default_factory=list)  # baseline, then each year's target
    final: tuple[float, float] | None = None  # the final target
    projection: list[tuple[float, float]] = field(default_factory=list)  # from the latest point to the final year
    gap: float | None = None  # where the x axis skips years (a baseline long before the agreement), marked ≈


class Painter:
    """One figure, drawn again for each chart.

    The axes draw no axis of their own: matplotlib's ticks are a dozen artists each, most of
    the time a chart takes. The frame, the gridlines and the labels are a few artists made
    once and moved for each chart, the ticks chosen by matplotlib's own locator."""

    LABELS = 8  # at most this many labels on each axis

    def __init__(self) -> None:
        import matplotlib
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        self._rc = matplotlib.rc_context(STYLE)  # type: ignore[arg-type]  # its keys are typed as literals
        self._rc.__enter__()
        self.locator = MaxNLocator(3)
        self.figure = Figure(figsize=SIZE)
        FigureCanvasSVG(self.figure)
        axes = self.axes = self.figure.add_axes((0.13, 0.16, 0.84, 0.78))
        axes.set_axis_off()
        self.grid = LineCollection([], colors="#d0d0d0", linewidths=0.3)
        axes.add_collection(self.grid)
        frame: dict[str, Any] = {"color": "#000000", "linewidth": 0.6, "transform": axes.transAxes, "clip_on": False}
        axes.plot([0, 0, 1], [1, 0, 0], **frame)  # the left and bottom edges
        x_labels = axes.get_xaxis_transform()  # x in data, y in the axes' height
        y_labels = axes.get_yaxis_transform()
        self.x_labels = [axes.text(0, -0.04, "", transform=x_labels, ha="center", va="top", clip_on=False)
                         for _ in range(self.LABELS)]
        self.y_labels = [axes.text(-0.02, 0, "", transform=y_labels, ha="right", va="center", clip_on=False)
                         for _ in range(self.LABELS)]
        self.trajectory, = axes.plot([], [], color=TRAJECTORY, linewidth=0.9, linestyle=":", marker="_",
                                     markersize=7)
        self.projection, = axes.plot([], [], color=PROJECTION, linewidth=1.1, linestyle="--", marker="o",
                                     markersize=3, markerfacecolor="white")
        self.whiskers = LineCollection([], colors=ACTUAL, linewidths=0.8)
        axes.add_collection(self.whiskers)
        self.actuals, = axes.plot([], [], color=ACTUAL, linewidth=1.2, marker="o", markersize=3.2)
        self.final, = axes.plot([], [], color=FINAL, linestyle="none", marker="*", markersize=7)
        self.empty = axes.text(0.5, 0.5, "nothing to chart yet", transform=axes.transAxes, ha="center",
                               va="center", color="#555555")
        self.gap = axes.text(0, 0, "≈", transform=x_labels, ha="center", va="center", color="#555555",
                             fontsize=8, clip_on=False)

    def draw(self, chart: Chart) -> str:
        """The chart as inline SVG markup (no XML declaration), with its title and description."""
        import matplotlib

        self.actuals.set_data(*_columns(chart.actuals))
        self.trajectory.set_data(*_columns(chart.trajectory))
        self.projection.set_data(*_columns(chart.projection))
        self.final.set_data(*_columns([chart.final] if chart.final else []))
        self.whiskers.set_segments([[(x, low), (x, high)] for x, low, high in chart.intervals])
        axes = self.axes
        xs = [x for x, _ in chart.years] or [0]
        left, right = min(xs) - 0.35, max(xs) + 0.35
        axes.set_xlim(left, right)
        values = [y for _, y in chart.actuals + chart.trajectory + chart.projection]
        values += [y for _, low, high in chart.intervals for y in (low, high)]
        values += [chart.final[1]] if chart.final else []
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        pad = (high - low) * 0.12 or abs(high) * 0.05 or 1.0
        axes.set_ylim(low - pad, high + pad)
        ticks = [t for t in self.locator.tick_values(low - pad, high + pad) if low - pad <= t <= high + pad]
        ticks = ticks[:self.LABELS] if values else []
        _place(self.x_labels, [(x, label) for x, label in chart.years[:self.LABELS]], "x")
        _place(self.y_labels, [(t, text) for t, text in zip(ticks, _tick_texts(ticks), strict=True)], "y")
        self.grid.set_segments([[(left, t), (right, t)] for t in ticks])
        self.empty.set_visible(not values)
        self.gap.set_visible(chart.gap is not None)
        if chart.gap is not None:
            self.gap.set_position((chart.gap, 0))
        buffer = io.StringIO()
        # inside the painter's own rc_context, which puts every setting back when it closes
        matplotlib.rcParams["svg.hashsalt"] = chart.name
        self.figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Title": chart.title})
        return _inline(buffer.getvalue(), chart.name, chart.description)

    def close(self) -> None:
        self._rc.__exit__(None, None, None)


class Painters:
    """Processes that draw charts, each its share on a core of its own, while the command's own
    process never imports matplotlib. A painter reads its charts (JSON) on stdin and writes their
    SVG (JSON) on stdout; given nothing it ends at once."""

    def __init__(self, count: int = 2) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []
        for _ in range(count):
            try:
                self.processes.append(subprocess.Popen(
                    [sys.executable, "-m", "laatool.render.board_chart"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))
            except OSError:  # no process to be had: the charts are drawn here
                break

    def __enter__(self) -> Painters:
        return self

    def __exit__(self, *stopped: object) -> None:
        """Painters still drawing when the command stops (Ctrl-C, a signal, an error) stop with
        it, rather than drawing on for seconds after the command has ended."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()

    def draw(self, charts: list[Chart]) -> list[str]:
        """Every chart's SVG, in order; any share a painter fails to draw is drawn here."""
        shares = _shares(charts, len(self.processes))
        for process, share in zip(self.processes, shares, strict=True):
            try:
                assert process.stdin is not None
                process.stdin.write(json.dumps([asdict(chart) for chart in share]).encode("utf-8"))
                process.stdin.close()
            except OSError:  # a painter gone already: its share is drawn here, below
                pass
        drawn: list[str] = []
        for process, share in zip(self.processes, shares, strict=True):
            assert process.stdout is not None
            try:
                output = process.stdout.read()
                svgs = json.loads(output.decode("utf-8")) if process.wait() == 0 and output else None
            except (OSError, ValueError):
                svgs = None
            if not isinstance(svgs, list) or len(svgs) != len(share):
                svgs = draw_here(share)
            drawn += svgs
        return drawn if self.processes else draw_here(charts)

def draw_all(groups: list[list[Chart]]) -> list[list[str]]:
    """The SVG of every chart of every group (an area's charts), in order.

    A group drawn before with the same laatool and matplotlib is read back from laatool's cache
    (`load.agreement_cache.keep`): the same charts give the same bytes, so a report made again
    (its commentary corrected, say) draws nothing and never imports matplotlib. The others are
    drawn by painter processes when there are many (`PAINT_FROM`), else here."""
    from laatool.load import agreement_cache

    keys = [_key(group) for group in groups]
    found: list[list[str] | None] = []
    for key, group in zip(keys, groups, strict=True):
        data = agreement_cache.read_kept("charts", key)
        try:
            svgs = json.loads(data.decode("utf-8")) if data is not None else None
        except ValueError:
            svgs = None
        found.append(svgs if isinstance(svgs, list) and len(svgs) == len(group) else None)
    missing = [chart for svgs, group in zip(found, groups, strict=True) if svgs is None for chart in group]
    if len(missing) >= PAINT_FROM:
        with Painters() as painters:
            drawn = iter(painters.draw(missing))
    else:
        drawn = iter(draw_here(missing))
    result = []
    for svgs, group, key in zip(found, groups, keys, strict=True):
        if svgs is None:
            svgs = [next(drawn) for _ in group]
            if group:
                agreement_cache.keep("charts", key, json.dumps(svgs).encode("utf-8"), KEEP_CHARTS)
        result.append(svgs)
    return result


PAINT_FROM = 24  # charts: fewer are drawn here, where starting painters would cost more
KEEP_CHARTS = 400  # areas' charts kept: a national report's and more


def _key(group: list[Chart]) -> str:
    """The cache key of a group of charts: laatool's files, matplotlib's version, the charts."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    from laatool.load import agreement_cache

    try:
        plotting = version("matplotlib")
    except PackageNotFoundError:
        plotting = "?"
    digest = hashlib.sha256(agreement_cache.fingerprint())
    digest.update(f"charts 1|{plotting}|{json.dumps(STYLE, sort_keys=True)}|{SIZE}\n".encode())
    digest.update(json.dumps([asdict(chart) for chart in group]).encode("utf-8"))
    return digest.hexdigest()


def _shares(charts: list[Chart], count: int) -> list[list[Chart]]:
    """`charts` cut into `count` runs of consecutive charts, as equal as can be."""
    size, extra = divmod(len(charts), count) if count else (0, 0)
    shares, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        shares.append(charts[start:end])
        start = end
    return shares


def draw_here(charts: list[Chart]) -> list[str]:
    """Every chart's SVG, drawn in this process."""
    if not charts:
        return []
    painter = Painter()
    try:
        return [painter.draw(chart) for chart in charts]
    finally:
        painter.close()


def _paint() -> None:
    """A painter process (`Painters`): matplotlib first, then the charts given on stdin."""
    import matplotlib.collections  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import matplotlib.ticker  # noqa: F401
    from matplotlib.backends import backend_svg  # noqa: F401

    given = sys.stdin.buffer.read()
    if not given:
        return
    charts = [Chart(**fields) for fields in json.loads(given.decode("utf-8"))]
    sys.stdout.buffer.write(json.dumps(draw_here(charts)).encode("utf-8"))
    sys.stdout.flush()


def _place(labels: list[Any], spots: list[tuple[float, str]], axis: str) -> None:
    """Show the first labels at `spots` (a position on `axis` and a text), hide the rest."""
    for index, label in enumerate(labels):
        if index < len(spots):
            where, text = spots[index]
            label.set_text(text)
            label.set_position((where, -0.04) if axis == "x" else (-0.02, where))
            label.set_visible(True)
        else:
            label.set_visible(False)


def _tick_texts(ticks: list[float]) -> list[str]:
    """The y labels, with as many decimals as their step needs; thousands and millions as `k`
    and `m` so that a label fits the chart's margin."""
    import math

    if not ticks:
        return []
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else abs(ticks[0]) or 1.0
    largest = max(abs(t) for t in ticks)
    scale, suffix = (1e6, "m") if largest >= 1e6 else (1e3, "k") if largest >= 1e4 else (1.0, "")
    places = max(0, -math.floor(math.log10(step / scale) + 1e-9)) if step else 0
    return [f"{t / scale:,.{places}f}{suffix}" for t in ticks]


def _columns(points: list[Any]) -> tuple[list[float], list[float]]:
    return [p[0] for p in points], [p[1] for p in points]


_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^")]+)')


def _inline(svg: str, name: str, description: str) -> str:
    """The SVG document as an element of a page: from its <svg> tag on, every id and every
    reference to one prefixed with the chart's name (matplotlib numbers its ids per figure,
    so two charts would otherwise share `axes_1`), sized by the page, labelled as an image."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)  # matplotlib's RDF: no use here
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", name) + "-"
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    title_id, desc_id = f"{prefix}title", f"{prefix}desc"
    desc = f'<desc id="{desc_id}">{html.escape(description, quote=False)}</desc>'
    svg = re.sub(r"<title>(.*?)</title>", lambda m: f'<title id="{title_id}">{m.group(1)}</title>{desc}', svg,
                 count=1, flags=re.S)
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"',
                 f'<svg role="img" aria-labelledby="{title_id} {desc_id}" class="chart" \\1', svg, count=1)
    return svg.rstrip() + "\n"


if __name__ == "__main__":
    _paint()
