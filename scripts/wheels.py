"""Pinned PyPI wheels for the data and evaluation generators: downloaded once
into target/eval-data and read from there (opened as zip files, never
installed), so a generator gives the same output on every machine.

    from wheels import wheel          # scripts/ on sys.path
    zipfile.ZipFile(wheel("pypinyin==0.55.0"))
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "target/eval-data"


def wheel(pin):
    """The path of the wheel for `pin` ("name==version"), downloaded if it is
    not in the cache yet (files are matched by name, as pip names them)."""
    stem = pin.split("==")[0].replace("-", "_")
    CACHE.mkdir(parents=True, exist_ok=True)
    found = list(CACHE.glob(f"{stem}-*.whl"))
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(CACHE), pin], check=True)
        found = list(CACHE.glob(f"{stem}-*.whl"))
    return found[0]
