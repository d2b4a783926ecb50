"""Type stubs of the compiled extension (re-exported by ``mtlint``)."""

import os
from typing import Dict, List, Literal, Optional, Sequence, Union

_Path = Union[str, "os.PathLike[str]"]
_Selectors = Union[str, Sequence[str], None]

__version__: str

class ConfigError(ValueError):
    """A config file, rule file or option is invalid; the message is the command line's."""

class CheckError(ValueError):
    """A text cannot be checked (a bilingual file that does not parse, say)."""

class Span:
    """Where a finding is. ``start``/``end``: UTF-8 byte offsets (as in the JSON output);
    ``char_start``/``char_end``: the same place as indices into the Python string;
    lines and columns are 1-based, columns count characters."""

    start: int
    end: int
    char_start: int
    char_end: int
    line: int
    column: int
    end_line: int
    end_column: int
    def to_dict(self) -> Dict[str, int]: ...

class Edit:
    """``text[char_start:char_end]`` becomes ``replacement``."""

    start: int
    end: int
    char_start: int
    char_end: int
    replacement: str
    def to_dict(self) -> Dict[str, object]: ...

class Fix:
    """Edits applied together or not at all."""

    applicability: Literal["safe", "unsafe", "display-only"]
    edits: List[Edit]
    def to_dict(self) -> Dict[str, object]: ...

class Label:
    """A secondary place a finding points at."""

    start: int
    end: int
    char_start: int
    char_end: int
    message: str

class Related:
    """Another rule's finding of the same defect at the same place."""

    rule: str
    severity: Literal["error", "warning", "info"]
    message: str

class Diagnostic:
    """One finding, with the fields of the JSON output."""

    rule: str
    severity: Literal["error", "warning", "info"]
    category: str
    message: str
    span: Span
    fix: Optional[Fix]
    labels: List[Label]
    related: List[Related]
    def to_dict(self) -> Dict[str, object]:
        """The finding exactly as ``mtlint check --format json`` writes it."""

class Fixed:
    """The fixed ``text``, the fixes ``applied`` per rule id, and the findings ``remaining``
    in the fixed text."""

    text: str
    applied: Dict[str, int]
    remaining: List[Diagnostic]

class Linter:
    """Rules loaded and compiled once, reused for every text; safe to share between threads.

    ``config``: an ``mtlint.toml`` (none: no config file, the shipped packs); ``rules``: extra
    rule files; ``lang``/``source_lang``: target and source language (detected per text when
    not given); ``select``/``ignore``: rule ids or pack names (a comma-separated string or a
    list); ``input_format``: text, markdown, xliff, po, tmx or tsv (detected from ``path`` or
    the content when not given). Raises :class:`ConfigError` for a bad configuration.
    """

    def __init__(
        self,
        config: Optional[_Path] = None,
        rules: Sequence[_Path] = (),
        lang: Optional[str] = None,
        select: _Selectors = None,
        ignore: _Selectors = None,
        source_lang: Optional[str] = None,
        input_format: Optional[str] = None,
    ) -> None: ...
    def check(self, text: str, path: Optional[str] = None) -> List[Diagnostic]:
        """The findings in ``text``, sorted by position. ``path`` (not read) names the file
        the text is: its extension decides the format, and ``per_file_ignores`` apply."""
    def fix(self, text: str, unsafe: bool = False, path: Optional[str] = None) -> Fixed:
        """Applies the safe fixes (and the unsafe ones with ``unsafe=True``) until nothing
        more applies, as ``mtlint fix`` does."""
    def check_many(
        self, texts: Sequence[str], paths: Optional[Sequence[Optional[str]]] = None
    ) -> List[List[Diagnostic]]:
        """``check`` of every text, in parallel on all cores, in the texts' order."""
    def fix_many(
        self,
        texts: Sequence[str],
        unsafe: bool = False,
        paths: Optional[Sequence[Optional[str]]] = None,
    ) -> List[Fixed]:
        """``fix`` of every text, in parallel on all cores, in the texts' order."""
    def rule_ids(self, lang: str) -> List[str]:
        """The ids of the rules this linter runs on texts in ``lang``."""
    @property
    def config(self) -> Optional[os.PathLike[str]]: ...
    @property
    def rules(self) -> List[os.PathLike[str]]: ...
    @property
    def lang(self) -> Optional[str]: ...
    @property
    def source_lang(self) -> Optional[str]: ...
    @property
    def select(self) -> List[str]: ...
    @property
    def ignore(self) -> List[str]: ...
    @property
    def input_format(self) -> Optional[str]: ...

def main(argv: Sequence[str]) -> int:
    """Runs the command line (``argv[0]`` is the program's name) in this process and
    returns its exit status."""
