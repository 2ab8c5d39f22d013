"""checks/: the validation rules and their engine. It may import compute/, load/ and base/.

One module per family: I indicators (`indicators`), A agreements (`agreements`, with the
rules in `agreement_indicators`, `agreement_values` and `agreement_shape`), R returns
(`returns`, run over the whole returns frame by `returns_engine`, whose columns are
declared in `returns_frame`); the Y and S rules live in
load/, beside the loaders that apply them. `registry.all_rules` is every code; `validation`
gathers every finding of a workspace and narrows them to what some areas use.
"""
