"""「もしかして」: when a search finds nothing, the titles that share the most bigrams with the query."""

from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Length

from .models import SearchEntry

MAX_SUGGESTIONS = 3
# A long query is judged by its first bigrams; each one is a condition on every title.
MAX_BIGRAMS = 20


def query_bigrams(words):
    """The distinct bigrams of the (normalised) words, a one-character word being its own."""
    bigrams = []
    for word in words:
        for piece in [word] if len(word) == 1 else [word[i : i + 2] for i in range(len(word) - 1)]:
            if piece not in bigrams:
                bigrams.append(piece)
    return bigrams[:MAX_BIGRAMS]


def did_you_mean(words, entries=None):
    """Up to MAX_SUGGESTIONS distinct titles of public entries, the most bigrams shared first.

    Ties go to the shorter title (closer to what was typed), then to the older entry, so both
    databases give the same list.
    """
    bigrams = query_bigrams(words)
    if not bigrams:
        return []
    shared = sum(
        (
            Case(When(normalised_title__contains=bigram, then=Value(1)), default=Value(0), output_field=IntegerField())
            for bigram in bigrams
        ),
        start=Value(0),
    )
    candidates = (
        (SearchEntry.objects.public() if entries is None else entries)
        .annotate(shared=shared, title_length=Length("normalised_title"))
        .filter(shared__gt=0)
        .order_by("-shared", "title_length", "id")
        .values_list("title", flat=True)
    )
    titles = []
    # Entries may share a title (two branches of one company): a few more rows give three distinct ones.
    for title in candidates[: MAX_SUGGESTIONS * 4]:
        if title not in titles:
            titles.append(title)
    return titles[:MAX_SUGGESTIONS]
