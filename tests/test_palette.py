"""The charts' colours: 3:1 against the background, and apart under colour blindness."""

from __future__ import annotations

import itertools

import pytest

from components import palette
from components.palette import contrast_ratio, separation, simulate

MARKS = {
    "focus": palette.FOCUS,
    "national": palette.NATIONAL,
    "peer": palette.PEER,
    "peer average": palette.PEER_AVERAGE,
    "limit": palette.LIMIT,
    "event": palette.EVENT,
    **{f"line {i}": colour for i, colour in enumerate(palette.LINES)},
}


def test_contrast_matches_hand_computed_values() -> None:
    # WCAG's own end points and a value worked by hand: #767676 on white is the usual 4.54:1.
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)
    # The colours the issue measured below 3:1 really are below it.
    assert contrast_ratio("#56B4E9") < 3 and contrast_ratio("#E69F00") < 3
    assert contrast_ratio("#A3A3A3") < 3


@pytest.mark.parametrize(("name", "colour"), MARKS.items())
def test_every_mark_reaches_three_to_one(name: str, colour: str) -> None:
    assert contrast_ratio(colour, palette.BACKGROUND) >= palette.MIN_CONTRAST, name


def test_simulation_keeps_grey_and_merges_red_with_green() -> None:
    # A grey stays grey (the matrices' rows sum to 1) ...
    grey = simulate("#808080", "deuteranopia")
    assert max(grey) - min(grey) < 0.01
    # ... and the classic confusions appear: pure red against olive for both deficiencies,
    # red against green for deuteranopia, vermilion against ochre for protanopia (the pair
    # this palette avoided), while all differ plainly for most readers.
    assert separation("#FF0000", "#808000") > 60
    assert separation("#FF0000", "#808000", "deuteranopia") < palette.MIN_SEPARATION
    assert separation("#FF0000", "#808000", "protanopia") < palette.MIN_SEPARATION
    assert separation("#D62728", "#2CA02C") > 60
    assert separation("#D62728", "#2CA02C", "deuteranopia") < palette.MIN_SEPARATION
    assert separation("#C44E00", "#946200") > 25
    assert separation("#C44E00", "#946200", "protanopia") < palette.MIN_SEPARATION


@pytest.mark.parametrize("deficiency", [None, "protanopia", "deuteranopia"])
def test_trend_lines_stay_apart(deficiency: str | None) -> None:
    colours = [*palette.LINES, palette.NATIONAL]
    for first, second in itertools.combinations(colours, 2):
        assert separation(first, second, deficiency) >= palette.MIN_SEPARATION, (first, second)


@pytest.mark.parametrize("deficiency", [None, "protanopia", "deuteranopia"])
def test_focus_stands_out_from_the_references(deficiency: str | None) -> None:
    for other in (palette.PEER, palette.NATIONAL, palette.PEER_AVERAGE):
        assert separation(palette.FOCUS, other, deficiency) >= palette.MIN_SEPARATION


def test_lines_differ_by_dash_and_marker_too() -> None:
    count = len(palette.LINES)
    assert len(set(palette.LINE_DASHES[:count])) == count
    assert len(set(palette.LINE_MARKERS[:count])) == count
    assert "dash" not in palette.LINE_DASHES  # the national line's dash
