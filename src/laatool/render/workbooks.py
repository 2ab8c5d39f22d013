"""Which sheets each report becomes as a workbook (`-o FILE.xlsx`), to the standard of
`render.xlsx`: a `Summary` sheet of one row per area with its totals, then one sheet per area
holding that area's rows (the CSV's lines, `area,name` first). Reports without areas are one
sheet (`indicators`, `rules`), or a summary by file and the findings (`validate`). Every figure
is one of the report's JSON, or a count or sum of them; each sheet's first rows say which
command, which areas and which period.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from laatool.base.money import decimal_text, money_sum, round_half_up
from laatool.base.money import money as money_text
from laatool.base.numbers import EXACT
from laatool.render.values import missed_cut_off, short_share, shown_short
from laatool.render.xlsx import Sheet, workbook

# Reports that are a workbook of their own, by the report's type: each in its own module.
WORKBOOKS = {"Template": ("laatool.render.template_xlsx", "template_workbook"),
             "BoardReport": ("laatool.render.board_xlsx", "board_workbook")}


def render_xlsx(report: Any, refused: list[dict[str, Any]] | None = None) -> bytes:
    """The report's workbook; its first sheet (the summary) says which areas were `refused`."""
    kind = type(report).__name__
    if kind in WORKBOOKS:
        import importlib

        module, function = WORKBOOKS[kind]
        return getattr(importlib.import_module(module), function)(report, *([refused] if refused else []))
    command, sheets = LAYOUTS.get(kind, plain)(report)
    if refused:
        from laatool.render.output import refused_line

        sheets[0].alert = refused_line(refused)
    return workbook(f"laatool {command}", sheets)


def latest(periods: Any) -> str | None:
    """The latest of some periods by when they end (`2010-11` after `2010-11 Q3`, and after
    `2010-11 Q4`, which ends with it), or None."""
    from laatool.base.ids import parse_period
    from laatool.compute.projection_points import month_of_end

    def ends(text: str) -> tuple[int, bool, str]:
        period = parse_period(text)
        return month_of_end(period), not period.quarter, text

    found = {p for p in periods if p}
    return max(found, key=ends) if found else None


def areas_named(names: list[str]) -> str:
    if not names:
        return "no areas"
    return ", ".join(names) if len(names) <= 4 else f"{len(names)} areas"


def by_area(rows: list[dict[str, Any]], areas: list[tuple[str, str]]) -> dict[str, list[dict[str, Any]]]:
    """The rows of each area, in their order; every area named, with rows or not."""
    grouped: dict[str, list[dict[str, Any]]] = {area: [] for area, _ in areas}
    for row in rows:
        grouped.setdefault(row["area"], []).append(row)
    return grouped


def counted(rows: list[dict[str, Any]], column: str, values: tuple[str, ...]) -> dict[str, int]:
    return {value: sum(row.get(column) == value for row in rows) for value in values}


def area_sheets(command: str, rows: list[dict[str, Any]], areas: list[tuple[str, str]], columns: list[str],
                subtitle: Any, note: Any = "", totals: tuple[str, ...] = ()) -> list[Sheet]:
    """One sheet per area, titled with the command, the area and `subtitle(area, rows)`, and
    `note` beneath (or `note(rows)`: a note on what only some sheets' rows hold)."""
    grouped = by_area(rows, areas)
    names = dict(areas)
    return [Sheet(area, [f"laatool {command}: {names.get(area) or area} ({area})", subtitle(area, chosen),
                         note(chosen) if callable(note) else note],
                  chosen, columns, totals=totals) for area, chosen in grouped.items()]


def score(report: Any) -> tuple[str, list[Sheet]]:
    from laatool.render.score_table import short_of

    document = report.to_json()
    rows = report.to_rows()
    rows = shown_short(rows, "achievement", [short_of(row, report.amber) for row in rows])
    areas = [(a["area"], a["name"]) for a in document["areas"]]
    columns = list(rows[0]) if rows else ["area", "name", "indicator", "subtarget", "kind", "period", "status"]
    statuses = ("green", "amber", "red", "no-data")
    grouped = by_area(rows, areas)

    def reported(area_rows: list[dict[str, Any]]) -> str | None:
        return latest(r["period"] for r in area_rows if r["actual"] is not None)

    summary = [{"area": a["area"], "name": a["name"], "latest_period": reported(grouped[a["area"]]),
                "rows": len(a["rows"]), **a["summary"]} for a in document["areas"]]
    amber = f"amber from {decimal_text(report.amber.scaleb(2, context=EXACT))}% achieved"
    period = latest(row["latest_period"] for row in summary) or "none reported"
    titles = [f"laatool score: {areas_named([n for _, n in areas])}", f"Latest period reported {period}; {amber}",
              "Counts of rows (a target in each period) by status; each area's rows on its sheet."]
    sheets = [Sheet("Summary", titles, summary, ["area", "name", "latest_period", "rows", *statuses],
                    totals=("rows", *statuses))]
    return "score", sheets + area_sheets(
        "score", rows, areas, columns, lambda area, chosen: f"Latest period reported {reported(chosen) or 'none'}; "
        f"{amber}", "status: green, amber, red or no-data; achievement: share of the planned improvement")


def reward_grant(report: Any) -> tuple[str, list[Sheet]]:
    document = report.to_json()
    rows = report.to_rows()
    exact = [(target, area.scheme.cut_offs) for area in report.areas for target in area.targets]  # the rows' order
    for key in ("achievement", "payable"):
        rows = shown_short(rows, key, [missed_cut_off(getattr(target, key), cut_offs) for target, cut_offs in exact])
    areas = [(a["area"], a["name"]) for a in document["areas"]]
    final = {a.area: a.final_year for a in report.areas}
    count = max((len(a["instalments"]) for a in document["areas"]), default=0)
    statuses = ("paid", "below-threshold", "pending")
    shared_by = {a.area: a.reward_targets for a in report.areas}
    summary = []
    for a in document["areas"]:
        total, maximum = Decimal(a["total"]), Decimal(a["maximum"])
        line = {"area": a["area"], "name": a["name"], "scheme": a["scheme"], "final_year": final[a["area"]],
                "maximum": a["maximum"], "total": a["total"],
                "of_maximum": short_share(round_half_up(Fraction(total) / Fraction(maximum), 4),
                                          Decimal(1) if total < maximum else None) if maximum else None,
                "revenue": a["revenue"], "capital": a["capital"]}
        line |= {f"instalment_{i + 1}": a["instalments"][i] if i < len(a["instalments"]) else None
                 for i in range(count)}
        line |= {key: a[key] for key in ("payment_on_account", "recovery", "at_stake")}
        summary.append(line | {"reward_targets": shared_by[a["area"]], "targets": len(a["targets"]),
                               **counted(a["targets"], "status", statuses)})
    summed = ("maximum", "total", "revenue", "capital", *(f"instalment_{i + 1}" for i in range(count)),
              "payment_on_account", "recovery", "at_stake", "reward_targets", "targets", *statuses)
    # named, so that a summary of no areas has its header too
    columns = ["area", "name", "scheme", "final_year", "maximum", "total", "of_maximum", *summed[2:]]
    scheme = f"scheme {report.scheme} for every area" if report.scheme else "each area's own scheme"
    # agreement years (`2009-10`) sort as their texts; areas whose agreements end in other years
    # are told so, not given the latest as every area's
    finals = sorted(set(final.values()))
    years = (f"final year {finals[0]}" if len(finals) == 1 else f"final years {finals[0]} to {finals[-1]}" if finals
             else "final year none")
    titles = [f"laatool reward-grant: {areas_named([n for _, n in areas])}",
              f"National total £{Decimal(document['total']):,.2f}; {scheme}; {years}",
              "total: the grant (the targets' rewards after the scheme's adjustment); at_stake: the maximum "
              "not earned; reward_targets: the targets the maximum is shared between; targets: the (sub-)targets "
              "measured, by status."]
    sheets = [Sheet("Summary", titles, summary, columns=columns, ratios={"of_maximum": ("total", "maximum")},
                    totals=summed)]
    by_name = {a["area"]: a for a in document["areas"]}

    def subtitle(area: str, chosen: list[dict[str, Any]]) -> str:
        a = by_name[area]
        return (f"Scheme {a['scheme']}; final year {final[area]}; maximum £{Decimal(a['maximum']):,.2f}; grant "
                f"£{Decimal(a['total']):,.2f} (revenue £{Decimal(a['revenue']):,.2f}, capital "
                f"£{Decimal(a['capital']):,.2f})")

    columns = list(rows[0]) if rows else ["area", "name", "scheme", "indicator", "subtarget", "share", "reward"]
    sums = ("share", "reward", "at_stake", "payment_on_account", "balance", "recovery")
    return "reward-grant", sheets + area_sheets(
        "reward-grant", rows, areas, columns, subtitle,
        "Total: the targets' shares, rewards and at stake before the scheme's adjustment (each share rounded to the "
        "penny, so they can add up to pence more or less than the Summary's maximum and at_stake); status paid, "
        "below-threshold or pending.",
        tuple(s for s in sums if s in columns))


def project(report: Any) -> tuple[str, list[Sheet]]:
    from laatool.render.projection_table import adjustment_note, short_of

    cut_offs = {a.area: short_of(a) for a in report.areas}
    document = report.to_json()
    summaries = {a.area: a for a in report.areas}
    rows = report.to_rows()
    rows = shown_short(rows, "projected_achievement", [cut_offs[row["area"]].get(row["status"]) for row in rows])
    areas = [(a["area"], a["name"]) for a in document["areas"]]
    statuses = ("target-met", "on-track", "at-risk", "off-track", "insufficient-data", "not-due")
    summary = [{"area": a["area"], "name": a["name"], "as_at": a["as_at"], "maximum": a["maximum"],
                "projected_total": a["projected_total"], "at_risk": a["at_risk"], "rows": len(a["rows"]),
                **{s: a["summary"][s] for s in statuses}} for a in document["areas"]]
    as_at = document["as_at"] or latest(a["as_at"] for a in document["areas"]) or "no returns"
    titles = [f"laatool project: {areas_named([n for _, n in areas])}",
              f"As at {as_at}; method {document['method']}",
              "projected_total: the indicative reward of the projection, never a grant; at_risk: the shares "
              "of targets at risk or off track."]
    summed = ("maximum", "projected_total", "at_risk", "rows", *statuses)
    sheets = [Sheet("Summary", titles, summary, ["area", "name", "as_at", *summed], totals=summed)]
    by_name = {a["area"]: a for a in document["areas"]}
    columns = list(rows[0]) if rows else ["area", "name", "as_at", "indicator", "subtarget", "status"]
    return "project", sheets + area_sheets(
        "project", rows, areas, columns,
        lambda area, chosen: f"As at {by_name[area]['as_at'] or 'no returns'}; method {document['method']}; "
        f"maximum £{Decimal(by_name[area]['maximum']):,.2f}; projected reward "
        f"£{Decimal(by_name[area]['projected_total']):,.2f}"
        f"{adjustment_note(summaries[area], by_name[area]['projected_total'])}",
        "projected_reward: indicative, what the projection would earn", tuple(
            s for s in ("share", "projected_reward") if s in columns))


def benchmark(report: Any) -> tuple[str, list[Sheet]]:
    rows = report.to_rows()
    areas = sorted({(row["area"], row["name"] or "") for row in rows})
    grouped = by_area(rows, areas)
    bands = ("quartile_1", "quartile_2", "quartile_3", "quartile_4")
    versus = ("better", "similar", "worse")
    summary = []
    for area, name in areas:
        chosen = [r for r in grouped[area] if r.get("value") is not None]
        summary.append({"area": area, "name": name or None, "values": len(chosen),
                        "missing": len(grouped[area]) - len(chosen),
                        **{band: sum(r.get("quartile") == int(band[-1]) for r in chosen) for band in bands},
                        **counted(chosen, "vs_england", versus)})
    indicators = len({row["indicator"] for row in rows})
    period = latest(row["period"] for row in rows) or "none"
    neighbours = f"; neighbours {report.neighbours}" if report.neighbours else ""
    titles = [f"laatool benchmark: {areas_named([n or a for a, n in areas])}, {indicators} indicator(s)",
              f"Latest period {period}{neighbours}",
              "rank and quartile 1 = best (1 = lowest for a neutral indicator); better/similar/worse: "
              "England against the area's interval."]
    summed = ("values", "missing", *bands, *versus)
    sheets = [Sheet("Summary", titles, summary, ["area", "name", *summed], totals=summed)]
    columns = list(dict.fromkeys(key for row in rows for key in row)) or ["area", "name", "indicator", "period"]
    return "benchmark", sheets + area_sheets(
        "benchmark", rows, areas, columns,
        lambda area, chosen: f"Latest period {latest(r['period'] for r in chosen) or 'none'}{neighbours}",
        lambda chosen: "vs_england missing: no value for that indicator and period (never imputed)"
        if any(row.get("vs_england") == "missing" for row in chosen) else "")


def opportunities(report: Any) -> tuple[str, list[Sheet]]:
    from laatool.render.opportunities_table import shown_rows

    document, rows = report.to_json(), shown_rows(report)
    areas = list(dict.fromkeys((row["area"], row["name"]) for row in rows))
    grouped = by_area(rows, areas)
    money = ("reward", "gain_at_threshold", "gain_at_full")
    summary = [{"area": area, "name": name, "targets": len(grouped[area]),
                **{m: money_text(money_sum(Decimal(r[m]) for r in grouped[area])) for m in money}}
               for area, name in areas]
    within = f"{document['within']:f}"
    # the areas listed are those with a target within reach: of none, the title says that
    listed = areas_named([n for _, n in areas]) if areas else f"no reward target within {within}"
    titles = [f"laatool opportunities: {listed}",
              f"Within {within} below the threshold, or between it and the cap: "
              f"£{Decimal(document['gain_at_threshold']):,.2f} more at the threshold, "
              f"£{Decimal(document['gain_at_full']):,.2f} more at the full share",
              "Each area's sheet in the order of the £ of the next step per share of the enhancement it needs."]
    sheets = [Sheet("Summary", titles, summary, ["area", "name", "targets", *money], totals=("targets", *money))]
    columns = list(rows[0]) if rows else ["area", "name", "indicator", "subtarget", "basis"]
    return "opportunities", sheets + area_sheets(
        "opportunities", rows, areas, columns, lambda area, chosen: f"Within {within}", "",
        tuple(m for m in ("share", *money) if m in columns))


def validate(report: Any) -> tuple[str, list[Sheet]]:
    rows = report.to_rows()
    files: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        files.setdefault(row["file"] or "", []).append(row)
    severities = ("error", "warning", "info")
    summary = [{"file": file or None, **counted(found, "severity", severities), "findings": len(found)}
               for file, found in files.items()]
    verdict = "valid" if report.valid else f"not valid (findings at or above {report.fail_on.value})"
    titles = ["laatool validate", f"{report.summary()}: {verdict}", "Each finding on the sheet findings."]
    return "validate", [
        Sheet("Summary", titles, summary, ["file", *severities, "findings"], totals=(*severities, "findings")),
        Sheet("findings", ["laatool validate: findings", report.summary(), "laatool rules CODE explains a code."],
              rows, list(report.columns)),
    ]


def plain(report: Any) -> tuple[str, list[Sheet]]:
    """A report without areas (indicators, rules): its rows on one sheet."""
    kind = type(report).__name__
    command, name, title = {
        "IndicatorList": ("indicators", "indicators", "National Indicator Set"),
        "IndicatorDetail": ("indicators", "indicator", "Indicator"),
        "RuleList": ("rules", "rules", "Validation codes"),
        "RuleDetail": ("rules", "rule", "Validation code"),
    }.get(kind, (kind, kind, kind))
    rows = report.to_rows()
    return command, [Sheet(name, [f"laatool {command}: {title}", f"{len(rows)} row(s)", ""], rows,
                           list(getattr(report, "columns", ())) if not rows else [])]


LAYOUTS = {"ScoreReport": score, "RewardReport": reward_grant, "ProjectionReport": project,
           "BenchmarkReport": benchmark, "OpportunitiesReport": opportunities, "ValidationReport": validate}
