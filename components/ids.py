"""Component ids shared by more than one page (the picker) or used by the municipality page.

Other pages keep their ids as constants at the top of their own module, prefixed by the
page's name.
"""

MUNICIPALITY_PICKER = "municipality-picker"
MUNICIPALITY_LOCATION = "municipality-location"
MUNICIPALITY_CHART = "municipality-chart"
PAGE_META = "page-meta"  # the page's tab title and language (components/shell.py)
PAGE_META_DONE = "page-meta-done"  # the output of the callback that applies PAGE_META
