"""checks/: the validation rules and their engine. It may import compute/, load/ and base/.

One module per family: I indicators (`indicators`), A agreements (`agreements`), R returns
(`returns`, run over the whole returns frame by `returns_engine`); the Y and S rules live in
load/, beside the loaders that apply them. `registry.all_rules` is every code; `validation`
gathers every finding of a workspace and narrows them to what some areas use.
"""
