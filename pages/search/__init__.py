"""Site search that finds Japanese words anywhere inside a text, on SQLite and PostgreSQL alike.

Japanese has no spaces between words, so an index of whole words finds nothing. Every entry is
indexed by the character bigrams of its normalised text (FTS5 on SQLite, a tsvector with a GIN
index on PostgreSQL); the index narrows the candidates and a plain substring check on the
normalised text confirms them, so results are exactly "the text contains every word".
"""
