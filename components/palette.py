"""The charts' colours, and the two measures they are held to: contrast and colour-blind
separation (tests/test_palette.py checks every colour here with them).

- Contrast: every mark and line reaches 3:1 against the white chart background (WCAG 2.x
  non-text contrast, success criterion 1.4.11), by WCAG's relative luminance.
- Separation: the trend lines' colours stay apart for readers with protanopia or deuteranopia,
  simulated with the matrices of Machado, Oliveira and Fernandes (2009), "A physiologically-based
  model for simulation of color vision deficiency", IEEE TVCG 15(6), severity 1.0, applied to
  linear RGB; apart means a CIE 1976 colour difference (ΔE*ab) of at least MIN_SEPARATION.
  Colour is never the only cue: lines also differ by dash and marker and carry their name at
  the end.
"""

from __future__ import annotations

import math

BACKGROUND = "#ffffff"
MIN_CONTRAST = 3.0
MIN_SEPARATION = 15.0

FOCUS = "#0072B2"  # the municipality in focus (Okabe-Ito blue)
NATIONAL = "#A66300"  # the national reference line (a dark ochre: 3:1 where Okabe-Ito's is 2.3)
PEER = "#767676"  # other municipalities (neutral grey)
PEER_AVERAGE = "#000000"
LIMIT = "#555555"  # funnel control limits
EVENT = "#4d4d4d"  # events on the trend axis
# Trend lines, in the order municipalities are chosen; none is the national line's ochre.
LINES = ("#0072B2", "#8C2D04", "#00805C", "#000000", "#4B0082", "#007C91")
# Each line's dash and marker, so lines differ without colour (the national line is "dash"
# without markers).
LINE_DASHES = ("solid", "dot", "dashdot", "longdash", "longdashdot", "4px,2px,1px,2px")
LINE_MARKERS = ("circle", "square", "diamond", "triangle-up", "x", "star")

# Machado et al. (2009), severity 1.0, on linear RGB.
SIMULATIONS = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def linear_rgb(colour: str) -> tuple[float, float, float]:
    """A "#rrggbb" colour as linear RGB (the sRGB transfer function undone)."""
    text = colour.lstrip("#")
    channels = [int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return red, green, blue


def relative_luminance(colour: str) -> float:
    """WCAG's relative luminance of a colour (0 black, 1 white)."""
    red, green, blue = linear_rgb(colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str = BACKGROUND) -> float:
    """WCAG's contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def simulate(colour: str, deficiency: str | None) -> tuple[float, float, float]:
    """The colour as seen with a colour vision deficiency, in linear RGB (None: as it is)."""
    rgb = linear_rgb(colour)
    if deficiency is None:
        return rgb
    matrix = SIMULATIONS[deficiency]
    red, green, blue = (
        min(1.0, max(0.0, sum(weight * value for weight, value in zip(row, rgb, strict=True))))
        for row in matrix
    )
    return red, green, blue


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """Linear RGB (sRGB primaries, D65) as CIELAB."""
    red, green, blue = rgb
    x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047
    y = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def separation(first: str, second: str, deficiency: str | None = None) -> float:
    """How far apart two colours look (CIE76 ΔE*ab), as seen with `deficiency` (or without)."""
    return math.dist(_lab(simulate(first, deficiency)), _lab(simulate(second, deficiency)))
