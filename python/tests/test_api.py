"""The Python API gives what the command line gives: the same findings as
``mtlint check --format json``, the same fixed text as ``mtlint fix``; and it behaves as a
pipeline needs (parallel, thread-safe, picklable, clear errors)."""

from __future__ import annotations

import pickle
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import mtlint
from conftest import DEVSET, ROOT, SAMPLES, cli_json, read, run


def sample_files():
    return sorted(p.relative_to(ROOT) for p in SAMPLES.rglob("*") if p.is_file())


def devset_files():
    if not DEVSET.is_dir():
        pytest.skip("the dev set is not beside the repository")
    return sorted(DEVSET.glob("*.txt"))


def assert_same_as_cli(linter: mtlint.Linter, files, cwd=ROOT):
    expected = cli_json(files, cwd=cwd)
    total = 0
    for path in files:
        entry = expected[str(path)]
        got = linter.check(read(cwd / path), path=str(path))
        assert [d.to_dict() for d in got] == entry["diagnostics"], path
        total += len(got)
    return total


def test_check_equals_the_cli_on_the_samples():
    files = sample_files()
    assert len(files) >= 10
    total = assert_same_as_cli(mtlint.Linter(), files)
    assert total > 20, "the samples hold defects on purpose"


def test_check_equals_the_cli_on_the_dev_set():
    files = devset_files()
    total = assert_same_as_cli(mtlint.Linter(), files, cwd=Path("/"))
    assert total > 0


def test_options_mean_what_the_cli_options_mean():
    files = [p for p in sample_files() if p.parts[1] == "en"]
    linter = mtlint.Linter(lang="en", select="en,zh-en", ignore=["en/double-space"])
    expected = cli_json(files, "--lang", "en", "--select", "en,zh-en", "--ignore", "en/double-space")
    for path in files:
        got = [d.to_dict() for d in linter.check(read(ROOT / path), path=str(path))]
        assert got == expected[str(path)]["diagnostics"]
        assert all(d["rule"] != "en/double-space" for d in got)


@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_equals_the_cli_fix(tmp_path, unsafe):
    copy = tmp_path / "samples"
    shutil.copytree(SAMPLES, copy)
    originals = {p: read(p) for p in copy.rglob("*") if p.is_file()}
    p = run(["fix", "--quiet", *(["--unsafe-fixes"] if unsafe else []), str(copy)])
    assert p.returncode in (0, 1), p.stderr
    linter = mtlint.Linter()
    changed = 0
    for path, text in originals.items():
        fixed = linter.fix(text, unsafe=unsafe, path=str(path))
        assert fixed.text == read(path), path
        assert (fixed.text != text) == bool(fixed.applied), path
        changed += fixed.text != text
        # What is left is what checking the fixed text finds.
        assert fixed.remaining == linter.check(fixed.text, path=str(path))
    assert changed >= 5


def test_check_many_equals_check_in_order():
    linter = mtlint.Linter()
    files = sample_files()
    texts = [read(ROOT / p) for p in files] * 3
    paths = [str(p) for p in files] * 3
    many = linter.check_many(texts, paths=paths)
    assert many == [linter.check(t, path=p) for t, p in zip(texts, paths)]
    fixed = linter.fix_many(texts, paths=paths)
    assert [f.text for f in fixed] == [linter.fix(t, path=p).text for t, p in zip(texts, paths)]
    with pytest.raises(ValueError, match="paths for"):
        linter.check_many(texts, paths=paths[:2])


def test_offsets_index_the_python_string_and_the_utf8_bytes():
    text = "\ufeff“Café” sells tea 🍵  every day .\n第二行 has  two spaces.\n"
    diags = mtlint.Linter(lang="en").check(text)
    assert diags
    raw = text.encode("utf-8")
    for d in diags:
        s = d.span
        assert text[s.char_start : s.char_end] == raw[s.start : s.end].decode("utf-8")
        line_start = text.rfind("\n", 0, s.char_start) + 1
        # Columns count characters from the line's start (after a BOM).
        assert s.column == s.char_start - line_start + 1 - (1 if line_start == 0 else 0)
        for e in d.fix.edits if d.fix else []:
            assert text[e.char_start : e.char_end] == raw[e.start : e.end].decode("utf-8")


def test_pickled_linters_give_the_same_results(tmp_path):
    rules = tmp_path / "house.toml"
    rules.write_text(
        """
[pack]
name = "house"
target = "en"

[[rule]]
id = "widget"
kind = "term"
variants = ["wodget"]
replace = "widget"
fix = "safe"
examples = [{ bad = "A wodget broke.", good = "A widget broke." }]
""",
        encoding="utf-8",
    )
    linter = mtlint.Linter(rules=[rules], lang="en", ignore="en/double-space")
    text = "The wodget  costs less .\n"
    copy = pickle.loads(pickle.dumps(linter))
    assert copy.check(text) == linter.check(text)
    # The shipped rules stay on beside the user's (the spelling check may also flag "wodget").
    assert {"house/widget", "en/space-before-punctuation"} <= {d.rule for d in copy.check(text)}
    assert copy.fix(text).text == "The widget  costs less.\n"
    assert copy.rules == [rules] and copy.ignore == ["en/double-space"] and copy.lang == "en"
    # Unpickling again in the same process reuses the linter built for these settings.
    assert pickle.loads(pickle.dumps(linter)) is copy


def test_threads_share_one_linter():
    linter = mtlint.Linter()
    files = sample_files()
    texts = [read(ROOT / p) for p in files]
    expected = [linter.check(t, path=str(p)) for t, p in zip(texts, files)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda i: linter.check(texts[i % len(texts)], path=str(files[i % len(files)])), range(200)))
    assert got == [expected[i % len(texts)] for i in range(200)]


def test_checking_releases_the_gil():
    linter = mtlint.Linter(lang="en")
    linter.check("warm up the engine\n")
    texts = ["The hall opened at nine  and closed at five .\n" * 400] * 200
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0)

    counter = threading.Thread(target=count)
    counter.start()
    start = time.perf_counter()
    linter.check_many(texts)
    elapsed = time.perf_counter() - start
    ticks_during = ticks
    done.set()
    counter.join()
    assert elapsed > 0.05, "the work must take long enough to tell"
    # With the GIL held for the whole call, the other thread would not run at all.
    assert ticks_during > 100, (ticks_during, elapsed)


def test_bad_config_raises_the_cli_message(tmp_path):
    config = tmp_path / "mtlint.toml"
    config.write_text('lang = "en"\nfail_onn = "error"\n', encoding="utf-8")
    with pytest.raises(mtlint.ConfigError) as err:
        mtlint.Linter(config=config)
    p = run(["check", "--config", str(config), str(SAMPLES / "clean")])
    assert p.returncode == 2
    assert p.stderr.strip() == f"error: {err.value}"
    assert "fail_onn" in str(err.value)

    with pytest.raises(mtlint.ConfigError, match="unknown rule or pack `nope`"):
        mtlint.Linter(select=["nope"])
    with pytest.raises(mtlint.ConfigError, match="no/such/rules.toml"):
        mtlint.Linter(rules=["no/such/rules.toml"])
    with pytest.raises(mtlint.ConfigError, match="unknown input format"):
        mtlint.Linter(input_format="docx")
    assert issubclass(mtlint.ConfigError, ValueError)


def test_a_text_that_cannot_be_read_raises_check_error():
    broken = '<?xml version="1.0"?>\n<xliff version="1.2"><file><body><trans-unit id="1"><source>a'
    with pytest.raises(mtlint.CheckError):
        mtlint.Linter().check(broken, path="broken.xlf")
    with pytest.raises(mtlint.CheckError, match="text 1"):
        mtlint.Linter().check_many(["fine text\n", broken], paths=[None, "broken.xlf"])


def test_module_level_check_and_fix():
    text = "Prices rose  sharply in 2023 .\n"
    assert [d.rule for d in mtlint.check(text, lang="en")] == ["en/double-space", "en/space-before-punctuation"]
    assert mtlint.fix(text, lang="en").text == "Prices rose sharply in 2023.\n"
    assert mtlint.check(text, lang="en", select="en/double-space")[0].rule == "en/double-space"
    assert mtlint.check("Nothing to see in this sentence.\n", lang="en") == []


def test_results_have_types_and_docs():
    d = mtlint.check("Prices rose  sharply.\n", lang="en")[0]
    assert isinstance(d, mtlint.Diagnostic) and isinstance(d.span, mtlint.Span)
    assert isinstance(d.fix, mtlint.Fix) and isinstance(d.fix.edits[0], mtlint.Edit)
    assert d.severity in ("error", "warning", "info") and d.fix.applicability == "safe"
    assert "en/double-space" in repr(d)
    assert mtlint.Linter.__doc__ and mtlint.Linter.check.__doc__
    package = Path(mtlint.__file__).parent
    assert (package / "py.typed").exists() and (package / "_mtlint.pyi").exists()
