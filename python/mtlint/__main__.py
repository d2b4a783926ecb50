"""``python -m mtlint``: the same as the ``mtlint`` command."""

from ._cli import main

main()
