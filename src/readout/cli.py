"""The ``readout`` command: a thin layer over :mod:`readout.api` and :mod:`readout.io`.

Every problem with an input file is one line on stderr, ``readout: PATH: problem``, and
the command goes on with the next file; the exit code is 1 when any file failed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from readout import __version__
from readout.api import parse_file
from readout.errors import ReadoutInputError
from readout.io import FOLDER_SUFFIXES, find_documents
from readout.model import Record
from readout.pipeline import pipeline
from readout.render_md import render_markdown

MD_RULE = "\n---\n\n"


@click.group()
@click.version_option(__version__, prog_name="readout")
def main() -> None:
    """Parse Japanese diplomatic meeting readouts (概要) into structured records."""


class _Run:
    """Per-invocation bookkeeping: where problems go and whether any occurred."""

    def __init__(self) -> None:
        self.failed = False
        self.warned = False

    def problem(self, path: Path | str, message: str) -> None:
        self.failed = True
        click.echo(f"readout: {path}: {_one_line(message)}", err=True)

    def warning(self, path: Path | str, message: str) -> None:
        self.warned = True
        click.echo(f"readout: {path}: warning: {_one_line(message)}", err=True)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _inputs(paths: tuple[Path, ...], run: _Run) -> Iterator[Path]:
    """The files to parse: files as given, folders expanded (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            found = find_documents(path)
            if not found:
                kinds = ", ".join(f"*{s}" for s in FOLDER_SUFFIXES)
                run.problem(path, f"folder has no files to parse ({kinds})")
            yield from found
        else:
            yield path


def _parse_one(path: Path, max_bytes: int | None, run: _Run) -> Record | None:
    """Parse ``path``, reporting any problem on stderr instead of raising."""
    try:
        record = parse_file(path, max_bytes=max_bytes)
    except ReadoutInputError as err:
        run.problem(err.path, err.problem)
        return None
    except UnicodeError as err:
        run.problem(path, f"cannot decode: {err}")
        return None
    except OSError as err:
        run.problem(path, f"cannot read: {err.strerror or err}")
        return None
    except Exception as err:  # a parser bug must not hide the other files' results
        run.problem(path, f"internal error: {type(err).__name__}: {err} (please report)")
        return None
    for warning in record.warnings:
        run.warning(path, warning)
    return record


def _write_records(records: Iterator[Record], fmt: str, single: bool, out: TextIO) -> None:
    """Write each record as soon as it is parsed; nothing is kept for the end."""
    if fmt == "jsonl":
        for record in records:
            out.write(record.model_dump_json(by_alias=True) + "\n")
            out.flush()
    elif fmt == "md":
        for i, record in enumerate(records):
            out.write((MD_RULE if i else "") + render_markdown(record))
            out.flush()
    elif single:
        for record in records:
            out.write(record.to_json(indent=2) + "\n")
    else:
        # A JSON list, written element by element.
        count = 0
        for record in records:
            out.write(("[\n" if count == 0 else ",\n") + record.to_json(indent=2))
            out.flush()
            count += 1
        out.write("\n]\n" if count else "[]\n")


@main.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "md"]),
    default="json",
    show_default=True,
    help="json: one record, or a list for several files; jsonl: one record per line; "
    "md: a Markdown rendering.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse files larger than this many bytes (default 20 MiB).",
)
@click.option("--strict", is_flag=True, help="Exit with 1 when any record has warnings.")
def parse_command(
    paths: tuple[Path, ...], fmt: str, output: Path | None, max_bytes: int | None, strict: bool
) -> None:
    """Parse readout files — text, HTML or PDF — or folders of them, into records.

    Problems with a file are reported on stderr as `readout: PATH: problem` and the other
    files are still parsed; the exit code is then 1.
    """
    run = _Run()
    # One file argument gives one JSON object; folders or several files give a list, so
    # the shape of the output depends on the arguments, never on which files failed.
    single = len(paths) == 1 and not paths[0].is_dir()
    parsed = (
        record
        for path in _inputs(paths, run)
        if (record := _parse_one(path, max_bytes, run)) is not None
    )
    try:
        if output is None:
            _write_records(parsed, fmt, single, sys.stdout)
        else:
            with output.open("w", encoding="utf-8") as out:
                _write_records(parsed, fmt, single, out)
    except BrokenPipeError:
        # The reader went away (`readout parse … | head`): stop quietly, as `cat` does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as err:
        # Only the output can fail here: input problems are caught file by file.
        run.problem(output or "<stdout>", f"cannot write: {err.strerror or err}")
    if run.failed or (strict and run.warned):
        sys.exit(1)


@main.command("stages")
def stages_command() -> None:
    """List the parser's stages in running order, with the record fields each fills."""
    for i, st in enumerate(pipeline(), start=1):
        fills = ", ".join(st.fills) or "-"
        line = f"{i}. {st.name} v{st.version}  fills: {fills}"
        if st.doc:
            line += f"  ({st.doc})"
        click.echo(line)


@main.group("gold")
def gold_group() -> None:
    """Write and check gold annotations for `readout eval`."""


@gold_group.command("init")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing gold file.")
def gold_init_command(paths: tuple[Path, ...], force: bool) -> None:
    """Start NAME.gold.json beside each NAME.txt from parser output, for a person to correct."""
    import json

    from readout.gold import from_record

    run = _Run()
    for path in _inputs(paths, run):
        target = path.with_name(path.stem + ".gold.json")
        if target.exists() and not force:
            run.problem(target, "exists (use --force to overwrite)")
            continue
        record = _parse_one(path, None, run)
        if record is None:
            continue
        data = from_record(record, path.name)
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        click.echo(f"wrote {target}")
    if run.failed:
        sys.exit(1)


@gold_group.command("fix")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def gold_fix_command(paths: tuple[Path, ...]) -> None:
    """Fill start/end of statements and commitments in gold files from their text."""
    from readout.gold import GoldError, find_gold, fix_offsets, load_gold

    run = _Run()
    files = [g for p in paths for g in (find_gold(p) if p.is_dir() else [p])]
    for path in files:
        try:
            changed = fix_offsets(path)
            load_gold(path)
        except GoldError as err:
            run.problem(err.path, f"{err.field}: {err.problem}" if err.field else err.problem)
            continue
        click.echo(f"{path}: {changed} span(s) set")
    if run.failed:
        sys.exit(1)


@gold_group.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def gold_check_command(paths: tuple[Path, ...]) -> None:
    """Validate gold files: fields, labels and offsets."""
    from readout.gold import GoldError, find_gold, load_gold

    run = _Run()
    files = [g for p in paths for g in (find_gold(p) if p.is_dir() else [p])]
    for path in files:
        try:
            load_gold(path)
        except GoldError as err:
            run.problem(err.path, f"{err.field}: {err.problem}" if err.field else err.problem)
    click.echo(f"{len(files)} gold file(s) checked")
    if run.failed:
        sys.exit(1)


@main.command("eval")
@click.argument("gold_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--split",
    type=click.Choice(["dev", "test"]),
    default=None,
    help="Score one split of the gold corpus (default: every gold file under GOLD_DIR).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
)
@click.option(
    "--errors",
    is_flag=True,
    help="List every disagreement (file, part, text, gold, predicted) instead.",
)
@click.option(
    "--check-floors",
    is_flag=True,
    help="Exit 1 when a headline score is below its floor in gold/floors.toml.",
)
def eval_command(
    gold_dir: Path | None, split: str | None, fmt: str, errors: bool, check_floors: bool
) -> None:
    """Score the parser against gold annotations (default: the repository's gold corpus)."""
    from readout.evaluate import (
        default_gold_dir,
        evaluate,
        render_errors,
        render_json,
        render_md,
        render_table,
    )
    from readout.floors import below_floors
    from readout.gold import GoldError

    folder = gold_dir or default_gold_dir()
    if not folder.is_dir():
        click.echo(f"readout: {folder}: no gold corpus here (pass GOLD_DIR)", err=True)
        sys.exit(1)
    try:
        scores = evaluate(folder, split)
    except GoldError as err:
        click.echo(f"readout: {_one_line(str(err))}", err=True)
        sys.exit(1)
    if scores.files == 0:
        where = folder / split if split else folder
        click.echo(f"readout: {where}: no *.gold.json files", err=True)
        sys.exit(1)
    if errors:
        click.echo(render_errors(scores), nl=False)
    else:
        render = {"table": render_table, "json": render_json, "md": render_md}[fmt]
        click.echo(render(scores, split), nl=False)
    if check_floors:
        failing = below_floors(scores.headline(), split or "test", folder)
        for line in failing:
            click.echo(f"readout: below floor: {line}", err=True)
        if failing:
            sys.exit(1)


def _register_commands() -> None:
    from readout.commands import register

    register(main)


_register_commands()
