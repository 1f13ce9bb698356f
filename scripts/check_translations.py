"""Fail when a user-facing string has no Dutch translation.

Extracts the messages from a copy of the source (so the working tree is not touched), merges
them into a copy of the Dutch catalogue, and lists every entry that is untranslated or fuzzy.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "instroom"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "instroom"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "instroom.conf.test"}
        subprocess.run(
            # django-admin, not `python -m django`: with -m the working directory (the package
            # copy) would come first on sys.path and instroom/http.py would shadow the stdlib.
            [
                str(Path(sys.executable).parent / "django-admin"),
                "makemessages",
                "-l",
                "nl",
                "--no-obsolete",
                "--no-location",
                "-v",
                "0",
            ],
            cwd=copy,
            env=env,
            check=True,
        )
        po = copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"
        result = subprocess.run(
            ["msgattrib", "--untranslated", "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        )
        fuzzy = subprocess.run(
            ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        )
        missing = [
            line[len("msgid ") :]
            for line in (result.stdout + fuzzy.stdout).splitlines()
            if line.startswith("msgid ") and line != 'msgid ""'
        ]
    if missing:
        print(f"{len(missing)} strings have no (or only a fuzzy) Dutch translation:")
        for msgid in missing:
            print("  ", msgid)
        print(
            "Run `make messages-update`, translate them in "
            "src/instroom/locale/nl/LC_MESSAGES/django.po"
        )
        return 1
    print("Every user-facing string has a Dutch translation.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
