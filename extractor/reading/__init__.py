"""Reading: a report file → `Report` (readers → tables → records → document fields).

`extractor.reading.pipeline.extract_report` is the entry point; nothing here writes files.
"""
