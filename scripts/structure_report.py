"""Figures for the structure of the code (issue 14's evidence): run `uv run python scripts/structure_report.py [ROOT]`.

Prints: import edges between apps and any cycle among them (grimp, installed with import-linter),
which modules read Membership, modules imported across apps by private name, the longest modules,
and the modules outside the layers contract. ROOT defaults to this checkout (pass another checkout
to measure an older commit with the same script).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp


def main(root: Path) -> None:
    sys.path.insert(0, str(root))
    graph = grimp.build_graph("jianfu", "config")
    apps = sorted({m.split(".")[1] for m in graph.modules if m.count(".") >= 1 and m.startswith("jianfu.")})
    edges: set[tuple[str, str]] = set()
    for module in graph.modules:
        if not module.startswith("jianfu.") or ".tests" in module or module.count(".") < 1:
            continue
        src = module.split(".")[1]
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("jianfu.") and imported.count(".") >= 1:
                dst = imported.split(".")[1]
                if dst != src:
                    edges.add((src, dst))
    print(f"apps: {', '.join(apps)}")
    print(f"app → app import edges: {len(edges)}")
    cycles = sorted({tuple(sorted(p)) for p in edges if (p[1], p[0]) in edges})
    print(f"two-way app pairs (cycles): {len(cycles)} {cycles}")
    for a, b in [("accounts", "schools")]:
        if (a, b) in edges:
            chain = graph.find_shortest_chain(importer=f"jianfu.{a}", imported=f"jianfu.{b}")
            print(f"  {a} → {b}: {' → '.join(chain) if chain else 'via a package'}")

    readers, private, lengths = [], [], []
    for path in sorted((root / "jianfu").rglob("*.py")):
        rel = path.relative_to(root)
        if {"tests", "migrations"} & set(rel.parts):
            continue
        text = path.read_text(encoding="utf-8")
        lengths.append((len(text.splitlines()), str(rel)))
        tree = ast.parse(text)
        own = rel.parts[1]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jianfu."):
                if any(a.name == "Membership" for a in node.names):
                    readers.append(str(rel))
                if node.module.split(".")[1] != own:
                    private += [
                        f"{rel}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")
                    ]
    readers = sorted(set(readers) - {"jianfu/accounts/models.py", "jianfu/accounts/admin.py"})
    print(f"modules importing Membership (besides its own models/admin): {len(readers)}")
    for r in readers:
        print(f"  {r}")
    print(f"private names imported across apps: {len(private)}")
    lengths.sort(reverse=True)
    print("longest modules: " + ", ".join(f"{p} ({n})" for n, p in lengths[:5]))
    print(f"modules: {len(lengths)}, lines: {sum(n for n, _ in lengths)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
