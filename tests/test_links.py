"""Navigation keeps the reader's context (views/links.py), without Dash and without data."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from views.links import Context, compare_href, map_href, municipality_href, nav_links, trend_href


def parts(href: str) -> tuple[str, dict[str, str]]:
    url = urlsplit(href)
    return url.path, {k: v[0] for k, v in parse_qs(url.query).items()}


BALLERUP = Context(
    municipalities=("151",), indicator="employment_gap", peers="similar", country="DK"
)


def test_every_nav_link_keeps_the_language_and_what_its_page_has() -> None:
    links = {key: parts(href) for key, _label, href in nav_links(BALLERUP, "da")}
    assert set(links) == {
        "municipality",
        "compare",
        "trend",
        "map",
        "indicator",
        "about",
        "download",
    }
    assert all(query["lang"] == "da" for _path, query in links.values())
    assert links["municipality"] == (
        "/kommune/151",
        {"indicator": "employment_gap", "peers": "similar", "lang": "da"},
    )
    assert links["compare"] == (
        "/compare",
        {"indicator": "employment_gap", "peers": "similar", "focus": "151", "lang": "da"},
    )
    assert links["trend"] == (
        "/trend",
        {"indicator": "employment_gap", "municipalities": "151", "lang": "da"},
    )
    assert links["map"] == ("/map", {"indicator": "employment_gap", "country": "DK", "lang": "da"})
    assert links["about"] == ("/about", {"lang": "da"})


def test_without_context_the_links_are_plain() -> None:
    hrefs = [href for _key, _label, href in nav_links(None, "en")]
    assert hrefs == [
        "/?lang=en",
        "/compare?lang=en",
        "/trend?lang=en",
        "/map?lang=en",
        "/indicator?lang=en",
        "/about?lang=en",
        "/download?lang=en",
    ]


def test_period_travels_with_its_indicator_only() -> None:
    seen = Context(indicator="nonwestern_share", period="2024K1", country="NO")
    assert parts(map_href(seen, "nb"))[1]["period"] == "2024K1"
    assert parts(compare_href(seen, "nb"))[1] == {
        "indicator": "nonwestern_share",
        "period": "2024K1",
        "country": "NO",
        "lang": "nb",
    }
    unknown = Context(indicator="no_such_indicator", period="2024K1")
    assert "period" not in parts(compare_href(unknown, "en"))[1]


def test_an_indicator_the_country_lacks_is_left_out() -> None:
    # Unemployment gap is Danish only: Oslo's links drop it rather than lead to a problem page.
    oslo = Context(municipalities=("0301",), indicator="unemployment_gap", period="2023")
    assert parts(compare_href(oslo, "en"))[1] == {"focus": "0301", "lang": "en"}
    assert parts(trend_href(oslo, "en"))[1] == {"municipalities": "0301", "lang": "en"}
    assert parts(municipality_href(oslo, "en")) == ("/kommune/0301", {"lang": "en"})


def test_peer_groups_around_a_focus_need_one() -> None:
    no_focus = Context(indicator="employment_gap", peers="region", country="DK")
    assert "peers" not in parts(compare_href(no_focus, "en"))[1]
    group = Context(municipalities=("151",), peers="group:Vest~151,153")
    assert parts(compare_href(group, "en"))[1]["peers"] == "group:Vest~151,153"
    assert "peers=group:Vest~151,153" in compare_href(group, "en")  # readable in the address
    # A group of another country's municipalities does not follow a Norwegian focus.
    mixed = Context(municipalities=("0301",), peers="group:Vest~151,153")
    assert "peers" not in parts(municipality_href(mixed, "en"))[1]


def test_trend_keeps_one_country() -> None:
    several = Context(municipalities=("151", "0301", "153"), indicator="employment_gap")
    assert parts(trend_href(several, "en"))[1]["municipalities"] == "151,153"
