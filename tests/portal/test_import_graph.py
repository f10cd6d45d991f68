"""The project's imports flow one way: portal → content apps → search → content.base.

Walks every import of the project's own packages with `ast` — also the imports inside functions,
which hide a circle but do not remove it — and checks the layering and that no module circle exists.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "content", "search")


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts:
                continue
            name = ".".join(rel.with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            for target in targets:
                found = resolve(target)
                # a module importing its own package's __init__ (or a submodule of itself) is no arrow
                if found and found != name and not name.startswith(found + "."):
                    graph[name].add(found)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return result


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_the_walk_sees_the_imports(graph):
    # the check would pass vacuously if the walk found nothing
    assert "content.base.models" in graph["content.library.models"]
    assert "search.analysis" in graph["search.indexing"]


def test_no_app_imports_the_project_package(graph):
    offenders = {m: sorted(t for t in targets if t.split(".")[0] == "portal")
                 for m, targets in graph.items() if not m.startswith("portal")}
    assert {m: t for m, t in offenders.items() if t} == {}


def test_search_imports_no_content_app_but_base(graph):
    offenders = {m: sorted(t for t in targets if t.startswith("content.") and not t.startswith("content.base"))
                 for m, targets in graph.items() if m.startswith("search")}
    assert {m: t for m, t in offenders.items() if t} == {}


def test_base_imports_no_feature_app(graph):
    offenders = {m: sorted(t for t in targets if t.startswith("content.") and not t.startswith("content.base"))
                 for m, targets in graph.items() if m.startswith("content.base")}
    assert {m: t for m, t in offenders.items() if t} == {}


def test_a_circle_is_found_when_there_is_one():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_search_api_does_not_import_the_search_page(graph):
    assert "search.views" not in graph["search.api"]
    assert "search.params" in graph["search.api"] and "search.params" in graph["search.views"]


def test_content_apps_share_medical_review_through_editorial_not_through_each_other(graph):
    def app(module):
        return ".".join(module.split(".")[:2])

    app_edges = {(app(m), app(t)) for m, targets in graph.items() for t in targets
                 if m.startswith("content.") and t.startswith("content.") and app(m) != app(t)}
    assert ("content.core_messages", "content.editorial") in app_edges
    assert ("content.core_messages", "content.library") not in app_edges
    mutual = {(a, b) for a, b in app_edges if (b, a) in app_edges}
    assert mutual == set()


def test_no_module_circle(graph):
    assert circles(graph) == []
