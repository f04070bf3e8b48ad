"""The shape of the house (docs/architecture.md), checked on the source:

- views parse input, call one service or selector and render: no view module
  touches the ORM itself (`.objects.`, `.save(`);
- no view imports another app's view (services are the seams);
- no two project modules import each other, directly or round a circle, and
  a function-local import counts (it hides a cycle, it does not remove it);
- the apps depend downward only: outbox ← accounts ← profiles ← consents
  (its privacy and campaigns domains above its core) ← matching.

Each rule lists its allowed exceptions explicitly; the lists are empty."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["outbox", "accounts", "profiles", "consents", "matching"]
SKIP = {"migrations", "tests", "__pycache__", "management"}

# Which apps each app may import (below it). consents' domains sit above
# its core: consents.privacy and consents.campaigns may import consents.
ALLOWED = {
    "outbox": set(),
    "accounts": {"outbox"},
    "profiles": {"outbox", "accounts"},
    "consents": {"outbox", "accounts", "profiles"},
    "consents.privacy": {"outbox", "accounts", "profiles", "consents"},
    "consents.campaigns": {"outbox", "accounts", "profiles", "consents"},
    "consents.contact": {"outbox", "accounts", "profiles", "consents"},
    "matching": {"outbox", "accounts", "profiles", "consents"},
}
ORM_IN_VIEWS_ALLOWED: set[str] = set()
UPWARD_IMPORTS_ALLOWED: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if SKIP & set(path.relative_to(ROOT).parts):
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> set[str]:
    """Project modules `module` imports, anywhere in its body."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            target = _resolve(name)
            if target and target != module:
                found.add(target)
    return found


def _domain(module: str) -> str:
    for domain in ("consents.privacy", "consents.campaigns", "consents.contact"):
        if module == domain or module.startswith(domain + "."):
            return domain
    return module.split(".")[0]


def _is_view_module(module: str) -> bool:
    return module.rsplit(".", 1)[-1] == "views" or module.endswith("_views")


def test_no_view_touches_the_orm():
    found = []
    for module, path in MODULES.items():
        if not _is_view_module(module):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                found.append(f"{module}:{node.lineno} .objects.")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "save":
                found.append(f"{module}:{node.lineno} .save(")
    assert set(found) == ORM_IN_VIEWS_ALLOWED, "\n".join(sorted(set(found) - ORM_IN_VIEWS_ALLOWED))


def test_no_view_imports_another_apps_view():
    found = [
        f"{module} imports {target}"
        for module in MODULES
        for target in _imports(module)
        if _is_view_module(target) and _domain(target) != _domain(module)
    ]
    assert not found, "\n".join(found)


def test_no_import_cycles():
    graph = {module: _imports(module) for module in MODULES}
    cycles = set()

    def visit(node: str, stack: list[str], on_stack: set[str], done: set[str]):
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt in on_stack:
                cycle = stack[stack.index(nxt) :]
                start = cycle.index(min(cycle))
                cycles.add(" -> ".join(cycle[start:] + cycle[:start]))
            elif nxt not in done:
                visit(nxt, stack, on_stack, done)
        stack.pop()
        on_stack.discard(node)
        done.add(node)

    done: set[str] = set()
    for module in sorted(graph):
        if module not in done:
            visit(module, [], set(), done)
    assert not cycles, "\n".join(sorted(cycles))


def test_apps_depend_downward_only():
    found = set()
    for module in MODULES:
        here = _domain(module)
        for target in _imports(module):
            there = _domain(target)
            if there != here and there not in ALLOWED[here]:
                found.add((module, target))
    assert found == UPWARD_IMPORTS_ALLOWED, "\n".join(f"{a} imports {b}" for a, b in sorted(found))
