"""mtlint: a fast, multilingual translation-quality and text-cleanup linter.

Build a :class:`Linter` once and reuse it: it loads the rules (the shipped packs, a config
file, extra rule files) and compiles each language's engine on first use::

    import mtlint

    linter = mtlint.Linter(lang="en")
    for d in linter.check(text):
        print(d.span.line, d.span.column, d.rule, d.message)
    fixed = linter.fix(text)            # fixed.text, fixed.applied, fixed.remaining
    results = linter.check_many(texts)  # in parallel on all cores

Checking releases the GIL, so threads check texts in parallel too. A Linter pickles by its
settings, so it can be sent to worker processes (see :mod:`mtlint.spark`). For one-off use,
:func:`check` and :func:`fix` take the Linter's options as keywords.
"""

from __future__ import annotations

import functools
import os
from typing import List, Optional, Sequence, Tuple, Union

from ._mtlint import (
    CheckError,
    ConfigError,
    Diagnostic,
    Edit,
    Fix,
    Fixed,
    Label,
    Related,
    Linter,
    Span,
    __version__,
)

__all__ = [
    "CheckError",
    "ConfigError",
    "Diagnostic",
    "Edit",
    "Fix",
    "Fixed",
    "Label",
    "Related",
    "Linter",
    "Span",
    "__version__",
    "check",
    "fix",
]

_State = Tuple[
    Optional[str],
    Tuple[str, ...],
    Optional[str],
    Tuple[str, ...],
    Tuple[str, ...],
    Optional[str],
    Optional[str],
]


@functools.lru_cache(maxsize=32)
def _restore(state: _State) -> Linter:
    """Unpickles a Linter: one per process for the same settings, so tasks sent to a
    worker again and again do not load and compile the rules again."""
    config, rules, lang, select, ignore, source_lang, input_format = state
    return Linter(
        config=config,
        rules=list(rules),
        lang=lang,
        select=list(select),
        ignore=list(ignore),
        source_lang=source_lang,
        input_format=input_format,
    )


def _key(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return tuple(os.fspath(v) if isinstance(v, os.PathLike) else v for v in value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


@functools.lru_cache(maxsize=32)
def _cached(options: Tuple[Tuple[str, object], ...]) -> Linter:
    return Linter(**{k: (list(v) if isinstance(v, tuple) else v) for k, v in options})


def _linter(options: dict) -> Linter:
    return _cached(tuple(sorted((k, _key(v)) for k, v in options.items())))


_Paths = Union[str, "os.PathLike[str]"]


def check(
    text: str,
    *,
    path: Optional[str] = None,
    config: Optional[_Paths] = None,
    rules: Sequence[_Paths] = (),
    lang: Optional[str] = None,
    select: Union[str, Sequence[str], None] = None,
    ignore: Union[str, Sequence[str], None] = None,
    source_lang: Optional[str] = None,
    input_format: Optional[str] = None,
) -> List[Diagnostic]:
    """The findings in ``text`` with a Linter built from the options (built once per set of
    options and kept)."""
    linter = _linter(
        dict(
            config=config,
            rules=rules,
            lang=lang,
            select=select,
            ignore=ignore,
            source_lang=source_lang,
            input_format=input_format,
        )
    )
    return linter.check(text, path=path)


def fix(
    text: str,
    *,
    unsafe: bool = False,
    path: Optional[str] = None,
    config: Optional[_Paths] = None,
    rules: Sequence[_Paths] = (),
    lang: Optional[str] = None,
    select: Union[str, Sequence[str], None] = None,
    ignore: Union[str, Sequence[str], None] = None,
    source_lang: Optional[str] = None,
    input_format: Optional[str] = None,
) -> Fixed:
    """``text`` fixed (safe fixes; unsafe ones too with ``unsafe=True``) with a Linter built
    from the options (built once per set of options and kept)."""
    linter = _linter(
        dict(
            config=config,
            rules=rules,
            lang=lang,
            select=select,
            ignore=ignore,
            source_lang=source_lang,
            input_format=input_format,
        )
    )
    return linter.fix(text, unsafe=unsafe, path=path)
