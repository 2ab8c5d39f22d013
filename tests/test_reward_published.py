"""`laatool reward-grant` against reward schedules written the way councils published them: per
stretch target the baseline, the performance expected without the agreement, the target, the
outturn, the share of the enhancement achieved and the reward, then the area's total and how
it is paid (DESIGN.md §6 and §6.1).

Every figure is worked out by hand in the comments from the rules, with exact fractions;
`pounds` below only rounds a hand-worked fraction to the penny, half up, so that the comment
and the assertion say the same thing. Each workspace is checked on both paths (the polars
frame, and the exact Python path for rows the frame cannot hold), and in JSON, CSV and XLSX.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import polars as pl
import pytest

from conftest import invoke, workbook_rows

MONEY_FIELDS = ["share", "reward", "at_stake", "payment_on_account", "balance", "recovery"]
AREA_MONEY = ["maximum", "total", "revenue", "capital", "payment_on_account", "recovery", "at_stake"]


def pounds(value: Fraction) -> str:
    """A hand-worked amount to the penny, half up, as the JSON writes it."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------------------------------------
# A. An LPSA2 agreement (2006-09) with twelve stretch targets and a stated maximum of
#    £4,104,197.00, under the bundled lpsa2 scheme (60% threshold, cap 1, one fifth paid on
#    account for a met interim level, half revenue, two equal instalments).
#    One share S = 4,104,197 / 12 = 342,016.41666… -> £342,016.42 (every target's `share`).
#    A fifth of it on account: S / 5 = 4,104,197 / 60 = 68,403.28333… -> £68,403.28.
# ---------------------------------------------------------------------------------------------
S_A = Fraction(4104197, 12)

LPSA2_TWELVE = {
    "agreements/teesmouth.yaml": """
        area: teesmouth
        name: Teesmouth
        periods: [2006-07, 2007-08, 2008-09]
        reward: {scheme: lpsa2, maximum: 4104197.00}
        targets:
          - indicator: NI 16       # 1: lower is better, 2 decimals
            kind: designated
            baseline: {period: 2005-06, value: 25.00}
            targets: {2008-09: 20.00}
            expected_without_agreement: 23.00
            interim: {period: 2007-08, value: 22.00}
          - indicator: NI 192      # 2: higher, percent, 1 decimal
            kind: designated
            baseline: {period: 2005-06, value: 22.0}
            targets: {2008-09: 30.0}
            expected_without_agreement: 25.0
          - indicator: NI 117      # 3: lower; outturn exactly at the 60% threshold
            kind: designated
            baseline: {period: 2005-06, value: 9.8}
            targets: {2008-09: 8.0}
            expected_without_agreement: 9.0
          - indicator: NI 154      # 4: higher, count; interim met, final short: recovered
            kind: designated
            baseline: {period: 2005-06, value: 520}
            targets: {2008-09: 640}
            expected_without_agreement: 580
            interim: {period: 2007-08, value: 600}
          - indicator: NI 40       # 5: higher, count; beaten: capped at the share
            kind: designated
            baseline: {period: 2005-06, value: 980}
            targets: {2008-09: 1070}
            expected_without_agreement: 1020
          - indicator: NI 39       # 6: lower, rate; well short
            kind: designated
            baseline: {period: 2005-06, value: 2100.0}
            targets: {2008-09: 2040.0}
            expected_without_agreement: 2070.0
          - indicator: NI 8        # 7: a maintain target (target = baseline), no expected value
            kind: designated
            baseline: {period: 2005-06, value: 21.5}
            targets: {2008-09: 21.5}
          - indicator: NI 135      # 8: a percentage returned with numerator and denominator
            kind: designated
            baseline: {period: 2005-06, value: 18.0}
            targets: {2008-09: 25.0}
            expected_without_agreement: 20.0
          - indicator: NI 30       # 9: lower; interim missed
            kind: designated
            baseline: {period: 2005-06, value: 40.0}
            targets: {2008-09: 30.0}
            expected_without_agreement: 38.0
            interim: {period: 2007-08, value: 34.0}
          - indicator: NI 111      # 10: lower; interim met, final return not in: pending
            kind: designated
            baseline: {period: 2005-06, value: 1800.0}
            targets: {2008-09: 1600.0}
            expected_without_agreement: 1750.0
            interim: {period: 2007-08, value: 1700.0}
          - indicator: NI 19       # 11: lower, rate with 2 decimals
            kind: designated
            baseline: {period: 2005-06, value: 1.50}
            targets: {2008-09: 1.20}
            expected_without_agreement: 1.40
          - indicator: NI 56       # 12: lower; expected to worsen without the agreement
            kind: designated
            baseline: {period: 2005-06, value: 19.0}
            targets: {2008-09: 18.5}
            expected_without_agreement: 19.5
          - indicator: NI 175      # designated, taken out of the reward element
            kind: designated
            reward: false
            baseline: {period: 2005-06, value: 40}
            targets: {2008-09: 50}
          - indicator: NI 72       # statutory: not a reward target under lpsa2
            kind: statutory
            baseline: {period: 2005-06, value: 50}
            targets: {2008-09: 56}
        """,
    "returns/teesmouth.csv": """
        area,indicator,period,value,numerator,denominator
        teesmouth,NI 16,2007-08,21.50,,
        teesmouth,NI 16,2008-09,20.00,,
        teesmouth,NI 192,2008-09,29.0,,
        teesmouth,NI 117,2008-09,8.4,,
        teesmouth,NI 154,2007-08,605,,
        teesmouth,NI 154,2008-09,615,,
        teesmouth,NI 40,2008-09,1100,,
        teesmouth,NI 39,2008-09,2058.3,,
        teesmouth,NI 8,2008-09,21.5,,
        teesmouth,NI 135,2008-09,23.6,1180,5000
        teesmouth,NI 30,2007-08,35.0,,
        teesmouth,NI 30,2008-09,32.0,,
        teesmouth,NI 111,2007-08,1690.0,,
        teesmouth,NI 19,2008-09,1.27,,
        teesmouth,NI 56,2008-09,18.8,,
        teesmouth,NI 175,2008-09,50,,
        teesmouth,NI 72,2008-09,57,,
        """,
}

# Per target: (achievement, payable, reward, at_stake, interim_status, payment_on_account,
# balance, recovery, needed_for_threshold, needed_for_full). Share £342,016.42 everywhere.
S_A_PENNY = pounds(S_A)  # 342,016.42
POA_A = pounds(S_A / 5)  # 68,403.28
TEESMOUTH = {
    # 1: (20 − 23) / (20 − 23) = 1 -> S = £342,016.42; nothing at stake. Interim 21.50 ≤ 22.00
    #    (lower is better): met, £68,403.28 on account; balance 342,016.42 − 68,403.28 =
    #    273,613.14. 60% needs 23 + 0.6 × (20 − 23) = 21.2.
    "NI 16": (1, 1, "342016.42", "0.00", "met", "68403.28", "273613.14", "0.00", 21.2, 20),
    # 2: (29 − 25) / (30 − 25) = 0.8 -> S × 4/5 = 4,104,197 / 15 = 273,613.1333… -> £273,613.13;
    #    at stake 342,016.42 − 273,613.13 = 68,403.29. 60% needs 25 + 3 = 28.
    "NI 192": (0.8, 0.8, "273613.13", "68403.29", None, "0.00", "273613.13", "0.00", 28, 30),
    # 3: (8.4 − 9.0) / (8.0 − 9.0) = 0.6 exactly: paid. S × 3/5 = 4,104,197 / 20 = 205,209.85;
    #    at stake 342,016.42 − 205,209.85 = 136,806.57. 60% needs 9.0 − 0.6 = 8.4.
    "NI 117": (0.6, 0.6, "205209.85", "136806.57", None, "0.00", "205209.85", "0.00", 8.4, 8),
    # 4: (615 − 580) / (640 − 580) = 35/60 = 0.58333…: below 60%, £0. Interim 605 ≥ 600: met,
    #    £68,403.28 on account, all owed back: balance −68,403.28, recovery 68,403.28.
    #    60% needs 580 + 36 = 616.
    "NI 154": (0.5833, 0, "0.00", "342016.42", "met", "68403.28", "-68403.28", "68403.28",
               616, 640),
    # 5: (1100 − 1020) / (1070 − 1020) = 1.6, capped at 1: S = £342,016.42. 60% needs 1050.
    "NI 40": (1.6, 1, "342016.42", "0.00", None, "0.00", "342016.42", "0.00", 1050, 1070),
    # 6: (2058.3 − 2070) / (2040 − 2070) = 11.7 / 30 = 0.39: £0. 60% needs 2070 − 18 = 2052.
    "NI 39": (0.39, 0, "0.00", "342016.42", None, "0.00", "0.00", "0.00", 2052, 2040),
    # 7: maintain 21.5 -> 21.5, outturn 21.5 is no worse: achievement 1, S. Needed: 21.5.
    "NI 8": (1, 1, "342016.42", "0.00", None, "0.00", "342016.42", "0.00", 21.5, 21.5),
    # 8: 1,180 / 5,000 = 23.6%; (23.6 − 20) / (25 − 20) = 0.72 -> S × 0.72 = 4,104,197 × 0.06
    #    = 246,251.82; at stake 95,764.60. 60% needs 23.
    "NI 135": (0.72, 0.72, "246251.82", "95764.60", None, "0.00", "246251.82", "0.00", 23, 25),
    # 9: (32 − 38) / (30 − 38) = 0.75 -> S × 3/4 = 4,104,197 / 16 = 256,512.3125 -> £256,512.31;
    #    at stake 85,504.11. Interim 35.0 > 34.0 (lower is better): missed, nothing on account.
    #    60% needs 38 − 4.8 = 33.2.
    "NI 30": (0.75, 0.75, "256512.31", "85504.11", "missed", "0.00", "256512.31", "0.00", 33.2, 30),
    # 10: no 2008-09 return: pending, £0, the whole share at stake. Interim 1690 ≤ 1700: met,
    #     £68,403.28 on account; balance and recovery wait for the final return.
    #     60% needs 1750 − 90 = 1660.
    "NI 111": (None, None, "0.00", "342016.42", "met", "68403.28", None, None, 1660, 1600),
    # 11: (1.27 − 1.40) / (1.20 − 1.40) = 0.65 -> S × 13/20 = 53,354,561 / 240 = 222,310.6708…
    #     -> £222,310.67; at stake 119,705.75. 60% needs 1.40 − 0.12 = 1.28.
    "NI 19": (0.65, 0.65, "222310.67", "119705.75", None, "0.00", "222310.67", "0.00", 1.28, 1.2),
    # 12: (18.8 − 19.5) / (18.5 − 19.5) = 0.7 -> S × 7/10 = 28,729,379 / 120 = 239,411.4916…
    #     -> £239,411.49; at stake 102,604.93. 60% needs 19.5 − 0.6 = 18.9.
    "NI 56": (0.7, 0.7, "239411.49", "102604.93", None, "0.00", "239411.49", "0.00", 18.9, 18.5),
}
# Total: 3 × 342,016.42 (NI 16, NI 40, NI 8) = 1,026,049.26, + 273,613.13 + 205,209.85
#   + 246,251.82 + 256,512.31 + 222,310.67 + 239,411.49 = 2,469,358.53 (60.2% of the maximum).
# Revenue: half of it, 1,234,679.265 -> 1,234,679.27; capital 1,234,679.26.
# On account: 3 × 68,403.28 = 205,209.84 (NI 16, NI 154, NI 111); recovery 68,403.28 (NI 154).
# Still to pay: 2,469,358.53 − 205,209.84 + 68,403.28 = 2,332,551.97, in two instalments:
#   1,166,275.985 -> 1,166,275.99, and the rest 1,166,275.98.
# At stake: 4,104,197.00 − 2,469,358.53 = 1,634,838.47.
TEESMOUTH_AREA = {"maximum": "4104197.00", "total": "2469358.53", "revenue": "1234679.27",
                  "capital": "1234679.26", "payment_on_account": "205209.84", "recovery": "68403.28",
                  "at_stake": "1634838.47", "instalments": ["1166275.99", "1166275.98"]}


# ---------------------------------------------------------------------------------------------
# B. Isle of Wight style: the maximum is 2.5% of a net budget requirement of £132,993,000 =
#    £3,324,825, rounded to the £1,000 (£3,325,000), in a scheme paying up to 120% of a share.
#    Six reward targets: S = 3,325,000 / 6 = 554,166.666… -> £554,166.67.
#    - NI 192 split 2 : 3 : 2 (Σ 7) between three measures:
#        a, c: S × 2/7 = 3,325,000 / 21 = 158,333.333… -> £158,333.33
#        b:    S × 3/7 = 1,662,500 / 7  = 237,500 exactly
#    - group `transport` of three indicators, equal thirds: S / 3 = 1,662,500 / 9 =
#        184,722.222… -> £184,722.22
# ---------------------------------------------------------------------------------------------
WIGHT_SCHEME = """
    name: wight
    title: LPSA (Isle of Wight schedule 4) with reward up to 120% of a share
    maximum_rate: 0.025
    maximum_rounding: 1000
    rewarded_kinds: [designated]
    measure_from: expected_without_agreement
    threshold: 0.60
    cap: 1.20
    revenue_share: 0.50
    instalments: [0.50, 0.50]
    adjustment: 1.00
    payment_on_account: 0.20
    """

WIGHT = {
    "schemes/wight.yaml": WIGHT_SCHEME,
    "agreements/wight.yaml": """
        area: wight
        name: Isle of Wight
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: wight, net_budget_requirement: [132993000]}
        targets:
          - indicator: NI 192
            kind: designated
            baseline: {period: 2007-08, value: 30}
            targets: {2010-11: 36}
            subtargets:
              - {id: dry, weight: 2, baseline: {period: 2007-08, value: 30}, targets: {2010-11: 36},
                 expected_without_agreement: 32}
              - {id: green, weight: 3, baseline: {period: 2007-08, value: 30}, targets: {2010-11: 35},
                 expected_without_agreement: 31, interim: {period: 2009-10, value: 33}}
              - {id: reuse, weight: 2, baseline: {period: 2007-08, value: 10}, targets: {2010-11: 12},
                 expected_without_agreement: 10.5}
          - group: transport
            title: Getting about the island
            kind: designated
            subtargets:
              - {id: on-time, indicator: NI 178, baseline: {period: 2007-08, value: 78.0},
                 targets: {2010-11: 85.0}, expected_without_agreement: 80.0}
              - {id: journeys, indicator: NI 177, baseline: {period: 2007-08, value: 12000000},
                 targets: {2010-11: 12600000}, expected_without_agreement: 12200000}
              - {id: congestion, indicator: NI 167, baseline: {period: 2007-08, value: 4.10},
                 targets: {2010-11: 3.90}, expected_without_agreement: 4.05,
                 interim: {period: 2009-10, value: 4.00}}
          - indicator: NI 16
            kind: designated
            baseline: {period: 2007-08, value: 12.10}
            targets: {2010-11: 10.60}
            expected_without_agreement: 11.30
          - indicator: NI 117
            kind: designated
            baseline: {period: 2007-08, value: 9.8}
            targets: {2010-11: 8.0}
            expected_without_agreement: 9.0
            interim: {period: 2009-10, value: 8.5}
          - indicator: NI 8
            kind: designated
            baseline: {period: 2007-08, value: 21.5}
            targets: {2010-11: 21.5}
          - indicator: NI 40
            kind: designated
            baseline: {period: 2007-08, value: 980}
            targets: {2010-11: 1070}
            expected_without_agreement: 1020
        """,
    "returns/wight.csv": """
        area,indicator,subtarget,period,value
        wight,NI 192,dry,2010-11,37
        wight,NI 192,green,2009-10,33
        wight,NI 192,green,2010-11,34
        wight,NI 192,reuse,2010-11,11.4
        wight,NI 178,,2010-11,83.5
        wight,NI 177,journeys,2010-11,12530000
        wight,NI 167,,2009-10,3.98
        wight,NI 167,,2010-11,3.99
        wight,NI 16,,2010-11,10.88
        wight,NI 117,,2009-10,8.7
        wight,NI 117,,2010-11,8.41
        wight,NI 8,,2010-11,21.4
        wight,NI 40,,2010-11,1085
        """,
}

# Keyed by (indicator, subtarget): (share, achievement, payable, reward, at_stake,
# interim_status, payment_on_account, balance, recovery, needed_for_threshold)
WIGHT_ROWS = {
    # dry: (37 − 32) / (36 − 32) = 1.25, capped at 1.2: 3,325,000 / 21 × 6/5 = 190,000 exactly;
    #      more than its share, so nothing at stake. 60% needs 32 + 2.4 = 34.4.
    ("NI 192", "dry"): ("158333.33", 1.25, 1.2, "190000.00", "0.00", None, "0.00", "190000.00", "0.00", 34.4),
    # green: (34 − 31) / (35 − 31) = 0.75: 1,662,500 / 7 × 3/4 = 178,125 exactly; at stake
    #        237,500 − 178,125 = 59,375. Interim 33 = 33: met (equality counts), on account
    #        237,500 / 5 = 47,500; balance 178,125 − 47,500 = 130,625. 60% needs 31 + 2.4 = 33.4.
    ("NI 192", "green"): ("237500.00", 0.75, 0.75, "178125.00", "59375.00", "met", "47500.00", "130625.00",
                          "0.00", 33.4),
    # reuse: (11.4 − 10.5) / (12 − 10.5) = 0.9 / 1.5 = 0.6, the threshold: 3,325,000 / 21 × 3/5
    #        = 95,000 exactly; at stake 158,333.33 − 95,000 = 63,333.33. 60% needs 11.4.
    ("NI 192", "reuse"): ("158333.33", 0.6, 0.6, "95000.00", "63333.33", None, "0.00", "95000.00", "0.00", 11.4),
    # on-time (blank subtarget: NI 178 is measured nowhere else): (83.5 − 80) / (85 − 80) =
    #        0.7: 1,662,500 / 9 × 7/10 = 11,637,500 / 90 = 129,305.555… -> £129,305.56;
    #        at stake 184,722.22 − 129,305.56 = 55,416.66. 60% needs 80 + 3 = 83.
    ("NI 178", "on-time"): ("184722.22", 0.7, 0.7, "129305.56", "55416.66", None, "0.00", "129305.56", "0.00", 83),
    # journeys: (12,530,000 − 12,200,000) / (12,600,000 − 12,200,000) = 33/40 = 0.825:
    #        1,662,500 / 9 × 33/40 = 54,862,500 / 360 = 152,395.833… -> £152,395.83; at stake
    #        32,326.39. 60% needs 12,200,000 + 240,000 = 12,440,000.
    ("NI 177", "journeys"): ("184722.22", 0.825, 0.825, "152395.83", "32326.39", None, "0.00", "152395.83",
                             "0.00", 12440000),
    # congestion (lower is better): (3.99 − 4.05) / (3.90 − 4.05) = 0.06 / 0.15 = 0.4: £0.
    #        Interim 3.98 ≤ 4.00: met, on account 1,662,500 / 45 = 36,944.444… -> £36,944.44,
    #        owed back. 60% needs 4.05 − 0.09 = 3.96.
    ("NI 167", "congestion"): ("184722.22", 0.4, 0, "0.00", "184722.22", "met", "36944.44", "-36944.44",
                               "36944.44", 3.96),
    # NI 16: (10.88 − 11.30) / (10.60 − 11.30) = 0.42 / 0.7 = 0.6: S × 3/5 = 332,500 exactly;
    #        at stake 554,166.67 − 332,500 = 221,666.67. 60% needs 10.88.
    ("NI 16", None): ("554166.67", 0.6, 0.6, "332500.00", "221666.67", None, "0.00", "332500.00", "0.00", 10.88),
    # NI 117: (8.41 − 9.0) / (8.0 − 9.0) = 0.59: below 60%, £0. Interim 8.7 > 8.5: missed.
    ("NI 117", None): ("554166.67", 0.59, 0, "0.00", "554166.67", "missed", "0.00", "0.00", "0.00", 8.4),
    # NI 8: maintain 21.5, outturn 21.4 is worse (higher is better): 0, £0.
    ("NI 8", None): ("554166.67", 0, 0, "0.00", "554166.67", None, "0.00", "0.00", "0.00", 21.5),
    # NI 40: (1085 − 1020) / (1070 − 1020) = 1.3, capped at 1.2: S × 6/5 = 665,000 exactly.
    ("NI 40", None): ("554166.67", 1.3, 1.2, "665000.00", "0.00", None, "0.00", "665000.00", "0.00", 1050),
}
# Total: 190,000 + 178,125 + 95,000 + 129,305.56 + 152,395.83 + 0 + 332,500 + 0 + 0 + 665,000
#   = 1,742,326.39. Revenue 871,163.195 -> 871,163.20, capital 871,163.19.
# On account 47,500.00 + 36,944.44 = 84,444.44; recovery 36,944.44.
# Still to pay 1,742,326.39 − 84,444.44 + 36,944.44 = 1,694,826.39: 847,413.195 -> 847,413.20,
#   and 847,413.19. At stake 3,325,000.00 − 1,742,326.39 = 1,582,673.61.
WIGHT_AREA = {"maximum": "3325000.00", "total": "1742326.39", "revenue": "871163.20", "capital": "871163.19",
              "payment_on_account": "84444.44", "recovery": "36944.44", "at_stake": "1582673.61",
              "instalments": ["847413.20", "847413.19"]}


# ---------------------------------------------------------------------------------------------
# C. A two-tier area under a halved final payment with a payment on account and three
#    instalments (a quarter, a quarter, the rest). Maximum 2.5% × (412,000,000 + 96,000,000)
#    = 12,700,000 (already a whole number of pounds). Three targets: S = 12,700,000 / 3 =
#    4,233,333.333… -> £4,233,333.33; a fifth on account: 12,700,000 / 15 = 846,666.666… ->
#    £846,666.67.
# ---------------------------------------------------------------------------------------------
HALVED = {
    "schemes/halved.yaml": """
        name: halved
        title: Reward halved at the end, a fifth on account, paid over three years
        maximum_rate: 0.025
        rewarded_kinds: [designated]
        threshold: 0.60
        cap: 1.00
        revenue_share: 0.70
        instalments: [0.25, 0.25, 0.50]
        adjustment: 0.50
        payment_on_account: 0.20
        """,
    "agreements/shire.yaml": """
        area: shire
        name: Shire
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: halved, net_budget_requirement: [412000000, 96000000]}
        targets:
          - indicator: NI 192
            kind: designated
            baseline: {period: 2007-08, value: 30.0}
            targets: {2010-11: 40.0}
            expected_without_agreement: 32.0
            interim: {period: 2009-10, value: 35.0}
          - indicator: NI 154
            kind: designated
            baseline: {period: 2007-08, value: 2940}
            targets: {2010-11: 3800}
            expected_without_agreement: 3400
            interim: {period: 2009-10, value: 3500}
          - indicator: NI 16
            kind: designated
            baseline: {period: 2007-08, value: 24.00}
            targets: {2010-11: 20.00}
            expected_without_agreement: 22.00
            interim: {period: 2009-10, value: 21.50}
        """,
    "returns/shire.csv": """
        area,indicator,period,value
        shire,NI 192,2009-10,36.0
        shire,NI 192,2010-11,40.0
        shire,NI 154,2009-10,3500
        shire,NI 154,2010-11,3760
        shire,NI 16,2009-10,21.00
        shire,NI 16,2010-11,21.00
        """,
}
SHIRE_ROWS = {
    # (40 − 32) / (40 − 32) = 1: S = £4,233,333.33; interim met; balance 4,233,333.33 −
    # 846,666.67 = 3,386,666.66.
    "NI 192": ("4233333.33", 1, "4233333.33", "0.00", "met", "846666.67", "3386666.66", "0.00"),
    # (3760 − 3400) / (3800 − 3400) = 0.9: 12,700,000 × 3/10 = 3,810,000 exactly; at stake
    # 423,333.33; interim 3500 = 3500 met; balance 3,810,000 − 846,666.67 = 2,963,333.33.
    "NI 154": ("4233333.33", 0.9, "3810000.00", "423333.33", "met", "846666.67", "2963333.33", "0.00"),
    # (21 − 22) / (20 − 22) = 0.5: £0; interim 21.00 ≤ 21.50 met; 846,666.67 owed back.
    "NI 16": ("4233333.33", 0.5, "0.00", "4233333.33", "met", "846666.67", "-846666.67", "846666.67"),
}
# Earned 4,233,333.33 + 3,810,000.00 = 8,043,333.33; halved: 4,021,666.665 -> total 4,021,666.67.
# Revenue 70%: 2,815,166.669 -> 2,815,166.67; capital 4,021,666.67 − 2,815,166.67 = 1,206,500.00.
# On account 3 × 846,666.67 = 2,540,000.01 (before the halving, as shares are); recovery 846,666.67.
# Still to pay 4,021,666.67 − 2,540,000.01 + 846,666.67 = 2,328,333.33: a quarter
#   582,083.3325 -> 582,083.33, again 582,083.33, the rest 2,328,333.33 − 1,164,166.66 =
#   1,164,166.67. At stake: 12,700,000 × 0.5 = 6,350,000.00 − 4,021,666.67 = 2,328,333.33.
SHIRE_AREA = {"maximum": "12700000.00", "total": "4021666.67", "revenue": "2815166.67", "capital": "1206500.00",
              "payment_on_account": "2540000.01", "recovery": "846666.67", "at_stake": "2328333.33",
              "instalments": ["582083.33", "582083.33", "1164166.67"]}


# ---------------------------------------------------------------------------------------------
# D. B&NES style: a stated maximum of £3,577,000 over six reward targets, one of them split
#    90 / 10 between two measures (as B&NES's first LPSA split a target's share), a calendar-year
#    indicator, a quarterly snapshot indicator (the year is its fourth quarter), a local
#    indicator counted each quarter (the year is the sum), a provisional return, and a needed
#    value that has to be rounded. Under lpsa2.
#    S = 3,577,000 / 6 = 596,166.666… -> £596,166.67; a fifth on account 3,577,000 / 30 =
#    119,233.333… -> £119,233.33.
# ---------------------------------------------------------------------------------------------
BANES = {
    "indicators/BANES-01.yaml": """
        id: BANES-01
        title: Households helped into affordable warmth
        polarity: higher
        unit: count
        decimals: 0
        frequency: quarterly
        period_type: financial-year
        cumulative: true
        source: local
        """,
    "agreements/banes.yaml": """
        area: banes
        name: Bath and North East Somerset
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: lpsa2, maximum: 3577000}
        targets:
          - indicator: NI 30
            kind: designated
            baseline: {period: 2007-08, value: 40}
            targets: {2010-11: 30}
            subtargets:
              - {id: prolific, weight: 0.9, baseline: {period: 2007-08, value: 40}, targets: {2010-11: 30},
                 expected_without_agreement: 38}
              - {id: priority, weight: 0.1, baseline: {period: 2007-08, value: 40}, targets: {2010-11: 35},
                 expected_without_agreement: 39}
          - indicator: NI 47
            kind: designated
            baseline: {period: '2007', value: 320}
            targets: {2010-11: 275}
            expected_without_agreement: 300
            interim: {period: 2009-10, value: 290}
          - indicator: NI 152
            kind: designated
            baseline: {period: 2007-08, value: 14.3}
            targets: {2010-11: 13.6}
            expected_without_agreement: 14.0
            interim: {period: 2009-10, value: 13.9}
          - indicator: BANES-01
            kind: local
            reward: true
            baseline: {period: 2007-08, value: 400}
            targets: {2010-11: 500}
            expected_without_agreement: 440
            interim: {period: 2009-10, value: 450}
          - indicator: NI 154
            kind: designated
            baseline: {period: 2007-08, value: 2940}
            targets: {2010-11: 3800}
            expected_without_agreement: 3400
          - indicator: NI 8
            kind: designated
            baseline: {period: 2007-08, value: 21.33}
            targets: {2010-11: 22.8}
        """,
    "returns/banes.csv": """
        area,indicator,subtarget,period,value,status
        banes,NI 30,prolific,2010-11,30.7,
        banes,NI 30,priority,2010-11,36.6,
        banes,NI 47,,2009,289,
        banes,NI 47,,2010,281,
        banes,NI 152,,2009-10,13.95,
        banes,NI 152,,2010-11 Q1,14.2,
        banes,NI 152,,2010-11 Q2,14.0,
        banes,NI 152,,2010-11 Q3,13.9,
        banes,NI 152,,2010-11 Q4,13.75,
        banes,BANES-01,,2009-10 Q1,110,
        banes,BANES-01,,2009-10 Q2,115,
        banes,BANES-01,,2009-10 Q3,120,
        banes,BANES-01,,2009-10 Q4,110,
        banes,BANES-01,,2010-11 Q1,120,
        banes,BANES-01,,2010-11 Q2,110,
        banes,BANES-01,,2010-11 Q3,130,
        banes,BANES-01,,2010-11 Q4,125,
        banes,NI 154,,2010-11,3700,provisional
        banes,NI 8,,2010-11,22.25,
        """,
}
# (share, actual, achievement, reward, at_stake, interim_status, payment_on_account, balance,
#  needed_for_threshold, provisional)
BANES_ROWS = {
    # prolific: S × 0.9 = 3,577,000 × 9/60 = 536,550 exactly; (30.7 − 38) / (30 − 38) = 7.3/8 =
    #   0.9125 -> 536,550 × 0.9125 = 489,601.875 -> £489,601.88 (half up); at stake 46,948.12.
    #   60% needs 38 − 4.8 = 33.2.
    ("NI 30", "prolific"): ("536550.00", 30.7, 0.9125, "489601.88", "46948.12", None, "0.00", "489601.88", 33.2,
                            False),
    # priority: S × 0.1 = 3,577,000 / 60 = 59,616.666… -> £59,616.67; (36.6 − 39) / (35 − 39) =
    #   0.6 -> 3,577,000 / 100 = 35,770 exactly; at stake 23,846.67. 60% needs 36.6.
    ("NI 30", "priority"): ("59616.67", 36.6, 0.6, "35770.00", "23846.67", None, "0.00", "35770.00", 36.6, False),
    # NI 47, calendar years: 2010 counts for 2010-11. (281 − 300) / (275 − 300) = 0.76 ->
    #   3,577,000 × 0.76 / 6 = 453,086.666… -> £453,086.67; at stake 143,080.00. Interim: 2009's
    #   289 ≤ 290, met: £119,233.33 on account; balance 333,853.34. 60% needs 300 − 15 = 285.
    ("NI 47", None): ("596166.67", 281, 0.76, "453086.67", "143080.00", "met", "119233.33", "333853.34", 285,
                      False),
    # NI 152, a snapshot: the year is Q4, 13.75. (13.75 − 14.0) / (13.6 − 14.0) = 0.625 ->
    #   3,577,000 × 5/48 = 372,604.1666… -> £372,604.17; at stake 223,562.50. Interim 13.95 > 13.9:
    #   missed. 60% needs 14.0 − 0.24 = 13.76, rounded down (lower is better) to 1 place: 13.7.
    ("NI 152", None): ("596166.67", 13.75, 0.625, "372604.17", "223562.50", "missed", "0.00", "372604.17", 13.7,
                       False),
    # BANES-01, counted each quarter: 2010-11 is 120 + 110 + 130 + 125 = 485; (485 − 440) / 60 =
    #   0.75 -> 3,577,000 / 8 = 447,125 exactly; at stake 149,041.67. Interim: 2009-10 is
    #   110 + 115 + 120 + 110 = 455 ≥ 450, met; balance 447,125 − 119,233.33 = 327,891.67.
    ("BANES-01", None): ("596166.67", 485, 0.75, "447125.00", "149041.67", "met", "119233.33", "327891.67", 476,
                         False),
    # NI 154, provisional and used: (3700 − 3400) / 400 = 0.75 -> £447,125.00. 60% needs 3640.
    ("NI 154", None): ("596166.67", 3700, 0.75, "447125.00", "149041.67", None, "0.00", "447125.00", 3640, True),
    # NI 8 from the baseline: (22.25 − 21.33) / (22.8 − 21.33) = 0.92 / 1.47 = 92/147 = 0.62585… ->
    #   3,577,000 × 92 / 882 = 373,111.111… -> £373,111.11; at stake 223,055.56. 60% needs
    #   21.33 + 0.882 = 22.212, rounded up to 1 place: 22.3.
    ("NI 8", None): ("596166.67", 22.25, 0.6259, "373111.11", "223055.56", None, "0.00", "373111.11", 22.3, False),
}
# Total 489,601.88 + 35,770.00 + 453,086.67 + 372,604.17 + 447,125.00 + 447,125.00 + 373,111.11
#   = 2,618,423.83; revenue 1,309,211.915 -> 1,309,211.92, capital 1,309,211.91. On account
#   2 × 119,233.33 = 238,466.66, nothing to recover: 2,379,957.17 to pay, 1,189,978.585 ->
#   1,189,978.59 and 1,189,978.58. At stake 3,577,000 − 2,618,423.83 = 958,576.17.
BANES_AREA = {"maximum": "3577000.00", "total": "2618423.83", "revenue": "1309211.92", "capital": "1309211.91",
              "payment_on_account": "238466.66", "recovery": "0.00", "at_stake": "958576.17",
              "instalments": ["1189978.59", "1189978.58"]}


# ---------------------------------------------------------------------------------------------
# E. A scheme measuring from the baseline (an expected value is then not used), a 50%
#    threshold, a cap of 1.5, statutory targets rewarded and a quarter paid on account; interim
#    levels pending for want of a value (a blank one; three quarters of four). Maximum
#    £100,000 over three targets: S = 33,333.333… -> £33,333.33; on account S / 4 =
#    8,333.333… -> £8,333.33.
# ---------------------------------------------------------------------------------------------
FROM_BASELINE = {
    "schemes/frombase.yaml": """
        name: frombase
        title: Measured from the baseline, up to 150% of a share
        maximum_rate: 0.025
        rewarded_kinds: [designated, statutory]
        measure_from: baseline
        threshold: 0.50
        cap: 1.50
        revenue_share: 0.50
        instalments: [0.50, 0.50]
        payment_on_account: 0.25
        """,
    "agreements/east.yaml": """
        area: east
        name: East
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: frombase, maximum: 100000}
        targets:
          - indicator: NI 135
            kind: designated
            baseline: {period: 2007-08, value: 30.0}
            targets: {2010-11: 36.0}
            expected_without_agreement: 33.0
            interim: {period: 2009-10, value: 33.0}
          - indicator: NI 141
            kind: designated
            baseline: {period: 2007-08, value: 70.0}
            targets: {2010-11: 80.0}
            interim: {period: 2009-10, value: 75.0}
          - indicator: NI 72
            kind: statutory
            baseline: {period: 2007-08, value: 50}
            targets: {2010-11: 56}
            interim: {period: 2009-10, value: 52}
        """,
    "returns/east.csv": """
        area,indicator,period,value,numerator,denominator
        east,NI 135,2009-10,,,
        east,NI 135,2010-11,33.3,1,3
        east,NI 141,2009-10 Q1,74,,
        east,NI 141,2009-10 Q2,75,,
        east,NI 141,2009-10 Q3,76,,
        east,NI 141,2010-11,95.0,,
        east,NI 72,2009-10,52,,
        east,NI 72,2010-11,53,,
        """,
}
# (from, achievement, payable, reward, at_stake, interim_status, payment_on_account, balance, needed)
EAST_ROWS = {
    # from the baseline 30 (not the expected 33): (33.3 − 30) / (36 − 30) = 0.55 ≥ 0.5 ->
    #   100,000 × 0.55 / 3 = 18,333.333… -> £18,333.33; at stake 15,000.00. 1/3 is 33.33…%, written
    #   33.3 at the indicator's 1 place, and the value is used as written. Interim value blank:
    #   pending. 50% needs 30 + 3 = 33.
    "NI 135": (30, 0.55, 0.55, "18333.33", "15000.00", "pending", "0.00", "18333.33", 33),
    # (95 − 70) / (80 − 70) = 2.5, capped at 1.5: 50,000 exactly, nothing at stake. Three
    #   quarters of 2009-10 make no year (a snapshot needs Q4): interim pending. 50% needs 75.
    "NI 141": (70, 2.5, 1.5, "50000.00", "0.00", "pending", "0.00", "50000.00", 75),
    # statutory, rewarded here: (53 − 50) / (56 − 50) = 0.5 -> 50,000 / 3 = 16,666.666… ->
    #   £16,666.67; at stake 16,666.66. Interim 52 = 52 met: £8,333.33 on account; balance
    #   8,333.34. 50% needs 53.
    "NI 72": (50, 0.5, 0.5, "16666.67", "16666.66", "met", "8333.33", "8333.34", 53),
}
# Total 18,333.33 + 50,000.00 + 16,666.67 = 85,000.00; revenue and capital 42,500.00 each;
# on account 8,333.33: 76,666.67 to pay, 38,333.335 -> 38,333.34 and 38,333.33. At stake
# 100,000 − 85,000 = 15,000.00 (less than the targets' own at stake, 31,666.66: NI 141 is paid
# 16,666.67 above its share).
EAST_AREA = {"maximum": "100000.00", "total": "85000.00", "revenue": "42500.00", "capital": "42500.00",
             "payment_on_account": "8333.33", "recovery": "0.00", "at_stake": "15000.00",
             "instalments": ["38333.34", "38333.33"]}


def test_the_hand_worked_fractions_round_as_the_comments_say():
    # the comments' arithmetic, checked once with exact fractions
    assert (pounds(S_A), pounds(S_A / 5)) == ("342016.42", "68403.28")
    assert [pounds(S_A * f) for f in (Fraction(4, 5), Fraction(3, 5), Fraction(18, 25), Fraction(3, 4),
                                      Fraction(13, 20), Fraction(7, 10))] == [
        "273613.13", "205209.85", "246251.82", "256512.31", "222310.67", "239411.49"]
    s_b = Fraction(3325000, 6)
    assert pounds(s_b * Fraction(2, 7)) == "158333.33" and s_b * Fraction(3, 7) == 237500
    assert s_b * Fraction(2, 7) * Fraction(6, 5) == 190000 and s_b * Fraction(3, 7) * Fraction(3, 4) == 178125
    assert (pounds(s_b / 3 * Fraction(7, 10)), pounds(s_b / 3 * Fraction(33, 40)), pounds(s_b / 3 / 5)) == (
        "129305.56", "152395.83", "36944.44")
    assert Fraction("0.025") * 132993000 == Fraction(6649650, 2) and s_b * Fraction(6, 5) == 665000
    s_c = Fraction(12700000, 3)
    assert (pounds(s_c), pounds(s_c / 5), s_c * Fraction(9, 10)) == ("4233333.33", "846666.67", 3810000)
    assert pounds(Fraction("8043333.33") / 2) == "4021666.67"
    s_d = Fraction(3577000, 6)
    assert (s_d * Fraction(9, 10), pounds(s_d / 10), pounds(s_d / 5)) == (536550, "59616.67", "119233.33")
    assert [pounds(s_d * f) for f in (Fraction(9, 10) * Fraction(73, 80), Fraction(19, 25), Fraction(5, 8),
                                      Fraction(92, 147))] == ["489601.88", "453086.67", "372604.17", "373111.11"]
    assert (pounds(Fraction(100000, 3) * Fraction(11, 20)), pounds(Fraction(100000, 12))) == ("18333.33", "8333.33")


def reward_json(root) -> dict:
    return json.loads(invoke(["-w", root, "reward-grant", "--format", "json"]).stdout)


@pytest.fixture(params=["frame", "python"])
def path(request, monkeypatch):
    """Each workspace on both paths: the frame, and every row measured in Python instead."""
    if request.param == "python":
        import laatool.compute.reward_frame as reward_frame

        monkeypatch.setattr(reward_frame, "in_range", lambda *args: pl.lit(False))
    return request.param


def check_area(area: dict, expected: dict) -> None:
    assert {k: area[k] for k in expected} == expected
    # the splits reconcile: revenue + capital = total, and
    # payment on account + Σ instalments − recovery = total (DESIGN.md §6.1)
    total = Decimal(area["total"])
    assert Decimal(area["revenue"]) + Decimal(area["capital"]) == total
    paid = Decimal(area["payment_on_account"]) + sum(map(Decimal, area["instalments"]))
    assert paid - Decimal(area["recovery"]) == total


def test_lpsa2_twelve_stretch_targets(workspace, path):
    (area,) = reward_json(workspace(LPSA2_TWELVE))["areas"]
    rows = {t["indicator"]: t for t in area["targets"]}
    assert list(rows) == list(TEESMOUTH)  # NI 175 (reward: false) and NI 72 (statutory) left out
    got = {k: (t["achievement"], t["payable"], t["reward"], t["at_stake"], t["interim_status"],
               t["payment_on_account"], t["balance"], t["recovery"], t["needed_for_threshold"],
               t["needed_for_full"]) for k, t in rows.items()}
    assert got == TEESMOUTH
    assert {t["share"] for t in rows.values()} == {S_A_PENNY}
    assert rows["NI 111"]["status"] == "pending" and rows["NI 154"]["status"] == "below-threshold"
    assert rows["NI 117"]["status"] == "paid" and rows["NI 135"]["actual"] == 23.6
    assert rows["NI 8"]["from"] == 21.5 and rows["NI 16"]["from"] == 23
    check_area(area, TEESMOUTH_AREA)
    # no target is paid above its share: total + at stake is the whole maximum
    assert Decimal(area["total"]) + Decimal(area["at_stake"]) == Decimal(area["maximum"])


def test_isle_of_wight_rounding_weights_group_and_a_cap_above_one(workspace, path):
    (area,) = reward_json(workspace(WIGHT))["areas"]
    rows = {(t["indicator"], t["subtarget"]): t for t in area["targets"]}
    got = {k: (t["share"], t["achievement"], t["payable"], t["reward"], t["at_stake"], t["interim_status"],
               t["payment_on_account"], t["balance"], t["recovery"], t["needed_for_threshold"])
           for k, t in rows.items()}
    assert got == WIGHT_ROWS
    assert [rows[("NI 192", s)]["weight"] for s in ("dry", "green", "reuse")] == [2, 3, 2]
    assert {k[1] for k, t in rows.items() if t["group"] == "transport"} == {"on-time", "journeys", "congestion"}
    # the weighted shares add up to the target's: 158,333.33 + 237,500 + 158,333.33 = 554,166.66,
    # a penny under the rounded share (each part is rounded on its own)
    check_area(area, WIGHT_AREA)
    # no target is paid above its share here in total: total + at stake = the maximum
    assert Decimal(area["total"]) + Decimal(area["at_stake"]) == Decimal("3325000.00")


def test_halved_payment_with_three_instalments_and_recovery(workspace, path):
    (area,) = reward_json(workspace(HALVED))["areas"]
    got = {t["indicator"]: (t["share"], t["achievement"], t["reward"], t["at_stake"], t["interim_status"],
                            t["payment_on_account"], t["balance"], t["recovery"]) for t in area["targets"]}
    assert got == SHIRE_ROWS
    check_area(area, SHIRE_AREA)
    # total + at stake is the maximum after the adjustment: 4,021,666.67 + 2,328,333.33 = 6,350,000.00
    assert Decimal(area["total"]) + Decimal(area["at_stake"]) == Decimal("6350000.00")


def test_banes_weights_calendar_quarterly_local_and_provisional(workspace, path):
    (area,) = reward_json(workspace(BANES))["areas"]
    got = {(t["indicator"], t["subtarget"]): (t["share"], t["actual"], t["achievement"], t["reward"], t["at_stake"],
                                              t["interim_status"], t["payment_on_account"], t["balance"],
                                              t["needed_for_threshold"], t["provisional"])
           for t in area["targets"]}
    assert got == BANES_ROWS
    assert [t["weight"] for t in area["targets"][:2]] == [0.9, 0.1]
    check_area(area, BANES_AREA)
    assert Decimal(area["total"]) + Decimal(area["at_stake"]) == Decimal(area["maximum"])


def test_measured_from_the_baseline_with_a_cap_of_one_and_a_half(workspace, path):
    (area,) = reward_json(workspace(FROM_BASELINE))["areas"]
    got = {t["indicator"]: (t["from"], t["achievement"], t["payable"], t["reward"], t["at_stake"],
                            t["interim_status"], t["payment_on_account"], t["balance"], t["needed_for_threshold"])
           for t in area["targets"]}
    assert got == EAST_ROWS
    check_area(area, EAST_AREA)


def test_a_maximum_half_way_between_two_thousands_rounds_up(workspace):
    # 2.5% of £132,980,000 is £3,324,500: 3,324.5 thousands, half up -> £3,325,000; a penny
    # less of budget requirement (2.5% of £132,979,999.99 = 3,324,499.99975) -> £3,324,000.
    files = {"schemes/wight.yaml": WIGHT_SCHEME, "agreements/wight.yaml": """
        area: wight
        name: Isle of Wight
        periods: [2008-09, 2009-10, 2010-11]
        reward: {scheme: wight, net_budget_requirement: [132980000]}
        targets:
          - {indicator: NI 16, kind: designated, baseline: {period: 2007-08, value: 12}, targets: {2010-11: 10}}
        """}
    root = workspace(files)
    assert reward_json(root)["areas"][0]["maximum"] == "3325000.00"
    path = root / "agreements" / "wight.yaml"
    path.write_text(path.read_text().replace("132980000", "132979999.99"))
    assert reward_json(root)["areas"][0]["maximum"] == "3324000.00"


ALL = [LPSA2_TWELVE, WIGHT, HALVED, BANES, FROM_BASELINE]


def test_the_national_total_is_the_sum_of_the_areas(workspace):
    # 2,469,358.53 + 1,742,326.39 + 4,021,666.67 + 2,618,423.83 + 85,000.00 = 10,936,775.42
    report = reward_json(workspace({name: text for files in ALL for name, text in files.items()}))
    assert [a["total"] for a in report["areas"]] == ["2618423.83", "85000.00", "4021666.67", "2469358.53",
                                                     "1742326.39"]  # banes, east, shire, teesmouth, wight
    assert report["total"] == "10936775.42"


@pytest.mark.parametrize("files", ALL, ids=["teesmouth", "wight", "shire", "banes", "east"])
def test_csv_and_xlsx_carry_the_json_figures(workspace, tmp_path, files):
    root = workspace(files)
    (area,) = reward_json(root)["areas"]
    lines = list(csv.DictReader(io.StringIO(invoke(["-w", root, "reward-grant", "--format", "csv"]).stdout)))
    book = tmp_path / "grant.xlsx"
    invoke(["-w", root, "reward-grant", "-o", book])
    cells = workbook_rows(book)
    assert len(lines) == len(cells) == len(area["targets"])
    for row, line, cell in zip(area["targets"], lines, cells, strict=True):
        for field in MONEY_FIELDS:
            assert line[field] == (row[field] or ""), field
            assert (None if cell[field] is None else Decimal(str(cell[field]))) == (
                None if row[field] is None else Decimal(row[field])), field
        assert (line["area"], line["status"], cell["status"]) == (area["area"], row["status"], row["status"])
    # the summary sheet carries the area's grant
    import openpyxl

    summary = openpyxl.load_workbook(book)["Summary"]
    header = [c.value for c in summary[5]]
    values = dict(zip(header, [c.value for c in summary[6]], strict=True))
    for field in ("maximum", "total", "revenue", "capital", "payment_on_account", "recovery", "at_stake"):
        assert Decimal(str(values[field])) == Decimal(area[field]), field
    instalments = [Decimal(str(values[f"instalment_{i}"])) for i in range(1, len(area["instalments"]) + 1)]
    assert instalments == [Decimal(i) for i in area["instalments"]]
