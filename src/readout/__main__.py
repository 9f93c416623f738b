"""``python -m readout``: the same command as ``readout``."""

from readout.cli import main

if __name__ == "__main__":
    main(prog_name="readout")
