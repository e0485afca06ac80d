"""Entries outside the page tree (the register's declarations) that a page may link to; see `registry`."""
