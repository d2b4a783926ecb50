"""Check (and fix) a corpus of machine-translated documents on Apache Spark with mtlint.

Reads JSON Lines or Parquet with an ``id`` and a ``text`` column, writes the findings (and,
with ``--fix``, the fixed texts) as Parquet, and prints how many findings each rule made::

    python spark_corpus.py corpus.jsonl out/ --lang en --fix
    spark-submit --master yarn spark_corpus.py s3://bucket/corpus.parquet s3://bucket/out/

Outputs: ``OUT/findings`` (id, findings: an array of structs with the JSON output's fields;
with ``--fix``, those left after fixing) and, with ``--fix``, ``OUT/fixed`` (id, fixed_text,
applied: fixes per rule id).
"""

from __future__ import annotations

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from mtlint.spark import lint_dataframe


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input", help="JSON Lines (.jsonl, .json) or Parquet with id and text")
    p.add_argument("output", help="directory for the Parquet outputs")
    p.add_argument("--id-col", default="id")
    p.add_argument("--text-col", default="text")
    p.add_argument("--lang", help="target language of the texts (default: detected)")
    p.add_argument("--source-lang", help="source language they were translated from")
    p.add_argument("--config", help="an mtlint.toml, readable on every executor")
    p.add_argument("--rules", action="append", default=[], help="extra rule file (repeatable)")
    p.add_argument("--select", help="only these rules or packs (comma-separated)")
    p.add_argument("--ignore", help="skip these rules or packs (comma-separated)")
    p.add_argument("--fix", action="store_true", help="also write the texts with safe fixes applied")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix: apply unsafe fixes too")
    p.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[2])")
    args = p.parse_args(argv)

    builder = SparkSession.builder.appName("mtlint corpus")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        if args.input.endswith((".jsonl", ".json", ".jsonl.gz", ".json.gz")):
            df = spark.read.json(args.input)
        else:
            df = spark.read.parquet(args.input)
        result = lint_dataframe(
            df,
            text_col=args.text_col,
            id_col=args.id_col,
            fix=args.fix,
            unsafe=args.unsafe_fixes,
            config=args.config,
            rules=args.rules,
            lang=args.lang,
            source_lang=args.source_lang,
            select=args.select,
            ignore=args.ignore,
        ).cache()
        result.select(args.id_col, "findings").write.mode("overwrite").parquet(f"{args.output}/findings")
        if args.fix:
            result.select(args.id_col, "fixed_text", "applied").write.mode("overwrite").parquet(f"{args.output}/fixed")
        documents = result.count()
        flagged = result.where(F.size("findings") > 0).count()
        left = "left after fixing" if args.fix else "with findings"
        print(f"{documents} documents, {flagged} {left}")
        if args.fix:
            fixed = (
                result.select(F.explode("applied").alias("rule", "n"))
                .groupBy("rule")
                .agg(F.sum("n").alias("count"))
                .orderBy(F.desc("count"), "rule")
                .collect()
            )
            print("fixed, per rule:")
            for row in fixed:
                print(f"{row['count']:>8}  {row['rule']}")
            print(f"{sum(r['count'] for r in fixed):>8}  fixes in all")
            print("left, per rule:")
        summary = (
            result.select(F.explode("findings").alias("f"))
            .groupBy(F.col("f.rule").alias("rule"), F.col("f.severity").alias("severity"))
            .count()
            .orderBy(F.desc("count"), "rule")
            .collect()
        )
        for row in summary:
            print(f"{row['count']:>8}  {row['severity']:<8} {row['rule']}")
        print(f"{sum(r['count'] for r in summary):>8}  findings in all")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
