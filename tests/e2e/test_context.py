"""The reader's context survives navigation, and Compare keeps its view in the address: every
nav link, the municipality page's onward links, a new indicator's latest period, the country
switch, the copy link button and the table's sort order. Console clean throughout."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.browser

BAR = "#compare-bar .js-plotly-plot"


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_for_query(page, key: str, value: str | None) -> None:
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(location.search).get(k) === v", arg=[key, value]
    )


def choose(page, control: str, typed: str, option: str) -> None:
    page.click(f"#{control}")
    search = page.locator("input.dash-dropdown-search")
    if search.count() and typed:
        search.first.fill(typed)
    page.get_by_role("option", name=option, exact=True).first.click()


def test_every_nav_link_keeps_the_municipality_page_context(page, app_url: str) -> None:
    start = "/kommune/151?indicator=employment_gap&peers=similar&lang=da"
    expected = {
        "nav-municipality": ("/kommune/151", {"indicator": "employment_gap", "peers": "similar"}),
        "nav-compare": (
            "/compare",
            {"indicator": "employment_gap", "peers": "similar", "focus": "151"},
        ),
        "nav-trend": ("/trend", {"indicator": "employment_gap", "municipalities": "151"}),
        "nav-map": ("/map", {"indicator": "employment_gap", "country": "DK"}),
        "nav-indicator": ("/indicator", {}),
        "nav-about": ("/about", {}),
    }
    for link, (path, kept) in expected.items():
        page.goto(f"{app_url}{start}")
        page.wait_for_selector("#scorecard-grid")
        page.click(f"#{link}")
        page.wait_for_function("(p) => location.pathname === p", arg=path)
        page.wait_for_selector("main h1")
        for key, value in kept.items():
            assert query(page)[key] == value, (link, key)
        assert query(page)["lang"] == "da"
        assert page.evaluate("() => document.documentElement.lang") == "da"
    # On Compare: the view is Ballerup among its most similar, with their reasons.
    page.goto(f"{app_url}{start}")
    page.click("#municipality-compare-link")
    page.wait_for_selector(f"{BAR} .barlayer")
    assert "Ballerup" in page.inner_text("#compare-heading")
    assert page.locator("#compare-why #scorecard-similar").count() == 1
    page.goto(f"{app_url}{start}")
    page.click("#municipality-trend-link")
    page.wait_for_selector("#trend-chart .js-plotly-plot")
    assert query(page)["municipalities"] == "151"
    assert page.console_watch.errors == []


def test_compare_nav_links_follow_the_controls(page, app_url: str) -> None:
    page.goto(f"{app_url}/compare?indicator=employment_gap&focus=151&peers=region")
    page.wait_for_selector(f"{BAR} .barlayer")
    choose(page, "compare-period", "2019", "2019")
    wait_for_query(page, "period", "2019")
    page.wait_for_function(
        "() => document.querySelector('#nav-map').getAttribute('href').includes('period=2019')"
    )
    page.click("#nav-map")
    page.wait_for_function("() => location.pathname === '/map'")
    page.wait_for_selector("#map-title")
    assert query(page) == {
        "indicator": "employment_gap",
        "period": "2019",
        "country": "DK",
        "lang": "en",
    }
    assert page.inner_text("#map-title").endswith("2019")  # a period in a URL is respected
    page.click("#nav-compare")
    page.wait_for_selector(f"{BAR} .barlayer")
    assert query(page)["period"] == "2019" and query(page)["indicator"] == "employment_gap"
    assert page.console_watch.errors == []


def test_a_new_indicator_opens_on_its_latest_period(page, app_url: str) -> None:
    from queries.compare import list_periods

    page.goto(f"{app_url}/compare?indicator=employment_gap&period=2019&focus=151")
    page.wait_for_selector(f"{BAR} .barlayer")
    assert "2019" in page.inner_text("#compare-heading")  # the URL's period is respected
    choose(page, "compare-indicator", "Higher", "Higher education completed, ages 25-39")
    wait_for_query(page, "indicator", "higher_education_25_39")
    latest = list_periods("higher_education_25_39", "DK")[0]
    wait_for_query(page, "period", latest)
    page.wait_for_function(
        "(p) => document.querySelector('#compare-heading').innerText.includes(p)", arg=latest
    )
    with page.expect_download() as event:
        page.click("#compare-download-button")
    assert event.value.suggested_filename == f"compare-higher_education_25_39-DK-{latest}.csv"
    assert page.console_watch.errors == []


def test_country_switch_writes_the_url_and_explains_a_disabled_country(page, app_url: str) -> None:
    page.goto(f"{app_url}/compare?indicator=employment_gap&focus=151")
    page.wait_for_selector(f"{BAR} .barlayer")
    page.locator("#compare-country label", has_text="Norway").click()
    wait_for_query(page, "country", "NO")
    assert "focus" not in query(page)
    page.wait_for_function(
        "() => document.querySelector('#compare-heading').innerText.includes('Norway')"
    )
    # A Danish-only indicator: Norway cannot be chosen, and the option says why.
    page.goto(f"{app_url}/compare?indicator=unemployment_gap")
    page.wait_for_selector(f"{BAR} .barlayer")
    norway = page.locator("#compare-country label", has_text="Norway")
    assert "not published for this indicator" in norway.inner_text()
    assert norway.locator("input").is_disabled()
    assert page.console_watch.errors == []


def test_copy_link_copies_the_view_and_says_so(browser, app_url: str) -> None:
    from tests.e2e.conftest import ConsoleWatch

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page = context.new_page()
    watch = ConsoleWatch(page)
    try:
        page.goto(f"{app_url}/compare?indicator=employment_gap&focus=151&peers=region")
        page.wait_for_selector(f"{BAR} .barlayer")
        wait_for_query(page, "period", query(page).get("period") or "2023")
        page.click("#compare-copy-link")
        page.wait_for_function(
            "() => document.querySelector('#compare-copy-status').innerText === 'Link copied'"
        )
        assert page.evaluate("() => navigator.clipboard.readText()") == page.url
        # Without the Clipboard API the link is shown, selected, with words saying to copy it.
        page.evaluate("() => Object.defineProperty(navigator, 'clipboard', {value: undefined})")
        page.click("#compare-copy-link")
        box = page.locator("#compare-copy-link ~ .copy-link-fallback-box textarea")
        box.wait_for(state="visible")
        assert box.input_value() == page.url
        assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
        assert watch.errors == []
    finally:
        context.close()


TABLE = "#compare-table"


def column(page, key: str) -> list[str]:
    """The cells of one column on the table's page shown."""
    return page.locator(f"{TABLE} td[data-column='{key}']").all_inner_texts()


def heading(page, key: str):
    return page.locator(f"{TABLE} th[data-column='{key}']")


def test_table_sort_order_is_part_of_the_url(page, browser, app_url: str) -> None:
    page.goto(f"{app_url}/compare?indicator=employment_gap&focus=151&peers=region&lang=da")
    page.wait_for_selector(f"{BAR} .barlayer")
    ranked = column(page, "name")
    assert heading(page, "name").get_attribute("aria-sort") is None
    heading(page, "name").get_by_role("button").click()
    wait_for_query(page, "sort", "name:asc")
    assert heading(page, "name").get_attribute("aria-sort") == "ascending"
    ascending = column(page, "name")
    assert ascending != ranked
    # In Danish order (Æ, Ø and Å, also written Aa, after Z), the whole group of 29.
    assert page.inner_text(f"{TABLE} .sortable-table-page") == "Side 1 af 2"
    page.get_by_role("button", name="Sidste side").click()
    everyone = ascending + column(page, "name")
    assert len(everyone) == 29 and everyone == sorted(everyone, key=danish)
    assert everyone.index("Hvidovre") < everyone.index("Høje-Taastrup")  # Ø after V, not as O
    page.get_by_role("button", name="Første side").click()
    lang_en = page.get_attribute("#lang-en", "href")
    assert lang_en.count("sort=name:asc") + lang_en.count("sort=name%3Aasc") == 1
    # A second click reverses the order, a third goes back to the ranking and its focus page.
    heading(page, "name").get_by_role("button").click()
    wait_for_query(page, "sort", "name:desc")
    assert heading(page, "name").get_attribute("aria-sort") == "descending"
    assert column(page, "name") == everyone[::-1][:25]
    heading(page, "name").get_by_role("button").click()
    wait_for_query(page, "sort", None)
    assert heading(page, "name").get_attribute("aria-sort") is None
    assert column(page, "name") == ranked
    assert "Ballerup" in page.locator(f"{TABLE} tr.is-focus").inner_text()
    heading(page, "name").get_by_role("button").click()
    wait_for_query(page, "sort", "name:asc")
    # A copied link opens sorted.
    other = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    try:
        other.goto(page.url)
        other.wait_for_selector(f"{TABLE} td[data-column='name']")
        assert column(other, "name") == ascending
        assert heading(other, "name").get_attribute("aria-sort") == "ascending"
    finally:
        other.context.close()
    assert page.console_watch.errors == []


def danish(name: str) -> str:
    """A sort key for Danish order (Unicode CLDR's Danish collation: Æ, Ø, Å after Z, Aa as
    Å), letter case aside, as Intl.Collator("da") orders these names."""
    folded = name.casefold().replace("aa", "å")
    return folded.translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))


def numbers(cells: list[str]) -> list[float]:
    return [float(c.replace(",", "").replace("\u2212", "-")) for c in cells]


def test_table_sorts_numbers_as_numbers_by_keyboard_missing_last(page, app_url: str) -> None:
    # Every Danish municipality: group sizes from two to five digits (as text, "10,867" would
    # come before "51"); three without a value (empty cells: last in both directions).
    page.goto(f"{app_url}/compare?indicator=youth_education_20_24&focus=151&peers=all")
    page.wait_for_selector(f"{BAR} .barlayer")
    heading(page, "n").get_by_role("button").focus()
    page.keyboard.press("Enter")
    wait_for_query(page, "sort", "n:asc")
    assert heading(page, "n").get_attribute("aria-sort") == "ascending"
    smallest = numbers(column(page, "n"))
    assert smallest == sorted(smallest) and len(smallest) == 25 and smallest[0] < 1000
    page.get_by_role("button", name="Last page").click()
    largest = numbers(column(page, "n"))
    assert largest == sorted(largest) and largest[0] >= smallest[-1] and largest[-1] >= 1000
    heading(page, "n").get_by_role("button").focus()
    page.keyboard.press(" ")
    wait_for_query(page, "sort", "n:desc")
    assert heading(page, "n").get_attribute("aria-sort") == "descending"
    assert page.inner_text(f"{TABLE} .sortable-table-page").startswith("Page 1 of ")
    assert numbers(column(page, "n"))[: len(largest)] == sorted(largest, reverse=True)
    # Values: the missing ones (empty, with a note saying why) last in both directions.
    for direction in ("asc", "desc"):
        heading(page, "value").get_by_role("button").click()
        wait_for_query(page, "sort", f"value:{direction}")
        first = numbers(column(page, "value"))
        assert first == sorted(first, reverse=direction == "desc")
        page.get_by_role("button", name="Last page").click()
        values, notes = column(page, "value"), column(page, "note")
        assert values[-3:] == ["", "", ""] and all(values[:-3]) and all(notes[-3:])
        shown = numbers(values[:-3])
        assert shown == sorted(shown, reverse=direction == "desc")
    assert page.console_watch.errors == []
