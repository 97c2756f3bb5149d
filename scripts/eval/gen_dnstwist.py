#!/usr/bin/env python3
"""A second, independent look-alike set: impostor names from a third-party
typo-squatting generator, and real companies as the innocent neighbours.

    python3 scripts/eval/gen_dnstwist.py    # writes tests/fixtures/eval/dnstwist-{dev,frozen}.tsv

Where the names come from (wheels downloaded from PyPI into target/eval-data
and read from there, not installed):
- dnstwist 20250130: its fuzzers (addition, bitsquatting, homoglyph,
  hyphenation, insertion, omission, repetition, replacement, transposition,
  vowel-swap — the ones issue 13 names), run on every Latin brand name and
  Latin alias of the evaluation registry as if it were a domain. A variant
  with an official claim, or with the brand's goods in the title (brands of
  five letters or more), is labelled `danger`; nothing else is generated.
- mimesis 22.2.0: its lists of real company names (en, de, fr, zh, ja), as
  shop names with and without an official claim, labelled `none`. Names that
  contain a registered brand or alias are left out (whether "Apple Bank
  Official Store" claims Apple is a question for a person, not a generator);
  names merely close to one (one letter off, two characters shared) are kept:
  those are the neighbours that must stay quiet.

Like gen_generated.py: fixed seed, pinned versions, split once into a
development half and a frozen half before the engine was changed for them.
The labels are the generator's rule, not a judgement of each name.
"""

import json
import random
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_generated as gg  # noqa: E402  (shared registry reader, escaping, header)
from wheels import wheel  # noqa: E402  (scripts/wheels.py; gen_generated put scripts/ on the path)

ROOT = gg.ROOT
EVAL = gg.EVAL
PINS = ["dnstwist==20250130", "mimesis==22.2.0"]
SEED = 20261202
FUZZERS = ["addition", "bitsquatting", "homoglyph", "hyphenation", "insertion", "omission",
           "repetition", "replacement", "transposition", "vowel-swap"]
CLAIMS = ["Official Store", "Official Shop", "Flagship Store", "Authorized Store", "Official",
          "Authorized Seller", "Official Outlet"]
CJK_CLAIMS = ["官方旗舰店", "旗舰店", "官方店", "官方直营店"]
PER_FUZZER = 2


def fuzzer_class():
    """dnstwist's Fuzzer, imported from its wheel. It imports `idna` only to
    turn labels into punycode and back; the names here are never encoded, so a
    stand-in that returns its input is enough when idna is not installed."""
    sys.path.insert(0, str(wheel(PINS[0])))
    try:
        import idna  # noqa: F401
    except ImportError:
        import types
        stub = types.ModuleType("idna")
        stub.encode = lambda s, *a, **k: s.encode()
        stub.decode = lambda s, *a, **k: s if isinstance(s, str) else s.decode()
        sys.modules["idna"] = stub
    import dnstwist
    return dnstwist.Fuzzer


def companies():
    z = zipfile.ZipFile(wheel(PINS[1]))
    out = []
    for loc in ["en", "de", "fr", "zh", "ja"]:
        d = json.loads(z.read(f"mimesis/datasets/{loc}/finance.json"))
        out += [(loc, n) for n in d["company"]["name"]]
    return out


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isalnum()).lower()


def main():
    Fuzzer = fuzzer_class()
    rng = random.Random(SEED)
    brands = gg.read_registry()
    cases = []

    def add(kind, trick, script, platform, store, level, code, note, title="", brand_field="", imitates=""):
        cases.append({"kind": kind, "platform": platform, "store_name": store, "store_id": "", "title": title,
                      "brand": brand_field, "price": "", "currency": "", "expected_level": level,
                      "expected_code": code, "note": note, "gtin": "", "trick": trick, "script": script,
                      "imitates": imitates})

    names = {}
    for brand, b in sorted(brands.items()):
        if brand == "brand":
            continue
        for n in [brand, *sorted(b["aliases"])]:
            if re.fullmatch(r"[A-Za-z][A-Za-z' .-]*", n) and len(fold(n)) >= 4:
                names.setdefault(fold(n), (brand, b))
    for slug, (brand, b) in sorted(names.items()):
        f = Fuzzer(slug + ".com")
        for fz in FUZZERS:
            f.domains = set()
            try:
                variants = sorted({v for v in getattr(f, "_" + fz.replace("-", "_"))()})
            except Exception as e:  # a fuzzer that cannot run on this name
                print(f"{slug}: {fz}: {e}", file=sys.stderr)
                continue
            variants = [v for v in variants if fold(v) != slug or "-" in v or not v.isascii()]
            variants = [v for v in variants if v != slug]
            for v in rng.sample(variants, min(PER_FUZZER, len(variants))):
                shown = v[:1].upper() + v[1:] if rng.random() < 0.7 else v
                add("lookalike", fz, "latin", rng.choice(["amazon", "ebay", "aliexpress", "shopee", "walmart"]),
                    f"{shown} {rng.choice(CLAIMS)}", "danger", "lookalike_name|false_official_claim",
                    f"dnstwist {fz} of {slug}", imitates=brand)
            if len(slug) >= 5 and b["products"]:
                for v in rng.sample(variants, min(1, len(variants))):
                    shown = v[:1].upper() + v[1:]
                    add("lookalike", fz + "_goods", "latin", rng.choice(["amazon", "ebay", "walmart"]), shown,
                        "danger", "lookalike_name", f"dnstwist {fz} of {slug}, selling its goods",
                        title=rng.choice(b["products"]), brand_field=brand, imitates=brand)

    registered = {fold(n) for n in names} | {fold(n) for n in brands}
    cjk_registered = {a for b in brands.values() for a in b["aliases"] if any(gg.is_cjk(c) for c in a)}
    for loc, name in companies():
        f = fold(name)
        if not f or any(r in f for r in registered if len(r) >= 3) or any(a in name for a in cjk_registered):
            continue
        cjk = loc in ("zh", "ja")
        if cjk:
            store = name + (rng.choice(CJK_CLAIMS) if rng.random() < 0.6 else "")
            platform = rng.choice(["tmall", "taobao", "jd", "pinduoduo", "douyin"])
        else:
            store = name + (" " + rng.choice(CLAIMS) if rng.random() < 0.6 else "")
            platform = rng.choice(["amazon", "ebay", "aliexpress", "shopee", "walmart"])
        add("innocent", "none", "cjk" if cjk else "latin", platform, store, "none", "",
            f"mimesis {loc} company name")

    rng.shuffle(cases)
    half = len(cases) // 2
    for path, part in [(EVAL / "dnstwist-dev.tsv", cases[:half]), (EVAL / "dnstwist-frozen.tsv", cases[half:])]:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write("\t".join(gg.HEADER) + "\n")
            for c in part:
                fh.write("\t".join(gg.escape(str(c[h])).replace("\t", " ") for h in gg.HEADER) + "\n")
        print(f"{path.relative_to(ROOT)}: {len(part)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
