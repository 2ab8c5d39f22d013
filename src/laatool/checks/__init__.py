"""checks/: the validation rules and their engine. It may import compute/, load/ and base/.

A family per letter, its rules split by what they look at:
- I indicators: `indicators`.
- A agreements: `agreements` runs them; `agreement_kinds` says how; the rules are in
  `agreement_indicators`, `agreement_periods`, `agreement_values`, `agreement_reward`,
  `agreement_shape` and `agreement_groups`.
- R returns: `returns` gathers them; `returns_kinds` says how; the rules are in
  `returns_areas`, `returns_rows`, `returns_numbers`, `returns_values`, `returns_surveys` and
  `returns_coverage`, and the plausibility warnings in `returns_plausibility`; `returns_engine` runs them over the whole
  returns frame, whose columns are declared in `returns_frame`.
The Y and S rules live in load/, beside the loaders that apply them. `registry.all_rules` is
every code; `validation` gathers every finding of a workspace and narrows them to what some
areas use.
"""
