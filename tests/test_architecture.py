"""The apps' dependencies point one way (README, Layout): checked on the source, imports only.

Every `import` counts, those inside functions too: a lazy import is still a dependency, and
a circle hidden behind one is still a circle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each app may import of Guichet; anything of Django, Wagtail and libraries is free.
ALLOWED = {
    "ticketing.common": set(),
    "ticketing.parties": {"ticketing.common"},
    "ticketing.tickets": {"ticketing.common", "ticketing.parties"},
    "ticketing.records": {"ticketing.common", "ticketing.parties", "ticketing.tickets"},
    "ticketing.mail": {
        "ticketing.common",
        "ticketing.parties",
        "ticketing.tickets",
        "ticketing.records",
    },
    "ticketing.knowledge": {"ticketing.common", "ticketing.tickets", "faq"},
    "ticketing.notifications": {"ticketing.common", "ticketing.tickets", "ticketing.mail"},
    "ticketing.presence": {"ticketing.common", "ticketing.tickets"},
    "ticketing.conversation": {
        "ticketing.common",
        "ticketing.parties",
        "ticketing.tickets",
        "ticketing.records",
        "ticketing.mail",
    },
    "ticketing.desk": {
        "ticketing.common",
        "ticketing.parties",
        "ticketing.tickets",
        "ticketing.records",
        "ticketing.mail",
        "ticketing.knowledge",
        "faq",
    },
    "faq": set(),
}


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The Guichet modules that the file at `path` imports, wherever the import statement is."""
    names = set()
    package = module_of(path) if path.name == "__init__.py" else module_of(path.parent)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from .x import y
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {n for n in names if n.split(".")[0] in ("ticketing", "faq")}


def app_of(module: str) -> str | None:
    return next((app for app in ALLOWED if module == app or module.startswith(app + ".")), None)


SOURCES = sorted(path for top in ("ticketing", "faq") for path in (ROOT / top).rglob("*.py"))
MODULES = {module_of(path) for path in SOURCES}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_app_imports_only_what_it_may(path):
    app = app_of(module_of(path))
    if app is None:
        return  # ticketing/__init__.py: the package, no code
    wrong = {
        module
        for module in imported(path)
        if (other := app_of(module)) and other != app and other not in ALLOWED[app]
    }
    assert not wrong, f"{app} may not import {sorted(wrong)}"


def resolve(name: str) -> str | None:
    """The module an imported name belongs to: `a.b.c` is module `a.b.c` or `a.b`."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def test_no_import_circle():
    graph = {
        module_of(path): {m for name in imported(path) if (m := resolve(name))} - {module_of(path)}
        for path in SOURCES
    }
    # A package's __init__ importing its own modules is how packages work, not a circle.
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not module.startswith(t + ".")}
    circles, state = [], {}

    def visit(module, trail):
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                circles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not circles, "\n".join(" -> ".join(circle) for circle in circles)


def test_faq_migrations_depend_on_no_ticketing_app():
    labels = {
        "common",
        "parties",
        "tickets",
        "records",
        "mail",
        "knowledge",
        "conversation",
        "notifications",
        "presence",
        "desk",
        "ticketing",
    }
    for path in (ROOT / "faq" / "migrations").glob("0*.py"):
        tree = ast.parse(path.read_text())
        deps = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and any(getattr(t, "id", None) == "dependencies" for t in node.targets)
        ]
        for dep in deps:
            for pair in ast.literal_eval(dep):
                assert pair[0] not in labels, f"{path.name} depends on {pair}"
