"""Downloading (no mirror): checksum verified, retried, cached; a bad download never lands."""

from __future__ import annotations

import io
import urllib.error
import urllib.request

import pytest

import settings
from pipeline import sources

FID = "crosswalk_kabkota"


class _Response(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data))}


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("RBK_SOURCES", raising=False)
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path / "sources")
    monkeypatch.setattr(sources, "BACKOFF", 0.0)
    return tmp_path / "sources"


def _serve(monkeypatch, *responses):
    calls = []

    def fake(request, timeout):
        calls.append((request.full_url, timeout))
        item = responses[min(len(calls), len(responses)) - 1]
        if isinstance(item, Exception):
            raise item
        return _Response(item)

    monkeypatch.setattr(urllib.request, "urlopen", fake)
    return calls


def test_download_is_verified_and_cached(offline_cache, monkeypatch, real_mirror):
    entry = sources.manifest()[FID]
    data = (real_mirror / entry.relpath).read_bytes()
    calls = _serve(monkeypatch, urllib.error.URLError("reset by peer"), data)
    path = sources.fetch(FID, progress=False)
    assert path == offline_cache / entry.relpath
    assert path.read_bytes() == data
    assert [c[0] for c in calls] == [entry.url, entry.url]  # one retry
    assert calls[0][1] == sources.TIMEOUT
    # a second fetch uses the verified copy, without the network
    calls2 = _serve(monkeypatch, urllib.error.URLError("offline"))
    assert sources.fetch(FID, progress=False) == path
    assert calls2 == []


def test_a_damaged_download_is_rejected(offline_cache, monkeypatch, real_mirror):
    entry = sources.manifest()[FID]
    data = (real_mirror / entry.relpath).read_bytes()
    _serve(monkeypatch, data[:-10])
    with pytest.raises(sources.SourceError, match="sha256") as err:
        sources.fetch(FID, progress=False)
    assert entry.url in str(err.value) and entry.sha256 in str(err.value)
    assert not (offline_cache / entry.relpath).exists()
    assert [p for p in (offline_cache / entry.relpath).parent.iterdir()] == []


def test_a_tampered_cache_is_not_trusted(offline_cache, monkeypatch, real_mirror):
    entry = sources.manifest()[FID]
    data = (real_mirror / entry.relpath).read_bytes()
    _serve(monkeypatch, data)
    path = sources.fetch(FID, progress=False)
    path.write_bytes(data.replace(b"SURABAYA", b"SURABAJA"))  # edited after verification
    calls = _serve(monkeypatch, data)
    assert sources.fetch(FID, progress=False).read_bytes() == data
    assert len(calls) == 1  # downloaded again
