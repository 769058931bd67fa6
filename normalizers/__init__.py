"""Pure value normalizers for ITA report cells (no I/O beyond package data).

Modules: ``digits`` (Thai ↔ arabic), ``text`` (markup, sara am, letter-spacing,
clean_text), ``periods`` (dates, fiscal years, activity periods), ``status``
(status labels, tick marks, inline checkboxes), ``oit`` (O-codes) and
``indicators`` (indicator labels and scores). Reference vocabularies are CSV
files in ``normalizers/data/``.
"""
