"""The layering rule of docs/architecture.md, read from the source with `ast` (no import is executed):

1. The shared parts never import a program: no module under compliance_site/ (migrations excepted) imports
   `clawback` or `regfd`, by any import statement anywhere in the file (top level, class body, function
   body, `if TYPE_CHECKING:`), nor names one in `importlib.import_module`, `import_string` or
   `__import__`. The programs plug into the shared registries instead (documents, panels, reminders,
   navigation, the demo loaders), from their AppConfig.ready().
2. The programs never import each other: nothing under clawback/ imports regfd, nothing under regfd/
   imports clawback (same reading as rule 1).
3. No import cycles among the project's modules (compliance_site, clawback, regfd; migrations excepted).
   Every import statement is an edge, deferred ones in a function body included: a deferred import only hides
   a circle from Python at import time (services <-> tasks, bundle <-> kinds <-> rendering hid that way);
   the modules still depend on each other. Imports under `if TYPE_CHECKING:` are not edges (never run).
   An edge goes to the module the statement names (`from a.b import c` names a.b.c when that is a module,
   else the package a.b), and to the packages above it whose `__init__` Python runs first (a and a.b),
   except the importer's own packages, which are always initialised before it.
   Tasks call services, never the reverse; services that need each other are split by noun.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = "compliance_site"
PROGRAMS = ("clawback", "regfd")
PACKAGES = (SHARED, *PROGRAMS)
DYNAMIC_IMPORTERS = {"import_module", "import_string", "__import__"}


@dataclass(frozen=True)
class Import:
    name: str  # the dotted name as written (resolved when relative): a module or module.attribute
    line: int
    type_checking: bool


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                modules[module_name(path, root)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return any(
        (isinstance(node, ast.Name) and node.id == "TYPE_CHECKING")
        or (isinstance(node, ast.Attribute) and node.attr == "TYPE_CHECKING")
        for node in ast.walk(test)
    )


def imports_of(source: str, module: str, *, is_package: bool) -> list[Import]:
    """Every import in `source` (a module called `module`), anywhere in it, relative ones resolved; plus the
    literal names given to importlib.import_module, import_string and __import__."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            guarded = type_checking
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for inner in child.body:
                    visit_one(inner, True)
                for inner in child.orelse:
                    visit_one(inner, type_checking)
                continue
            visit_one(child, guarded)

    def visit_one(node: ast.AST, type_checking: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, node.lineno, type_checking) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.extend(Import(f"{base}.{alias.name}", node.lineno, type_checking) for alias in node.names)
            if not node.names:
                found.append(Import(base, node.lineno, type_checking))
        elif isinstance(node, ast.Call):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0] if node.args else None
            if (
                callee in DYNAMIC_IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.append(Import(first.value, node.lineno, type_checking))
        visit(node, type_checking)

    visit(ast.parse(source), False)
    return found


def file_imports(path: Path, root: Path = ROOT) -> list[Import]:
    return imports_of(path.read_text(), module_name(path, root), is_package=path.name == "__init__.py")


def top_package(name: str) -> str:
    return name.split(".")[0]


def violations(importer_package: str, forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    found = []
    for module, path in project_modules(root).items():
        if top_package(module) != importer_package:
            continue
        for item in file_imports(path, root):
            if top_package(item.name) in forbidden:
                found.append(f"{path.relative_to(root)}:{item.line} imports {item.name}")
    return found


# ---- the import graph ----


def import_graph(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """{module: {module it imports: line of the first such import}} among the project's modules (rule 3)."""
    modules = project_modules(root)
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        edges: dict[str, int] = {}
        for item in file_imports(path, root):
            if item.type_checking:
                continue
            parts = item.name.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()  # `from a.b import name`: the module is a.b
            for depth in range(1, len(parts) + 1):
                target = ".".join(parts[:depth])
                own_package = module == target or module.startswith(target + ".")
                if target in modules and not own_package:
                    edges.setdefault(target, item.line)
        graph[module] = edges
    return graph


def components(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan): each is a knot of cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def strong(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, {})):
            if target not in index:
                strong(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strong(node)
    return found


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle through each component, as the modules in import order, the first repeated at the end."""
    return [_cycle_in(graph, component) for component in components(graph)]


def _cycle_in(graph: dict[str, dict[str, int]], component: list[str]) -> list[str]:
    """The shortest way back to the component's first module, through the component (breadth first)."""
    members, start = set(component), component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node]):
            if target == start:
                return [*paths[node], start]
            if target in members and target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {component}")  # pragma: no cover (a component has one)


def describe(cycle: list[str], graph: dict[str, dict[str, int]]) -> str:
    steps = [f"{a} (line {graph[a][b]}) -> {b}" for a, b in zip(cycle, cycle[1:], strict=False)]
    return "\n    ".join(steps)


def report(graph: dict[str, dict[str, int]]) -> str:
    """Each knot: its modules, and one cycle through it with the line of each import."""
    return "\n  ".join(
        f"{', '.join(component)}:\n    {describe(_cycle_in(graph, component), graph)}"
        for component in components(graph)
    )


# ---- the rules ----


def test_the_shared_parts_import_no_program():
    found = violations(SHARED, PROGRAMS)
    assert not found, (
        "compliance_site/ must not import a program (docs/architecture.md): register into a shared registry "
        "from the program instead.\n  " + "\n  ".join(found)
    )


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_program_imports_no_other_program(program):
    others = tuple(p for p in PROGRAMS if p != program)
    found = violations(program, others)
    assert not found, f"{program}/ must not import {', '.join(others)}:\n  " + "\n  ".join(found)


def test_there_are_no_import_cycles():
    graph = import_graph()
    assert not components(graph), (
        "import cycles (deferred imports count; split the modules by noun, tasks call services and never "
        "the reverse):\n  " + report(graph)
    )


# ---- the reader itself, on small made-up sources ----


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    return tmp_path


def test_the_reader_sees_deferred_relative_guarded_and_dynamic_imports():
    source = (
        "from typing import TYPE_CHECKING\n"
        "from ..models import Thing\n"
        "if TYPE_CHECKING:\n"
        "    from clawback.models import Restatement\n"
        "def f():\n"
        "    from regfd import services\n"
        "    import_module('clawback.demo')\n"
    )
    found = imports_of(source, "compliance_site.documents.views", is_package=False)
    assert [(i.name, i.line, i.type_checking) for i in found] == [
        ("typing.TYPE_CHECKING", 1, False),
        ("compliance_site.models.Thing", 2, False),
        ("clawback.models.Restatement", 4, True),
        ("regfd.services", 6, False),
        ("clawback.demo", 7, False),
    ]
    assert imports_of("from . import tasks\n", "pkg.app", is_package=True)[0].name == "pkg.app.tasks"


def test_the_rules_catch_a_shared_module_importing_a_program_and_programs_importing_each_other(tmp_path):
    root = _tree(
        tmp_path,
        {
            "compliance_site/views.py": "def page():\n    from clawback.models import Restatement\n",
            "compliance_site/migrations/0001_initial.py": "import regfd.models\n",
            "regfd/panels.py": "import clawback.selectors as selectors\n",
        },
    )
    assert violations(SHARED, PROGRAMS, root) == [
        "compliance_site/views.py:2 imports clawback.models.Restatement"
    ]
    assert violations("regfd", ("clawback",), root) == ["regfd/panels.py:1 imports clawback.selectors"]


def test_a_deferred_import_closing_a_loop_is_a_cycle_and_type_checking_is_not(tmp_path):
    root = _tree(
        tmp_path,
        {
            "compliance_site/documents/__init__.py": "",
            "compliance_site/documents/services.py": "def enqueue():\n    from .tasks import render\n",
            "compliance_site/documents/tasks.py": "from .services import generate\n",
            "compliance_site/documents/kinds.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .rendering import Rendered\n",
            "compliance_site/documents/rendering.py": "from .kinds import get_spec\n",
        },
    )
    graph = import_graph(root)
    assert cycles(graph) == [
        [
            "compliance_site.documents.services",
            "compliance_site.documents.tasks",
            "compliance_site.documents.services",
        ]
    ]
    assert "compliance_site.documents.services (line 2) -> compliance_site.documents.tasks" in describe(
        cycles(graph)[0], graph
    )


# ---- the registries the programs fill at start-up (their AppConfig.ready) ----


def test_the_menu_is_in_the_same_order_on_every_start():
    from compliance_site.navigation import NAV, NavItem, register_nav

    expected = [
        "dashboard",
        "clawback:restatement-list",
        "clawback:executive-list",
        "clawback:award-list",
        "clawback:price-set-list",
        "clawback:whatif",
        "regfd:incident-list",
        "regfd:incident-report",
        "regfd:records-home",
        "regfd:statement-list",
        "company:profile",
        "company:seat-list",
        "documents:document-list",
        "documents:dashboards",
        "audit:event-list",
        "ops:status",
    ]
    assert [item.url_name for item in NAV] == expected
    incidents = next(item for item in NAV if item.url_name == "regfd:incident-list")
    register_nav(NavItem(incidents.label, incidents.url_name, incidents.capability, "regfd", incidents.order))
    assert [item.url_name for item in NAV] == expected  # registering again: in place


def test_the_programs_panels_on_the_shared_pages():
    from compliance_site.panels import DASHBOARDS, DOCUMENTS, HOME, panels_of

    def shown(page):
        return [(panel.name, panel.capability) for panel in panels_of(page)]

    assert shown(HOME) == [("regfd", "regfd.access"), ("clawback", "clawback.view")]
    assert shown(DASHBOARDS) == [("regfd", "regfd.view"), ("clawback", "clawback.view")]
    assert shown(DOCUMENTS) == [("clawback", "clawback.export"), ("regfd", "regfd.export")]
    for page in (HOME, DASHBOARDS, DOCUMENTS):
        for panel in panels_of(page):
            assert panel.template == f"panels/{panel.name}/{page}.html"
            assert panel.context.__module__ == f"{panel.name}.panels"


def test_the_demo_loads_each_program_in_order():
    from compliance_site.demo import DEMO_LOADERS

    loaders = sorted(DEMO_LOADERS.values(), key=lambda loader: (loader.order, loader.name))
    assert [(loader.name, loader.load.__module__) for loader in loaders] == [
        ("clawback", "clawback.demo"),
        ("regfd", "regfd.demo"),
    ]
