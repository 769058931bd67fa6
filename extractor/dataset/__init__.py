"""The dataset: the schema (the contract), rows from reports, Parquet on disk, snapshots."""
