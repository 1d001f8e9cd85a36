"""A corpus in a folder nothing may be written to (a shared drive, a read-only mount): every command
that reads works, the search index is kept in the user's cache, and one that writes fails in one line
without touching the corpus."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess

import pytest
from click.testing import CliRunner

from hand_corpus import build_paragraphs
from rightsindex.cli import main
from rightsindex.corpus import store as store_module
from rightsindex.corpus.store import Store
from rightsindex.errors import CorpusError
from rightsindex.search import index as index_module
from rightsindex.search import search, search_paragraphs, sync_index


def _snapshot(folder):
    """Size and time of every file; SQLite's own -wal and -shm files are left out: in this writable
    stand-in for a read-only folder, SQLite's read-only mode still makes them (it cannot on a real
    read-only share, tested on a mount below)."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


@pytest.fixture()
def read_only(tmp_path, monkeypatch):
    """A corpus whose folder rightsindex may not write to, as on a read-only share: SQLite cannot
    open it for writing, and os.access says the folder is not writable."""
    corpus = build_paragraphs(tmp_path / "shared-corpus")
    sync_index(corpus)  # the indexes travel with it, as a copied corpus folder has them
    cache = tmp_path / "cache"
    monkeypatch.setenv("RIGHTSINDEX_CACHE", str(cache))

    def refuse(path):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(store_module, "_connect", refuse)
    monkeypatch.setattr(index_module, "_writable", lambda folder: folder.resolve() != corpus.resolve())
    return corpus, cache


def test_a_read_only_corpus_is_searched_exported_and_summarised(read_only):
    corpus, cache = read_only
    before = _snapshot(corpus)
    with Store.open(corpus, create=False) as store:
        assert store.read_only and store.count_recommendations() == 9
    assert search(corpus, "housing").total == 2
    assert search_paragraphs(corpus, "water").total == 2
    # the indexes are read from a copy in the cache, named after the corpus folder
    homes = list((cache / "indexes").iterdir())
    assert len(homes) == 1 and homes[0].name.startswith("shared-corpus-")
    assert (homes[0] / "corpus.txt").read_text().strip() == str(corpus.resolve())
    for args in (("search", "right:housing", "--format", "json"), ("status",), ("documents",),
                 ("trends", "--by", "year"), ("dossier", "Kenya"), ("explain", "1")):
        result = run(*args, "--corpus", corpus)
        assert result.exit_code == 0, (args, result.output)
    found = run("search", "right:housing", "--format", "json", "--corpus", corpus)
    assert json.loads(found.stdout)["total"] == 2
    out = corpus.parent / "out.csv"
    assert run("export", "-o", out, "--corpus", corpus).exit_code == 0 and out.read_text().count("\n") > 8
    index = run("index", "--corpus", corpus)
    assert str(cache) in index.output
    assert _snapshot(corpus) == before  # nothing written in the corpus folder


def test_writing_to_a_read_only_corpus_fails_in_one_line(read_only, tmp_path):
    corpus, _ = read_only
    before = _snapshot(corpus)
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4\n")
    assert run("export", "-o", tmp_path / "x.csv", "--corpus", corpus).exit_code == 0  # an export to import
    for args in (("tag", "--all"), ("ingest", tmp_path / "x.pdf"), ("import", tmp_path / "x.csv")):
        result = run(*args, "--corpus", corpus)
        assert result.exit_code != 0, args
        last = result.output.strip().splitlines()[-1]
        assert last.startswith("Error: ") and "read-only" in last and "copy the folder" in last, (args, last)
    with Store.open(corpus, create=False) as store, pytest.raises(CorpusError, match="read-only"):
        store.set_meta("x", "y")
    assert _snapshot(corpus) == before


def test_a_cache_that_cannot_be_written_either_says_to_set_rightsindex_cache(read_only, monkeypatch):
    corpus, cache = read_only

    def refused(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(index_module, "_full_build", refused)
    result = run("index", "--rebuild", "--corpus", corpus)
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert f"the search index of the read-only corpus {corpus} is kept here" in last
    assert "(Read-only file system); set RIGHTSINDEX_CACHE to a writable folder" in last


def test_an_older_store_in_a_read_only_folder_says_to_open_it_where_writable(read_only):
    corpus, _ = read_only
    conn = sqlite3.connect(corpus / "corpus.sqlite")  # an older rightsindex's store (sqlite itself may write)
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(CorpusError, match="older rightsindex, and its folder is read-only"):
        Store(corpus, create=False)


@pytest.fixture()
def mounted(tmp_path, monkeypatch):
    """A real read-only bind mount of a corpus (needs root and mount; skipped elsewhere)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a read-only mount needs root and mount(8)")
    corpus = build_paragraphs(tmp_path / "corpus")
    sync_index(corpus)
    target = tmp_path / "mounted"
    target.mkdir()
    ok = subprocess.run(["mount", "--bind", str(corpus), str(target)], capture_output=True).returncode == 0
    if not ok:
        pytest.skip("mount --bind is not allowed here")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], capture_output=True).returncode:
            pytest.skip("remount read-only is not allowed here")
        monkeypatch.setenv("RIGHTSINDEX_CACHE", str(tmp_path / "cache"))
        yield target
    finally:  # lazily: this process may still hold the store open (a search keeps it)
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def test_a_real_read_only_mount(mounted):
    assert search(mounted, "housing").total == 2
    result = run("search", "housing", "--corpus", mounted)
    assert result.exit_code == 0 and "2 recommendations match" in result.output
    failed = run("tag", "--all", "--corpus", mounted)
    assert failed.exit_code != 0 and "read-only" in failed.output


def test_remove_from_a_read_only_corpus_lists_with_dry_run_and_refuses_before_listing(read_only):
    corpus, _ = read_only
    before = _snapshot(corpus)
    listed = run("remove", "--country", "KEN", "--dry-run", "--corpus", corpus)
    assert listed.exit_code == 0 and "Would remove 2 document(s)" in listed.output
    refused = run("remove", "--country", "KEN", "--yes", "--corpus", corpus)
    assert refused.exit_code == 1 and "Removing" not in refused.output
    assert refused.output.startswith("Error: ") and "read-only" in refused.output
    assert _snapshot(corpus) == before
