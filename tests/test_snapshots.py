"""Snapshots: pins kept as data beside the versions, retention (newest 8, pinned, live)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from loaders import snapshots
from loaders.snapshots import KEEP, SnapshotError


def make_versions(data_dir: Path, count: int, live: int = 0) -> list[Path]:
    """`count` version files, oldest first (tiny stand-ins: retention never opens them);
    `live` counts from the newest (0: the newest is live)."""
    folder = data_dir / "versions"
    folder.mkdir(parents=True)
    paths = []
    for n in range(count):
        path = folder / f"barometer-202601{n + 1:02d}T080000000000Z.duckdb"
        path.write_bytes(b"x" * (n + 1))
        paths.append(path)
    current = paths[-1 - live]
    (folder / "current.json").write_text(json.dumps({"current": current.name}), "utf-8")
    return paths


def test_pins_are_kept_as_data_and_written_whole(tmp_path: Path) -> None:
    paths = make_versions(tmp_path, 3)
    version = snapshots.pin(tmp_path, "  Network   meeting 2026-11 ", progress=lambda _: None)
    assert version.path == paths[-1] and version.live
    assert version.labels == ("Network meeting 2026-11",)  # spaces collapsed
    snapshots.pin(tmp_path, "Spring", version=paths[0].name, progress=lambda _: None)
    stored = json.loads((tmp_path / "versions" / "pins.json").read_text("utf-8"))
    assert [(p["label"], p["version"]) for p in stored["pins"]] == [
        ("Network meeting 2026-11", paths[-1].name),
        ("Spring", paths[0].name),
    ]
    assert sorted(p.name for p in (tmp_path / "versions").iterdir() if "pins" in p.name) == [
        "pins.json"  # no temporary file left behind
    ]
    # a label finds its version, ignoring case and spacing; so does an id
    assert snapshots.find_version(tmp_path / "versions", "network MEETING  2026-11") == version
    assert snapshots.find_version(tmp_path / "versions", "20260101T080000000000Z").path == paths[0]
    assert snapshots.find_version(tmp_path / "versions", "Autumn") is None


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "cannot be empty"),
        ("x" * 81, "at most 80"),
        ("latest", "names a snapshot already"),
        ("20260101T080000000000Z", "names a snapshot already"),
        ("bell\x07", "control characters"),
    ],
)
def test_a_label_that_cannot_be_one_is_refused(tmp_path: Path, label: str, message: str) -> None:
    make_versions(tmp_path, 2)
    with pytest.raises(SnapshotError, match=message):
        snapshots.pin(tmp_path, label, progress=lambda _: None)
    assert not (tmp_path / "versions" / "pins.json").exists()


def test_a_label_is_pinned_once_and_unpinned_by_name(tmp_path: Path) -> None:
    make_versions(tmp_path, 2)
    snapshots.pin(tmp_path, "Meeting", progress=lambda _: None)
    with pytest.raises(SnapshotError, match="pinned already"):
        snapshots.pin(tmp_path, "MEETING", progress=lambda _: None)
    with pytest.raises(SnapshotError, match="no pin “Other”; pinned: “Meeting”"):
        snapshots.unpin(tmp_path, "Other", progress=lambda _: None)
    assert snapshots.unpin(tmp_path, "meeting", progress=lambda _: None).label == "Meeting"
    assert snapshots.read_pins(tmp_path / "versions") == []


def test_pinning_needs_a_version(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="barometer refresh"):
        snapshots.pin(tmp_path, "Meeting", progress=lambda _: None)
    make_versions(tmp_path, 1)
    with pytest.raises(SnapshotError, match="no version “nope”"):
        snapshots.pin(tmp_path, "Meeting", version="nope", progress=lambda _: None)


def test_a_damaged_pin_file_is_a_clear_error(tmp_path: Path) -> None:
    make_versions(tmp_path, 1)
    (tmp_path / "versions" / "pins.json").write_text("{not json", "utf-8")
    with pytest.raises(SnapshotError, match="damaged"):
        snapshots.list_versions(tmp_path / "versions")


def test_retention_keeps_the_newest_the_pinned_and_the_live(tmp_path: Path) -> None:
    paths = make_versions(tmp_path, KEEP + 4, live=KEEP + 1)  # the live one is old (a rollback)
    snapshots.pin(tmp_path, "Oldest meeting", version=paths[0].name, progress=lambda _: None)
    wal = paths[1].with_name(paths[1].name + ".wal")
    wal.write_bytes(b"w")
    made = tmp_path / "exports" / "20260102T080000000000Z-0.1.0"
    made.mkdir(parents=True)
    (made / "all.zip").write_bytes(b"z")
    removed = snapshots.prune(tmp_path / "versions")
    # newest first: 8 kept (paths[4:]), paths[3] goes, live paths[2] stays, paths[1] goes,
    # pinned paths[0] stays
    assert removed == [paths[3], paths[1]]
    assert not wal.exists() and not made.exists()
    kept = {v.path for v in snapshots.list_versions(tmp_path / "versions")}
    assert kept == {*paths[-KEEP:], paths[2], paths[0]}
    assert snapshots.prune(tmp_path / "versions") == []  # nothing more to do
    # unpinned, the oldest goes at the next prune
    snapshots.unpin(tmp_path, "Oldest meeting", progress=lambda _: None)
    assert snapshots.prune(tmp_path / "versions") == [paths[0]]


def test_listing_ignores_other_files_and_orders_newest_first(tmp_path: Path) -> None:
    paths = make_versions(tmp_path, 3)
    (tmp_path / "versions" / "notes.txt").write_text("not a version", "utf-8")
    (tmp_path / "versions" / "barometer-broken.duckdb").write_bytes(b"")
    listed = snapshots.list_versions(tmp_path / "versions")
    assert [v.path for v in listed] == paths[::-1]
    assert [v.live for v in listed] == [True, False, False]
    assert listed[0].size == 3 and listed[0].created.isoformat() == "2026-01-03T08:00:00+00:00"
    assert snapshots.snapshot_names(tmp_path / "versions")[0] == "latest"


def test_pinning_waits_for_a_running_refresh(tmp_path: Path) -> None:
    """Pin and prune take the refresh lock: a pin never races a refresh's prune."""
    import threading

    from loaders.lock import refresh_lock

    make_versions(tmp_path, 2)
    said: list[str] = []
    done = threading.Event()

    def pin_later() -> None:
        snapshots.pin(tmp_path, "Meeting", progress=said.append)
        done.set()

    with refresh_lock(tmp_path, lambda _: None):
        worker = threading.Thread(target=pin_later)
        worker.start()
        assert not done.wait(0.5)  # held back by the lock
    worker.join(5)
    assert done.is_set() and any("waiting" in line for line in said)
    assert os.path.exists(tmp_path / "versions" / "pins.json")


def test_the_list_has_a_column_each_for_label_id_built_source_size_and_checksum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import hashlib

    import duckdb

    from cli import main

    paths = make_versions(tmp_path, 2)
    for path, source in zip(paths, ("live", "demo"), strict=True):
        path.unlink()
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE build_info (key VARCHAR, value VARCHAR)")
        con.execute(
            "INSERT INTO build_info VALUES ('source', ?), ('built_at', ?)",
            [source, f"2026-01-0{paths.index(path) + 1}T08:00:00+00:00"],
        )
        con.close()
    snapshots.pin(tmp_path, "Network meeting 2026-01", version=paths[0].name, progress=print)
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    capsys.readouterr()
    assert main(["snapshot", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["LABEL", "ID", "BUILT", "SOURCE", "SIZE", "SHA-256"]
    starts = [lines[0].index(head) for head in ("ID", "BUILT", "SOURCE", "SIZE", "SHA-256")]
    newest, pinned = lines[1], lines[2]
    assert newest.startswith("(live) ") and pinned.startswith("Network meeting 2026-01 ")
    for line, path, source, day in ((newest, paths[1], "demo", 2), (pinned, paths[0], "live", 1)):
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        size = f"{path.stat().st_size / 1e6:.1f} MB"
        checksum = hashlib.sha256(path.read_bytes()).hexdigest()
        built = f"2026-01-0{day}T08:00:00+00:00"
        assert cells == [snapshots.version_id(path.name), built, source, size, checksum]
    assert lines[-1] == "2 version(s) kept: the newest 8 and every pinned one"
