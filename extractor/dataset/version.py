"""The schema version, apart from the schema so that readers can check it without pyarrow.

History: 1 the first release; 2 notes as structs, measure_group, issue, budget_baht, extra,
bbox, cell_boxes, page_sources, dla_code; 3 fiscal_year_be stored inside the files (folders
named by the bare year), reports.failure, report_id keyed by content, append-only commits,
bbox as a plain list of four floats (readable by pyarrow before 26).
"""
SCHEMA_VERSION = "3"
