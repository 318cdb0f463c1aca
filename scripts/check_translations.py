"""Fail when the Arabic catalogue has an untranslated or fuzzy message, misses a string that the
code uses, or is not compiled.

It re-extracts the messages from the code with makemessages, compares, and puts the committed
catalogue back as it was.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/ar/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def extract() -> polib.POFile:
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "django.po"
        shutil.copy2(PO, backup)
        try:
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "-l",
                    "ar",
                    "--no-obsolete",
                    "--ignore=.venv",
                    "--ignore=var",
                    "--ignore=test-artifacts",
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            return polib.pofile(str(PO))
        finally:
            shutil.copy2(backup, PO)


def main() -> int:
    problems: list[str] = []
    committed = polib.pofile(str(PO))
    fresh = extract()
    translated = {(e.msgctxt, e.msgid) for e in committed.translated_entries()}
    for e in fresh:
        if (e.msgctxt, e.msgid) not in translated:
            problems.append(f"missing from the catalogue: {e.msgid!r}")
    problems += [f"fuzzy: {e.msgid!r}" for e in committed.fuzzy_entries()]
    problems += [f"untranslated: {e.msgid!r}" for e in committed.untranslated_entries()]
    if not MO.exists():
        problems.append("django.mo is missing: run manage.py compilemessages")
    else:
        compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(MO))}
        for e in committed.translated_entries():
            if not e.msgid_plural and compiled.get((e.msgctxt, e.msgid)) != e.msgstr:
                problems.append(f"django.mo is out of date (run compilemessages): {e.msgid!r}")
                break
    for p in problems:
        print(p)
    print(
        f"Arabic catalogue: {len(committed.translated_entries())}/{len(committed)} translated, "
        f"{len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
