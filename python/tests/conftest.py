"""Shared paths and helpers: the repository's samples, the dev set beside it, and the
installed ``mtlint`` command (the wheel's, found beside this Python)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
DEVSET = ROOT.parent / "shared" / "devset" / "docs"


def installed_mtlint() -> str:
    """The ``mtlint`` command the wheel installed into this environment."""
    here = Path(sys.executable).parent / ("mtlint.exe" if os.name == "nt" else "mtlint")
    if here.exists():
        return str(here)
    found = shutil.which("mtlint")
    assert found, "the mtlint command is not installed"
    return found


def run(args, cwd=ROOT, input=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [installed_mtlint(), *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
    )


def cli_json(paths, *options, cwd=ROOT) -> dict:
    """``mtlint check --format json`` of ``paths``: each file's entry by its path."""
    p = run(["check", "--format", "json", *options, *map(str, paths)], cwd=cwd)
    assert p.returncode in (0, 1), p.stderr
    return {f["path"]: f for f in json.loads(p.stdout)["files"]}


def read(path: Path) -> str:
    """A file's text exactly as mtlint reads it (line endings and a BOM kept)."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture(scope="session")
def mtlint_cmd() -> str:
    return installed_mtlint()
