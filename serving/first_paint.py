"""The first paint: a page's first layout as plain HTML, its charts drawn before Dash runs.

A dashboard page shows nothing until the browser has run React, Dash's renderer and the
components' code, fetched the layout and drawn it; only then are the charts drawn. A static page
with the same charts draws them as soon as plotly.js has run. So a page with charts is sent with
its first layout already written out as HTML in `<div id="first-paint">` (before Dash's app), and
its charts' figures as JSON in `<script type="application/json" id="first-paint-figures">`:
components/chart.js draws them as soon as plotly.js has run (DRAW_NOW); when Dash has drawn the
same page, its Chart components take those charts over (not drawn twice) and the HTML copy goes.

The copy is the same page made from the same layout (the layout Dash's router makes for the
address, serving/first_layout.py), written as React writes the components we use: html.*
elements with their attributes, dcc.Link as a link, Dash 4's dropdowns, radio items, check
lists and inputs as the markup they draw (the copy is inert: they work once Dash runs), data-only
components (Store, Location, Download) as nothing. It carries no ids, so that nothing on the
page finds the copy instead of the app (a label's `for` goes too). A layout with any other
component, or without a chart, gets no first paint: Dash draws it as before.
"""

from __future__ import annotations

import base64
import hashlib
import html as markup
import logging
import re
from collections.abc import Iterator
from typing import Any

from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from components.chart import Chart
from components.plain import TAGS
from serving.cache import do_not_keep, remembered
from serving.first_layout import routed

log = logging.getLogger(__name__)

# Props of Dash's html components that are not HTML attributes.
NOT_ATTRIBUTES = {
    "children",
    "id",
    "key",
    "n_clicks",
    "n_clicks_timestamp",
    "disable_n_clicks",
    "loading_state",
    "htmlFor",
}
# React's names for attributes whose HTML names differ by more than case.
ATTRIBUTE_NAMES = {"className": "class"}
VOID = {"br", "hr", "img", "input", "meta", "link", "col", "source", "wbr", "area", "track"}
# CSS properties React writes without "px" when given a number (React's isUnitlessNumber).
UNITLESS = {"opacity", "zIndex", "fontWeight", "lineHeight", "flex", "flexGrow", "flexShrink"}
UNITLESS |= {"order", "zoom", "gridRow", "gridColumn", "columnCount", "tabSize", "orphans"}
NOTHING = {"Store", "Location", "Download", "Interval"}  # dcc components that draw nothing
# Elements that would run or load something in the copy: a layout with one gets no first paint.
NOT_COPIED = {"script", "style", "iframe", "object", "embed", "audio", "video"}
# dcc.Dropdown's arrow (Dash 4.4's dropdown trigger icon).
CHEVRON = (
    '<svg width="15" height="15" viewBox="0 0 15 15" fill="none" '
    'xmlns="http://www.w3.org/2000/svg" class="dash-dropdown-trigger-icon"><path d="M4.18179 '
    "6.18181C4.35753 6.00608 4.64245 6.00608 4.81819 6.18181L7.49999 8.86362L10.1818 "
    "6.18181C10.3575 6.00608 10.6424 6.00608 10.8182 6.18181C10.9939 6.35755 10.9939 6.64247 "
    "10.8182 6.81821L7.81819 9.81821C7.73379 9.9026 7.61934 9.95001 7.49999 9.95001C7.38064 "
    "9.95001 7.26618 9.9026 7.18179 9.81821L4.18179 6.81821C4.00605 6.64247 4.00605 6.35755 "
    '4.18179 6.18181Z" fill="currentColor" fill-rule="evenodd" clip-rule="evenodd"></path></svg>'
)


class NotDrawable(Exception):
    """The layout has a component the first paint does not know how to write."""


def first_paint(layout: Any) -> tuple[str, str] | None:
    """(the page's HTML, its charts' figures as JSON) for a layout with charts, else None."""
    charts: list[Chart] = []
    try:
        page = "".join(write(layout, charts))
    except NotDrawable:
        return None
    if not charts:
        return None
    figures = [
        {"figure": prop(chart, "figure"), "config": prop(chart, "config") or {}} for chart in charts
    ]
    # In a <script> block only "</" could end it early.
    return page, to_json_plotly(figures).replace("</", "<\\/")


def write(node: Any, charts: list[Chart]) -> Iterator[str]:
    """The HTML of a layout node (a component, text, a number or a list of them)."""
    if node is None or isinstance(node, bool):
        return
    if isinstance(node, (list, tuple)):
        for item in node:
            yield from write(item, charts)
        return
    if isinstance(node, float) and node.is_integer():
        node = int(node)  # as JavaScript writes it
    if isinstance(node, (str, int, float)):
        yield markup.escape(str(node), quote=False)
        return
    if not isinstance(node, Component):
        raise NotDrawable(type(node).__name__)
    if isinstance(node, Chart):
        yield write_chart(node, len(charts))
        charts.append(node)
    elif node._namespace == "barometer_components":
        yield from write_ours(node)
    elif node._namespace == "dash_html_components":
        yield from write_element(node, charts)
    elif node._namespace == "dash_core_components":
        yield from write_core(node, charts)
    else:
        raise NotDrawable(f"{node._namespace}.{node._type}")


def prop(node: Component, name: str, default: Any = None) -> Any:
    return getattr(node, name, default)


def attributes(values: dict[str, Any]) -> str:
    """HTML attributes from React's props: None left out; a flag present or not (True, False),
    but in aria-* and data-* attributes "true" or "false", as React writes them."""
    out = []
    for name, value in values.items():
        name = ATTRIBUTE_NAMES.get(name, name)
        if name.startswith("data-") or name.startswith("aria-"):
            value = str(value).lower() if isinstance(value, bool) else value
        else:
            name = name.lower()
        if value is None or value is False:
            continue
        if name == "style":
            value = style_text(value)
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{markup.escape(str(value))}"')
    return "".join(out)


def style_text(style: dict[str, Any]) -> str:
    """A style prop as CSS text: camelCase names in CSS's spelling, numbers in px."""
    parts = []
    for name, value in style.items():
        if value is None or value == "":
            continue
        css = re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = f"{value}" if name in UNITLESS or value == 0 else f"{value}px"
        parts.append(f"{css}: {value}")
    return "; ".join(parts)


def write_element(node: Component, charts: list[Chart]) -> Iterator[str]:
    tag = TAGS.get(node._type, node._type.lower())
    if tag in NOT_COPIED:
        raise NotDrawable(tag)
    values = {
        name: getattr(node, name)
        for name in node._prop_names + sorted(n for n in vars(node) if n[:5] in ("data-", "aria-"))
        if name not in NOT_ATTRIBUTES and hasattr(node, name)
    }
    yield f"<{tag}{attributes(values)}>"
    if tag in VOID:
        return
    yield from write(prop(node, "children"), charts)
    yield f"</{tag}>"


def write_plain(node: Any) -> Iterator[str]:
    """A tree of components/plain.py (as assets/plain.js draws it)."""
    if node is None:
        return
    if isinstance(node, list):
        for item in node:
            yield from write_plain(item)
        return
    if not isinstance(node, dict):
        yield markup.escape(str(node), quote=False)
        return
    tag = node["t"]
    values = {k: v for k, v in node.get("p", {}).items() if k != "id" and k != "htmlFor"}
    yield f"<{tag}{attributes(values)}>"
    if tag not in VOID:
        yield from write_plain(node.get("c"))
        yield f"</{tag}>"


def text_cell(tag: str, text: Any, values: dict[str, Any]) -> str:
    text = "" if text is None else markup.escape(str(text), quote=False)
    return f"<{tag}{attributes(values)}>{text}</{tag}>"


def write_ours(node: Component) -> Iterator[str]:
    """components/plain.py's Plain and components/table.py's tables, as assets/plain.js and
    assets/table.js draw them (a sortable table as first drawn: unsorted, its first page)."""
    props = node.to_plotly_json()["props"]
    if node._type == "Plain":
        yield from write_plain(props["tree"])
    elif node._type == "TextTable":
        align = props.get("align") or ""
        sides = {"r": {"textAlign": "right"}, "l": {"textAlign": "left"}}

        def side(i: int) -> dict[str, Any]:
            return {"style": sides.get(align[i : i + 1])}

        yield f"<table{attributes({'className': props.get('className')})}>"
        if props.get("caption"):
            yield text_cell("caption", props["caption"], {})
        head = [
            text_cell("th", t, {**side(i), "scope": "col"}) for i, t in enumerate(props["head"])
        ]
        yield f"<thead><tr>{''.join(head)}</tr></thead><tbody>"
        for row in props["rows"]:
            yield "<tr>" + "".join(text_cell("td", t, side(i)) for i, t in enumerate(row)) + "</tr>"
        yield "</tbody></table>"
    elif node._type == "SortableTable" and not props.get("sort_by"):
        yield from write_sortable(props)
    else:
        raise NotDrawable(f"{node._namespace}.{node._type}")


def write_sortable(props: dict[str, Any]) -> Iterator[str]:
    columns, data = props["columns"], props["data"]
    classes = props.get("row_classes") or []
    size = max(1, props.get("page_size") or 25)
    pages = max(1, -(-len(data) // size))
    page = min(max(0, props.get("page_current") or 0), pages - 1)
    table = " ".join(filter(None, ["sortable-table", props.get("className")]))
    yield f'<div class="{markup.escape(table)}"><div class="sortable-table-scroll">'
    yield "<table><thead><tr>"
    for column in columns:
        align = {"className": f"align-{column['align']}", "scope": "col"}
        yield f"<th{attributes({**align, 'data-column': column['id']})}>"
        yield '<button type="button" class="sortable-table-sort">'
        yield markup.escape(str(column["name"]), quote=False)
        yield ' <span aria-hidden="true" class="sortable-table-arrow unsorted">\u2195</span>'
        yield "</button></th>"
    yield "</tr></thead><tbody>"
    for r in range(page * size, min(len(data), (page + 1) * size)):
        yield f"<tr{attributes({'className': classes[r] if r < len(classes) else None})}>"
        for i, text in enumerate(data[r]):
            column = columns[i] if i < len(columns) else {}
            where = {"data-column": column.get("id"), "className": f"align-{column.get('align')}"}
            yield text_cell("td", text, where)
        yield "</tr>"
    yield "</tbody></table></div>"
    if pages > 1:
        labels = props.get("labels") or {}
        words = str(labels.get("page") or "{page} / {pages}")
        words = words.replace("{page}", str(page + 1)).replace("{pages}", str(pages))
        turns = [
            ("first", "\u00ab"),
            ("previous", "\u2039"),
            ("next", "\u203a"),
            ("last", "\u00bb"),
        ]
        buttons = [
            f'<button type="button" class="sortable-table-{part}">{glyph}</button>'
            for part, glyph in turns
        ]
        page_words = f'<span class="sortable-table-page">{markup.escape(words)}</span>'
        yield f'<div class="sortable-table-pager">{"".join(buttons[:2])}{page_words}'
        yield f"{''.join(buttons[2:])}</div>"
    yield "</div>"


def write_chart(chart: Chart, number: int) -> str:
    """Chart's box (chart.js renders the same) with the node the figure is drawn in."""
    classes = " ".join(filter(None, ["dash-graph", prop(chart, "className")]))
    box = attributes({"className": classes, "style": prop(chart, "style")})
    inner = f'<div data-first-paint-chart="{number}" style="width: 100%; height: 100%"></div>'
    return f"<div{box}>{inner}</div>"


def options_of(node: Component) -> list[tuple[Any, Any]]:
    """(label, value) of a dcc component's options, in any of the forms Dash accepts."""
    options = prop(node, "options") or []
    if isinstance(options, dict):
        return list((label, value) for value, label in options.items())
    out = []
    for option in options:
        if isinstance(option, dict):
            out.append((option.get("label", option.get("value")), option.get("value")))
        else:
            out.append((option, option))
    return out


def write_core(node: Component, charts: list[Chart]) -> Iterator[str]:
    """Dash 4.4's dcc components as their markup once drawn (shown, not working)."""
    kind = node._type
    if kind in NOTHING:
        return
    if kind == "Link":
        values = {
            "href": prop(node, "href"),
            "className": prop(node, "className"),
            "style": prop(node, "style"),
            "title": prop(node, "title"),
            "target": prop(node, "target"),
        }
        values.update({n: v for n, v in sorted(vars(node).items()) if n[:5] in ("data-", "aria-")})
        yield f"<a{attributes(values)}>"
        yield from write(prop(node, "children"), charts)
        yield "</a>"
    elif kind == "Dropdown":
        yield from write_dropdown(node, charts)
    elif kind in ("RadioItems", "Checklist"):
        yield from write_options(node, charts)
    elif kind == "Input":
        values = {
            "type": prop(node, "type", "text"),
            "value": prop(node, "value"),
            "placeholder": prop(node, "placeholder"),
            "className": " ".join(filter(None, ["dash-input", prop(node, "className")])),
            "style": prop(node, "style"),
        }
        yield f"<input{attributes(values)}>"
    else:
        raise NotDrawable(f"dcc.{kind}")


def write_dropdown(node: Component, charts: list[Chart]) -> Iterator[str]:
    chosen = prop(node, "value")
    chosen = chosen if isinstance(chosen, list) else ([] if chosen is None else [chosen])
    labels = {value: label for label, value in options_of(node)}
    classes = " ".join(filter(None, ["dash-dropdown", prop(node, "className")]))
    yield '<div class="dash-dropdown-wrapper">'
    yield f'<button type="button"{attributes({"className": classes})}>'
    yield '<span class="dash-dropdown-grid-container dash-dropdown-trigger">'
    yield '<span class="dash-dropdown-value">'
    if not chosen:
        yield '<span class="dash-dropdown-placeholder">'
        yield from write(prop(node, "placeholder"), charts)
        yield "</span>"
    for value in chosen[:1]:
        yield '<span class="dash-dropdown-value-item"><span>'
        yield from write(labels.get(value, value), charts)
        yield "</span></span>"
    if len(chosen) > 1:
        yield f'<span class="dash-dropdown-value-count">+{len(chosen) - 1}</span>'
    yield f"</span>{CHEVRON}</span></button></div>"


def write_options(node: Component, charts: list[Chart]) -> Iterator[str]:
    radio = node._type == "RadioItems"
    chosen = prop(node, "value")
    chosen = chosen if isinstance(chosen, list) else [chosen]
    kind = "radioitems" if radio else "checklist"
    classes = " ".join(filter(None, ["dash-options-list", f"dash-{kind}", prop(node, "className")]))
    group = {"className": classes, "style": prop(node, "style")}
    group["role"] = "radiogroup" if radio else "group"
    yield f"<div{attributes(group)}>"
    inline = f" dash-{kind}-inline" if prop(node, "inline") else ""
    for label, value in options_of(node):
        yield f'<label class="dash-options-list-option{inline}">'
        yield '<span class="dash-options-list-option-wrapper">'
        box = {
            "type": "radio" if radio else "checkbox",
            "className": "dash-options-list-option-checkbox",
            "checked": value in chosen,
        }
        yield f"<input{attributes(box)}></span>"
        yield '<span class="dash-options-list-option-text"><span>'
        yield from write(label, charts)
        yield "</span></span></label>"
    yield "</div>"


# The page's one inline script of ours, right after plotly.js (app.py): it draws the first
# paint's charts as soon as plotly.js has run, as a static page's inline script would (a script
# file there would be one more read from the cache before the charts: about 30 ms). Allowed by
# its hash in the Content-Security-Policy (serving/headers.py).
DRAW_NOW = "window.barometerFirstPaint && window.barometerFirstPaint();"
_DIGEST = base64.b64encode(hashlib.sha256(DRAW_NOW.encode()).digest()).decode()
DRAW_NOW_HASH = f"'sha256-{_DIGEST}'"


def figures_script(figures: str) -> str:
    return f'<script type="application/json" id="first-paint-figures">{figures}</script>'


def section(page: str, figures: str) -> str:
    """The first paint's part of the HTML page: put before Dash's app (its #react-entry-point)."""
    return f'<div id="first-paint" aria-hidden="true" inert>{page}</div>{figures_script(figures)}'


def for_request(app: Any, path: str, search: str) -> str:
    """The first paint of the page at this address (`section`), "" when it has none.

    Made once per worker, address and data version (serving/cache.py `remembered`); a page
    whose layout fails or shows an error gets none (Dash draws it and shows the error)."""

    def make() -> bytes:
        try:
            layout, _title = routed(app, path, search)
            made = first_paint(layout)
        except Exception:
            log.exception("no first paint for %s%s", path, search)
            do_not_keep()  # the next request tries again
            return b""
        return section(*made).encode() if made else b""

    return remembered({"output": "_first-paint", "inputs": [path, search]}, make).decode()
