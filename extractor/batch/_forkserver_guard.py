"""Imported by the forkserver at its start (and by nothing else): die with its parent."""
from .lifeline import guard_forkserver

guard_forkserver()
