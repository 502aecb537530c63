"""A local simulator of the Statistics Denmark and Statistics Norway APIs (see server.py)."""
