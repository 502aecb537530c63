"""The Compare page in a real headless Chromium: controls, URL round trip, languages, problems."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.browser

BAR = "#compare-bar .js-plotly-plot"
BAR_VIEW = f"""() => {{
    const gd = document.querySelector('{BAR}');
    if (!gd || !gd.layout || !gd.layout.meta) return null;
    const bars = gd.data.filter(t => t.type === 'bar');
    return {{
        codes: gd.layout.yaxis.categoryarray,
        focus: gd.layout.meta.focus,
        highlighted: bars.length > 1 ? bars[1].y : [],
        pattern: bars.length > 1 ? bars[1].marker.pattern.shape : null,
    }};
}}"""


def query(page) -> dict[str, str]:
    """The current address's query, one value per key."""
    url = page.evaluate("() => location.href")
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def open_compare(page, app_url: str, path: str) -> dict:
    page.goto(f"{app_url}{path}")
    page.wait_for_selector(f"{BAR} .barlayer")
    page.wait_for_function("() => location.search.includes('period=')")  # pinned view
    return page.evaluate(BAR_VIEW)


def choose(page, control: str, typed: str, option: str) -> None:
    """Pick an option in a Dash dropdown by typing and clicking it."""
    page.click(f"#{control}")
    search = page.locator("input.dash-dropdown-search")
    if search.count():
        search.first.fill(typed)
    page.get_by_role("option", name=option, exact=True).first.click()


def wait_for_query(page, key: str, value: str) -> None:
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(location.search).get(k) === v", arg=[key, value]
    )


def wait_for_bars(page, check: str) -> None:
    page.wait_for_function(f"() => {{ const v = ({BAR_VIEW})(); return v && ({check}); }}")


def test_controls_change_the_chart_and_the_url(page, app_url: str, screenshot_dir: Path) -> None:
    view = open_compare(page, app_url, "/compare?focus=151&peers=region")
    assert view["focus"] == "151" and view["highlighted"] == ["151"]
    assert view["pattern"] == "/"
    assert len(view["codes"]) == 29
    assert query(page)["indicator"] == "employment_gap"
    assert "Ballerup ranks" in page.inner_text("#compare-bar-summary")
    assert "Demo data: simulated figures" in page.inner_text("#demo-banner")
    page.screenshot(path=str(screenshot_dir / "compare-dk-region-1600.png"))
    page.screenshot(path=str(screenshot_dir / "compare-dk-region-1600-full.png"), full_page=True)

    # Indicator.
    before = page.inner_text("#compare-bar-summary")
    choose(page, "compare-indicator", "Unemployment", "Unemployment gap")
    wait_for_query(page, "indicator", "unemployment_gap")
    page.wait_for_function(
        "(b) => document.querySelector('#compare-bar-summary').innerText !== b", arg=before
    )
    assert "Unemployment gap" in page.inner_text("#compare-heading")

    # Period.
    latest = query(page)["period"]
    choose(page, "compare-period", "2015", "2015")
    wait_for_query(page, "period", "2015")
    assert latest != "2015"
    assert "2015" in page.inner_text("#compare-heading")

    # Peer group: every Danish municipality with a value.
    choose(page, "compare-peers", "", "All municipalities")
    wait_for_query(page, "peers", "all")
    wait_for_bars(page, "v.codes.length > 90")

    # Focus municipality.
    choose(page, "compare-focus", "Gentofte", "Gentofte (157)")
    wait_for_query(page, "focus", "157")
    wait_for_bars(page, "v.focus === '157' && v.highlighted[0] === '157'")
    assert page.inner_text("#compare-table").count("Gentofte") == 1
    assert page.console_watch.errors == []


def test_copied_url_reproduces_the_view(page, browser, app_url: str) -> None:
    open_compare(page, app_url, "/compare?focus=0301&peers=size")
    choose(page, "compare-indicator", "Non-Western", "Non-Western share of the population")
    wait_for_query(page, "indicator", "nonwestern_share")
    choose(page, "compare-period", "2020", "2020")
    wait_for_query(page, "period", "2020")
    wait_for_bars(page, "v.focus === '0301'")
    copied = page.evaluate("() => location.href")
    shown = page.evaluate(BAR_VIEW)
    table = page.inner_text("#compare-table")

    other = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    try:
        other.goto(copied)
        other.wait_for_selector(f"{BAR} .barlayer")
        assert other.evaluate(BAR_VIEW) == shown
        assert other.inner_text("#compare-table") == table
        assert other.evaluate("() => location.href") == copied
    finally:
        other.context.close()

    # The back button returns to the previous view (the router redraws it from the URL).
    page.go_back()
    page.wait_for_function("() => !location.search.includes('period=2020')")
    wait_for_bars(page, "v.focus === '0301'")
    assert page.console_watch.errors == []


def test_language_switch_keeps_the_view(page, app_url: str) -> None:
    open_compare(page, app_url, "/compare?focus=151&peers=region")
    choose(page, "compare-period", "2019", "2019")
    wait_for_query(page, "period", "2019")
    page.click("#lang-da")
    page.wait_for_function(
        "() => document.querySelector('main h1')?.innerText === 'Sammenlign kommuner'"
    )
    wait_for_query(page, "lang", "da")
    assert query(page)["period"] == "2019" and query(page)["focus"] == "151"
    wait_for_bars(page, "v.focus === '151'")
    assert "Ballerup ligger på en " in page.inner_text("#compare-bar-summary")
    assert "procentpoint" in page.inner_text("#compare-bar-summary")
    assert page.console_watch.errors == []


@pytest.mark.parametrize(
    ("path", "title", "suggestion"),
    [
        (
            "/compare?indicator=employmnt_gap",
            "Unknown indicator",
            "Employment gap (employment_gap)",
        ),
        ("/compare?focus=Balerup", "Unknown municipality", "Ballerup (151)"),
        ("/compare?focus=151&peers=regin", "Unknown peer group", "region"),
        ("/compare?indicator=employment_gap&period=2099", "Unknown period", "2023"),
        ("/compare?indicator=unemployment_gap&focus=0301", "Not published", "Employment gap"),
    ],
)
def test_bad_parameters_are_helpful(
    page, app_url: str, screenshot_dir: Path, path: str, title: str, suggestion: str
) -> None:
    page.goto(f"{app_url}{path}")
    page.wait_for_selector("#problem")
    text = page.inner_text("main")
    assert title in text and suggestion in text
    assert "Traceback" not in page.content()
    if "employmnt" in path:
        page.screenshot(path=str(screenshot_dir / "compare-unknown-indicator.png"))
        page.get_by_role("link", name=suggestion).click()
        page.wait_for_selector(f"{BAR} .barlayer")
        wait_for_query(page, "indicator", "employment_gap")
    assert page.console_watch.errors == []


def test_norway_works_too(page, app_url: str, screenshot_dir: Path) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    # 2019: the municipalities formed by a later split have no figure yet, so some are missing.
    view = open_compare(page, app_url, "/compare?indicator=nonwestern_share&country=NO&period=2019")
    assert query(page)["country"] == "NO"
    assert len(view["codes"]) > 300 and view["focus"] is None
    assert page.locator("#compare-missing li").count() > 0
    page.screenshot(path=str(screenshot_dir / "compare-no-all-1920.png"))

    choose(page, "compare-focus", "Oslo", "Oslo (0301)")
    wait_for_query(page, "focus", "0301")
    wait_for_bars(page, "v.focus === '0301'")
    choose(page, "compare-indicator", "Employment gap", "Employment gap")
    wait_for_query(page, "indicator", "employment_gap")
    page.wait_for_function(
        "() => document.querySelector('#compare-funnel-summary').innerText.includes("
        "'provider publishes rates only')"
    )
    page.locator("#compare-scatter").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "compare-no-oslo-charts-1920.png"))
    page.evaluate("() => document.querySelector('#compare-heading').scrollIntoView()")
    page.screenshot(path=str(screenshot_dir / "compare-no-oslo-1920.png"))
    assert page.console_watch.errors == []


def test_dk_charts_at_projector_size(page, app_url: str, screenshot_dir: Path) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_compare(page, app_url, "/compare?focus=151&peers=region&lang=en")
    page.screenshot(path=str(screenshot_dir / "compare-dk-region-1920.png"))
    page.locator("#compare-funnel").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "compare-dk-funnel-scatter-1920.png"))
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.locator("#compare-table").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "compare-dk-table-1600.png"))
    assert page.console_watch.errors == []


def test_own_group_and_csv_download(page, app_url: str, tmp_path: Path) -> None:
    open_compare(page, app_url, "/compare?focus=151")
    choose(page, "compare-peers", "", "Own group")
    page.wait_for_selector("#compare-group-section", state="visible")
    choose(page, "compare-group-members", "Ballerup", "Ballerup (151)")
    page.keyboard.press("Escape")
    choose(page, "compare-group-members", "Herlev", "Herlev (163)")
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('peers') === 'group:My group~151,163'"
    )
    wait_for_bars(page, "v.codes.length === 2 && v.focus === '151'")
    assert "group “My group”" in page.inner_text("#compare-heading")

    with page.expect_download() as event:
        page.click("#compare-download-button")
    download = event.value
    assert download.suggested_filename.startswith("compare-employment_gap-DK-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = path.read_text(encoding="utf-8")
    view = page.evaluate("() => location.href")
    assert f"# View: {view}" in text
    assert "# Data: DEMO, simulated figures" in text and "RAS201" in text
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert body[0].startswith("rank,municipality,code,value")
    assert len(body) == 3  # header and the group's two municipalities
    assert page.console_watch.errors == []


def test_small_groups_are_marked_and_one_switch_hides_them(
    page, app_url: str, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1600, "height": 1000})
    view = open_compare(page, app_url, "/compare?indicator=employment_gap&country=NO")
    names = page.evaluate(
        f"() => document.querySelector('{BAR}').data.filter(t => t.type === 'bar')"
        ".map(t => t.name.replace('<br>', ' '))"
    )
    assert "Small groups (fewer than 80 in the target group)" in names
    assert "fewer than 80 in the target group (dotted bars)" in page.inner_text(
        "#compare-bar-summary"
    )
    ranked = len(view["codes"])
    page.screenshot(path=str(screenshot_dir / "compare-no-small-marked-1600.png"))

    switch = "Leave small groups (fewer than 80 in the target group) out of the ranking"
    page.get_by_label(switch).check()
    wait_for_query(page, "small", "hide")
    wait_for_bars(page, f"v.codes.length < {ranked}")
    assert "Left out of the ranking" in page.inner_text("#compare-missing")
    page.screenshot(path=str(screenshot_dir / "compare-no-small-hidden-1600.png"))
    # A copied link keeps the switch.
    page.reload()
    page.wait_for_selector(f"{BAR} .barlayer")
    assert page.is_checked("#compare-small input[type=checkbox]")
    assert len(page.evaluate(BAR_VIEW)["codes"]) < ranked
    assert page.console_watch.errors == []


TABLE_NAMES = "#compare-table td[data-column='name']"


def page_words(page) -> str:
    return page.inner_text("#compare-table .sortable-table-page")


def test_the_table_shows_a_page_at_a_time_from_the_focus(page, app_url: str) -> None:
    # Norway's 357 municipalities: 25 rows a page, opened at Oslo's (the 5th in rank order:
    # the first page; the 54th would be on the third); the page buttons have names in the
    # reader's language (axe checks them in test_accessibility) and move by click and key.
    open_compare(page, app_url, "/compare?indicator=nonwestern_share&focus=0301&lang=nb")
    page.wait_for_selector(TABLE_NAMES)
    names = page.locator(TABLE_NAMES).all_inner_texts()
    assert len(names) == 25 and "Oslo" in names
    pages = -(-357 // 25)
    assert page_words(page) == f"Side 1 av {pages}"
    oslo = page.locator("#compare-table tr.is-focus")
    assert oslo.count() == 1 and "Oslo" in oslo.inner_text()
    look = oslo.locator("td").first.evaluate(
        "c => [getComputedStyle(c).backgroundColor, getComputedStyle(c).fontWeight]"
    )
    assert look == ["rgb(212, 233, 247)", "700"]
    labels = page.eval_on_selector_all(
        "#compare-table .sortable-table-pager button",
        "e => e.map(b => b.getAttribute('aria-label'))",
    )
    assert labels == ["Første side", "Forrige side", "Neste side", "Siste side"]
    first = page.get_by_role("button", name="Første side")
    assert first.get_attribute("aria-disabled") == "true"

    page.get_by_role("button", name="Neste side").click()
    page.wait_for_function(
        "(n) => !document.querySelector(n).innerText.includes('Oslo')", arg="#compare-table tbody"
    )
    after = page.locator(TABLE_NAMES).all_inner_texts()
    assert len(after) == 25 and not set(after) & set(names)
    assert page_words(page) == f"Side 2 av {pages}"
    # By keyboard: Enter and Space on a focused page button.
    page.get_by_role("button", name="Siste side").focus()
    page.keyboard.press("Enter")
    assert page_words(page) == f"Side {pages} av {pages}"
    assert page.locator(TABLE_NAMES).count() == 357 - 25 * (pages - 1)
    assert page.get_by_role("button", name="Neste side").get_attribute("aria-disabled") == "true"
    page.get_by_role("button", name="Neste side").click(force=True)  # no page beyond
    assert page_words(page) == f"Side {pages} av {pages}"
    page.get_by_role("button", name="Forrige side").focus()
    page.keyboard.press(" ")
    assert page_words(page) == f"Side {pages - 1} av {pages}"
    page.get_by_role("button", name="Første side").click()
    assert page.locator(TABLE_NAMES).all_inner_texts() == names
    assert page.console_watch.errors == []


def test_the_table_opens_at_a_later_focus_page(page, app_url: str) -> None:
    # A focus further down the ranking: the table opens at its page, not the first.
    open_compare(page, app_url, "/compare?indicator=nonwestern_share&country=NO&peers=all")
    page.get_by_role("button", name="Last page").click()
    last = page.locator(TABLE_NAMES).all_inner_texts()[-1]
    code = page.locator("#compare-table td[data-column='code']").last.inner_text()
    open_compare(page, app_url, f"/compare?indicator=nonwestern_share&focus={code}&peers=all")
    assert page_words(page) == f"Page {-(-357 // 25)} of {-(-357 // 25)}"
    assert page.locator("#compare-table tr.is-focus td[data-column='name']").inner_text() == last
    assert page.console_watch.errors == []
