"""Pinned PyPI wheels and npm packages for the data and evaluation
generators: downloaded once into target/eval-data and read from there (opened
as zip or tar files, never installed), so a generator gives the same output on
every machine.

    from wheels import wheel, npm_tarball          # scripts/ on sys.path
    zipfile.ZipFile(wheel("pypinyin==0.55.0"))
    tarfile.open(npm_tarball("cldr-numbers-full@47.0.0"))
"""
import subprocess
import sys
import zipfile
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


def npm_tarball(pin):
    """The path of the npm tarball for `pin` ("name@version"), packed into the
    cache by `npm pack` if it is not there yet."""
    name, version = pin.rsplit("@", 1)
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    if not path.is_file():
        subprocess.run(["npm", "pack", "--silent", pin], cwd=CACHE, check=True, stdout=subprocess.DEVNULL)
    return path


def babel():
    """Babel 2.19.0 (CLDR 47), imported from an unpacked copy in the cache:
    it reads its locale data from files, which a zip on sys.path does not
    give it. Used by gen_currencies.py and eval/gen_prices.py;
    eval/gen_prices_icu.mjs reads its locale list from the same copy."""
    target = CACHE / "babel-unpacked"
    if not (target / "babel").is_dir():
        zipfile.ZipFile(wheel("babel==2.19.0")).extractall(target)
    sys.path.insert(0, str(target))
    import babel as module

    return module
