"""The download routes and page: catalogue files made once per snapshot (at the first request,
or ahead in the background when the page is shown), stable links, exports made at a request,
and bad requests answered with a sentence, never a partial file.

The tests work on a copy of the two-snapshot data folder (tests/conftest.py's
meeting_data_dir), so the files they make start from none."""

from __future__ import annotations

import hashlib
import io
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from indicators.registry import list_indicators
from tests.conftest import MEETING, reading_folder, text_of


@pytest.fixture(scope="module")
def fresh_copy(meeting_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("downloads") / "data"
    shutil.copytree(meeting_data_dir, copy, ignore=shutil.ignore_patterns("exports", ".*lock"))
    return copy


@pytest.fixture()
def data_dir(fresh_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from reading_folder(fresh_copy, monkeypatch)


@pytest.fixture()
def client(data_dir: Path):
    from app import server

    return server.test_client()


def test_a_file_is_made_once_and_served_whole_with_its_checksum(client, data_dir: Path) -> None:
    first = client.get("/files/latest/employment_gap.zip")
    assert first.status_code == 200 and first.mimetype == "application/zip"
    digest = hashlib.sha256(first.data).hexdigest()
    assert first.headers["X-Checksum-SHA256"] == digest
    assert "attachment" in first.headers["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(first.data)).namelist()
    made = list((data_dir / "exports").rglob("employment_gap.zip"))
    assert (
        len(made) == 1
        and made[0].with_name("employment_gap.zip.sha256").read_text().strip() == digest
    )
    again = client.get("/files/latest/employment_gap.zip", headers={"If-None-Match": f'"{digest}"'})
    assert again.status_code == 304


def test_a_pinned_snapshot_has_its_own_files_and_a_stable_link(client, data_dir: Path) -> None:
    from loaders.snapshots import find_version

    version = find_version(data_dir / "versions", MEETING)
    by_label = client.get(f"/files/{MEETING}/all.xlsx")
    by_id = client.get(f"/files/{version.id}/all.xlsx")
    assert by_label.status_code == by_id.status_code == 200
    assert by_label.data == by_id.data
    assert by_label.data != client.get("/files/latest/all.xlsx").data


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/files/latest/employmnt_gap.zip", 404, "There is no file"),
        ("/files/latest/all.pdf", 404, "There is no file"),
        ("/files/Netwrk/all.zip", 404, MEETING),
        ("/export?indicator=employmnt_gap&format=csv", 400, "closest: employment_gap"),
        ("/export?indicator=all&format=csv&municipalities=999", 400, "not a municipality"),
        ("/export?indicator=all&format=csv&snapshot=Netwrk", 404, MEETING),
        ("/export?indicator=employment_gap&format=png", 400, "give them"),
        ("/export?indicator=all&format=svg&municipalities=151", 400, "one indicator"),
        ("/export?indicator=all&format=doc", 400, "unknown format"),
        ("/export", 400, "unknown format"),
        # Norway's county figure for a Danish municipality: an empty selection
        ("/export?indicator=intro_work_education&format=csv&municipalities=151", 400, "no values"),
        (
            "/export?indicator=employment_gap&format=pptx&municipalities=151&from=Netwrk",
            404,
            "Netwrk",
        ),
        ("/export?indicator=all&format=pptx&municipalities=151,0301", 400, "One country"),
    ],
)
def test_bad_requests_get_a_sentence_not_a_partial_file(
    client, url: str, status: int, message: str
) -> None:
    answer = client.get(url)
    assert answer.status_code == status and answer.mimetype == "text/plain"
    assert message in answer.get_data(as_text=True)


def test_the_export_route_makes_images_and_decks(client, data_dir: Path) -> None:
    svg = client.get("/export?indicator=employment_gap&format=svg&municipalities=151,740&lang=da")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    text = svg.get_data(as_text=True)
    assert "Ballerup" in text and "DEMO" in text and "Kilde" in text  # Danish words
    assert svg.headers["X-Checksum-SHA256"] == hashlib.sha256(svg.data).hexdigest()
    assert 'filename="barometer-employment_gap-151-740-' in svg.headers["Content-Disposition"]
    deck = client.get(f"/export?indicator=all&format=pptx&municipalities=151,740&from={MEETING}")
    assert deck.status_code == 200 and deck.data[:2] == b"PK"


def test_the_page_lists_every_file_with_sizes_once_made(client, data_dir: Path) -> None:
    from pages.download import build_content
    from views.download import DownloadView, read_view

    client.get("/files/latest/all.zip")
    view = read_view(None, "en")
    assert isinstance(view, DownloadView)
    assert len(view.rows) == 1 + len(list_indicators())  # all, then each indicator
    assert all(len(row.files) == 3 for row in view.rows)
    first = view.files[0]
    assert first.href == f"/files/{view.snapshot.id}/all.zip"  # by version id: stable
    assert view.stable_page == f"/download?snapshot={view.snapshot.id}"
    assert first.info is not None and first.info.size > 1000
    assert view.files[1].info is None  # not made yet
    text = text_of(build_content(view, "en"))
    assert "CC BY 4.0" in text and first.info.sha256 in text and "made at the first" in text
    assert "being prepared" in text_of(build_content(view, "en", preparing=True))
    assert [s.name for s in view.choices] == [MEETING]
    assert read_view("Netwrk", "en").kind == "snapshot"


def test_the_page_has_the_whole_catalogue_made_in_the_background(data_dir: Path) -> None:
    from exports.downloads import catalogue_names, made, prepare, shelf
    from views.snapshots import resolve_snapshot

    place = shelf(resolve_snapshot("latest"))
    assert place.snapshot.path is not None  # the live version's own file, fixed now
    assert prepare(place) is True
    assert prepare(place) is True  # one preparation at a time
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and any(made(place, n) is None for n in catalogue_names()):
        time.sleep(0.5)
    infos = [made(place, name) for name in catalogue_names()]
    assert all(infos) and len(infos) == 3 * (1 + len(list_indicators()))
    for info in infos:
        assert hashlib.sha256(info.path.read_bytes()).hexdigest() == info.sha256
    assert prepare(place) is False  # nothing left to make
