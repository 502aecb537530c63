"""The download route and page: files made once per snapshot, stable links, clear 404s."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MEETING, text_of


@pytest.fixture()
def client(meeting_env: Path):
    from app import server

    return server.test_client()


def test_a_file_is_made_once_and_served_whole_with_its_checksum(client, meeting_env: Path) -> None:
    first = client.get("/files/latest/employment_gap.zip")
    assert first.status_code == 200 and first.mimetype == "application/zip"
    digest = hashlib.sha256(first.data).hexdigest()
    assert first.headers["X-Checksum-SHA256"] == digest
    assert "attachment" in first.headers["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(first.data)).namelist()
    made = list((meeting_env / "exports").rglob("employment_gap.zip"))
    assert (
        len(made) == 1
        and made[0].with_name("employment_gap.zip.sha256").read_text().strip() == digest
    )
    again = client.get("/files/latest/employment_gap.zip", headers={"If-None-Match": f'"{digest}"'})
    assert again.status_code == 304


def test_a_pinned_snapshot_has_its_own_files_and_a_stable_link(client, meeting_env: Path) -> None:
    from loaders.snapshots import find_version

    version = find_version(meeting_env / "versions", MEETING)
    by_label = client.get(f"/files/{MEETING}/all.xlsx")
    by_id = client.get(f"/files/{version.id}/all.xlsx")
    assert by_label.status_code == by_id.status_code == 200
    assert by_label.data == by_id.data
    assert by_label.data != client.get("/files/latest/all.xlsx").data


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/files/latest/employmnt_gap.zip", "There is no file"),
        ("/files/latest/all.pdf", "There is no file"),
        ("/files/Netwrk/all.zip", MEETING),
    ],
)
def test_bad_requests_get_a_sentence_not_a_partial_file(client, url: str, message: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 404 and answer.mimetype == "text/plain"
    assert message in answer.get_data(as_text=True)


def test_the_page_lists_every_file_with_sizes_once_made(client, meeting_env: Path) -> None:
    from pages.download import build_content
    from views.download import DownloadView, read_view

    client.get("/files/latest/all.zip")
    view = read_view(None, "en")
    assert isinstance(view, DownloadView)
    from indicators.registry import list_indicators

    assert len(view.files) == 3 * (1 + len(list_indicators()))  # all + each, three files each
    first = view.files[0]
    assert first.href == "/files/latest/all.zip" and first.stable_href.startswith("/files/2")
    assert first.info is not None and first.info.size > 1000
    assert view.files[1].info is None  # not made yet
    text = text_of(build_content(view, "en"))
    assert "CC BY 4.0" in text and first.info.sha256 in text
    assert [s.name for s in view.choices] == [MEETING]
    assert read_view("Netwrk", "en").kind == "snapshot"
