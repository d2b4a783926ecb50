"""Corpus runs on Apache Spark: :func:`lint_dataframe` checks (and fixes) a text column.

One :class:`mtlint.Linter` is built on the driver (so a bad configuration fails there, with
:class:`mtlint.ConfigError`), pickled by its settings into the tasks, and built once per
executor process; each Arrow batch of a partition is checked with ``Linter.check_many`` (on
all the cores the task may use, with the GIL released) through ``mapInPandas``.

Config and rule files must be readable at the same path on every executor (a shared file
system, or files shipped with ``--files`` at a fixed path).
"""

from __future__ import annotations

from typing import Any, Iterator, List, Optional

from . import Diagnostic, Linter

__all__ = ["findings_schema", "lint_dataframe"]


def _types():
    from pyspark.sql import types as T

    return T


def findings_schema():
    """The Spark type of the ``findings`` column: an array of structs with the JSON output's
    fields (``rule``, ``severity``, ``category``, ``message``, ``span``, ``fix``, ``labels``);
    spans and edits carry ``char_start``/``char_end`` (string indices) beside the byte
    offsets."""
    T = _types()
    offsets = [
        T.StructField("start", T.LongType(), False),
        T.StructField("end", T.LongType(), False),
        T.StructField("char_start", T.LongType(), False),
        T.StructField("char_end", T.LongType(), False),
    ]
    span = T.StructType(
        offsets
        + [
            T.StructField("line", T.LongType(), False),
            T.StructField("column", T.LongType(), False),
            T.StructField("end_line", T.LongType(), False),
            T.StructField("end_column", T.LongType(), False),
        ]
    )
    edit = T.StructType(offsets + [T.StructField("replacement", T.StringType(), False)])
    fix = T.StructType(
        [
            T.StructField("applicability", T.StringType(), False),
            T.StructField("edits", T.ArrayType(edit, False), False),
        ]
    )
    label = T.StructType(offsets + [T.StructField("message", T.StringType(), False)])
    finding = T.StructType(
        [
            T.StructField("rule", T.StringType(), False),
            T.StructField("severity", T.StringType(), False),
            T.StructField("category", T.StringType(), False),
            T.StructField("message", T.StringType(), False),
            T.StructField("span", span, False),
            T.StructField("fix", fix, True),
            T.StructField("labels", T.ArrayType(label, False), False),
        ]
    )
    return T.ArrayType(finding, False)


def _offsets(x: Any) -> dict:
    return {"start": x.start, "end": x.end, "char_start": x.char_start, "char_end": x.char_end}


def finding_row(d: Diagnostic) -> dict:
    """A finding as a row of :func:`findings_schema`'s struct."""
    s = d.span
    span = _offsets(s)
    span.update(line=s.line, column=s.column, end_line=s.end_line, end_column=s.end_column)
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability,
            "edits": [dict(_offsets(e), replacement=e.replacement) for e in d.fix.edits],
        }
    return {
        "rule": d.rule,
        "severity": d.severity,
        "category": d.category,
        "message": d.message,
        "span": span,
        "fix": fix,
        "labels": [dict(_offsets(label), message=label.message) for label in d.labels],
    }


def lint_dataframe(
    df,
    text_col: str = "text",
    id_col: str = "id",
    fix: bool = False,
    unsafe: bool = False,
    path_col: Optional[str] = None,
    **linter_options: Any,
):
    """Checks the texts of ``df[text_col]``; returns a DataFrame of ``id_col``, ``findings``
    (see :func:`findings_schema`) and, with ``fix=True``, ``fixed_text`` (the text after the
    safe fixes, and the unsafe ones too with ``unsafe=True``; ``findings`` are then those
    left in it) and ``applied`` (fixes applied, per rule id). A null text gives nulls.

    ``path_col`` names a column of file paths (not read): their extensions decide each text's
    format and ``per_file_ignores`` apply. ``linter_options`` are :class:`mtlint.Linter`'s
    (``config``, ``rules``, ``lang``, ``select``, ``ignore``, ``source_lang``,
    ``input_format``).
    """
    T = _types()
    linter = Linter(**linter_options)
    fields = [df.schema[id_col], T.StructField("findings", findings_schema(), True)]
    if fix:
        fields.append(T.StructField("fixed_text", T.StringType(), True))
        fields.append(T.StructField("applied", T.MapType(T.StringType(), T.LongType(), False), True))
    schema = T.StructType(fields)
    columns = [id_col, text_col] + ([path_col] if path_col else [])

    def batches(frames: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        for frame in frames:
            # A null text arrives as None or, in a column pandas made numeric, NaN.
            texts: List[Any] = frame[text_col].tolist()
            present = [i for i, t in enumerate(texts) if isinstance(t, str)]
            given = [texts[i] for i in present]
            paths = None
            if path_col:
                all_paths = frame[path_col].tolist()
                paths = [all_paths[i] for i in present]
            findings: List[Optional[list]] = [None] * len(texts)
            out = {id_col: frame[id_col], "findings": findings}
            if fix:
                fixed_texts: List[Optional[str]] = [None] * len(texts)
                applied: List[Optional[dict]] = [None] * len(texts)
                for i, r in zip(present, linter.fix_many(given, unsafe=unsafe, paths=paths)):
                    findings[i] = [finding_row(d) for d in r.remaining]
                    fixed_texts[i] = r.text
                    applied[i] = r.applied
                out["fixed_text"] = fixed_texts
                out["applied"] = applied
            else:
                for i, diags in zip(present, linter.check_many(given, paths=paths)):
                    findings[i] = [finding_row(d) for d in diags]
            yield pd.DataFrame(out)

    return df.select(*columns).mapInPandas(batches, schema)
