"""base/: the vocabulary every layer shares, and imports nothing of laatool's but itself.

The file formats as pydantic models (`models`), identifiers and periods (`ids`), findings and
the rule base every finding code is a subclass of (`findings`, `rule`), errors and exit codes
(`errors`), exact rounding and the text of decimals and money (`money`), "did you mean"
(`suggest`), decoding (`text`),
the bundled files' place (`resources`), a file written whole or not at all (`files`) and work
in a thread (`background`).
"""
