"""The house is built one way: the apps stand on the library, the wiring stands on both, nothing on the wiring.

- LIBRARY (`core/`) holds the rules every app shares (text, era dates, spreadsheets, limits, the outbox,
  the full-page cache, the scheduler). It imports no app and no wiring: an app that needs the library to
  know about it registers itself (health checks, scheduled jobs, page-cache hooks) from its AppConfig.
- WIRING (`kochi_kyosei/`: settings, URLs, WSGI, the error handlers) puts the apps together, so it may
  import anything; only entry points and tests import it. Code reads `django.conf.settings`, which is not
  an import of our settings module.
- No module reaches itself again through what it imports. Imports inside functions count: one put there
  to dodge the circle still ties the two modules together.

The graph is read from the source with `ast`, so it sees every import whether or not a test runs it.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = "core"
WIRING = "kochi_kyosei"
# Top-level packages that are neither app nor library: the suite and its helpers.
TEST_PACKAGES = {"tests"}
# Besides the wiring itself and tests: the command-line entry point and the suite's fixtures.
WIRING_ENTRY_POINTS = {"manage", "conftest"}
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "__pycache__", "static", "templates", "locale", "docs"}


def module_name(path, root):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root):
    """{module name: path} for every .py file in a top-level package, and the top-level scripts."""
    modules = {}
    for path in sorted(root.glob("*.py")):
        modules[module_name(path, root)] = path
    for package in sorted(root.iterdir()):
        if package.name in SKIPPED_FOLDERS or not (package / "__init__.py").is_file():
            continue
        for path in sorted(package.rglob("*.py")):
            if SKIPPED_FOLDERS.isdisjoint(path.relative_to(root).parts):
                modules[module_name(path, root)] = path
    return modules


def runtime_nodes(tree):
    """Every node but those under `if TYPE_CHECKING:`, which never run."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                stack.extend(child.orelse)
            else:
                stack.append(child)


def _is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _known(name, modules):
    """The module `name` loads among ours: itself, or the nearest package of it that we have."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(name, path, modules):
    """The project modules that module `name` imports, each with the line that does it."""
    is_package = path.name == "__init__.py"
    found = {}
    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            # `from package import module` loads the module; `from module import name` the module.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            known = _known(target, modules)
            if known and known != name:
                found.setdefault(known, node.lineno)
    return found


def import_graph(root=ROOT):
    modules = project_modules(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph):
    """One shortest circle through each group of modules that import each other (Tarjan's components)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(start):
        # Iterative, so a long chain of imports cannot exhaust Python's recursion limit.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_shortest_circle(graph, min(component), component) for component in components]


def _shortest_circle(graph, start, component):
    paths = {start: [start]}
    queue = [start]
    for node in queue:
        for successor in sorted(graph[node]):
            if successor == start:
                return [*paths[node], start]
            if successor in component and successor not in paths:
                paths[successor] = [*paths[node], successor]
                queue.append(successor)
    raise AssertionError(f"no circle through {start}")


def describe(graph, circle):
    return (
        " → ".join(
            f"{module} (line {graph[module][successor]})" for module, successor in zip(circle, circle[1:], strict=False)
        )
        + f" → {circle[-1]}"
    )


def top_level(module):
    return module.split(".")[0]


def in_tests(module):
    parts = module.split(".")
    return parts[0] in TEST_PACKAGES or "tests" in parts or parts[-1].startswith("test_")


def app_packages(graph):
    return {top_level(module) for module in graph if "." in module} - {LIBRARY, WIRING} - TEST_PACKAGES


def test_no_module_imports_itself_back():
    graph = import_graph()
    found = [describe(graph, circle) for circle in cycles(graph)]
    assert not found, "Import circles (break each by moving the shared part down or registering):\n" + "\n".join(found)


def test_the_library_imports_no_app_and_no_wiring():
    graph = import_graph()
    forbidden = app_packages(graph) | {WIRING}
    found = [
        f"{module} line {line} imports {target}"
        for module, targets in sorted(graph.items())
        if top_level(module) == LIBRARY and not in_tests(module)
        for target, line in sorted(targets.items())
        if top_level(target) in forbidden
    ]
    assert not found, f"{LIBRARY}/ must not depend on the apps or the wiring:\n" + "\n".join(found)


def test_only_entry_points_and_tests_import_the_wiring():
    graph = import_graph()
    found = [
        f"{module} line {line} imports {target}"
        for module, targets in sorted(graph.items())
        if top_level(module) != WIRING and module not in WIRING_ENTRY_POINTS and not in_tests(module)
        for target, line in sorted(targets.items())
        if top_level(target) == WIRING
    ]
    assert not found, f"Nothing but entry points and tests imports {WIRING}/:\n" + "\n".join(found)


def test_the_graph_sees_the_imports_the_rules_are_about():
    # The rules above pass on an empty graph; this one does not: the wiring's URLconf mounts the apps,
    # and the apps stand on the library.
    graph = import_graph()
    assert graph[f"{WIRING}.urls"].keys() & {module for module in graph if top_level(module) in app_packages(graph)}
    pages_imports = {target for module, targets in graph.items() if top_level(module) == "pages" for target in targets}
    assert any(top_level(target) == LIBRARY for target in pages_imports)


def test_circles_through_relative_and_function_level_imports_are_found(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "models.py").write_text("from . import listing\n")
    (tmp_path / "shop" / "listing.py").write_text("def build():\n    from .models import Item\n")
    (tmp_path / "shop" / "typing_only.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.models import Item\n"
    )
    (tmp_path / "shop" / "helpers.py").write_text("from shop import typing_only\n")

    graph = import_graph(tmp_path)

    assert cycles(graph) == [["shop.listing", "shop.models", "shop.listing"]]
    assert graph["shop.typing_only"] == {}
    assert describe(graph, cycles(graph)[0]) == "shop.listing (line 2) → shop.models (line 1) → shop.listing"
