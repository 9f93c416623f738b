"""The machine a benchmark ran on, printed with its figures (shared by the bench scripts)."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
from pathlib import Path
from typing import Any

import readout


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        m = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text(encoding="utf-8"))
        memory = f"{int(m.group(1)) / 1024 / 1024:.0f} GiB" if m else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "readout": readout.__version__,
    }
