"""Component ids, one place for all of them; each is prefixed by its page's name."""

MUNICIPALITY_PICKER = "municipality-picker"
MUNICIPALITY_LOCATION = "municipality-location"
MUNICIPALITY_CHART = "municipality-chart"
MUNICIPALITY_INDICATOR = "municipality-indicator"
