"""load/: files into models and frames. It may import base/ only.

The workspace and its settings (`workspace`), YAML read within bounds with its marks
(`yamlio`, `documents`), returns tables read (`returns`, a module per format beside it:
`returns_csv`, `returns_xlsx`, `returns_yaml`, sharing `returns_table`; a workbook is measured
first by `table_files` with `xlsx_formats`, a Parquet file by `parquet_files`) and made
canonical (`normalise`), the agreement cache (`agreement_cache`), and the Y and S rules these
loaders apply as they read (`reading_rules` for any file, `table_rules` for returns tables,
`folder_rules` for what the folders hold, `schema_rules`). Loading never raises on bad input:
it keeps findings. What the agreement cache holds beyond the models (A findings, the targets
frame) is worked out by a function the caller passes in (`laatool.api.agreement_results`), so
loading imports no layer above it.
"""
