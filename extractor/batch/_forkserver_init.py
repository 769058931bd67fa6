"""Imported by the forkserver at its start (and by nothing else): die with the parent, and
warm the extractor's lazy caches (word lists, gazetteer, compiled patterns) once, so that
every worker forked from it starts warm instead of paying for them on its first file."""
from .lifeline import guard_forkserver

guard_forkserver()

from .executors import warm_up  # noqa: E402  (after the guard: die first if the parent is gone)

warm_up()
