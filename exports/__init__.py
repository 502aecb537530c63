"""Files for people to take away: CSV tables, snapshot zips, workbooks, chart images, decks.

Everything here reads through queries/ (withheld values stay withheld) and writes a file only
whole: built in memory or under a temporary name, renamed into place at the end.
"""
