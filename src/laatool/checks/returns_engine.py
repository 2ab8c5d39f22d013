"""Run the R rules over a workspace's returns: polars expressions over every row.

1. Flags that need all rows, or cost least over all rows at once, are worked out first: rows
   whose key hashes like another's (possible duplicates), rows naming a sub-target their
   target does not have, and from each row's area (a slug? an agreement? a provisional value
   older than the area's latest year?).
2. Batch by batch of rows, two batches at a time, the rows get their optional numbers parsed
   and their indicator's catalogue entry joined beside them (a narrow join that keeps their
   order, stacked without copying), every row rule's offending mask is evaluated in one pass,
   the rows holding a number the frame does not hold exactly are decided by the rules in
   Python from the numbers as written, and of the rows that offend (or that a rule's screen
   marks: possible duplicates) only the place and the flags are kept, so only the batches in
   flight have their columns in memory.
3. The rows a screen marks (possible duplicates) are judged by the screened rules (the exact
   keys compared) on the few columns those read, a part of the keys at a time.
4. The first `MAX_PER_FILE` rows of each rule and file get their columns again (the rest are
   counted). They become findings: at most `MAX_PER_FILE` per rule and file, then one summary
   finding.

The targets' actuals (R311 needs them, scoring and reward read them after) and the possible
duplicates are made in threads meanwhile: polars works outside the interpreter lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath

import polars as pl

from laatool.base.background import Background
from laatool.base.findings import Finding
from laatool.base.ids import SLUG_PATTERN, is_slug
from laatool.base.models import Indicator
from laatool.base.numbers import frame_of, in_frame
from laatool.base.suggest import did_you_mean
from laatool.checks.returns import EXACT_RULES, KEYS, MAX_PER_FILE, R311, ROW_RULES, cap, row_finding, summary_finding
from laatool.checks.returns_areas import R301, R327
from laatool.checks.returns_kinds import place_expr
from laatool.checks.returns_plausibility import placed, previous_values, proportion_basis
from laatool.checks.returns_values import EXACT_READS
from laatool.compute.actuals import target_actuals
from laatool.compute.catalogue import indicator_frame
from laatool.compute.collection import collection_years
from laatool.compute.targets import blank_routes, routed_subtargets, workspace_targets
from laatool.load.normalise import UNIT, aligned, numbers
from laatool.load.returns_table import CHECKED_NUMBER_COLUMNS, NUMBER_COLUMNS, blank
from laatool.load.workspace import Workspace

SCALE = {"percent": Decimal(100), "ratio": Decimal(1)}
BATCH_ROWS = 1 << 16
BATCHES_AT_ONCE = 2
# Odd 64-bit constants (from splitmix64 and xxhash) that spread the key columns' hashes apart.
# A return's numbers besides its value, compared between duplicates (R308, R309).
DETAILS = ("numerator", "denominator", "sample_size", "lower_ci", "upper_ci")
HASH_FACTORS = (1, 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)


def catalogue(indicators: dict[str, Indicator]) -> pl.DataFrame:
    """The indicator frame plus what R307 needs: the scale of a ratio and its tolerance."""
    extra = frame_of(
        [{"indicator": i.id,
          "scale": i.rate_per if i.unit == "rate" else SCALE.get(i.unit),
          # half a unit of the last published decimal (never below the frame's resolution)
          "tolerance": max(Decimal(5) / Decimal(10) ** (i.decimals + 1), Decimal("1e-10")),
          "step": UNIT // 10 ** i.decimals}
         for i in indicators.values()],
        {"indicator": pl.String, "scale": pl.Decimal(38, 10), "tolerance": pl.Decimal(38, 10), "step": pl.Int64},
    )
    # Only the columns the rules and their messages read: each is a column of every return row.
    frame = (indicator_frame(indicators).drop("title", "polarity", "cumulative", "statutory",
                                              "design_effect", "rate_per", "collection_years")
             .rename({"status": "indicator_status"})
             .join(extra, on="indicator", how="left").with_columns(known=pl.lit(True)))
    # A range, rate or tolerance written with more places than the frame's decimals hold: the
    # exact texts beside them, and that indicator's rows decided exactly (`RowRule.exact`). Only
    # then: on a national workspace each would be a column of every row.
    written = {name: [in_frame(number)[1] for number in numbers]
               for name, numbers in (("range_min", [i.valid_range.min for i in indicators.values()]),
                                     ("range_max", [i.valid_range.max for i in indicators.values()]),
                                     ("scale", [i.rate_per if i.unit == "rate" else SCALE.get(i.unit)
                                                for i in indicators.values()]),
                                     ("change_tolerance", [i.tolerance for i in indicators.values()]))}
    if any(text is not None for texts in written.values() for text in texts):
        exact = pl.DataFrame({"indicator": [i.id for i in indicators.values()],
                              **{f"{name}_exact": texts for name, texts in written.items()}},
                             schema={"indicator": pl.String, **{f"{name}_exact": pl.String for name in written}})
        frame = frame.join(exact.with_columns(indicator_inexact=pl.any_horizontal(
            pl.col(f"{name}_exact").is_not_null() for name in written)), on="indicator", how="left")
    return frame


def subtarget_frames(targets: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each (area, indicator) pair of a target with its sub-targets' ids (null for a target
    without sub-targets), and each known sub-target."""
    subs = targets.filter(pl.col("subtarget").is_not_null()).select("area", "indicator", "subtarget").unique()
    sets = targets.group_by("area", "indicator").agg(
        subtarget_ids=pl.col("subtarget").drop_nulls().unique().sort().str.join(", ")
    ).with_columns(pl.col("subtarget_ids").replace("", None))
    return sets, subs


def lookup(frame: pl.DataFrame, table: pl.DataFrame, left: list[str], right: list[str]) -> pl.DataFrame:
    """The columns of `table` for each row of `frame`, in the frame's order (keys are unique)."""
    return (frame.select(left).join(table, left_on=left, right_on=right, how="left", maintain_order="left")
            .drop(left))


@dataclass
class Lookups:
    """What the rules look up for a row: its indicator's catalogue entry, its area's (whether
    the id is a slug, has an agreement, and its latest reported year), and its agreement's
    sub-targets."""

    catalogue: pl.DataFrame
    areas: pl.DataFrame
    sets: pl.DataFrame
    subs: pl.DataFrame
    routes: pl.DataFrame  # where a blank sub-target goes (`compute.targets.blank_routes`)

    @classmethod
    def of(cls, workspace: Workspace, targets: pl.DataFrame, latest: pl.DataFrame, named: pl.Series,
           routes: pl.DataFrame) -> Lookups:
        """`named`: the distinct areas the rows name; `routes`: `compute.targets.blank_routes`."""
        sets, subs = subtarget_frames(targets)
        agreements = sorted(workspace.agreement_files)
        areas = (named.alias("area").to_frame()
                 .join(latest, on="area", how="left")
                 .with_columns(area_ok=pl.col("area").str.contains(SLUG_PATTERN),
                               has_agreement=pl.col("area").is_in(agreements)))
        return cls(catalogue(workspace.indicators), areas, sets, subs, routes)


def catalogue_rows(returns: pl.DataFrame, catalogue: pl.DataFrame) -> pl.Series:
    """Each row's place in the catalogue (`catalogue_at`, null for an indicator it does not
    know), found once for every row: its columns are then gathered batch by batch, which costs
    half what joining each batch on the indicator's text did."""
    ids = catalogue.get_column("indicator")
    indicator = pl.col("indicator_id")
    return returns.select(catalogue_at=pl.when(indicator.is_in(ids.implode())).then(indicator)
                          .cast(pl.Enum(ids)).to_physical()).to_series()


def checked_frame(rows: pl.DataFrame, lookups: Lookups, row_flags: list[pl.Series]) -> pl.DataFrame:
    """Rows of the returns (with their `index` and `catalogue_at`) and every column a rule looks
    at beside them: their numbers, their indicator's catalogue entry, and the flags worked out
    for all rows."""
    return aligned(rows.hstack([
        *numbers(rows, list(CHECKED_NUMBER_COLUMNS)),
        *lookups.catalogue.drop("indicator")[rows.get_column("catalogue_at")],
        *row_flags,
    ]))


def area_flags(returns: pl.DataFrame, lookups: Lookups) -> list[pl.Series]:
    """From each row's area: whether its id is a slug and has an agreement (membership in the
    few distinct areas that are), and whether the row is provisional for a year before the
    area's latest (R312), worked out on the provisional rows alone."""
    areas = lookups.areas
    stale = (returns.filter(pl.col("provisional")).select("index", "area_id", "year_id")
             .join(areas.select("area", "latest_year"), left_on="area_id", right_on="area")
             .filter(pl.col("year_id") < pl.col("latest_year")).get_column("index"))
    return returns.select(
        area_ok=pl.col("area_id").is_in(areas.filter("area_ok").get_column("area").implode()).fill_null(False),
        has_agreement=pl.col("area_id").is_in(areas.filter("has_agreement").get_column("area").implode())
        .fill_null(False),
    ).get_columns() + [rows_marked(returns, stale, "stale_provisional")]


def unknown_subtargets(returns: pl.DataFrame, lookups: Lookups) -> pl.Series:
    """Rows naming a sub-target their agreement's target does not have, or naming one for a
    target without sub-targets (R315), found once over the few rows that name one rather than
    batch by batch."""
    with_sub = returns.select("index", "area_id", "indicator_id", "subtarget_id").filter(
        pl.col("subtarget_id").is_not_null())
    unknown = (with_sub.join(lookups.sets, left_on=["area_id", "indicator_id"], right_on=["area", "indicator"])
               .join(lookups.subs, left_on=["area_id", "indicator_id", "subtarget_id"],
                     right_on=["area", "indicator", "subtarget"], how="anti"))
    return rows_marked(returns, unknown.get_column("index"), "subtarget_unknown")


def ambiguous_blanks(returns: pl.DataFrame, lookups: Lookups) -> pl.Series:
    """Rows with a blank sub-target that two or more group sub-targets could be (R324), found
    once over the few rows of those indicators."""
    ambiguous = lookups.routes.filter(pl.col("reachable").is_not_null()).select("area", "indicator")
    if ambiguous.is_empty():
        return pl.repeat(False, returns.height, eager=True).alias("subtarget_ambiguous")
    blank = returns.lazy().filter(pl.col("subtarget_id").is_null()).select("index", "area_id", "indicator_id")
    hits = blank.join(ambiguous.lazy(), left_on=["area_id", "indicator_id"], right_on=["area", "indicator"]
                      ).select("index").collect()
    return rows_marked(returns, hits.get_column("index"), "subtarget_ambiguous")


def not_collected(returns: pl.DataFrame, indicators: dict[str, Indicator]) -> pl.Series:
    """Rows of a biennial indicator for a year between its first and last collection years
    that it is not collected in (R310): nothing uses them (`laatool.compute.collection`), and
    a survey figure typed for the year between is the likely slip. Years outside that span are
    history from before the indicator, or after it, and are let be. Found over the few rows of
    such indicators."""
    years = {ident: found for ident, indicator in indicators.items()
             if (found := collection_years(indicator)) is not None}
    if not years:
        return pl.repeat(False, returns.height, eager=True).alias("not_collected")
    collected = pl.DataFrame({"indicator_id": list(years), "start": list(years.values())},
                             schema={"indicator_id": pl.String, "start": pl.List(pl.Int64)}).explode("start")
    span = collected.group_by("indicator_id").agg(first=pl.col("start").min(), last=pl.col("start").max())
    rows = (returns.lazy().filter(pl.col("indicator_id").is_in(list(years)) & pl.col("year_id").is_not_null())
            .select("index", "indicator_id", start=pl.col("year_id").str.slice(0, 4).cast(pl.Int64))
            .join(span.lazy(), on="indicator_id").filter(pl.col("start").is_between("first", "last")))
    off = rows.join(collected.lazy(), on=["indicator_id", "start"], how="anti").select("index").collect()
    return rows_marked(returns, off.get_column("index"), "not_collected")


def rows_marked(returns: pl.DataFrame, index: pl.Series, name: str) -> pl.Series:
    """A flag true at the rows `index` names (a row's `index` is its position)."""
    return placed(returns.height, index, True, name, pl.Boolean, False)


def with_routes(returns: pl.DataFrame, routes: pl.DataFrame, targets: pl.DataFrame) -> pl.DataFrame:
    """The returns with each sub-target as its agreement writes it, and each blank one that
    reaches a group's sub-target filled in (DESIGN.md §6.1), so that duplicates and missing
    returns are judged by the sub-target a row is for (`compute.targets.routed_subtargets`);
    only the sub-target column is made anew, and only when something changes."""
    keys = returns.lazy().select("area_id", "indicator_id", "subtarget_id")
    routed = routed_subtargets(keys, routes, targets)
    return returns if routed is keys else returns.with_columns(routed.collect().get_column("subtarget_id"))


def returns_findings(workspace: Workspace, coverage: bool = True, every_area: bool = False) -> list[Finding]:
    """Every R finding of the workspace's returns; without `coverage`, only those of the rows
    themselves, not the returns missing for the targets (a part of the returns, as `benchmark`
    checks, leaves most of them out). The rows of areas without an agreement are one R301
    finding per area and file and are let go, unchecked (nothing reads them), unless the
    workspace has no agreement at all (its returns are all there is to check); with
    `every_area` (`benchmark` compares them) they are checked as any other, without R301."""
    if workspace.returns is None:
        return []
    named = workspace.returns.select(pl.col("area_id").unique().drop_nulls()).to_series()
    if every_area:
        set_aside = areas_written_otherwise(workspace, named)
    else:
        set_aside, named = areas_without_agreement(workspace, named, let_go=bool(workspace.agreement_files))
    targets = workspace_targets(workspace)
    routes = blank_routes(targets)
    returns = aligned(with_routes(workspace.returns, routes, targets).with_row_index("index"))
    # The actuals (for R311, and for scoring and reward after) and the possible duplicates are
    # worked out meanwhile.
    actuals = Background(target_actuals, workspace) if coverage else None
    duplicates = Background(possible_duplicates, returns)
    latest = latest_years(workspace.returns)
    lookups = Lookups.of(workspace, targets, latest, named, routes)
    returns = aligned(returns.with_columns(catalogue_rows(returns, lookups.catalogue)))
    screened = [rule for rule in ROW_RULES if rule.screen() is not None]
    flags = {f"{rule.code}|{field}": mask.fill_null(False) for rule in ROW_RULES if rule not in screened
             for field, mask in rule.conditions().items()}
    # Flags that need all rows (or are cheapest over all rows at once), worked out first.
    from_lookups = [unknown_subtargets(returns, lookups), ambiguous_blanks(returns, lookups),
                    not_collected(returns, workspace.indicators),
                    *area_flags(returns, lookups),
                    proportion_basis(returns, lookups.catalogue, targets),
                    *previous_values(returns, lookups.catalogue)]
    row_flags = [duplicates.result(), *from_lookups]
    # A row with a number the frame does not hold exactly is kept too: the rules that compare
    # numbers decide it in Python, exactly (`RowRule.exact`), in its batch.
    inexact = inexact_rows(lookups.catalogue, row_flags)
    kept = pl.any_horizontal(*(rule.screen() for rule in screened), *flags, inexact)
    # The rules run over batches of rows, so the looked-up columns of only a few batches are
    # in memory at a time; of the rows that offend (or that a screen marks) only their place and
    # flags are kept. Batches run side by side: one's setup in Python overlaps another's polars
    # work, outside the lock.
    screens = pl.any_horizontal(*(rule.screen() for rule in screened)).alias("screened")

    def marked_rows(start: int) -> pl.DataFrame:
        frame = checked_frame(returns.slice(start, BATCH_ROWS), lookups,
                              [flag.slice(start, BATCH_ROWS) for flag in row_flags])
        marked = (frame.lazy().with_columns(**flags).filter(kept)
                  .select("index", "file", screens, inexact.alias("inexact"), *flags).collect())
        if not marked.get_column("inexact").any():
            return marked.drop("inexact")
        at = marked.filter("inexact").get_column("index") - start
        read = frame.select(name for name in EXACT_READS if name in frame.columns)[at]
        return (decided_exactly(marked, list(flags), read).lazy().drop("inexact")
                .filter(pl.any_horizontal("screened", *flags)).collect())

    with ThreadPoolExecutor(max_workers=BATCHES_AT_ONCE) as pool:
        marked = pl.concat(list(pool.map(marked_rows, range(0, max(returns.height, 1), BATCH_ROWS))))
    # The rows a screen marks (possible duplicates: every row of a file loaded twice) are judged
    # by the screened rules on the few columns those read.
    judged = judged_duplicates(returns, marked.filter("screened").get_column("index"), row_flags[0], screened,
                               workspace.checked_against_the_rest)
    judged_flags = [name for name in judged.columns if "|" in name]
    # The rows each rule lists, their columns looked up again (a file whose rows nearly all
    # break one rule, every row provisional or repeated, or every value written to 15 places,
    # would otherwise keep a million rows of a hundred columns); how many break each rule in
    # each file is counted on the rest.
    chosen = pl.concat([
        marked.filter(pl.any_horizontal(*listed_rows(list(flags)))).get_column("index"),
        judged.filter(pl.any_horizontal(*listed_rows(judged_flags))).get_column("index"),
    ]).unique().sort()
    counts = marked.group_by("file").agg(pl.col(name).sum() for name in flags)
    judged_counts = judged.group_by("file").agg(pl.col(name).sum() for name in judged_flags)
    del marked
    offending = (checked_frame(returns[chosen], lookups, [flag.gather(chosen) for flag in row_flags])
                 .with_columns(**flags)
                 .join(judged.select("index", *DUPLICATE_COLUMNS), on="index", how="left", maintain_order="left")
                 .with_columns(pl.col("copies").fill_null(1)))
    # What the messages say besides the row: the sub-targets its target does have (R315) and
    # the area's latest reported year (R312).
    offending = offending.hstack([
        *lookup(offending, lookups.sets, ["area_id", "indicator_id"], ["area", "indicator"]),
        *lookup(offending, lookups.routes.select("area", "indicator", "reachable"), ["area_id", "indicator_id"],
                ["area", "indicator"]),
        *lookup(offending, lookups.areas.select("area", "latest_year"), ["area_id"], ["area"]),
        *guesses(offending, workspace),
    ])
    # The screened rules decided on the rows kept.
    flags |= {f"{rule.code}|{field}": mask for rule in screened for field, mask in rule.conditions().items()}
    offending = offending.with_columns(**{name: mask.fill_null(False) for name, mask in flags.items()
                                          if name not in offending.columns})
    offending = decided_exactly(offending.with_columns(inexact=inexact), list(flags))
    counts = pl.concat([counts, judged_counts], how="diagonal_relaxed").fill_null(0)
    if actuals is not None:
        actuals.result()
    findings = set_aside + row_findings(offending, list(flags), broken_totals(counts))
    return findings + R311.missing(workspace, targets, latest, returns) if coverage else findings


def inexact_rows(catalogue: pl.DataFrame, row_flags: list[pl.Series]) -> pl.Expr:
    """Whether a row holds a number the frame does not hold exactly: one of its own, its
    indicator's range, rate or tolerance, or the value before it that R331 compares."""
    return pl.any_horizontal(*(pl.col(f"{c}_exact").is_not_null() for c in NUMBER_COLUMNS),
                             *([pl.col("indicator_inexact").fill_null(False)]
                               if "indicator_inexact" in catalogue.columns else []),
                             *(pl.col(flag.name).is_not_null() for flag in row_flags
                               if flag.name == "previous_value_exact"))


def areas_without_agreement(workspace: Workspace, areas: pl.Series, let_go: bool) -> tuple[list[Finding], pl.Series]:
    """R301 for each of the `areas` named (a slug) without an agreement, once per returns
    file; with `let_go` its rows are let go. Also the areas whose rows are kept."""
    assert workspace.returns is not None
    unused = areas.filter(areas.str.contains(SLUG_PATTERN) & ~areas.is_in(sorted(workspace.agreement_files)))
    if unused.is_empty():
        return [], areas
    rows = rows_of_areas(workspace.returns, unused, pl.col("area").sort_by("row").first())
    known = area_names(workspace)
    if let_go:
        workspace.let_go_rows_of(unused)
        areas = areas.filter(~areas.is_in(unused.implode()))
    guess = lambda area: did_you_mean(area, list(known), meaning=known)  # noqa: E731
    return R301.findings(rows, workspace.settings.agreements, guess, checked=not let_go), areas


def areas_written_otherwise(workspace: Workspace, areas: pl.Series) -> list[Finding]:
    """R327 for each of the `areas` named that is an agreement's ONS code or name (as an area
    cell is read: in lower case) rather than its slug, once per file."""
    assert workspace.returns is not None

    def as_what(text: str, slug: str) -> str:
        return "ONS code" if (workspace.agreement_docs[slug].head.ons_code or "").lower() == text else "name"

    meant = {text.lower(): (slug, as_what(text.lower(), slug)) for text, slug in area_names(workspace).items()
             if is_slug(text.lower()) and text.lower() not in workspace.agreement_files}
    written = areas.filter(areas.is_in(list(meant)))
    if written.is_empty():
        return []
    rows = rows_of_areas(workspace.returns, written, pl.col("area").first())
    return R327.findings(rows, meant, workspace.settings.agreements)


def rows_of_areas(returns: pl.DataFrame, areas: pl.Series, *also: pl.Expr) -> pl.DataFrame:
    """Each of the `areas`' (`area_id`s) first row and number of rows in each file, by file and
    first row: where a finding for each area and file points; `also` of their rows beside."""
    return (returns.lazy().filter(pl.col("area_id").is_in(areas.implode()))
            .group_by("file", "area_id").agg(*also, first=pl.col("row").min(), rows=pl.len())
            .sort("file", "first", "area_id").collect())


def area_names(workspace: Workspace) -> dict[str, str]:
    """The areas' slugs, their agreements' names and ONS codes (from their heads: a cached
    agreement's head is parsed when first asked for), each to its slug. A code is folded to
    lower case as an area cell is (`E06000004` is read as the slug `e06000004`)."""
    # a file name that is no slug (`Stockton.yaml`) is no area to suggest: A208 says to rename it
    areas = {slug: slug for slug in sorted(workspace.agreement_files) if is_slug(slug)}
    heads = [(slug, doc.head) for slug, doc in sorted(workspace.agreement_docs.items()) if slug in areas]
    codes = {head.ons_code.lower(): slug for slug, head in heads if head.ons_code}
    return areas | {code: slug for code, slug in codes.items() if code not in areas} | {
        head.name: slug for slug, head in heads if head.name not in areas}


def guesses(rows: pl.DataFrame, workspace: Workspace) -> list[pl.Series]:
    """"Did you mean" for the offending rows' unknown indicators and areas (R301-R303, R316),
    each distinct spelling matched once against the known ids, slugs and agreement names."""
    unknown_indicator = pl.col("indicator_id").is_null() | ~pl.col("known").fill_null(False)
    unknown_area = ~pl.col("area_ok") | ~pl.col("has_agreement")

    def guessed(column: str, unknown: pl.Expr, candidates: Callable[[], dict[str, str]], name: str,
                meaning: bool = False) -> pl.Series:
        typed = rows.filter(unknown).get_column(column).drop_nulls().unique().sort().to_list()
        known = candidates() if typed else {}
        guesses = {text: did_you_mean(text, list(known), meaning=known if meaning else None) for text in typed}
        return rows.select(pl.col(column).replace_strict(guesses, default="", return_dtype=pl.String)
                           .fill_null("").alias(name)).to_series()

    indicator_guess = guessed("indicator", unknown_indicator,
                              lambda: dict.fromkeys(sorted(workspace.indicators, key=_id_order), ""), "indicator_guess")
    if workspace.unloaded_indicators:  # its own file did not load: no guess, but that file
        why = {indicator: workspace.unloaded(indicator) for indicator in workspace.unloaded_indicators}
        indicator_guess = rows.select(pl.col("indicator_id").replace_strict(why, default=indicator_guess,
                                                                            return_dtype=pl.String)).to_series()
    return [indicator_guess.alias("indicator_guess"),
            guessed("area", unknown_area, lambda: area_names(workspace), "area_guess", meaning=True)]


def _id_order(indicator_id: str) -> tuple[int, str]:
    number = indicator_id[3:]
    return (int(number), "") if indicator_id.startswith("NI ") and number.isdigit() else (1000, indicator_id)


def decided_exactly(rows: pl.DataFrame, flags: list[str], read: pl.DataFrame | None = None) -> pl.DataFrame:
    """The rules' flags of the rows holding a number the frame does not hold exactly, as the
    rules decide them from the exact values (in Python, on the columns they read: a row of a
    hundred columns made into a dict costs more than the rules). `read`: those columns of the
    rows marked `inexact`, in order, when `rows` does not have them."""
    inexact = rows.filter("inexact")
    if inexact.is_empty():
        return rows
    if read is None:
        read = inexact.select(name for name in EXACT_READS if name in inexact.columns)
    decided: dict[str, list[bool]] = {}
    for row in read.iter_rows(named=True):
        for rule in EXACT_RULES:
            for field, offends in rule.exact(row).items():  # type: ignore[union-attr]  # these decide exactly
                decided.setdefault(f"{rule.code}|{field}", []).append(offends)
    index = inexact.get_column("index")
    updates = pl.DataFrame({"index": index, **{f"{name}|exact": values for name, values in decided.items()}})
    rows = rows.join(updates, on="index", how="left", maintain_order="left")
    return rows.with_columns(**{name: pl.coalesce(f"{name}|exact", name) for name in decided if name in flags}
                             ).drop([f"{name}|exact" for name in decided])


def key_hash() -> pl.Expr:
    """A hash of each row's duplicate key: its columns' hashes mixed (cheaper than hashing the
    key as a struct)."""
    return pl.sum_horizontal(pl.col(key).hash() * factor for key, factor in zip(KEYS, HASH_FACTORS, strict=True))


def possible_duplicates(returns: pl.DataFrame) -> pl.Series:
    """Rows with a value whose key hashes like another such row's: they may be duplicates, and
    the exact keys are compared on them alone. A row whose value is blank reports nothing
    (DESIGN.md §4.3), so it is no return to repeat or contradict: a template's rows not filled
    in yet, beside the returns of another file. The keys' hashes (`key_hash`) are sorted to find
    the repeated ones (a hash group-by over a million keys costs several times more, and so does
    a sort split between threads)."""
    counted = ~blank("value") & pl.all_horizontal(pl.col(k).is_not_null() for k in ("area_id", "indicator_id",
                                                                                    "period_id"))
    hashed = returns.select(key_hash=key_hash(), counted=counted)
    ordered = hashed.filter("counted").get_column("key_hash").sort(multithreaded=False)
    repeated = ordered.filter(ordered == ordered.shift(1))
    return hashed.select(maybe_duplicate=pl.col("counted") & pl.col("key_hash").is_in(repeated.implode())).to_series()


def latest_years(returns: pl.DataFrame) -> pl.DataFrame:
    """Each area's latest reported year: the latest with an annual (or fourth-quarter) value."""
    yearly = pl.col("quarter").is_null() | (pl.col("quarter") == 4)
    return (returns.lazy().filter(yearly & pl.col("value_num").is_not_null() & pl.col("area_id").is_not_null())
            .group_by(area="area_id").agg(latest_year=pl.col("year_id").max()).collect())


# What `with_duplicates` adds to a row, which the duplicate rules and their messages read.
DUPLICATE_COLUMNS = ("value_key", "detail_key", "where", "copies", "first_index", "first_value", "first_value_text",
                     "first_where", "first_period", "first_detail")


def judged_duplicates(returns: pl.DataFrame, index: pl.Series, maybe_duplicate: pl.Series,
                      screened: list, last: frozenset[str] = frozenset()) -> pl.DataFrame:
    """The rows `index` names (possible duplicates, in order) with each `screened` rule's flag
    (`CODE|field`) decided; the rows each rule lists (`listed_rows`) also with what
    `with_duplicates` adds for their messages, null elsewhere. The rows of the files `last`
    names come after the others (`with_duplicates`).

    A workspace whose returns file was loaded twice has every row a possible duplicate: its
    rows are judged a part at a time, each part every row of some keys (a key's rows are
    judged together), on the few columns the rules read, so that only one part's columns are
    in memory at once (a national file loaded twice took 4 GB)."""
    flags = {f"{rule.code}|{field}": mask.fill_null(False) for rule in screened
             for field, mask in rule.conditions().items()}
    hashed = returns.select("index", *KEYS)[index].select("index", part=key_hash())
    parts = max(1, index.len() // BATCH_ROWS)

    def judged(rows: pl.Series) -> pl.DataFrame:
        """`with_duplicates` of the rows `rows` names, with the flags."""
        part = returns.select("index", "file", "row", *KEYS, "period_id", "value", "value_exact", "value_num",
                              "provisional", *DETAILS)[rows]
        part = part.hstack([*numbers(part, list(DETAILS)), maybe_duplicate.gather(rows)])
        return with_duplicates(part, last).with_columns(**flags)

    if index.is_empty():  # no possible duplicate, as almost always: the columns, no row
        return judged(index).select("index", "file", *flags, *DUPLICATE_COLUMNS)
    by_part = [part.get_column("index") for part in hashed.with_columns(pl.col("part") % parts).partition_by("part")]
    decided = pl.concat([judged(rows).select("index", "file", *flags)
                         for rows in by_part or [index]]).sort("index")  # no row: the columns still
    # The rows listed, and every row of their keys (their first row among them), judged again
    # for their messages.
    listed = decided.filter(pl.any_horizontal(*listed_rows(list(flags)))).get_column("index")
    keys = returns.select(KEYS)[listed].unique()
    groups = returns.select("index", *KEYS).filter(pl.col("index").is_in(index.implode())).join(
        keys, on=KEYS, how="semi", nulls_equal=True).get_column("index")
    messages = judged(groups).filter(pl.col("index").is_in(listed.implode())).select("index", *DUPLICATE_COLUMNS)
    return decided.join(messages, on="index", how="left", maintain_order="left")


# A file named as a copy of another, as a file manager or a mail program names one
# (`returns-2010-11 (1).csv`, `returns-2010-11 - Copy.csv`, `Copy of returns-2010-11.csv`).
COPY_NAME = re.compile(r"(?i)(?:\(\d+\)|(?:^|[\s_-])copy(?:\s*\(\d+\))?)\s*$|^copy(?: \(\d+\))? of\s")


def with_duplicates(rows: pl.DataFrame, last: frozenset[str] = frozenset()) -> pl.DataFrame:
    """For possible duplicates: how many rows share the exact key, and the first one's place
    and value. The first is the first read, but a row of a file `last` names comes after
    those of the other files (`validate PATH` checks the files named against the rest), and so
    does a row of a file named as a copy (`COPY_NAME`): `returns-2010-11 (1).csv` is read before
    `returns-2010-11.csv`, and the findings told to delete the original's rows, not the copy's.
    Among the rest a final row comes before a provisional one.

    Worked out over the possible duplicates alone (when one row of a key is, every row of that
    key is: they share its hash), the first row of each key found once, as a position, and its
    columns gathered from there: a window `first()` of a text column costs several times as
    much (a workspace whose returns are loaded twice: 10 s against 3 s)."""
    value_key = pl.coalesce(pl.col("value_exact"), pl.col("value_num").cast(pl.String),
                            pl.lit("text:") + pl.col("value"))
    # what else a return says of its value (its interval's inputs): two returns agreeing on the
    # value and not on these are not the same return (R308), as the interval would be either
    detail_key = pl.concat_str([pl.coalesce(pl.col(f"{name}_exact"), pl.col(f"{name}_num").cast(pl.String),
                                            pl.lit("text:") + pl.col(name), pl.lit(""))
                                for name in DETAILS], separator="|")
    rows = rows.sort("index").with_columns(value_key=value_key, detail_key=detail_key, where=place_expr())
    at = rows.get_column("maybe_duplicate").arg_true()
    last = last | {file for file in rows.get_column("file").unique() if COPY_NAME.search(PurePosixPath(file).stem)}
    # a final return comes before a provisional one of the same value: it confirms it, and the
    # provisional row is the one to delete (`compute.actuals.CONFIRMED`)
    first_read = pl.col("at").sort_by(pl.col("file").is_in(list(last)), "provisional", "at").first()
    found = rows.select(*KEYS, "file", "provisional").gather(at).with_columns(at=at).select(copies=pl.len().over(KEYS),
                                                                               first=first_read.over(KEYS))
    firsts = {"first_index": "index", "first_value": "value_key", "first_value_text": "value", "first_where": "where",
              "first_period": "period_id", "first_detail": "detail_key"}
    first = found.get_column("first")
    return rows.with_columns(
        placed(rows.height, at, found.get_column("copies"), "copies", found.schema["copies"], 1),
        *(placed(rows.height, at, rows.get_column(column).gather(first), name, rows.schema[column])
          for name, column in firsts.items()))


def _flags_by_rule(flags: list[str]) -> dict[str, list[str]]:
    """The flag names (`CODE|field`) of each rule."""
    by_rule: dict[str, list[str]] = {}
    for name in flags:
        by_rule.setdefault(name.split("|")[0], []).append(name)
    return by_rule


def listed_rows(flags: list[str]) -> list[pl.Expr]:
    """For each rule, whether a row is among the first MAX_PER_FILE of its file that break it,
    in the order of the rows: those its findings list."""
    broken = [pl.any_horizontal(*names) for names in _flags_by_rule(flags).values()]
    return [hit & (hit.cum_sum().over("file") <= MAX_PER_FILE) for hit in broken]


def broken_totals(counts: pl.DataFrame) -> dict[tuple[str, str], int]:
    """How many (row, field) hits each rule has in each file, from counts of each flag by file."""
    by_rule = _flags_by_rule(counts.columns[1:])
    return {(code, row["file"]): sum(row[name] for name in names)
            for row in counts.group_by("file").agg(pl.all().sum()).iter_rows(named=True)
            for code, names in by_rule.items()}


def row_findings(offending: pl.DataFrame, flags: list[str],
                 totals: dict[tuple[str, str], int] | None = None) -> list[Finding]:
    """The findings of the rows that break each rule, at most MAX_PER_FILE a rule and file, then
    a summary of how many more: out of `totals` (rule, file) when given for the rule (its rows
    listed are not all those broken), else out of the rows themselves."""
    findings: list[Finding] = []
    if offending.is_empty():
        return findings
    broken = {name for name, any_row in offending.select(pl.col(flags).any()).row(0, named=True).items() if any_row}
    for rule in ROW_RULES:
        names = [name for name in flags if name.startswith(rule.code + "|") and name in broken]
        if not names:
            continue
        hits = pl.concat([offending.filter(pl.col(name)).with_columns(field=pl.lit(name.split("|")[1]))
                          for name in names])
        listed = cap(hits)
        for row in listed.iter_rows(named=True):
            findings.append(row_finding(rule, rule.message(row, row["field"]), row["file"], row["row"], row["field"]))
        for file, total in listed.group_by("file").agg(pl.col("total").first()).iter_rows():
            total = (totals or {}).get((rule.code, file), total)
            if total > MAX_PER_FILE:
                findings.append(summary_finding(rule, file, total))
    return findings
