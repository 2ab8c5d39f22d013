"""The frame the R rules are evaluated over: every column a rule or its message may read,
declared once, with what it holds. `checks.returns_engine` builds it; a test holds the rules
and the engine to this list (a rule that reads an undeclared column fails it).
"""

from __future__ import annotations

# A returns row as loaded and normalised (`load.returns`), with its place in the whole frame.
ROW = {
    "index": "the row's position in the workspace's returns frame",
    "catalogue_at": "its indicator's row in the catalogue (`returns_engine.catalogue_rows`), or null",
    "file": "the returns file, relative to the workspace", "row": "its spreadsheet row (YAML: line)",
    "area": "area as written", "indicator": "indicator as written", "period": "period as written",
    "value": "value as written", "subtarget": "sub-target as written", "numerator": "as written",
    "denominator": "as written", "sample_size": "as written", "lower_ci": "as written",
    "upper_ci": "as written", "status": "status as written",
    "area_id": "the area slug, or null", "indicator_id": "the normalised indicator id, or null",
    "period_id": "the normalised period, or null", "year_id": "the agreement year it counts to",
    "quarter": "1-4 for a quarter, else null", "subtarget_id": "the sub-target slug, or null",
    "status_ok": "status is one laatool knows", "provisional": "status says provisional",
    "value_num": "the value as Decimal(38, 10), or null", "value_unparsed": "a value that is not a number",
}
# The optional numbers, parsed for the rules alone (`load.normalise.numbers`).
NUMBERS = {
    **{f"{name}_{part}": f"{name}: {meaning}"
       for name in ("numerator", "denominator", "sample_size", "lower_ci", "upper_ci")
       for part, meaning in (("num", "as Decimal(38, 10), or null"), ("unparsed", "not a number"))},
    **{f"{name}_{part}": f"{name}: {meaning}"
       for name in ("value", "numerator", "denominator", "sample_size", "lower_ci", "upper_ci")
       for part, meaning in (("beyond", "beyond the number limits (R321)"),
                             ("exact", "the exact text where Decimal(38, 10) does not hold it, else null"))},
}
# The row's indicator in the catalogue (`checks.returns_engine.catalogue`).
CATALOGUE = {
    "decimals": "published decimals", "frequency": "annual or quarterly", "period_type": "its kind of period",
    "indicator_status": "active or deleted", "survey": "a survey indicator", "range_min": "lowest valid value",
    "range_max": "highest valid value", "scale": "100 for a percentage, rate_per for a rate (R307)",
    "tolerance": "half a unit of the last published decimal (R307)", "step": "1e-10 units of one decimal",
    "known": "the indicator is in the catalogue",
    "ci_method": "how its intervals are found: wilson, poisson, supplied or none (R322)",
    "unit": "percent, rate, count, ... (R330)",
    "change_tolerance": "largest plausible change between consecutive periods, or null (R331)",
}
# Flags worked out over all rows at once, before the batches.
FLAGS = {
    "maybe_duplicate": "the key hashes like another row's", "subtarget_unknown": "names a sub-target "
    "its target does not have", "subtarget_ambiguous": "a blank sub-target that could be two group "
    "sub-targets' (R324)", "area_ok": "the area is a slug", "has_agreement": "the area has an agreement",
    "stale_provisional": "provisional for a year before the area's latest",
    "not_collected": "a biennial indicator's return for a year it is not collected in (R310)",
    "proportion_basis": "a percentage written as a proportion, judged by the area's other 'returns' or "
    "'target' (R330)", "previous_value": "the value of the period before, for an indicator with a tolerance (R331)",
}
# Beside the catalogue only when an indicator's range, rate or tolerance is written with more
# places than Decimal(38, 10) holds: its exact texts, and whether the row's indicator has one.
INEXACT_CATALOGUE = {
    "range_min_exact": "range_min as written", "range_max_exact": "range_max as written",
    "scale_exact": "scale as written", "change_tolerance_exact": "change_tolerance as written",
    "indicator_inexact": "the indicator has one of them",
}
# Worked out on the rows a screen kept, for the duplicate rules and the messages.
KEPT_ROWS = {
    "value_key": "the value compared between duplicates", "where": "file and row, for a message",
    "copies": "rows with the same exact key", "first_index": "the first such row's index",
    "first_value": "its value_key", "first_value_text": "its value as written", "first_where": "its place",
    "first_period": "its period (another spelling of the same year, R310)",
    "detail_key": "its numerator, denominator, sample size and limits, compared between duplicates",
    "first_detail": "the first such row's detail_key",
    "subtarget_ids": "the sub-targets the row's target has (R315)",
    "reachable": "the group sub-targets a blank sub-target could be (R324)",
    "latest_year": "the area's latest reported year (R312)",
    "indicator_guess": "'; did you mean …?' for an unknown indicator, or '' (R302, R303)",
    "area_guess": "'; did you mean …?' for an area with no agreement, or '' (R301, R316)",
}
# What every row has when the rules' masks are evaluated.
EVALUATED = {**ROW, **NUMBERS, **CATALOGUE, **FLAGS}
COLUMNS = {**EVALUATED, **INEXACT_CATALOGUE, **KEPT_ROWS, "inexact": "a number of the row is decided exactly"}
