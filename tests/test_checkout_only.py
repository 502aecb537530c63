"""The suite reads nothing outside the checkout (tests/conftest.py's audit hook)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, outside_the_checkout, read_outside


def test_what_counts_as_outside() -> None:
    assert outside_the_checkout(ROOT.parent / "shared" / "data" / "geo" / "README.md")
    assert outside_the_checkout(str(ROOT.parent / "some-other-checkout" / "x.py"))
    assert not outside_the_checkout(ROOT / "tests" / "fixtures" / "README.md")
    assert not outside_the_checkout(Path(tempfile.gettempdir()) / "x")
    assert not outside_the_checkout(3)  # a file descriptor


def test_reading_beside_the_checkout_is_refused() -> None:
    beside = ROOT.parent / "no-such-folder-beside-the-checkout" / "file.txt"
    with pytest.raises(PermissionError, match="tests read only the checkout"):
        beside.read_text()
    assert read_outside.pop() == str(beside)  # caught: forget it, so this test passes
