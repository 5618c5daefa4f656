"""Dependencies point one way (STYLE.md, "Dependencies point one way"), proven from the source:
every module's imports are parsed (ast), and any import that breaks the layering fails here.

- `vehicles` is the base: it imports no other app.
- `accounts` holds the owner's own things and imports no other app.
- `fuellogs` and `maintenance` build on `vehicles` (and `accounts`), not on each other;
  `fuellogs` may also use `stations`, where a fill-up names its station.
- `stations` stands alone.
- `costs` builds on `vehicles` and on `maintenance`, whose months arithmetic and upcoming list
  (a repeating cost's renewal, registered there) it uses; `maintenance` never imports it.
- `attachments` holds files on vehicles and their records, so it builds on those apps; their
  pages show the files through its template tags (`{% load attachments %}`), never an import.
- `demo` fills every app with data, so it may import them all.
- `api` serves the owner's records as JSON through the apps' own forms and services, so it may
  import every feature app, and the figures `motovault` composes across apps (the cost of
  ownership); nothing imports it, `motovault` included (its URLs include it by name).
- `motovault` composes the pages that span apps and may import every app, except in the few
  helper modules every app shares, which import no app at all.
- Nobody imports inside a function to dodge a cycle: such code is in the wrong room.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
APPS = (
    "accounts",
    "api",
    "demo",
    "motovault",
    "vehicles",
    "fuellogs",
    "maintenance",
    "stations",
    "imports",
    "recalls",
    "reminders",
    "attachments",
    "costs",
)

# The modules of `motovault` that every app may use; they import no app themselves.
SHARED = {
    "motovault.changes",
    "motovault.fit_rows",
    "motovault.forms",
    "motovault.http",
    "motovault.invalidation",
    "motovault.l10n",
    "motovault.models",
    "motovault.navigation",
    "motovault.owner_keys",
    "motovault.ownership",
    "motovault.pagecache",
    "motovault.replica",
    "motovault.request_types",
    "motovault.spreadsheets",
    "motovault.text",
    "motovault.timeutil",
    "motovault.units",
}

# What each app's modules may import from the other apps.
ALLOWED = {
    "vehicles": set(),
    "accounts": set(),
    "stations": set(),
    "fuellogs": {"vehicles", "accounts", "stations"},
    "maintenance": {"vehicles", "accounts"},
    # Costs use maintenance's months and register their renewals with its upcoming list.
    "costs": {"vehicles", "accounts", "maintenance"},
    # Demo data spans every app, like the pages motovault composes.
    "demo": {"accounts", "vehicles", "fuellogs", "maintenance", "stations", "costs"},
    "imports": {
        "accounts",
        "vehicles",
        "fuellogs",
        "maintenance",
        "stations",
        "attachments",
        "costs",
    },
    # Reminders read what is due from maintenance and open recalls, about the owner's vehicles.
    "reminders": {"accounts", "vehicles", "maintenance", "recalls"},
    # Recalls concern vehicles; the vehicle page (motovault) shows them.
    "recalls": {"vehicles"},
    # Files on vehicles and on each kind of record.
    "attachments": {"vehicles", "fuellogs", "maintenance", "costs"},
    # The JSON API reads and writes every kind of record through its app's forms and services.
    "api": {"accounts", "vehicles", "fuellogs", "maintenance", "stations", "costs"},
}


def modules():
    """(dotted name, path) of every Python module of our apps, tests and migrations included."""
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(BASE_DIR).with_suffix("")
            yield ".".join(relative.parts), path


# Calls that load a module or model by name: importlib.import_module("fuellogs.panels"),
# __import__("stations.models"), apps.get_model("fuellogs", "FuelLog") or ("fuellogs.FuelLog").
DYNAMIC_IMPORTS = {"import_module", "__import__", "get_model"}


def imported(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    """Every module an import statement or a by-name load names, with the statement."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) in DYNAMIC_IMPORTS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((first.value, node))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node))
            # `from motovault import http` names the module motovault.http.
            if (BASE_DIR / node.module.replace(".", "/")).is_dir():
                found += [(f"{node.module}.{alias.name}", node) for alias in node.names]
    return found


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def function_level_imports(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    found = []
    for function in ast.walk(tree):
        # AppConfig.ready() is where Django wants an app's start-up imports.
        if (
            isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            and function.name != "ready"
        ):
            for statement in ast.walk(function):
                if isinstance(statement, ast.Import | ast.ImportFrom):
                    found += [(name, statement) for name, _ in imported(statement)]
    return found


def own_app(name: str) -> str | None:
    top = name.split(".")[0]
    return top if top in APPS else None


def is_test_module(module: str) -> bool:
    return ".tests." in f".{module}." or module.endswith(".conftest")


def violations(module: str, tree: ast.AST) -> list[str]:
    app = own_app(module)
    problems = []
    reported = set()
    for name, node in imported(tree):
        target = own_app(name)
        if target is None or target == app or (node, target) in reported:
            continue
        reported.add((node, target))
        if target == "api" and not is_test_module(module):
            problems.append(f"{module}:{node.lineno} imports {name}")
            continue
        if target == "motovault":
            # The API sits above the pages and answers what they compose.
            if name in SHARED or app in ("motovault", "api") or name == "motovault":
                continue
            # An app may not reach into the pages composed above it.
            if not is_test_module(module):
                problems.append(f"{module}:{node.lineno} imports {name}")
            continue
        if app == "motovault":
            if module in SHARED:
                problems.append(f"{module}:{node.lineno} (a shared helper) imports {name}")
            continue
        if target not in ALLOWED[app] and not is_test_module(module):
            problems.append(f"{module}:{node.lineno} imports {name}")
    if not is_test_module(module):
        for name, node in function_level_imports(tree):
            if own_app(name):
                problems.append(f"{module}:{node.lineno} imports {name} inside a function")
    return sorted(set(problems))


def test_it_finds_the_modules_it_checks():
    names = {module for module, _ in modules()}
    assert {"vehicles.models", "fuellogs.views", "maintenance.models", "motovault.urls"} <= names


@pytest.mark.parametrize(("module", "path"), list(modules()), ids=lambda value: str(value))
def test_every_import_points_down_the_layers(module, path):
    assert violations(module, ast.parse(path.read_text(), filename=str(path))) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("vehicles.views", "from fuellogs.panels import x", ["vehicles.views:1 imports fuellogs"]),
        ("fuellogs.views", "import maintenance.models", ["fuellogs.views:1 imports maintenance"]),
        ("stations.views", "from vehicles import models", ["stations.views:1 imports vehicles"]),
        ("vehicles.cache", "def f():\n    from vehicles.models import V", ["inside a function"]),
        ("motovault.http", "from vehicles.models import Vehicle", ["a shared helper"]),
        ("vehicles.views", "from motovault.dashboard import d", ["imports motovault.dashboard"]),
        ("fuellogs.views", "from vehicles.models import Vehicle", []),
        ("motovault.views", "from maintenance.panels import p", []),
        ("motovault.urls", "from api.v1 import api", ["motovault.urls:1 imports api.v1"]),
        ("api.v1", "from fuellogs.services import add_fuel_log", []),
        ("api.v1", "from motovault.ownership_cost import o", []),
        ("vehicles.views", "from motovault.http import send", []),
        ("vehicles.views", "importlib.import_module('fuellogs.panels')", ["imports fuellogs"]),
        ("vehicles.views", "__import__('stations.models')", ["imports stations"]),
        ("vehicles.views", "apps.get_model('maintenance', 'X')", ["imports maintenance"]),
        ("vehicles.views", "apps.get_model('fuellogs.FuelLog')", ["imports fuellogs"]),
    ],
)
def test_the_rules_catch_what_they_should(module, source, expected):
    """The checker itself: each broken rule is reported, and allowed imports are not."""
    found = violations(module, ast.parse(source))
    assert len(found) == len(expected)
    for problem, words in zip(found, expected, strict=True):
        assert words in problem
