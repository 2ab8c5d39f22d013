"""The reward grant as tables for people: one per area, then the national summary.

Imported only when the table is printed (`render.table.table_of`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text

from laatool.base.money import money_sum, round_half_up, round_towards
from laatool.base.numbers import EXACT
from laatool.render.fit import SECTION, Column, Fitted, Row, explained
from laatool.render.values import decimal_text, missed_cut_off, pounds, visible

if TYPE_CHECKING:
    from laatool.compute.reward import AreaReward, RewardReport

STATUS_STYLES = {"paid": "green", "below-threshold": "red", "pending": "yellow"}
FROM_MARKS = {"expected_without_agreement": "ᵉ", "baseline": "ᵇ"}
STATUS_LABELS = {"paid": "paid", "below-threshold": "below {threshold}%", "pending": "pending"}


def percent(value: Fraction | None, *cut_offs: Decimal) -> str:
    """A share as a percentage to 0.1, half up, except that a value just below one of the
    `cut_offs` is rounded down, so 59.99% shows as 59.9%, never as a paid-looking 60.0% (and a
    reward or grant short of its full share or maximum as 99.9%, never 100.0%)."""
    if value is None:
        return ""
    shown = round_half_up(value * 100, 1)
    missed = missed_cut_off(value, cut_offs)
    if missed is not None and shown >= missed.scaleb(2, context=EXACT):
        shown = round_towards(value * 100, 1, -1)
    return f"{shown}%"


def number(value: Decimal | None) -> str:
    return "" if value is None else decimal_text(value)


def reward_table(report: RewardReport) -> Any:
    """Every area's table, then the national summary with its total."""
    parts: list[Any] = []
    for area in report.areas:
        parts += [area_table(area), Text("")]
    parts.append(national_table(report))
    return Group(*parts)


def needed_header(threshold: str) -> str:
    return f"Needed {threshold}% / 100%"


def area_columns(threshold: str, interims: bool) -> list[Column]:
    """The target, its title (shortened first), the share, reward and at stake (never cut),
    achievement and status; narrower, the value needed, the share paid, the values from and to
    and the actual give way, the payment on account goes under the status, the title becomes a
    line of its own above its row, and the at stake goes under the reward."""
    columns = [Column("Target"), Column("Title", kind="title", least=12, step=3, how="line"),
               Column("Share", "right"), Column("From → target", "right", step=8), Column("Actual", "right", step=6),
               Column("Achieved", "right"), Column("Paid", "right", step=9), Column("Reward", "right"),
               Column("At stake", "right", step=2, how="stack"), Column("Status"),
               Column(needed_header(threshold), "right", step=10)]
    if interims:
        columns.append(Column("On account", "right", step=7, how="stack"))
    return columns


def area_table(area: AreaReward) -> Fitted:
    scheme = area.scheme
    threshold = decimal_text(scheme.threshold.scaleb(2, context=EXACT))
    # an area with interim levels shows what each met one was paid on account, else its status
    interims = any(t.interim_status for t in area.targets)
    rows: list[Row] = []
    parent = None
    for t in area.targets:
        # sub-targets under a line naming their target: its indicator, or a target group's slug
        # and title (a group's sub-targets name their own indicators, their ids under them)
        owner = (t.group, t.group_title or t.group) if t.group else (t.indicator, t.title)
        if t.subtarget and owner[0] != parent:
            rows.append([owner[0], visible(owner[1])])
        parent = owner[0] if t.subtarget else None
        ref = (f"↳ {t.indicator}\n  {t.subtarget}" if t.group else f"↳ {t.subtarget}") if t.subtarget else t.indicator
        start = f"{number(t.start)}{FROM_MARKS[t.measured_from]}" if t.start is not None else "?"
        on_account = [pounds(t.payment_on_account) if t.interim_status == "met" else f"interim {t.interim_status}"
                      if t.interim_status else ""]
        rows.append([
            ref, visible(t.title) if t.group or not t.subtarget else "",
            pounds(t.share), f"{start} → {number(t.target)}",
            number(t.actual) + ("ᵖ" if t.provisional else ""),
            percent(t.achievement, *scheme.cut_offs), percent(t.payable, *scheme.cut_offs),
            pounds(t.reward), pounds(t.at_stake),
            Text(STATUS_LABELS[t.status].format(threshold=threshold), style=STATUS_STYLES[t.status]),
            f"{number(t.needed_for_threshold)} / {number(t.needed_for_full)}"
            if t.needed_for_full is not None else "",
            *(on_account if interims else []),
        ])
    rows += [SECTION, [
        Text("Sum", style="bold"), "", "", "", "", "", "", Text(pounds(area.earned), style="bold"),
        pounds(area.targets_at_stake), "", "",
        *([pounds(area.payment_on_account)] if interims else []),
    ]]
    return Fitted(area_columns(threshold, interims), rows,
                  title=visible(f"{area.name} ({area.area}) · scheme {scheme.name} · maximum {pounds(area.maximum)}"
                                f" · {area.reward_targets} reward target(s) · final year {area.final_year}"),
                  caption=lambda shown: Text("\n".join(map(visible, area_caption(area, shown).split("\n")))))


def area_caption(area: AreaReward, shown: set[str]) -> str:
    """The grant, what the marks of the columns `shown` mean (a column left out in a narrow
    table is not explained, nor a mark no row has), and the targets pending."""
    scheme = area.scheme
    threshold = decimal_text(scheme.threshold.scaleb(2, context=EXACT))
    adjusted = (f" (sum {pounds(area.earned)} × adjustment {decimal_text(scheme.adjustment)})"
                if scheme.adjustment != 1 else "")
    share = decimal_text(scheme.revenue_share.scaleb(2, context=EXACT))
    instalments = " + ".join(pounds(i) for i in area.instalments)
    on_account = ""
    if area.payment_on_account or area.recovery:
        on_account = (f"; paid on account {pounds(area.payment_on_account)} in {area.final_year}"
                      + (f", recovery {pounds(area.recovery)}" if area.recovery else ""))
    marks = explained([
        ("From → target", "From: ᵉ expected without the agreement, ᵇ baseline."),
        *([("Actual", "ᵖ provisional return.")] if any(t.provisional for t in area.targets) else []),
        (needed_header(threshold), "Needed: the final-year value that earns the threshold / the full share."),
    ], shown)
    lines = [
        f"Grant {pounds(area.total)}{adjusted}: revenue {pounds(area.revenue)} ({share}%), "
        f"capital {pounds(area.capital)}{on_account}; instalments {instalments}",
        *([at_stake] if (at_stake := at_stake_reconciled(area)) else []),
        *([marks] if marks else []),
    ]
    # each reason once, with its targets: a return still to come is not a target value still to agree
    pending: dict[str, list[str]] = {}
    for t in area.targets:
        if t.status == "pending":
            label = t.indicator + (f" {t.subtarget}" if t.subtarget else "")
            pending.setdefault(t.why_pending or "pending", []).append(label)
    if pending:
        lines.append("Pending, £0 until resolved: " + "; ".join(f"{why}: {', '.join(targets)}"
                                                                 for why, targets in pending.items()))
    return "\n".join(lines)


def at_stake_reconciled(area: AreaReward) -> str:
    """Why the area's at stake (the national table's, §6 item 7) is not the sum of its targets'
    (the Sum row's), when it is not: the scheme's adjustment, or shares each rounded to the
    penny that do not add up to the maximum; "" when the two agree."""
    targets = area.targets_at_stake
    if targets == area.at_stake:
        return ""
    if area.scheme.adjustment != 1:
        return (f"At stake: the targets' add up to {pounds(targets)} before the scheme's adjustment; the area's is "
                f"{pounds(area.at_stake)}, the maximum after it less the grant")
    shares = money_sum(t.share for t in area.targets)
    why = f": the shares, each rounded to the penny, add up to {pounds(shares)}" if shares != area.maximum else ""
    return (f"At stake: the targets' add up to {pounds(targets)}, the area's is {pounds(area.at_stake)}, the maximum "
            f"less the grant{why}")


def national_table(report: RewardReport) -> Fitted:
    """One line per area and the national total under them. Narrower than it needs, the area's
    name is shortened, the scheme, the share of the maximum and the count pending give way, the
    capital goes under the revenue and the at stake under the grant; the name last becomes a
    line of its own. No amount is ever cut."""
    total = report.total
    override = f" (scheme {report.scheme} for every area)" if report.scheme else ""
    columns = [Column("Area"), Column("Name", kind="title", least=10, step=1, how="line"), Column("Scheme", step=8),
               Column("Maximum", "right"), Column("Grant", "right"), Column("At stake", "right", step=3, how="stack"),
               Column("Of max", "right", step=7), Column("Revenue", "right"), Column("Capital", "right", step=4,
                                                                                   how="stack"),
               Column("Instalments", "right"), Column("Pending", "right", step=6)]
    rows: list[Row] = []
    for a in report.areas:
        rows.append([
            a.area, visible(a.name), a.scheme.name, pounds(a.maximum), pounds(a.total), pounds(a.at_stake),
            percent(Fraction(a.total) / Fraction(a.maximum), Decimal(1)) if a.maximum else "",
            pounds(a.revenue), pounds(a.capital), "\n".join(pounds(i) for i in a.instalments),
            str(sum(t.status == "pending" for t in a.targets)),
        ])
    maximum = money_sum(a.maximum for a in report.areas)
    footer = [
        "Total", "", "", pounds(maximum), pounds(total), pounds(money_sum(a.at_stake for a in report.areas)),
        percent(Fraction(total) / Fraction(maximum), Decimal(1)) if maximum else "",
        pounds(money_sum(a.revenue for a in report.areas)),
        pounds(money_sum(a.capital for a in report.areas)), instalment_totals(report),
        str(sum(t.status == "pending" for a in report.areas for t in a.targets)),
    ]
    return Fitted(columns, rows, footer=[Text(cell, style="bold") for cell in footer],
                  title=Text(f"Performance Reward Grant: national total {pounds(total)}{override}"),
                  caption="At stake: the maximum after the scheme's adjustment less the grant, never negative.")


def instalment_totals(report: RewardReport) -> str:
    """Each instalment summed over the areas, when they all pay the same number of them."""
    counts = {len(a.instalments) for a in report.areas}
    if len(counts) != 1:
        return ""
    return "\n".join(pounds(money_sum(a.instalments[i] for a in report.areas))
                     for i in range(counts.pop()))
