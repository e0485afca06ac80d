"""Entries outside the page tree that a page may say it is about, offered by the apps that own them.

The CMS knows no app: an app that keeps entries (the register) describes them as a `RelatedKind` and
registers it in its `AppConfig.ready()`. The article's 「関連する登録情報」 block offers the choices of
every registered kind and stores "kind:id"; the page shows each chosen entry by asking its kind again,
so an entry that has left public view since (a withdrawn declaration) is simply not shown, and an
entry of a kind no longer registered is skipped.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RelatedLink:
    """One entry as a page shows it: 宣言企業・団体：株式会社○○（高知市）."""

    kind_label: str
    title: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class RelatedKind:
    """One kind of entry.

    key: stored in the block's value ("declaration" in "declaration:12"); never change it once used.
    label: what editors and readers call the kind (「宣言企業・団体」).
    choices(): (id, text) of every entry editors may choose now, in the order to offer them.
    resolve(ids): {id: RelatedLink} for those of `ids` the public may see now (ids are strings).
    """

    key: str
    label: str
    choices: Callable[[], Iterable[tuple[str, str]]]
    resolve: Callable[[list[str]], dict[str, RelatedLink]]


SEPARATOR = ":"

_kinds: dict[str, RelatedKind] = {}


def register(kind):
    """Add a kind (replacing any earlier one with the same key)."""
    _kinds[kind.key] = kind
    return kind


def unregister(key):
    _kinds.pop(key, None)


def kinds():
    return list(_kinds.values())


def choices():
    """The chooser's options, grouped by kind: [(label, [("declaration:12", "株式会社○○（高知市）"), …]), …].

    Module-level, so a block can take it as its callable choices (a migration refers to it by name).
    """
    return [
        (kind.label, [(f"{kind.key}{SEPARATOR}{pk}", text) for pk, text in kind.choices()]) for kind in _kinds.values()
    ]


def parse(value):
    """("declaration", "12") from "declaration:12"; None for anything else."""
    key, separator, pk = str(value or "").partition(SEPARATOR)
    return (key, pk) if separator and key and pk else None


def resolve(values):
    """The public RelatedLinks for stored values, in their order, each once; others are left out."""
    wanted = {}
    for value in values:
        parsed = parse(value)
        if parsed and parsed[0] in _kinds:
            wanted.setdefault(parsed[0], []).append(parsed[1])
    found = {key: _kinds[key].resolve(list(dict.fromkeys(ids))) for key, ids in wanted.items()}
    links, seen = [], set()
    for value in values:
        parsed = parse(value)
        if parsed is None or parsed in seen:
            continue
        seen.add(parsed)
        link = found.get(parsed[0], {}).get(parsed[1])
        if link is not None:
            links.append(link)
    return links
