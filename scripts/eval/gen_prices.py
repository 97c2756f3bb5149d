#!/usr/bin/env python3
"""Writes tests/fixtures/eval/prices-dev.tsv and prices-frozen.tsv: prices as
every CLDR locale prints them, made by Babel 2.19.0 (PyPI), whose data is the
Unicode CLDR's. Nobody here wrote these formats; the engine never saw them.

    python3 scripts/eval/gen_prices.py      # same output on every run (seeded)

For each locale Babel has (1 147), a seeded random choice of amounts and of
currencies (the locale's territory's tender, USD, EUR and one drawn from all
tender currencies), printed as:

- `symbol`: `format_currency` with the locale's standard pattern
  ("123 456,78 €", "‏1,234 JP¥", "CHF 1'234.50", "₹1,23,456.00");
- `code`: the same pattern with the ISO code in place of the symbol
  ("EUR 123.456,78");
- `name`: the locale's plural unit pattern with the currency's display name
  ("1 234,56 euros", "12,99 долларов США");
- `digits`: the `symbol` form in the locale's own digits, where its default
  numbering system is not Latin (Arabic-Indic, Bengali, Devanagari…),
  with the locale's separators for that system.

Labels are the generator's, not the engine's: the amount is the number
formatted; with the hint (the page's currency, as the extension always has
it), the currency is the one formatted. Without a hint, the currency is the
one formatted only when the printed symbol means that currency and no other
in any CLDR locale, or is the ISO code; a shared symbol ("$", "kr", "¥")
must give none (Genuine never guesses a currency). Name forms are not
labelled without a hint (a display name such as "dollars" is shared).

Split by language (a hash of the language subtag), so that the frozen half
has languages the dev half does not: tune on dev, report frozen on its own.
The frozen half is never edited to fit the engine.

Caveat: data/currencies.tsv (the engine's symbol table) is also generated
from CLDR symbols, so the symbols are not independent of the engine; the
layouts (symbol position, spacing, bidi marks, grouping, separators, digits,
names) are.
"""
import hashlib
import random
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wheels import babel  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fixtures/eval"
SEED = 20261202

# CLDR numbering system → the Unicode name of its digits (for `digits`).
DIGIT_NAMES = {
    "arab": "ARABIC-INDIC",
    "arabext": "EXTENDED ARABIC-INDIC",
    "beng": "BENGALI",
    "deva": "DEVANAGARI",
    "mymr": "MYANMAR",
    "tibt": "TIBETAN",
    "olck": "OL CHIKI",
    "mtei": "MEETEI MAYEK",
    "adlm": "ADLAM",
}


def escape(s):
    """Invisible and space characters as \\u{..}, as prices.tsv spells them."""
    out = []
    for ch in s:
        cat = unicodedata.category(ch)
        if ch == "\t" or (cat in ("Cf", "Zs", "Cc") and ch != " "):
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def main():
    babel()
    import datetime

    from babel import Locale, localedata, numbers
    from babel.core import get_global

    day = datetime.date(2026, 1, 1)
    rng = random.Random(SEED)

    tender = {}
    for territory in get_global("territory_currencies"):
        codes = numbers.get_territory_currencies(territory, start_date=day, end_date=day, tender=True)
        if codes:
            tender[territory] = codes
    all_codes = sorted({c for cs in tender.values() for c in cs})

    # Every symbol any locale prints for each currency: a symbol labels its
    # currency without a hint only if it names that currency alone.
    names = {}
    for ident in localedata.locale_identifiers():
        loc = Locale.parse(ident)
        for code, sym in loc.currency_symbols.items():
            names.setdefault(sym, set()).add(code)

    def amounts(code):
        digits = numbers.get_currency_precision(code)
        out = []
        for lo, hi in ((0, 1), (1, 100), (100, 10_000), (10_000, 10_000_000)):
            value = Decimal(rng.randrange(lo * 100 + 1, hi * 100)) / 100
            out.append(value.quantize(Decimal(1).scaleb(-digits)))
        return out

    rows = []
    for ident in sorted(localedata.locale_identifiers()):
        loc = Locale.parse(ident)
        if not loc.currency_formats.get("standard"):
            continue
        local = tender.get(loc.territory or "", [])
        codes = list(dict.fromkeys(local[:1] + ["USD", "EUR", rng.choice(all_codes)]))
        pattern = loc.currency_formats["standard"].pattern
        for code in codes:
            amount = rng.choice(amounts(code))
            symbol = numbers.get_currency_symbol(code, locale=loc)
            forms = []
            forms.append(("symbol", numbers.format_currency(amount, code, locale=loc), symbol))
            if "¤" in pattern:
                iso = pattern.replace("¤", "¤¤")
                forms.append(("code", numbers.format_currency(amount, code, format=iso, locale=loc), code))
            try:
                forms.append(("name", numbers.format_currency(amount, code, locale=loc, format_type="name"), None))
            except Exception:  # a locale without unit patterns
                pass
            system = getattr(loc, "default_numbering_system", "latn")
            if system != "latn" and system in DIGIT_NAMES:
                zero = ord(unicodedata.lookup(DIGIT_NAMES[system] + " DIGIT ZERO"))
                try:
                    text = numbers.format_currency(amount, code, locale=loc, numbering_system="default")
                except Exception:
                    text = None
                if text:
                    native = "".join(chr(zero + int(c)) if c.isascii() and c.isdigit() else c for c in text)
                    forms.append(("digits", native, symbol))
            for trick, text, printed in forms:
                plain = str(amount)
                if printed is None:
                    bare = None
                elif printed == code or names.get(printed) == {code}:
                    bare = code
                else:
                    bare = None
                split = "frozen" if hashlib.sha256(loc.language.encode()).digest()[0] % 2 else "dev"
                note = f"{ident} {trick}"
                rows.append((split, escape(text), code, "", plain, code, note))
                if trick != "name":
                    rows.append((split, escape(text), "", "", plain, bare or "", note + " no hint"))

    header = "text\tcurrency_hint\tdecimal_separator\tamount\tcurrency\tnote\n"
    for split in ("dev", "frozen"):
        seen = set()
        lines = []
        for row in rows:
            if row[0] != split or row[1:6] in seen:
                continue
            seen.add(row[1:6])
            lines.append("\t".join(row[1:]) + "\n")
        path = OUT / f"prices-{split}.tsv"
        path.write_text(header + "".join(lines), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(lines)} rows")


if __name__ == "__main__":
    main()
