"""The file cache that holds sessions, data versions and shared pages without Redis
(styrkort.filecache): a write does not read the whole directory, yet the cache is still
kept near its size."""

import os

import pytest

from styrkort.filecache import FileCache


@pytest.fixture
def make(tmp_path):
    def make(max_entries: int) -> FileCache:
        return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": max_entries}})

    return make


def _files(cache: FileCache) -> int:
    return len(os.listdir(cache._dir))


def test_a_write_does_not_read_the_whole_directory(make, monkeypatch):
    cache = make(50_000)
    looks = []
    original = FileCache._list_cache_files
    monkeypatch.setattr(
        FileCache, "_list_cache_files", lambda self: looks.append(1) or original(self)
    )
    for i in range(500):
        cache.set(f"v:sub:{i}", "token", None)
    assert len(looks) == 1  # Django's own file cache: 500
    assert cache.get("v:sub:499") == "token" and _files(cache) == 500


def test_the_cache_is_culled_once_the_interval_has_passed(make, monkeypatch):
    cache = make(100)
    for i in range(300):
        cache.set(f"page:{i}", "x" * 100, None)
    assert _files(cache) == 300  # written between two culls
    monkeypatch.setattr(cache, "_next_cull", 0.0)  # the interval has passed
    cache.set("page:last", "x", None)
    assert _files(cache) == 300 - 300 // 3 + 1  # Django's rule: a third goes
    assert cache.get("page:last") == "x"
