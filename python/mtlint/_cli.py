"""The ``mtlint`` command the wheel installs: the Rust command line, run in this process."""

from __future__ import annotations

import signal
import sys

from ._mtlint import main as _main


def main() -> None:
    # The command line behaves as the Rust binary does: Ctrl-C ends it at once.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(_main(["mtlint", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
