"""CLI commands that live in modules of their own; each registers itself on ``main``.

Add a module here and one line to :func:`register`.
"""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Attach every command module's commands to the ``readout`` group."""
    # One line per command module, e.g.:
    #   from readout.commands import ingest; ingest.register(main)
    __import__("readout.commands.search", fromlist=["register"]).register(main)
    __import__("readout.commands.store", fromlist=["register"]).register(main)
    __import__("readout.commands.fetch", fromlist=["register"]).register(main)
    __import__("readout.commands.export", fromlist=["register"]).register(main)
    __import__("readout.commands.timeline", fromlist=["register"]).register(main)
    __import__("readout.commands.analysis", fromlist=["register"]).register(main)
    __import__("readout.commands.corrections", fromlist=["register"]).register(main)
    __import__("readout.commands.web", fromlist=["register"]).register(main)
    _ = main
