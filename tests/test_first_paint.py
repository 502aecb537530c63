"""The first paint (serving/first_paint.py): a page's first layout as HTML, its charts' figures
as JSON, and the index page that carries them (app.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil

import duckdb
import pytest
from dash import dcc, html

from components.chart import Chart
from components.plain import plain
from components.table import SortableTable, TextTable
from serving.cache import answers
from serving.first_paint import DRAW_NOW, first_paint, section

FIGURE = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"title": {"text": "T"}}}


def painted(layout) -> str:
    made = first_paint([layout, Chart(figure=FIGURE)])
    assert made is not None
    return made[0].rsplit('<div class="dash-graph">', 1)[0]


def test_html_components_are_written_as_react_writes_them_without_ids() -> None:
    layout = html.Div(
        [
            html.H1("Fish & <chips>", id="title", className="page-title"),
            html.P("x", style={"marginTop": 4, "opacity": 0.5, "color": "red"}, hidden=True),
            html.Label("Name", htmlFor="name"),
            html.Details([html.Summary("More")], open=True, **{"aria-label": "more"}),
            html.Br(),
        ],
        id="page",
    )
    assert painted(layout) == (
        '<div><h1 class="page-title">Fish &amp; &lt;chips&gt;</h1>'
        '<p hidden style="margin-top: 4px; opacity: 0.5; color: red">x</p>'
        "<label>Name</label>"
        '<details open aria-label="more"><summary>More</summary></details><br></div>'
    )


def test_links_are_links_and_data_components_draw_nothing() -> None:
    layout = [
        dcc.Link("Trends", href="/trend?x=1&y=2", className="nav"),
        dcc.Store(id="s", data={"a": 1}),
        dcc.Location(id="where"),
        dcc.Download(id="d"),
    ]
    assert painted(layout) == '<a href="/trend?x=1&amp;y=2" class="nav">Trends</a>'


def test_dropdowns_show_their_chosen_labels_or_placeholder() -> None:
    options = [{"label": "Ballerup", "value": "151"}, {"label": "Aarhus", "value": "751"}]
    one = painted(dcc.Dropdown(options=options, value="751", id="a"))
    assert '<span class="dash-dropdown-value-item"><span>Aarhus</span></span>' in one
    assert "Ballerup" not in one and 'id="a"' not in one
    two = painted(dcc.Dropdown(options=options, value=["151", "751"], multi=True))
    assert "<span>Ballerup</span>" in two and "+1" in two
    none = painted(dcc.Dropdown(options=options, value=None, placeholder="Pick <one>"))
    assert '<span class="dash-dropdown-placeholder">Pick &lt;one&gt;</span>' in none


def test_option_lists_check_the_chosen_values() -> None:
    radio = painted(dcc.RadioItems(options=["rate", "gap"], value="gap", inline=True))
    assert radio.count('type="radio"') == 2
    assert re.search(r'type="radio"[^>]*checked[^>]*></span><span[^>]*><span>gap', radio)
    assert not re.search(r"checked[^>]*></span><span[^>]*><span>rate", radio)
    boxes = painted(dcc.Checklist(options={"s": "Small"}, value=["s"]))
    assert 'type="checkbox"' in boxes and "checked" in boxes and "Small" in boxes


def test_our_components_are_written_as_their_scripts_draw_them() -> None:
    tree = plain(html.Div([html.Strong("Rank", id="r"), dcc.Link("more", href="/about")]))
    assert painted(tree) == '<div><strong>Rank</strong><a href="/about">more</a></div>'
    table = painted(TextTable(["Year", "Rate"], [["2023", "4.5"]], align="lr", caption="C"))
    assert table == (
        "<table><caption>C</caption><thead><tr>"
        '<th style="text-align: left" scope="col">Year</th>'
        '<th style="text-align: right" scope="col">Rate</th></tr></thead>'
        '<tbody><tr><td style="text-align: left">2023</td>'
        '<td style="text-align: right">4.5</td></tr></tbody></table>'
    )


def sortable(**given) -> SortableTable:
    labels = {"first": "F", "previous": "P", "next": "N", "last": "L", "page": "{page} of {pages}"}
    rows = [[f"m{n}", f"{n}"] for n in range(30)]
    columns = [{"id": "name", "name": "Name"}, {"id": "rate", "name": "Rate", "align": "right"}]
    return SortableTable(columns, rows, labels, "en", page_size=25, **given)


def test_a_sortable_table_is_written_unsorted_on_its_first_page_with_its_pager() -> None:
    written = painted(sortable())
    assert written.count("<tr") == 26  # the heading row and 25 rows
    assert "m24" in written and "m25" not in written
    assert '<span class="sortable-table-page">1 of 2</span>' in written
    # Sorted, its order is the browser's (its language's collation): left to Dash.
    assert (
        first_paint([sortable(sort_by=[{"column_id": "rate", "direction": "asc"}]), Chart()])
        is None
    )


def test_charts_go_out_as_json_that_cannot_end_its_script_block() -> None:
    figure = {"data": [], "layout": {"title": {"text": "</script><b>"}}}
    made = first_paint(html.Div([Chart(figure=figure, config={"locale": "da"}), Chart(FIGURE)]))
    assert made is not None
    page, figures = made
    assert page.count("data-first-paint-chart") == 2
    assert "</script" not in figures
    parsed = json.loads(figures)
    assert parsed[0] == {"figure": figure, "config": {"locale": "da"}}
    assert parsed[1]["figure"] == FIGURE and parsed[1]["config"] == {}
    assert 'id="first-paint" aria-hidden="true" inert' in section(page, figures)


def test_no_first_paint_without_charts_or_with_a_component_it_cannot_write() -> None:
    assert first_paint(html.Div("no chart")) is None
    assert first_paint(html.Div([Chart(figure=FIGURE), dcc.Slider(0, 10)])) is None
    assert first_paint(html.Div([Chart(figure=FIGURE), html.Iframe(src="/x")])) is None


def test_numbers_and_flags_are_written_as_react_writes_them() -> None:
    layout = html.Div([1.0, " ", 2.5], **{"aria-expanded": False, "data-open": True})
    assert painted(layout) == '<div aria-expanded="false" data-open="true">1 2.5</div>'
    assert painted(html.MapEl(name="m")) == '<map name="m"></map>'


def test_the_index_of_a_page_with_charts_carries_its_first_paint(client) -> None:
    body = client.get("/trend?lang=da").get_data(as_text=True)
    assert body.index('id="first-paint"') < body.index('id="react-entry-point"')
    figures = re.search(r'id="first-paint-figures">(.*?)</script>', body, re.S)
    assert figures is not None
    assert len(json.loads(figures.group(1))) == 1
    # components/chart.js, plotly.js and the line that draws, before React
    scripts = re.findall(r'<script src="([^"]+)"', body)
    assert "/components/chart." in scripts[0] and "plotly" in scripts[1]
    assert "react" in " ".join(scripts[2:4])
    draw = f"<script>{DRAW_NOW}</script>"
    assert body.index(scripts[1]) < body.index(draw) < body.index(scripts[2])
    # allowed by its hash, and by nothing wider
    policy = client.get("/trend").headers["Content-Security-Policy"]
    script_src = policy.split("script-src ")[1].split(";")[0]
    digest = base64.b64encode(hashlib.sha256(DRAW_NOW.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in script_src.split() and "unsafe-inline" not in script_src
    assert "Tidslinje" in body or "Udvikling" in body or 'lang="da"' in body
    # A page without charts gets none, but still the Chart's code (a link may lead to charts).
    home = client.get("/").get_data(as_text=True)
    assert 'id="first-paint"' not in home and "/components/chart." in home
    # The script is served, fingerprinted and cached.
    answer = client.get(scripts[0])
    assert answer.status_code == 200 and b"barometer_components" in answer.get_data()


def painted_part(index: str) -> str:
    """The first paint's part of an index page (the rest has Dash's per-request ids)."""
    return index.split('<div id="first-paint"', 1)[-1].split('<div id="react-entry-point"')[0]


def test_the_first_paint_is_made_once_per_data_version(own_data) -> None:
    folder, client = own_data
    first = painted_part(client.get("/trend").get_data(as_text=True))
    assert painted_part(client.get("/trend").get_data(as_text=True)) == first
    assert (answers.stats.misses, answers.stats.hits) == (1, 1)
    assert "Demo data" in first

    replacement = folder / ".new.tmp"
    shutil.copy(folder / "barometer.duckdb", replacement)
    con = duckdb.connect(str(replacement))
    con.execute("UPDATE build_info SET value = 'live' WHERE key = 'source'")
    con.close()
    os.replace(replacement, folder / "barometer.duckdb")  # as a refresh swaps it in

    again = painted_part(client.get("/trend").get_data(as_text=True))
    assert answers.stats.misses == 2
    assert "data-first-paint-chart" in again and "Demo data" not in again


def test_a_layout_that_fails_gets_no_first_paint_and_none_is_kept(
    own_data, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import serving.first_paint

    _folder, client = own_data

    def broken(*_args: object) -> None:
        raise RuntimeError("a page logic bug")

    with monkeypatch.context() as patch:
        patch.setattr(serving.first_paint, "routed", broken)
        reply = client.get("/trend")
    assert reply.status_code == 200 and 'id="first-paint"' not in reply.get_data(as_text=True)
    assert "no first paint for /trend" in caplog.text
    assert 'id="first-paint"' in client.get("/trend").get_data(as_text=True)


def test_a_first_paint_made_by_one_worker_is_read_by_the_others(
    own_data, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    import serving.cache
    import serving.first_paint

    monkeypatch.setattr(serving.cache, "SHARED_ROOT", tmp_path)
    _folder, client = own_data
    made = []
    routed = serving.first_paint.routed
    monkeypatch.setattr(
        serving.first_paint, "routed", lambda *args: made.append(args) or routed(*args)
    )
    first = painted_part(client.get("/map?lang=nb").get_data(as_text=True))
    answers.clear()  # another worker process: nothing of this one's in its memory
    assert painted_part(client.get("/map?lang=nb").get_data(as_text=True)) == first
    assert len(made) == 1 and answers.stats.shared_hits == 1
    shared = tmp_path / f"barometer-answers-{os.getuid()}"
    assert [p.stat().st_mode & 0o777 for p in [shared]] == [0o700]
    assert len(list(shared.iterdir())) == 1
    # After a restart (another run, maybe other code) the page is made again.
    monkeypatch.setattr(serving.cache, "SERVER_RUN", "a later run")
    answers.clear()
    client.get("/map?lang=nb")
    assert len(made) == 2 and len(list(shared.iterdir())) == 2


def test_a_shared_folder_others_can_read_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path):
    import serving.cache

    monkeypatch.setattr(serving.cache, "SHARED_ROOT", tmp_path)
    folder = tmp_path / f"barometer-answers-{os.getuid()}"
    assert serving.cache.shared_folder() == folder
    folder.chmod(0o755)
    assert serving.cache.shared_folder() is None
