"""Plain functions behind the pages: URL parameters in, a view model out (no Dash, no HTML).

Each page module (pages/<name>.py) keeps only register_page, its layout and thin callbacks
that call these functions, so the logic is tested without importing Dash or the app.
"""
