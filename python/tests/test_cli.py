"""The ``mtlint`` command the wheel installs is the command line: same output, same exit
codes, with no Rust toolchain on PATH."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, installed_mtlint, run


@pytest.fixture(scope="module")
def no_rust_env():
    """PATH holding this environment's scripts and the system's, but no cargo or rustc."""
    dirs = [str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]
    dirs = [d for d in dirs if not (shutil.which("cargo", path=d) or shutil.which("rustc", path=d))]
    path = os.pathsep.join(dirs)
    assert shutil.which("cargo", path=path) is None and shutil.which("rustc", path=path) is None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARGO", "RUSTUP"))}
    env.update(PATH=path, NO_COLOR="1")
    return env


def test_exit_codes_without_rust(no_rust_env):
    assert run(["check", "samples/"], env=no_rust_env).returncode == 1
    assert run(["check", "samples/clean"], env=no_rust_env).returncode == 0
    missing = run(["check", "no/such/file.txt"], env=no_rust_env)
    assert missing.returncode == 2 and "no/such/file.txt" in missing.stdout + missing.stderr
    assert run(["check", "--no-such-option"], env=no_rust_env).returncode == 2
    version = run(["--version"], env=no_rust_env)
    assert version.returncode == 0 and version.stdout.startswith("mtlint ")
    fixed = run(["fix", "--stdin", "--lang", "en"], input="Prices rose  sharply in 2023 .\n", env=no_rust_env)
    assert fixed.stdout == "Prices rose sharply in 2023.\n"
    rules = run(["rules", "--json"], env=no_rust_env)
    assert rules.returncode == 0 and len(json.loads(rules.stdout)) > 50


def test_python_m_mtlint_and_import_without_rust(no_rust_env):
    p = subprocess.run(
        [sys.executable, "-m", "mtlint", "check", "--format", "concise", "samples/en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=no_rust_env,
    )
    assert p.returncode == 1 and "zh-en/" in p.stdout
    p = subprocess.run(
        [sys.executable, "-c", "import mtlint; print(mtlint.check('a  b', lang='en')[0].rule)"],
        capture_output=True,
        text=True,
        env=no_rust_env,
    )
    assert p.stdout.strip() == "en/double-space", p.stderr


@pytest.mark.skipif(not os.environ.get("MTLINT_BIN"), reason="MTLINT_BIN (the Rust binary) not given")
@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "json", "samples/"],
        ["check", "--format", "concise", "samples/"],
        ["check", "--format", "human", "--color", "never", "samples/en"],
        ["fix", "--diff", "--color", "never", "samples/"],
        ["check", "--format", "sarif", "samples/bilingual"],
        ["check", "samples/clean"],
        ["check", "no/such/file.txt"],
    ],
)
def test_same_output_as_the_rust_binary(args):
    ours = run(args)
    theirs = subprocess.run([os.environ["MTLINT_BIN"], *args], cwd=ROOT, capture_output=True, text=True)
    assert (ours.returncode, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)
