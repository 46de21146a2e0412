"""Fill msgstr entries of a .po file from a JSON mapping {msgid: msgstr} and clean the header.

Usage: uv run python scripts/po_fill.py path/to/django.po mapping.json
Entries already translated are kept unless the mapping names them. Used by hand while translating;
scripts/messages compiles afterwards.
"""

from __future__ import annotations

import json
import sys

import polib  # type: ignore[import-untyped]


def main(po_path: str, mapping_path: str) -> int:
    with open(mapping_path, encoding="utf-8") as fh:
        mapping = json.load(fh)
    po = polib.pofile(po_path, wrapwidth=0)
    po.metadata["Language"] = "en"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata_is_fuzzy = False
    missing = []
    for entry in po:
        if entry.msgid in mapping:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = (
                    {0: value[0], 1: value[1]} if isinstance(value, list) else {0: value, 1: value}
                )
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not (entry.msgstr or any(entry.msgstr_plural.values())) or "fuzzy" in entry.flags:
            missing.append(entry.msgid)
    po.save(po_path)
    for msgid in missing:
        print(f"untranslated: {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
