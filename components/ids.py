"""Every component id of the app, defined once. Ids are prefixed by the page that owns them.

Pages, components and views import these names; a test checks no module writes an id literal
that is defined here.
"""

# The frame (components/shell.py)
PAGE_META = "page-meta"  # the page's tab title and language
PAGE_META_DONE = "page-meta-done"  # the output of the callback that applies PAGE_META
ERROR = "error-area"  # where the error box of a failed callback appears
PROBLEM = "problem"  # the box for something in the address that cannot be shown
PROBLEM_LINKS = "problem-links"  # its suggestions
MAIN = "main"  # the page's content (the skip link's target)
NAV = "nav"  # prefix of the navigation links' ids: nav-compare, nav-map, ...

# The municipality picker (home and municipality pages) and the municipality page
MUNICIPALITY_PICKER = "municipality-picker"
MUNICIPALITY_LOCATION = "municipality-location"
MUNICIPALITY_CHART = "municipality-chart"
SCORECARD_GRID = "scorecard-grid"

# Compare
COMPARE_URL_STORE = "compare-url"
COMPARE_URL_DONE = "compare-url-done"
COMPARE_LANG_STORE = "compare-lang"
COMPARE_INDICATOR = "compare-indicator"
COMPARE_PERIOD = "compare-period"
COMPARE_COUNTRY = "compare-country"
COMPARE_FOCUS = "compare-focus"
COMPARE_PEERS = "compare-peers"
COMPARE_GROUP_SECTION = "compare-group-section"
COMPARE_GROUP_MEMBERS = "compare-group-members"
COMPARE_GROUP_NAME = "compare-group-name"
COMPARE_SMALL = "compare-small"
COMPARE_MESSAGE = "compare-message"
COMPARE_HEADING = "compare-heading"
COMPARE_WHY = "compare-why"  # why these peers (the similar municipalities' reasons)
COMPARE_RESULTS = "compare-results"
COMPARE_BAR = "compare-bar"
COMPARE_BAR_SUMMARY = "compare-bar-summary"
COMPARE_MISSING = "compare-missing"
COMPARE_FUNNEL = "compare-funnel"
COMPARE_FUNNEL_SUMMARY = "compare-funnel-summary"
COMPARE_SCATTER = "compare-scatter"
COMPARE_SCATTER_SUMMARY = "compare-scatter-summary"
COMPARE_TABLE = "compare-table"
COMPARE_DOWNLOAD_BUTTON = "compare-download-button"
COMPARE_DOWNLOAD = "compare-download"
COMPARE_DOWNLOAD_SPREADSHEET = "compare-download-spreadsheet"  # the CSV for spreadsheets
COMPARE_PRESENT = "compare-present"  # the group as a deck for a meeting (a small group only)

# Trends
TREND_INDICATOR = "trend-indicator"
TREND_MUNICIPALITIES = "trend-municipalities"
TREND_MEASURE = "trend-measure"
TREND_LOCATION = "trend-location"
TREND_CHART = "trend-chart"
TREND_SUMMARY = "trend-summary"

# Map
MAP_INDICATOR = "map-indicator"
MAP_PERIOD = "map-period"
MAP_COUNTRY = "map-country"
MAP_LOCATION = "map-location"
MAP_CHART = "map-chart"
MAP_SUMMARY = "map-summary"
MAP_DOWNLOAD_BUTTON = "map-download-button"
MAP_DOWNLOAD_SPREADSHEET = "map-download-spreadsheet"
MAP_DOWNLOAD = "map-download"

# Changes since a snapshot, presentation mode, downloads (issue 11)
CHANGES_LIST = "changes-list"
CHANGES_PRESENT = "changes-present"  # the changes page's way into presentation mode
CHANGES_PPTX = "changes-pptx"
PRESENT_DECK = "present-deck"
PRESENT_SLIDE_NUMBER = "present-slide-number"
DOWNLOAD_TABLE = "download-table"
PRESENT_PPTX = "present-pptx"  # the municipality page's deck as PPTX
PRESENT_CHANGES = "present-changes"  # and what changed since the last meeting
PRESENT_LINK = "present-link"  # the municipality page's way into presentation mode

# One indicator's page
INDICATOR_DOWNLOAD = "indicator-download"  # the download, and its buttons' pattern type
INDICATOR_DOWNLOAD_VIEW = "indicator-download-view"  # which indicator, in which language
