"""mtlint on Apache Spark (local mode, two cores): a generated corpus of 10,000 documents
gets, per document, the findings and fixed texts the command line gives the same texts; the
example script runs end to end."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark")

import mtlint  # noqa: E402
from mtlint.spark import findings_schema, lint_dataframe  # noqa: E402

from conftest import ROOT, run  # noqa: E402

DOCUMENTS = 10_000

# Sentences written for this test, some with the defects the shipped packs find (doubled
# spaces, a space before punctuation, doubled quotes, Chinese list numbering, full-width
# punctuation), some clean.
SENTENCES = [
    "The lighting fair opened on Monday and drew buyers from forty countries.",
    "Prices rose  sharply in the second quarter .",
    "The cooperative sells green tea to shops in three provinces.",
    'The mayor said ""we will keep building"" at the opening.',
    "1, The exhibition hall covers twelve thousand square metres.",
    "Visitors can reach the venue by train，bus or ferry.",
    "Most exhibitors came back the following year.",
    "The factory employs about two hundred workers , most of them local.",
    "Orders for ceramic cups doubled after the fair.",
    "Le salon a ouvert ses portes lundi  matin .",
    "Die Messe zieht jedes Jahr viele Besucher an.",
    "The town is known for its eyewear and its annual trade show.",
]


def corpus(n: int, seed: int = 18):
    rnd = random.Random(seed)
    docs = []
    for i in range(n):
        paragraphs = []
        for _ in range(rnd.randint(1, 4)):
            paragraphs.append(" ".join(rnd.choice(SENTENCES) for _ in range(rnd.randint(1, 5))))
        docs.append({"id": f"doc-{i:05d}", "text": "\n\n".join(paragraphs) + "\n"})
    return docs


def comparable(finding: dict) -> dict:
    """A Spark finding in the JSON output's shape (no character offsets, labels only when
    there are some)."""
    f = dict(finding)
    f["span"] = {k: v for k, v in f["span"].items() if not k.startswith("char_")}
    if f["fix"] is not None:
        f["fix"] = {
            "applicability": f["fix"]["applicability"],
            "edits": [{k: v for k, v in e.items() if not k.startswith("char_")} for e in f["fix"]["edits"]],
        }
    if f["labels"]:
        f["labels"] = [{k: v for k, v in label.items() if not k.startswith("char_")} for label in f["labels"]]
    else:
        del f["labels"]
    return f


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("mtlint-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def documents():
    return corpus(DOCUMENTS)


def cli_records(docs, *args):
    lines = "".join(json.dumps(d) + "\n" for d in docs)
    p = run([*args, "--records", "--lang", "en"], input=lines)
    assert p.returncode in (0, 1), p.stderr
    return {r["id"]: r for r in map(json.loads, p.stdout.splitlines())}


def test_findings_per_document_equal_the_cli(spark, documents):
    df = spark.createDataFrame(documents).repartition(4)
    rows = lint_dataframe(df, lang="en").collect()
    assert len(rows) == DOCUMENTS
    expected = cli_records(documents, "check")
    found = 0
    for row in rows:
        got = [comparable(f.asDict(recursive=True)) for f in row["findings"]]
        assert got == expected[row["id"]]["diagnostics"], row["id"]
        found += len(got)
    assert found > DOCUMENTS, "the corpus holds defects"
    assert sum(1 for r in rows if not r["findings"]) > 0, "and some clean documents"


def test_fixed_texts_equal_the_cli(spark, documents):
    docs = documents[:2000] + [{"id": "empty", "text": None}]
    df = spark.createDataFrame(docs, "id string, text string")
    rows = {r["id"]: r for r in lint_dataframe(df, fix=True, lang="en").collect()}
    assert rows["empty"]["findings"] is None and rows["empty"]["fixed_text"] is None
    assert rows["empty"]["applied"] is None
    expected = cli_records(documents[:2000], "fix")
    changed = 0
    for doc in documents[:2000]:
        row = rows[doc["id"]]
        assert row["fixed_text"] == expected[doc["id"]]["fixed_text"]
        assert [comparable(f.asDict(recursive=True)) for f in row["findings"]] == expected[doc["id"]]["diagnostics"]
        changed += row["fixed_text"] != doc["text"]
        assert (row["fixed_text"] != doc["text"]) == bool(row["applied"])
    assert changed > 1000


def test_a_bad_configuration_fails_on_the_driver(spark):
    df = spark.createDataFrame([{"id": 1, "text": "x"}])
    with pytest.raises(mtlint.ConfigError):
        lint_dataframe(df, select="no-such-pack")


def test_schema_has_the_json_fields():
    names = [f.name for f in findings_schema().elementType.fields]
    assert names == ["rule", "severity", "category", "message", "span", "fix", "labels"]


def test_the_example_script_runs_end_to_end(tmp_path, documents):
    source = tmp_path / "corpus.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in documents[:500]), encoding="utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    p = subprocess.run(
        [
            sys.executable,
            str(ROOT / "python" / "examples" / "spark_corpus.py"),
            str(source),
            str(out),
            "--lang",
            "en",
            "--fix",
            "--master",
            "local[2]",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    assert "500 documents" in p.stdout
    assert "en/double-space" in p.stdout and "fixes in all" in p.stdout and "findings in all" in p.stdout
    import pyarrow.parquet as pq

    findings = pq.read_table(out / "findings").to_pylist()
    fixed = pq.read_table(out / "fixed").to_pylist()
    assert len(findings) == len(fixed) == 500
    by_id = {r["id"]: r["fixed_text"] for r in fixed}
    expected = cli_records(documents[:500], "fix")
    assert all(by_id[i] == r["fixed_text"] for i, r in expected.items())
