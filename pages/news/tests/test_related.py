"""Register entries an article is about: offered and shown through the registry the register fills."""

import pytest

from declarations.models import Status
from declarations.tests.factories import make_declaration
from pages.related import registry


@pytest.fixture
def kind():
    registry.register(
        registry.RelatedKind(
            key="sample",
            label="見本",
            choices=lambda: [("1", "一つ目"), ("2", "二つ目")],
            resolve=lambda ids: {
                pk: registry.RelatedLink("見本", f"項目{pk}", f"/sample/{pk}/") for pk in ids if pk != "2"
            },
        )
    )
    yield
    registry.unregister("sample")


def test_choices_are_grouped_by_kind_and_store_kind_and_id(db, kind):
    groups = dict(registry.choices())
    assert groups["見本"] == [("sample:1", "一つ目"), ("sample:2", "二つ目")]


def test_resolve_keeps_order_skips_hidden_unknown_and_repeated_values(kind):
    links = registry.resolve(["sample:3", "sample:2", "other:1", "garbage", "", None, "sample:1", "sample:3"])
    assert [link.title for link in links] == ["項目3", "項目1"]


def test_the_register_offers_and_shows_public_declarations_only(db):
    public = make_declaration(Status.PUBLISHED, name="株式会社みほん")
    pending = make_declaration(Status.PENDING, name="審査待ちの会社")
    offered = dict(dict(registry.choices())["宣言企業・団体"])
    assert offered[f"declaration:{public.pk}"] == "株式会社みほん（高知市）"
    assert f"declaration:{pending.pk}" not in offered
    links = registry.resolve([f"declaration:{pending.pk}", f"declaration:{public.pk}", "declaration:abc"])
    assert [(link.title, link.url, link.note) for link in links] == [
        ("株式会社みほん", f"/declarations/{public.pk}/", "高知市")
    ]


def test_the_cms_side_never_imports_the_register():
    import ast
    from pathlib import Path

    for path in [*Path("pages/news").rglob("*.py"), *Path("pages/related").rglob("*.py")]:
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        modules += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        assert not any(module.startswith("declarations") for module in modules), path
