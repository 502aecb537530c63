"""The deck as PPTX (python-pptx): the same slides as presentation mode, 16:9.

Slide 1 says what changed since the snapshot; then one slide per indicator with its title,
the headline, the chart (rendered by exports/render.py) and the source line. Each slide's
speaker notes hold the indicator's definition, groups and sources.
"""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation
from pptx.util import Inches, Pt

from components.present import SLIDE_SIZE, build_slide_figure
from exports.render import render_figure
from views.present import Deck

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)


def _text(slide: Any, text: str, top: int, height: int, size: int, bold: bool = False) -> None:
    box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold


def build_pptx(deck: Deck, lang: str) -> bytes:
    """The deck's bytes."""
    pptx = Presentation()
    pptx.slide_width, pptx.slide_height = WIDTH, HEIGHT
    blank = pptx.slide_layouts[6]
    first = pptx.slides.add_slide(blank)
    _text(first, deck.changes.title, Inches(0.4), Inches(1.0), 36, bold=True)
    box = first.shapes.add_textbox(MARGIN, Inches(1.5), WIDTH - 2 * MARGIN, Inches(5.0))
    frame = box.text_frame
    frame.word_wrap = True
    for n, line in enumerate(deck.changes.lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.text = "• " + line
        paragraph.font.size = Pt(20)
    first.notes_slide.notes_text_frame.text = "\n".join(deck.changes.lines)
    for slide in deck.slides:
        page = pptx.slides.add_slide(blank)
        _text(page, slide.title, Inches(0.3), Inches(0.8), 32, bold=True)
        _text(page, slide.headline, Inches(1.0), Inches(0.7), 20, bold=True)
        width, height = SLIDE_SIZE
        image = render_figure(build_slide_figure(slide, lang), "png", width, height)
        picture_width = WIDTH - 2 * MARGIN
        page.shapes.add_picture(
            io.BytesIO(image),
            MARGIN,
            Inches(1.75),
            picture_width,
            int(picture_width * height / width),
        )
        _text(page, slide.source, Inches(6.75), Inches(0.6), 12)
        page.notes_slide.notes_text_frame.text = slide.notes
    buffer = io.BytesIO()
    pptx.save(buffer)
    return buffer.getvalue()
