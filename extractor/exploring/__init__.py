"""Exploring a dataset or one file: SQL views, the HTML report, the visual debugger."""
