"""`laatool report` (DESIGN.md §11): the board report, made of what other commands give.

Every figure comes from the JSON of `score`, `reward-grant`, `project` and, when the workspace
has comparators, `benchmark` (their reports' `to_json()`), and is shown as that JSON writes
it: nothing is computed again here but counts and shares of rows. The agreement gives what
is for people only (a target's theme, lead and baseline period), the returns' latest note the
commentary. `render.board_html` lays the report out as a page, `render.board_xlsx` as a
workbook; both read the same `BoardArea`s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from laatool.base.errors import UsageError
from laatool.base.ids import Period, parse_period, read_for
from laatool.render.board_chart import Chart
from laatool.render.values import page_string, percent

if TYPE_CHECKING:
    import polars as pl

    from laatool.base.models import Scheme
    from laatool.compute.projection_report import ProjectionReport
    from laatool.compute.reward import RewardReport
    from laatool.compute.scoring import ScoreReport
    from laatool.load.workspace import Workspace

# Status by word, symbol and colour (DESIGN.md §11): never by colour alone. `not-due` is score's
# no-data by rule `not-due` (a survey in a year it is not collected, §9), told apart from a
# missing return: its own word and symbol (`project`'s), and no fill.
SYMBOLS = {"green": "●", "amber": "◆", "red": "▲", "no-data": "○", "not-due": "–"}
STATUS_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", "no-data": "No data", "not-due": "Not due"}
DIRECTIONS = {"improving": "▲", "unchanged": "►", "worsening": "▼"}
# Projection statuses take the colour (and symbol) of the status they stand nearest to.
PROJECTION_COLOURS = {"target-met": "green", "on-track": "green", "at-risk": "amber", "off-track": "red",
                      "insufficient-data": "no-data", "not-due": "not-due"}
GOOD_IS = {"higher": "higher", "lower": "lower", "neutral": "—"}
KINDS = {"designated": "designated", "statutory": "statutory", "local": "local"}
NO_THEME = "Targets"  # the one table's heading when no target has a theme
OTHER_TARGETS = "Other targets"  # the last table's, of the targets without a theme


class YearActual(NamedTuple):
    """A yearly actual as the report shows it: its interval (low, high, method) as `score`
    gives one (§9), for the years without a target value too."""

    year: str
    value: Decimal
    provisional: bool
    interval: tuple[Decimal, Decimal, str] | None


# (area, indicator, subtarget) -> its yearly actuals in year order
Actuals = dict[tuple[str, str, str | None], list[YearActual]]


@dataclass
class Line:
    """One (sub-)target of the report: its row in the tables, its chart."""

    indicator: str
    subtarget: str | None
    title: str
    kind: str
    reward: bool
    polarity: str
    theme: str | None
    lead: str | None
    baseline: Decimal | None
    baseline_period: str | None
    period: str | None  # the report's year: the row of `score` shown
    target: Decimal | None = None
    actual: Decimal | None = None
    provisional: bool = False
    status: str | None = None  # a key of SYMBOLS; None: no target for the report's year
    rule: str | None = None
    direction: str = "n/a"
    ci_lower: Decimal | None = None
    ci_upper: Decimal | None = None
    ci_level: Decimal | None = None
    target_test: str | None = None
    final_period: str | None = None
    final_target: Decimal | None = None
    projected_final: Decimal | None = None
    projection_status: str | None = None  # None: not projected (no final-year target)
    projected_reward: str | None = None
    reward_status: str | None = None  # paid | below-threshold | pending, for reward targets
    earned: str | None = None  # reward-grant's reward, money text
    quartile: int | None = None
    commentary: str | None = None
    commentary_period: str | None = None
    chart: Chart | None = None

    @property
    def ref(self) -> str:
        return self.indicator if self.subtarget is None else f"{self.indicator} / {self.subtarget}"

    @property
    def exception(self) -> bool:
        """Red in the report's year, or projected off track: listed among the exceptions."""
        return self.status == "red" or self.projection_status == "off-track"


@dataclass
class Summary:
    counts: dict[str, int]  # by status, the rows of the report's year
    improving: int
    with_direction: int  # rows whose direction is known
    meeting: int  # projected to meet the final target: target-met or on-track
    projected: int  # rows projected (every row with a final-year target)
    maximum: str
    earned: str  # reward-grant's total
    pending: int  # reward targets pending (no final-year return)
    projected_total: str  # project's indicative total (before the scheme's adjustment)
    at_risk: str
    adjustment: Decimal = Decimal(1)  # the scheme's: the grant is the rewards times it
    maximum_adjusted: str = ""  # the maximum after the adjustment: the most the grant can be
    projected_grant: str = ""  # the projected total after the adjustment: the grant it would give

    @property
    def reward_final(self) -> bool:
        """The reward is known (no reward target pending): the report shows it as earned."""
        return self.pending == 0


@dataclass
class Key:
    """The rules a report was made with, stated on every page."""

    amber: Decimal
    on_track: Decimal
    at_risk: Decimal
    threshold: Decimal
    scheme: str
    ci_level: Decimal
    method: str
    as_at: str | None = None  # `--as-at`: a year not ended by then is not due

    def not_due(self, period: str) -> str:
        """What "Not due" means in the key, for the year the tables show."""
        ended = (f" or not due as at {self.as_at} (its own year, such as an academic year, ends after it)"
                 if self.as_at else "")
        return f"not collected in {period} (a survey of alternate years){ended}, not a missing return"


@dataclass
class BoardArea:
    area: str
    name: str
    period: str  # the year the tables show
    as_at: str | None  # the projection's as-at (each area's latest period reported, or --as-at)
    final_period: str
    lines: list[Line]
    summary: Summary
    key: Key
    benchmarked: bool

    @property
    def themes(self) -> list[tuple[str, list[Line]]]:
        """The lines by theme, in the order themes first appear, the targets without a theme
        last under "Other targets"; one table when none has a theme."""
        if all(line.theme is None for line in self.lines):
            return [(NO_THEME, self.lines)]
        grouped: dict[str, list[Line]] = defaultdict(list)
        for line in self.lines:
            grouped[line.theme or OTHER_TARGETS].append(line)
        other = grouped.pop(OTHER_TARGETS, None)
        return [*grouped.items(), *([(OTHER_TARGETS, other)] if other else [])]

    @property
    def ordered(self) -> list[Line]:
        """The lines in the tables' order: by theme, as `themes` gives them."""
        return [line for _, lines in self.themes for line in lines]

    @property
    def exceptions(self) -> list[Line]:
        return [line for line in self.ordered if line.exception]

    @property
    def title(self) -> str:
        return f"{self.name}: Local Area Agreement performance, {self.period}"


@dataclass
class BoardReport:
    """`laatool report`: one `BoardArea` per area computed."""

    areas: list[BoardArea]
    as_at: str | None  # the --as-at option, normalised
    no_quartiles: str = ""  # which quartiles are left out and why (the rows compared hold errors)

    @property
    def title(self) -> str:
        if len(self.areas) == 1:
            return self.areas[0].title
        periods = sorted({a.period for a in self.areas})
        return f"Local Area Agreement performance, {' to '.join(dict.fromkeys([periods[0], periods[-1]]))}" \
            if periods else "Local Area Agreement performance"

    @property
    def commands(self) -> list[str]:
        """The commands whose results the report is made of: `benchmark` only when the
        workspace's comparators gave the quartiles."""
        return ["score", "reward-grant", "project", *(["benchmark"] if any(a.benchmarked for a in self.areas) else [])]

    def built_by(self, mark: Callable[[str], str] = str) -> str:
        """The sentence saying what the report is made of, for the page and the workbook alike;
        `mark` sets each command's name (the page sets them as code)."""
        names = [mark(command) for command in self.commands]
        return f"Built by {mark('laatool report')} from the results of {', '.join(names[:-1])} and {names[-1]}."

    @classmethod
    def of(cls, workspace: Workspace, scores: ScoreReport, reward: RewardReport, projection: ProjectionReport,
           compared: Any, notes: dict[tuple[str, str, str | None], tuple[str, str]], actuals: pl.DataFrame,
           years: dict[str, str], as_at: Period | None, no_quartiles: str = "") -> BoardReport:
        """The report of the areas `scores` holds, from the four commands' results; `actuals`
        every yearly actual of their targets (`compute.actuals.reported_actuals`), for the
        charts and for a year shown that has an actual but no target."""
        from laatool.compute.catalogue import indicator_frame
        from laatool.compute.projection_points import not_ended_by

        score_areas = {a["area"]: a for a in scores.to_json()["areas"]}
        reward_areas = {a["area"]: a for a in reward.to_json()["areas"]}
        projected = {a["area"]: a for a in projection.to_json()["areas"]}
        cutoffs = {a.area: a for a in projection.areas}
        quartiles = _quartiles(compared)
        yearly = _yearly(actuals)
        catalogue = indicator_frame(workspace.indicators)
        period_types = dict(catalogue.select("indicator", "period_type").iter_rows())
        areas = []
        for area, scored in score_areas.items():
            doc = workspace.agreement_docs[area]
            scheme = workspace.schemes[reward_areas[area]["scheme"]]
            key = Key(amber=workspace.settings.rag.amber, on_track=cutoffs[area].on_track,
                      at_risk=cutoffs[area].at_risk, threshold=scheme.threshold, scheme=scheme.name,
                      ci_level=workspace.settings.significance.level, method=projection.method,
                      as_at=None if as_at is None else str(as_at))
            not_ended = set() if as_at is None else not_ended_by(as_at, years[area], catalogue)
            lines = _lines(area, doc.model, scored["rows"], reward_areas[area], projected[area], scores.labels,
                           notes, yearly, quartiles, years[area], as_at, key.ci_level,
                           sorted(parse_period(p).agreement_year.start for p in doc.head.periods), not_ended,
                           period_types)
            final_period = str(parse_period(doc.head.last_period).agreement_year)
            areas.append(BoardArea(
                area=area, name=scored["name"], period=years[area], as_at=projected[area]["as_at"],
                final_period=final_period, lines=lines,
                summary=_summary(lines, reward_areas[area], projected[area], scheme),
                key=key,
                benchmarked=compared is not None))
        return cls(areas, None if as_at is None else str(as_at), no_quartiles)


def check_period(period: str | None, as_at: Period | None) -> None:
    """A usage error when `--period` names a year that ends after `--as-at`: its actuals were
    not known then."""
    from laatool.compute.projection_points import month_of_end

    if period is None or as_at is None:
        return
    year = parse_period(period).agreement_year
    if month_of_end(year) > month_of_end(as_at):
        raise UsageError(f"--period {year} ends after --as-at {as_at}: choose a year ended by then")


def report_years(actuals: pl.DataFrame, workspace: Workspace, areas: list[str], period: str | None,
                 as_at: Period | None) -> dict[str, str]:
    """The year each area's tables show: `--period`, else its latest agreement year in which a
    target has an actual (`actuals`, whether or not the year has a target value; ended by
    `--as-at` when it is given), else its first."""
    from laatool.compute.projection_points import month_of_end

    if period is not None:
        year = str(parse_period(period).agreement_year)
        return dict.fromkeys(areas, year)
    with_actual: dict[str, set[str]] = defaultdict(set)
    for area, text in actuals.select("area", "year").unique().iter_rows():
        with_actual[area].add(text)
    years = {}
    for area in areas:
        periods = sorted(parse_period(p).agreement_year for p in workspace.agreement_docs[area].head.periods)
        known = [p for p in periods if as_at is None or month_of_end(p) <= month_of_end(as_at)]
        reported_years = {str(parse_period(text).agreement_year) for text in with_actual[area]}
        reported = [p for p in known if str(p) in reported_years]
        if reported:
            years[area] = str(reported[-1])
        else:  # nothing reported yet: the first year (or the latest known as at --as-at)
            years[area] = str(known[-1] if as_at is not None and known else periods[0])
    return years


def _yearly(actuals: pl.DataFrame) -> Actuals:
    """The yearly actuals of each (sub-)target, each value as written, with its interval."""
    found: Actuals = defaultdict(list)
    rows = actuals.select("area", "indicator", "subtarget", "year", "actual", "actual_exact", "provisional",
                          "ci_lower", "ci_upper", "ci_method")
    for area, indicator, subtarget, year, actual, exact, provisional, low, high, method in rows.iter_rows():
        interval = (low, high, method) if low is not None and high is not None else None
        found[(area, indicator, subtarget)].append(
            YearActual(year, Decimal(exact) if exact is not None else actual, bool(provisional), interval))
    return found


def _quartiles(compared: Any) -> dict[tuple[str, str, str], int | None]:
    """(area, indicator, year) -> quartile, from `benchmark`'s JSON."""
    if compared is None:
        return {}
    return {(entry["area"], row["indicator"], row["period"]): entry.get("quartile")
            for row in compared.to_json()["rows"] for entry in row["areas"]}


def _year(period: str | None) -> str | None:
    return None if period is None else str(parse_period(period).agreement_year)


def _lines(area: str, agreement: Any, rows: list[dict[str, Any]], reward: dict[str, Any], projected: dict[str, Any],
           labels: dict[str, tuple[str, str]], notes: dict, yearly: Actuals, quartiles: dict, year: str,
           as_at: Period | None, ci_level: Decimal, agreement_years: list[int], not_ended: set[str],
           period_types: dict[str, str]) -> list[Line]:
    """A line per (sub-)target, in the agreement's order, from its score rows (all years),
    its yearly actuals, its projection row and its reward row; `agreement_years` the first
    calendar years of the agreement's periods, `not_ended` the indicators whose `year` had not
    ended by `as_at` (no return of it was due), `period_types` each indicator's (a baseline is
    named as read, `base.ids.read_for`). The page is of years: a target set for a
    quarter (a milestone, scored on its own in `score`) is neither a year's target nor a
    point of the yearly trajectory, so its rows are left out here."""
    rows = [row for row in rows if row["period"] is None or not parse_period(row["period"]).quarter]
    # The agreement's targets in order, matched to the rows by (indicator, subtarget) and the
    # count of earlier matches (an indicator may have two targets of different kinds).
    meta: dict[tuple[str, str | None, int], tuple[Any, Any]] = {}
    seen: dict[tuple[str, str | None], int] = defaultdict(int)
    for target in agreement.targets:
        for sub in [None, *target.subtargets]:
            key = (target.indicator_of(sub), None if sub is None else sub.id)
            meta[(*key, seen[key])] = (target, sub)
            seen[key] += 1
    grouped: dict[tuple[str, str | None, int], list[dict[str, Any]]] = {}
    counts: dict[tuple[str, str | None], int] = defaultdict(int)
    previous: tuple[str, str | None] | None = None
    for row in rows:
        key = (row["indicator"], row["subtarget"])
        if key != previous and (*key, counts[key]) in grouped:
            counts[key] += 1
        previous = key
        grouped.setdefault((*key, counts[key]), []).append(row)
    projection = _by_occurrence(projected["rows"])
    rewarded = _by_occurrence(reward["targets"])
    lines = []
    for (indicator, subtarget, index), scored in grouped.items():
        target, sub = meta.get((indicator, subtarget, index), (None, None))
        base = sub.baseline if sub is not None else (target.baseline if target is not None else None)
        title, polarity = labels.get(indicator, ("", ""))
        group = getattr(target, "group", None)
        if group is not None:  # a measure of a target group (DESIGN.md §6.1): the group named with it
            title = f"{title} (group {target.title or group})" if title else f"group {target.title or group}"
        shown = next((r for r in scored if _year(r["period"]) == year), None)
        projection_row = projection.get((indicator, subtarget, index))
        reward_row = rewarded.get((indicator, subtarget, index))
        line = Line(
            indicator=indicator, subtarget=subtarget, title=title, kind=scored[0]["kind"],
            reward=bool(projection_row["reward"]) if projection_row else reward_row is not None,
            polarity=polarity, theme=getattr(target, "theme", None), lead=getattr(target, "lead", None),
            baseline=scored[0]["baseline"],
            baseline_period=read_for(base.period, period_types.get(indicator)) if base is not None else None,
            period=year)
        if shown is not None:
            line.target, line.actual, line.provisional = shown["target"], shown["actual"], shown["provisional"]
            line.status, line.rule, line.direction = shown["status"], shown["rule"], shown["direction"]
            # not collected this year, or the year not ended as at --as-at: no return was due
            if shown["rule"] == "not-due" or (shown["status"] == "no-data" and indicator in not_ended):
                line.status = "not-due"
            line.ci_lower, line.ci_upper, line.ci_level = shown["ci_lower"], shown["ci_upper"], shown["ci_level"]
            line.target_test = shown["target_test"]
        own = [actual for actual in yearly.get((area, indicator, subtarget), [])
               if parse_period(actual.year).agreement_year.start in agreement_years and _known(actual.year, as_at)]
        if shown is None:  # no target this year: its actual all the same, as the chart shows it
            line.actual, line.provisional = next(((a.value, a.provisional) for a in own if a.year == year),
                                                 (None, False))
        if projection_row is not None:
            line.final_period = _last_period(scored)
            line.final_target = projection_row["target"]
            line.projected_final = projection_row["projected_final"]
            line.projection_status = projection_row["status"]
            line.projected_reward = projection_row["projected_reward"]
        else:
            line.final_period = _last_period(scored)
            line.final_target = next((r["target"] for r in reversed(scored) if r["period"] is not None), None)
        if reward_row is not None:
            line.reward_status, line.earned = reward_row["status"], reward_row["reward"]
        if subtarget is None:
            line.quartile = quartiles.get((area, indicator, year))
        note = notes.get((area, indicator, subtarget))
        if note is None and group is not None:  # a group's measure may be returned without its sub-target id
            note = notes.get((area, indicator, None))
        if note is not None:
            line.commentary_period, line.commentary = note
        line.chart = _chart(area, line, scored, own, projection_row, ci_level, agreement_years)
        lines.append(line)
    return lines


def _known(period: str, as_at: Period | None) -> bool:
    """Whether the agreement year of `period` had ended by the end of `--as-at` (when given)."""
    from laatool.compute.projection_points import month_of_end

    return as_at is None or month_of_end(parse_period(period).agreement_year) <= month_of_end(as_at)


def _by_occurrence(rows: list[dict[str, Any]]) -> dict[tuple[str, str | None, int], dict[str, Any]]:
    found: dict[tuple[str, str | None, int], dict[str, Any]] = {}
    counts: dict[tuple[str, str | None], int] = defaultdict(int)
    for row in rows:
        key = (row["indicator"], row["subtarget"])
        found[(*key, counts[key])] = row
        counts[key] += 1
    return found


def _last_period(rows: list[dict[str, Any]]) -> str | None:
    periods = [r["period"] for r in rows if r["period"] is not None]
    return _year(max(periods, key=parse_period)) if periods else None


def _chart(area: str, line: Line, scored: list[dict[str, Any]],
           actuals: list[YearActual], projection_row: dict[str, Any] | None, ci_level: Decimal,
           agreement_years: list[int]) -> Chart:
    """A line's chart: its numbers placed at the first calendar year of their period (`scored`
    its score rows, `actuals` every actual of the agreement's years known as at the report, with
    a target or not, each with its interval's whisker), its title and its text alternative."""
    from laatool.render.values import decimal_text

    target_years = [parse_period(r["period"]).agreement_year.start for r in scored if r["period"] is not None]
    years_drawn = sorted({*agreement_years, *target_years})
    first = years_drawn[0] if years_drawn else None  # the agreement's first year
    base = parse_period(line.baseline_period).agreement_year.start if line.baseline_period else None
    # A baseline more than two years before the agreement's first year is drawn two years
    # before it, the axis marked where it skips the years between (the description gives the
    # real years); otherwise every year from the baseline to the final year has its place.
    skip = base is not None and first is not None and first - base > 2

    def x(period: str) -> float:
        year = parse_period(period).agreement_year.start
        return float(first - 2) if skip and year == base and first is not None else float(year)

    spots = sorted({*years_drawn, *([base] if base is not None and not skip else [])})
    years = [(float(year), _year_label(year)) for year in range(spots[0], spots[-1] + 1)] if spots else []
    if base is not None and line.baseline_period is not None and base not in years_drawn:
        # a baseline before the agreement is labelled as its period is written: a calendar
        # year `1998`, not the agreement year `1998-99` it would count to
        label = str(parse_period(line.baseline_period))
        years = [(x, label if x == base else text) for x, text in years]
        if skip and first is not None:
            years.insert(0, (float(first - 2), label))
    # the title and the description are the chart's own markup: shown as the page shows text
    title = page_string(f"{line.ref}: {line.title}" if line.title else line.ref)
    chart = Chart(name=f"{area}-{line.ref}", title=title,
                  description="", years=years, gap=float(first) - 1 if skip and first is not None else None)
    if line.baseline is not None and line.baseline_period is not None:
        chart.trajectory.append((x(line.baseline_period), float(line.baseline)))
    chart.trajectory += [(x(r["period"]), float(r["target"])) for r in scored
                         if r["period"] is not None and r["target"] is not None]
    chart.actuals = [(x(actual.year), float(actual.value)) for actual in actuals]
    intervals = [(actual.year, *actual.interval) for actual in actuals if actual.interval is not None]
    chart.intervals = [(x(year), float(low), float(high)) for year, low, high, _ in intervals]
    if line.final_target is not None and line.final_period is not None:
        chart.final = (x(line.final_period), float(line.final_target))
    projected = projection_row["projected_final"] if projection_row is not None else None
    if projected is not None and projection_row is not None and projection_row["method"] != "actual" \
            and line.final_period is not None:
        start = chart.actuals[-1] if chart.actuals else (chart.trajectory[0] if chart.trajectory else None)
        end = (x(line.final_period), float(projected))
        chart.projection = [start, end] if start is not None and start[0] < end[0] else [end]
    listed = ", ".join(f"{actual.year} {decimal_text(actual.value)}" for actual in actuals)
    parts = [f"Actual: {listed}." if actuals else "No actual reported yet."]
    if line.baseline is not None:
        parts.append(f"Baseline {decimal_text(line.baseline)} ({line.baseline_period}).")
    targets = [f"{_year(r['period'])} {decimal_text(r['target'])}" for r in scored
               if r["period"] is not None and r["target"] is not None]
    if targets:
        parts.append(f"Agreed targets: {', '.join(targets)}.")
    if chart.projection and projected is not None and projection_row is not None:
        parts.append(f"Projected {decimal_text(projected)} in {line.final_period} ({projection_row['status']}).")
    if intervals:
        supplied = any(method == "supplied" for *_, method in intervals)
        parts.append(f"Whiskers: {percent(ci_level)} confidence intervals"
                     + (", or the limits supplied with a return." if supplied else "."))
    chart.description = page_string(" ".join(parts))
    return chart


def _year_label(year: int) -> str:
    """An agreement year as a tick label: 2008 -> `2008-09`."""
    return f"{year}-{(year + 1) % 100:02d}"


def _summary(lines: list[Line], reward: dict[str, Any], projected: dict[str, Any], scheme: Scheme) -> Summary:
    """The area's summary; the money of `project` is before the scheme's adjustment and the
    grant of `reward-grant` after it, so the projection is also given after it, as the grant it
    would give (a scheme that halves the grant: £800,000 projected rewards, a £400,000 grant):
    each figure is one of their JSON."""
    counts = dict.fromkeys(SYMBOLS, 0)
    for line in lines:
        if line.status is not None:
            counts[line.status] += 1
    directed = [line for line in lines if line.status is not None and line.direction != "n/a"]
    projected_lines = [line for line in lines if line.projection_status is not None]
    return Summary(
        counts=counts,
        improving=sum(1 for line in directed if line.direction == "improving"),
        with_direction=len(directed),
        meeting=sum(1 for line in projected_lines if line.projection_status in ("target-met", "on-track")),
        projected=len(projected_lines),
        maximum=reward["maximum"], earned=reward["total"],
        pending=sum(1 for target in reward["targets"] if target["status"] == "pending"),
        projected_total=projected["projected_total"], at_risk=projected["at_risk"], adjustment=scheme.adjustment,
        maximum_adjusted=reward["maximum_adjusted"], projected_grant=projected["projected_grant"])


