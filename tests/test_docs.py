"""The README stays true: its two commands, every CLI command, stage and lexicon."""

from __future__ import annotations

import re
from pathlib import Path

from click import Group

from readout.cli import main
from readout.pipeline import pipeline

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def first_code_block() -> list[str]:
    m = re.search(r"```sh\n(.*?)```", README, re.S)
    assert m, "README opens with a code block of the two commands"
    return [line.split("#")[0].strip() for line in m.group(1).splitlines() if line.strip()]


def test_readout_opens_with_two_commands_and_ci_runs_the_test_one() -> None:
    commands = first_code_block()
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"exec {commands[1]}" in ci
    for cmd in commands:
        script = cmd.split()[-1]
        assert (ROOT / script).is_file(), script


def test_every_cli_command_is_documented() -> None:
    assert isinstance(main, Group)
    for name in main.commands:
        assert f"readout {name}" in README, f"`readout {name}` is not in the README"


def test_every_stage_and_lexicon_is_documented() -> None:
    for st in pipeline():
        assert f"`{st.name}`" in README, st.name
    for lex in (ROOT / "src" / "readout" / "lexicons").glob("*.toml"):
        assert lex.name in README, lex.name


def test_every_lexicon_notes_its_source() -> None:
    for lex in (ROOT / "src" / "readout" / "lexicons").glob("*.toml"):
        head = lex.read_text(encoding="utf-8")[:1500]
        assert "Source:" in head, f"{lex.name} has no note on its source"
