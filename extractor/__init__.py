"""ita-extract: Thai ITA integrity-measure reports → a Parquet dataset."""
__version__ = "0.1.0"
