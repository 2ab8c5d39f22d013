"""The reward grant as tables for people: one per area, then the national summary.

Imported only when the table is printed (`render.table.table_of`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, JustifyMethod
from rich.table import Table
from rich.text import Text

from laatool.base.money import money_sum, round_half_up, round_towards
from laatool.render.values import decimal_text

if TYPE_CHECKING:
    from laatool.compute.reward import AreaReward, RewardReport

STATUS_STYLES = {"paid": "green", "below-threshold": "red", "pending": "yellow"}
FROM_MARKS = {"expected_without_agreement": "ᵉ", "baseline": "ᵇ"}
STATUS_LABELS = {"paid": "paid", "below-threshold": "below {threshold}%", "pending": "pending"}


def pounds(value: Decimal) -> str:
    return f"£{value:,.2f}"


def percent(value: Fraction | None, threshold: Decimal | None = None) -> str:
    """A share as a percentage to 0.1, half up, except that a value just below the threshold
    is rounded down, so 59.99% shows as 59.9%, never as a paid-looking 60.0%."""
    if value is None:
        return ""
    shown = round_half_up(value * 100, 1)
    if threshold is not None and value < threshold and shown >= threshold * 100:
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


COLUMNS: tuple[tuple[str, JustifyMethod, int, int | None], ...] = (
    # header, justify, min width, max width: fits 160 characters, the titles give way first
    ("Target", "left", 6, 9), ("Title / sub-target", "left", 12, 24), ("Share", "right", 11, None),
    ("From → target", "right", 10, 21), ("Actual", "right", 6, 12), ("Achieved", "right", 8, None),
    ("Paid", "right", 6, None), ("Reward", "right", 11, None), ("Status", "left", 9, None),
    ("At stake", "right", 11, None), ("Needed", "right", 10, 21),
)


def area_table(area: AreaReward) -> Table:
    scheme = area.scheme
    threshold = decimal_text(scheme.threshold * 100)
    table = Table(
        title=f"{area.name} ({area.area}) · scheme {scheme.name} · maximum {pounds(area.maximum)}"
              f" · {area.reward_targets} reward target(s) · final year {area.final_year}",
        title_justify="left", caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
        collapse_padding=True,
    )
    for header, justify, least, most in COLUMNS:
        table.add_column(header, justify=justify, min_width=least, max_width=most, no_wrap=True,
                         overflow="ellipsis")
    table.columns[-1].header = f"Needed {threshold}% / 100%"
    # an area with interim levels shows what each met one was paid on account, else its status
    interims = any(t.interim_status for t in area.targets)
    if interims:
        table.add_column("On account", justify="right", min_width=11, no_wrap=True)
    parent = None
    for t in area.targets:
        # sub-targets under a line naming their target: its indicator, or a target group's slug
        # and title (a group's sub-targets are named by their own indicators)
        owner = (t.group, t.group_title or t.group) if t.group else (t.indicator, t.title)
        if t.subtarget and owner[0] != parent:
            table.add_row(*owner, *[""] * (9 + interims))
        parent = owner[0] if t.subtarget else None
        start = f"{number(t.start)}{FROM_MARKS[t.measured_from]}" if t.start is not None else "?"
        on_account = [pounds(t.payment_on_account) if t.interim_status == "met" else f"interim {t.interim_status}"
                      if t.interim_status else ""]
        table.add_row(
            t.indicator if t.group else "" if t.subtarget else t.indicator,
            f"↳ {t.subtarget}" if t.subtarget else t.title,
            pounds(t.share), f"{start} → {number(t.target)}",
            number(t.actual) + ("ᵖ" if t.provisional else ""),
            percent(t.achievement, scheme.threshold), percent(t.payable), pounds(t.reward),
            Text(STATUS_LABELS[t.status].format(threshold=threshold),
                 style=STATUS_STYLES[t.status]),
            pounds(t.at_stake),
            f"{number(t.needed_for_threshold)} / {number(t.needed_for_full)}"
            if t.needed_for_full is not None else "",
            *(on_account if interims else []),
        )
    table.add_section()
    table.add_row(
        Text("Sum", style="bold"), "", "", "", "",
        "", "", Text(pounds(area.earned), style="bold"), "",
        pounds(money_sum(t.at_stake for t in area.targets)), "",
        *([pounds(area.payment_on_account)] if interims else []),
    )
    table.caption = area_caption(area)
    return table


def area_caption(area: AreaReward) -> str:
    scheme = area.scheme
    adjusted = (f" (sum {pounds(area.earned)} × adjustment {decimal_text(scheme.adjustment)})"
                if scheme.adjustment != 1 else "")
    share = decimal_text(scheme.revenue_share * 100)
    instalments = " + ".join(pounds(i) for i in area.instalments)
    on_account = ""
    if area.payment_on_account or area.recovery:
        on_account = (f"; paid on account {pounds(area.payment_on_account)} in {area.final_year}"
                      + (f", recovery {pounds(area.recovery)}" if area.recovery else ""))
    lines = [
        f"Grant {pounds(area.total)}{adjusted}: revenue {pounds(area.revenue)} ({share}%), "
        f"capital {pounds(area.capital)}{on_account}; instalments {instalments}",
        "From: ᵉ expected without the agreement, ᵇ baseline. ᵖ provisional return. Needed: the "
        "final-year value that earns the threshold / the full share.",
    ]
    pending = [t.indicator + (f" {t.subtarget}" if t.subtarget else "")
               for t in area.targets if t.status == "pending"]
    if pending:
        lines.append(f"Pending, £0 until reported: {', '.join(pending)}")
    return "\n".join(lines)


def national_table(report: RewardReport) -> Table:
    total = report.total
    override = f" (scheme {report.scheme} for every area)" if report.scheme else ""
    table = Table(title=f"Performance Reward Grant: national total {pounds(total)}{override}",
                  title_justify="left", caption_justify="left", show_footer=True,
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    names = ("Area", "Scheme", "Maximum", "Grant", "Of max", "Revenue", "Capital", "Instalments",
             "At stake", "Pending")
    for name in names:
        table.add_column(name, justify="left" if name in ("Area", "Scheme") else "right",
                         no_wrap=True)
    for a in report.areas:
        table.add_row(
            a.name, a.scheme.name, pounds(a.maximum), pounds(a.total),
            percent(Fraction(a.total) / Fraction(a.maximum)) if a.maximum else "",
            pounds(a.revenue), pounds(a.capital), "\n".join(pounds(i) for i in a.instalments),
            pounds(a.at_stake),
            str(sum(t.status == "pending" for t in a.targets)),
        )
    maximum = money_sum(a.maximum for a in report.areas)
    footer = [
        "National total", "", pounds(maximum), pounds(total),
        percent(Fraction(total) / Fraction(maximum)) if maximum else "",
        pounds(money_sum(a.revenue for a in report.areas)),
        pounds(money_sum(a.capital for a in report.areas)), instalment_totals(report),
        pounds(money_sum(a.at_stake for a in report.areas)),
        str(sum(t.status == "pending" for a in report.areas for t in a.targets)),
    ]
    for column, text in zip(table.columns, footer, strict=True):
        column.footer = Text(text, style="bold")
    table.caption = ("At stake: the maximum after the scheme's adjustment less the grant, never "
                     "negative.")
    return table


def instalment_totals(report: RewardReport) -> str:
    """Each instalment summed over the areas, when they all pay the same number of them."""
    counts = {len(a.instalments) for a in report.areas}
    if len(counts) != 1:
        return ""
    return "\n".join(pounds(money_sum(a.instalments[i] for a in report.areas))
                     for i in range(counts.pop()))
