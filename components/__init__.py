"""The dashboard's parts. Its one component of its own, Chart (chart.py), has its code here."""

__version__ = "1.0.0"

# Dash serves a package's files at /_dash-component-suites/<package>/ when the package lists
# them (dash/dash.py, `_collect_and_register_resources`); "dynamic" keeps Dash from adding it to
# every page itself: app.py puts it right after plotly.js, where the first paint needs it.
_js_dist = [{"relative_package_path": "chart.js", "namespace": "components", "dynamic": True}]
_css_dist: list[dict[str, str]] = []
