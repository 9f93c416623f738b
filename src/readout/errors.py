"""The exceptions readout raises for problems with its input."""

from __future__ import annotations

from pathlib import Path


class ReadoutInputError(Exception):
    """A file that cannot be read as a readout.

    ``str(err)`` is one line, ``"<path>: <problem>"``, fit to show a user as it is; the CLI
    prints it after ``readout: `` and goes on with the next file.
    """

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        # Messages go on one line of stderr, whatever a caller passes in.
        self.problem = " ".join(problem.split())
        super().__init__(f"{self.path}: {self.problem}")
