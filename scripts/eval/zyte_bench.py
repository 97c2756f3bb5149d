#!/usr/bin/env python3
"""Scores `genuine extract` on Zyte's product extraction benchmark: 140 real
product pages from shops of every kind (not only marketplaces), saved in
December 2020, with a price and currency for each written by Zyte's
annotators, not by anyone here.

Source: scrapinghub/product-extraction-benchmark (MIT) at commit
cba97d7a8d42aeefd4021bc15d482f297faceaa3: `dataset/html/<key>.html.gz` and
`dataset/ground-truth.json`. The pages are 15 MB, too large to keep in the
repository next to tests/fixtures/pages/real (which already holds 12 of them,
byte for byte, with our own truth: those 12 are left out here and counted
apart). Bring the repository with the workplace's fetch tool and pass its git
directory:

    python3 scripts/eval/zyte_bench.py --repo /work/.mirror/scrapinghub+product-extraction-benchmark/repo

Split, fixed before the engine ran on these pages: a page whose key (the
SHA-256 the source names it by) starts with an odd byte is **frozen**; the
rest is dev. Tune on dev; report frozen on its own.

Amount: right when our amount equals the annotated one. An annotation is a
string as the page writes it ("229.99 ", "2.449", "1.299,00"); when its one
separator is followed by exactly three digits ("2.449" on an Argentine shop)
it may be a grouping or a decimal mark, and either reading is accepted.
Currency: the annotation is the sign as the page writes it ("€", "$", "zł",
"Rs", "тг."), or nothing. It becomes an ISO code by the table below; "$" and
"Rs" name the currency of the shop's country (the host's country domain, a
.com shop is taken as US). A page whose annotation has no currency is not
scored for currency. Our answer is right when it is that code; no currency
counts as wrong, and a different code is counted apart as "other".

A page whose annotated amount is nowhere in its bytes (its digits, with any
separators between them, as one number: the annotators saw the live page,
and some prices were drawn in by a script or a frame the snapshot lacks) is
counted apart as "not on the page" and not scored.

Brand and GTIN, on pages annotated with them: a brand is right when it
equals an annotated one, case and white space aside; a GTIN when its digits
equal an annotated one's, leading zeros aside (a UPC-A and its EAN-13 are one
number). Giving one where none is annotated is not counted: annotators left
out brands a page states (the shop's own line on its own shop).

`--show` prints the misses of the dev half only; `--show-frozen` prints the
frozen half's too (don't, while tuning).
"""
import argparse
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

COMMIT = "cba97d7a8d42aeefd4021bc15d482f297faceaa3"
ROOT = Path(__file__).resolve().parents[2]

# The annotators' signs, as ISO 4217 codes (shared with gen_prices_zyte.mjs).
# A sign that depends on the country is resolved by DOLLAR_BY_TLD / RUPEE_BY_TLD.
SIGN = json.loads((Path(__file__).with_name("zyte_signs.json")).read_text(encoding="utf-8"))["signs"]
DOLLAR_BY_TLD = {
    "ca": "CAD", "au": "AUD", "nz": "NZD", "sg": "SGD", "hk": "HKD", "mx": "MXN",
    "ar": "ARS", "cl": "CLP", "co": "COP", "uy": "UYU", "tw": "TWD", "br": "BRL",
}
RUPEE_BY_TLD = {"in": "INR", "pk": "PKR", "lk": "LKR", "np": "NPR"}


def tld(url):
    host = re.sub(r"^https?://", "", url).split("/")[0].split(":")[0]
    return host.rsplit(".", 1)[-1].lower()


def want_currency(raw, url):
    if not raw:
        return None
    raw = raw.strip()
    if raw == "$":
        return DOLLAR_BY_TLD.get(tld(url), "USD")
    if raw == "Rs":
        return RUPEE_BY_TLD.get(tld(url), "INR")
    return SIGN.get(raw, "?" + raw)


def readings(text):
    """Every amount an annotation can mean (see the module's doc)."""
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    out = set()
    try:
        if re.fullmatch(r"\d+", t):
            out.add(Decimal(t))
        elif re.fullmatch(r"\d{1,3}([.,]\d{3})+", t):
            out.add(Decimal(re.sub(r"[.,]", "", t)))
            if t.count(".") + t.count(",") == 1:
                out.add(Decimal(t.replace(",", ".")))
        elif m := re.fullmatch(r"([\d.,]*\d)[.,](\d{1,2})", t):
            out.add(Decimal(re.sub(r"[.,]", "", m[1]) + "." + m[2]))
        else:
            out.add(Decimal(t))
    except InvalidOperation:
        pass
    return out


def on_page(html, amounts):
    """Whether one of the amounts is written in the page (see the module doc):
    its whole part, digit by digit with any grouping between, then its
    cents after a mark or markup ("$229<span>99</span>")."""
    for d in amounts:
        whole, _, cents = format(d, "f").partition(".")
        pattern = rb"(?<![\d.,])" + rb"[.,\s'\xa0]?".join(re.escape(c.encode()) for c in whole)
        if cents.strip("0"):
            pattern += rb"(?:[.,]|\s|<[^>]{0,100}>){1,4}" + cents.encode()
        if re.search(pattern + rb"(?!\d)", html):
            return True
    return False


def fold(name):
    """A brand as compared: case and white space aside ("adidas " and
    "Adidas" are one brand); anything else, a word more or less, differs."""
    return " ".join(name.split()).casefold()


def extract(genuine, html, url):
    with tempfile.NamedTemporaryFile(suffix=".html") as f:
        f.write(html)
        f.flush()
        r = subprocess.run([genuine, "extract", "--url", url, f.name], capture_output=True, timeout=60)
    if r.returncode != 0:
        return {"error": r.stderr.decode(errors="replace").strip()[:200]}
    s = json.loads(r.stdout)
    if s.get("price") is None and s.get("offers"):
        first = s["offers"][0]
        s = {**s, "price": first.get("price"), "currency": first.get("currency")}
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", required=True, help="git directory of the benchmark")
    ap.add_argument("--genuine", default=str(ROOT / "target/release/genuine"))
    ap.add_argument("--show", action="store_true", help="print the dev half's misses")
    ap.add_argument("--show-frozen", action="store_true", help="print the frozen half's misses too")
    a = ap.parse_args()

    git = lambda *args: subprocess.run(["git", "-C", a.repo, *args], capture_output=True, check=True).stdout
    truth = json.loads(git("show", f"{COMMIT}:dataset/ground-truth.json"))
    used = set()
    for p in json.load(open(ROOT / "tests/fixtures/pages/real/index.json")):
        if p["source"]["repo"] == "scrapinghub/product-extraction-benchmark":
            used.add(Path(p["source"]["path"]).name.split(".")[0])

    score = {}
    for key in sorted(truth):
        t = truth[key]
        split = "used" if key in used else ("frozen" if int(key[:2], 16) % 2 else "dev")
        html = gzip.decompress(git("show", f"{COMMIT}:dataset/html/{key}.html.gz"))
        want_amounts = set().union(*(readings(p) for p in t.get("price") or []))
        if want_amounts and not on_page(html, want_amounts):
            score.setdefault("not on the page", {}).setdefault(split, 0)
            score["not on the page"][split] += 1
            continue
        s = extract(a.genuine, html, t["url"])
        cur = want_currency((t.get("currency") or [None])[0], t["url"])
        got = s.get("price")
        try:
            got_d = Decimal(got) if got is not None else None
        except InvalidOperation:
            got_d = None
        amount_ok = (got_d in want_amounts) if want_amounts else got is None
        cur_state = None
        if cur is not None and want_amounts:
            cur_state = "ok" if s.get("currency") == cur else ("none" if not s.get("currency") else "other")
        n = score.setdefault(
            split,
            {"pages": 0, "amount": 0, "cur_n": 0, "cur_ok": 0, "cur_other": 0, "error": 0,
             "brand_n": 0, "brand_ok": 0, "gtin_n": 0, "gtin_ok": 0},
        )
        want_brands = {fold(b) for b in t.get("brand") or [] if fold(b)}
        if want_brands:
            n["brand_n"] += 1
            n["brand_ok"] += fold(s.get("brand") or "") in want_brands
        want_gtins = {g.strip().lstrip("0") for g in t.get("gtin") or [] if g.strip()}
        if want_gtins:
            n["gtin_n"] += 1
            n["gtin_ok"] += (s.get("gtin") or "").lstrip("0") in want_gtins
        n["pages"] += 1
        n["amount"] += amount_ok
        n["error"] += "error" in s
        if cur_state:
            n["cur_n"] += 1
            n["cur_ok"] += cur_state == "ok"
            n["cur_other"] += cur_state == "other"
        if want_brands and (split == "dev" and a.show or a.show_frozen):
            if fold(s.get("brand") or "") not in want_brands:
                print(f"  {split:6} {key[:10]} {t['url'][:70]:70} brand {s.get('brand')!r} want {t.get('brand')}")
        miss = not amount_ok or cur_state not in (None, "ok")
        if miss and (split == "dev" and a.show or a.show_frozen):
            print(
                f"  {split:6} {key[:10]} {t['url'][:70]:70} got {got} {s.get('currency')} "
                f"[{s.get('price_source')}] want {t.get('price')} {cur}"
                + (f" ERROR {s['error']}" if "error" in s else ""),
            )
    print(f"annotated amount not in the page's bytes (not scored): {score.pop('not on the page', {})}")
    for split in ("dev", "frozen", "used"):
        n = score.get(split)
        if not n:
            continue
        print(
            f"zyte benchmark {split:6}: amount {n['amount']}/{n['pages']}, "
            f"currency {n['cur_ok']}/{n['cur_n']} (another currency {n['cur_other']}), "
            f"brand {n['brand_ok']}/{n['brand_n']}, gtin {n['gtin_ok']}/{n['gtin_n']}, "
            f"extract errors {n['error']}"
        )


if __name__ == "__main__":
    sys.exit(main())
