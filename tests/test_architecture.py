"""House rules the import-linter cannot state (issue 14, decision 0037).

- Only the access module (jianfu/schools/access.py) reads ``Membership``: every other module asks it
  (``holds_role``, the ``*_for_actor`` scopes, ``holders``, ``grant``). The model's own app
  (accounts/models.py, its admin) and tests are exempt.
- No module imports another app's private (``_underscore``) names.

PENDING lists the modules not yet moved over; it may only shrink (a test fails on a stale entry).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCESS = "jianfu/schools/access.py"
MEMBERSHIP_OWNERS = {ACCESS, "jianfu/accounts/models.py", "jianfu/accounts/admin.py"}
PENDING_MEMBERSHIP: set[str] = set()
PENDING_PRIVATE: set[str] = set()


def _modules() -> list[Path]:
    files = [*(ROOT / "jianfu").rglob("*.py"), *(ROOT / "config").glob("*.py")]
    return sorted(p for p in files if not {"tests", "migrations"} & set(p.relative_to(ROOT).parts))


def reads_membership(source: str) -> bool:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "Membership" for a in node.names):
            return True
        if isinstance(node, ast.Name) and node.id == "Membership":
            return True
        if isinstance(node, ast.Attribute) and node.attr in ("memberships", "Membership"):
            return True
    return False


def _app_of(rel: str) -> str:
    parts = rel.split("/")
    return parts[1] if parts[0] == "jianfu" and len(parts) > 2 else parts[0]


def private_imports(rel: str, source: str) -> list[str]:
    own = _app_of(rel)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jianfu."):
            other = node.module.split(".")[1]
            if other == own:
                continue
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_only_the_access_module_reads_membership() -> None:
    readers = set()
    for path in _modules():
        rel = str(path.relative_to(ROOT))
        if rel in MEMBERSHIP_OWNERS:
            continue
        if reads_membership(path.read_text(encoding="utf-8")):
            readers.add(rel)
    new = readers - PENDING_MEMBERSHIP
    assert not new, f"ask jianfu.schools.access instead of reading Membership in: {sorted(new)}"
    stale = PENDING_MEMBERSHIP - readers
    assert not stale, f"moved over, remove from PENDING_MEMBERSHIP: {sorted(stale)}"


def test_no_app_imports_another_apps_private_names() -> None:
    problems = []
    importers: set[str] = set()
    for path in _modules():
        rel = str(path.relative_to(ROOT))
        for name in private_imports(rel, path.read_text(encoding="utf-8")):
            if rel not in PENDING_PRIVATE:
                problems.append(f"{rel}: {name}")
            importers.add(rel)
    assert not problems, "private names imported across apps:\n" + "\n".join(problems)
    stale = PENDING_PRIVATE - importers
    assert not stale, f"moved over, remove from PENDING_PRIVATE: {sorted(stale)}"


def test_the_detectors_catch_what_they_should() -> None:
    assert reads_membership("from jianfu.accounts.models import Membership\n")
    assert reads_membership("x = user.memberships.all()\n")
    assert not reads_membership("from jianfu.schools.access import holds_role\n")
    assert private_imports("jianfu/homework/x.py", "from jianfu.schools.selectors import _m\n") == [
        "jianfu.schools.selectors._m"
    ]
    assert private_imports("jianfu/schools/x.py", "from jianfu.schools.selectors import _m\n") == []


LAYER_NAMES = {
    "urls", "api", "views", "management", "forms", "schemas", "exports", "services", "selectors",
    "permissions", "access", "tasks", "middleware", "rules", "errors", "models",
}  # fmt: skip
# Names Django gives meaning to, and packages that hold no code of ours.
OUTSIDE_LAYERS = {"__init__", "apps", "admin", "migrations", "templatetags", "locale", "tests", "templates"}
APPS_IN_LAYERS = [
    "accounts", "schools", "policies", "homework", "feedback", "exams", "cases", "afterschool", "notifications",
]  # fmt: skip
# Modules not yet given a layer's name (issue 14, "one file scheme per app"); may only shrink.
PENDING_LAYERLESS: set[str] = {
    "jianfu/feedback/thresholds.py",
}  # fmt: skip


def layerless_modules() -> set[str]:
    """Modules of the apps whose path names no layer, so the layer contract does not see them."""
    found = set()
    for app in APPS_IN_LAYERS:
        for path in (ROOT / "jianfu" / app).rglob("*.py"):
            parts = [p.removesuffix(".py") for p in path.relative_to(ROOT / "jianfu" / app).parts]
            if set(parts) & OUTSIDE_LAYERS or any(p in LAYER_NAMES for p in parts):
                continue
            found.add(str(path.relative_to(ROOT)))
    return found


def test_every_module_sits_in_a_layer() -> None:
    layerless = layerless_modules()
    new = layerless - PENDING_LAYERLESS
    assert not new, f"give these a layer's name (pyproject.toml, the layers contract): {sorted(new)}"
    stale = PENDING_LAYERLESS - layerless
    assert not stale, f"now in a layer, remove from PENDING_LAYERLESS: {sorted(stale)}"
