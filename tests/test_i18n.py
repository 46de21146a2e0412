"""Every string a person reads is translatable, and the English catalogue is complete (issue 14).

Chinese is the source language: templates use {% translate %} / {% blocktranslate %} and Python uses
gettext / gettext_lazy with Chinese msgids; each app's English catalogue is
jianfu/<app>/locale/en/LC_MESSAGES/django.po (the project's templates/ and config/ use locale/ at the
root). These tests fail on

- a catalogue entry that is untranslated or fuzzy, or whose placeholders differ from the msgid;
- a committed .mo that was not compiled from the .po beside it (a fresh clone serves the .mo files:
  no gettext tools are needed to run the demo);
- Chinese text in a template outside a translation tag, or in Python outside a gettext call.

Modules whose Chinese is data, not interface (phrases matched against what families write, policy
texts quoted as sources, demo names) declare it at the top: ``__i18n_data__ = "why"``. Files not yet
converted are listed in tests/i18n_pending.txt, which may only shrink.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PENDING_FILE = ROOT / "tests" / "i18n_pending.txt"
GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "_lazy",
    "_noop",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}|%[sdif]")


def _pending() -> set[str]:
    if not PENDING_FILE.exists():
        return set()
    return {
        line.strip()
        for line in PENDING_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


# --- catalogues ------------------------------------------------------------------------------------


def _catalogues() -> list[Path]:
    found = list((ROOT / "locale").glob("*/LC_MESSAGES/django.po"))
    found += list((ROOT / "jianfu").glob("*/locale/*/LC_MESSAGES/django.po"))
    return sorted(found)


def _unquote(chunk: str) -> str:
    value: str = ast.literal_eval(chunk)
    return value


def parse_po(text: str) -> list[dict[str, object]]:
    """A small .po reader: entries with msgctxt, msgid, msgid_plural, msgstr[n] and flags."""
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {}
    key = ""

    def finish() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {}

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            key = ""
            continue
        if line.startswith("#~"):
            continue  # obsolete entries are not used
        if line.startswith("#,"):
            if "msgid" in entry:
                finish()
            entry["flags"] = {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            if "msgid" in entry and key.startswith("msgstr"):
                finish()
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            key = match.group(1)
            starts_new = key in ("msgctxt", "msgid") and "msgid" in entry
            if starts_new and any(k.startswith("msgstr") for k in entry):
                finish()
            entry[key] = _unquote(match.group(2))
            continue
        if line.startswith('"') and key:
            entry[key] = str(entry[key]) + _unquote(line)
    finish()
    return entries


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


@pytest.mark.parametrize("po", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_complete_and_compiled(po: Path) -> None:
    entries = [e for e in parse_po(po.read_text(encoding="utf-8")) if e.get("msgid")]
    assert entries, f"{po} has no entries"
    problems = []
    for e in entries:
        msgid = str(e["msgid"])
        flags = e.get("flags") or set()
        if "fuzzy" in flags:  # type: ignore[operator]
            problems.append(f"fuzzy: {msgid!r}")
        strs = [str(v) for k, v in e.items() if k.startswith("msgstr")]
        if not strs or any(not s for s in strs):
            problems.append(f"untranslated: {msgid!r}")
            continue
        if _placeholders(msgid) != _placeholders(strs[0]):
            problems.append(f"placeholders differ: {msgid!r} -> {strs[0]!r}")
    assert not problems, f"{po.relative_to(ROOT)}:\n" + "\n".join(problems[:40])

    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(ROOT)} is missing: run `uv run python manage.py compilemessages`"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for e in entries:
        if "msgid_plural" in e:
            continue
        msgid = str(e["msgid"])
        lookup = f"{e['msgctxt']}\x04{msgid}" if "msgctxt" in e else msgid
        got = compiled._catalog.get(lookup)  # type: ignore[attr-defined]
        if got != e["msgstr"]:
            stale.append(msgid)
    assert not stale, f"{mo.relative_to(ROOT)} is older than its .po (recompile): {stale[:10]}"


def test_one_english_wording_per_chinese_text() -> None:
    """Django merges the catalogues into one (LOCALE_PATHS first, then the apps in INSTALLED_APPS
    order), so a msgid that two catalogues translate differently shows only one of them everywhere:
    "退出" was "Sign out" in the header and "Withdraw" on the course list, and the course list said
    "Sign out". Text that means different things takes a context (pgettext, {% translate … context %})."""
    wordings: dict[tuple[str, str], dict[str, str]] = {}
    for po in _catalogues():
        for e in parse_po(po.read_text(encoding="utf-8")):
            if not e.get("msgid") or "msgid_plural" in e:
                continue
            key = (str(e.get("msgctxt", "")), str(e["msgid"]))
            wordings.setdefault(key, {})[str(po.relative_to(ROOT).parts[:2])] = str(e.get("msgstr", ""))
    clashes = [
        f"{msgid!r}{' (' + ctx + ')' if ctx else ''}: {found}"
        for (ctx, msgid), found in sorted(wordings.items())
        if len(set(found.values())) > 1
    ]
    assert not clashes, "translated differently by two catalogues:\n" + "\n".join(clashes)


def test_english_catalogue_is_used_when_english_is_active() -> None:
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("退出") == "Sign out"
    with translation.override("zh-hans"):
        assert translation.gettext("退出") == "退出"


# --- templates -------------------------------------------------------------------------------------

TEMPLATE_STRIP = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"\{%\s*trans(?:late)?\s+(\"[^\"]*\"|'[^']*').*?%\}", re.S),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),  # {{ _("…") }} and filter arguments
    # The language switch names each language in itself, as every multilingual site does.
    re.compile(r'lang="zh-CN">中文<'),
]


def _templates() -> list[Path]:
    return sorted([*(ROOT / "templates").rglob("*.html"), *(ROOT / "jianfu").glob("*/templates/**/*.html")])


def untranslated_in_template(text: str) -> list[tuple[int, str]]:
    stripped = text
    for pattern in TEMPLATE_STRIP:
        stripped = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), stripped)
    found = []
    for n, line in enumerate(stripped.splitlines(), start=1):
        if HAN.search(line):
            found.append((n, text.splitlines()[n - 1].strip()[:80]))
    return found


def test_templates_have_no_untranslated_chinese() -> None:
    pending = _pending()
    problems = []
    for path in _templates():
        rel = str(path.relative_to(ROOT))
        if rel in pending:
            continue
        for n, line in untranslated_in_template(path.read_text(encoding="utf-8")):
            problems.append(f"{rel}:{n}: {line}")
    assert not problems, "Chinese outside {% translate %}:\n" + "\n".join(problems[:60])


# --- Python ----------------------------------------------------------------------------------------


def _python_files() -> list[Path]:
    files = [*(ROOT / "jianfu").rglob("*.py"), *(ROOT / "config").glob("*.py")]
    return sorted(p for p in files if not {"tests", "migrations"} & set(p.relative_to(ROOT).parts))


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def untranslated_in_python(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__i18n_data__" for t in node.targets
        ):
            return []
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node.func) in GETTEXT_NAMES:
            for sub in ast.walk(node):
                allowed.add(id(sub))
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                allowed.add(id(body[0].value))  # docstrings are for developers
    found = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value):
            found.append((node.lineno, node.value[:60]))
    return found


def test_python_has_no_untranslated_chinese() -> None:
    pending = _pending()
    problems = []
    for path in _python_files():
        rel = str(path.relative_to(ROOT))
        if rel in pending:
            continue
        for n, value in untranslated_in_python(path.read_text(encoding="utf-8")):
            problems.append(f"{rel}:{n}: {value!r}")
    assert not problems, "Chinese outside gettext:\n" + "\n".join(problems[:60])


def test_pending_list_only_names_files_that_still_need_work() -> None:
    """A converted file leaves tests/i18n_pending.txt, so the list is the honest remainder."""
    stale = []
    for rel in sorted(_pending()):
        path = ROOT / rel
        if not path.exists():
            stale.append(f"{rel} (gone)")
            continue
        text = path.read_text(encoding="utf-8")
        left = untranslated_in_template(text) if rel.endswith(".html") else untranslated_in_python(text)
        if not left:
            stale.append(rel)
    assert not stale, "remove from tests/i18n_pending.txt: " + ", ".join(stale)


def test_the_checks_catch_what_they_should() -> None:
    # The detectors themselves, on hand-written samples.
    assert untranslated_in_template("<p>作业</p>") == [(1, "<p>作业</p>")]
    assert untranslated_in_template('<p>{% translate "作业" %}</p>') == []
    assert untranslated_in_template("{% blocktranslate %}共 {{ n }} 项{% endblocktranslate %}") == []
    assert untranslated_in_template("{# 说明 #}<p>x</p>") == []
    assert untranslated_in_python('x = "作业"\n') == [(1, "作业")]
    assert untranslated_in_python('x = f"共{n}项"\n') == [(1, "共"), (1, "项")]
    assert untranslated_in_python('x = _("作业")\n') == []
    assert untranslated_in_python('x = gettext_lazy("作业")\n') == []
    assert untranslated_in_python('"""模块说明"""\nx = 1\n') == []
    assert untranslated_in_python('__i18n_data__ = "phrases"\nx = "熬夜"\n') == []
    po = 'msgid "退出"\nmsgstr "Sign out"\n\n#, fuzzy\nmsgid "作业"\nmsgstr "Homework"\n\nmsgid "空"\nmsgstr ""\n'
    entries = parse_po(po)
    assert [e["msgid"] for e in entries] == ["退出", "作业", "空"]
    assert entries[1]["flags"] == {"fuzzy"}
    assert entries[2]["msgstr"] == ""
