"""The batch job: find files, plan an incremental run, extract in workers, commit, summarise."""
