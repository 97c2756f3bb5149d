#!/usr/bin/env python3
"""Writes tests/fixtures/eval/prices-suites-dev.tsv and prices-suites-frozen.tsv:
price strings from the assertions of three other libraries' own test suites,
written by their authors, not by anyone here and not by a formatter:

- RubyMoney/monetize (MIT; Ruby), `spec/monetize_spec.rb` at commit
  8c174366f6be880d582f1901554b140cddecea95 (version 2.0.0), read from a git
  copy of the repository (`--monetize PATH`, `git show COMMIT:PATH`);
- universalbasket/price-parser (ISC; npm `price-parser` 3.4.0, not
  scrapinghub's Python package of the same name nor a port of it: another
  author, API and age), `test/price.test.js` in the npm tarball;
- kserhii/money-parser (Apache-2.0; PyPI `money-parser` 0.0.1, 2017),
  `tests/test_price.py` in the sdist.

    python3 scripts/eval/gen_prices_suites.py --monetize /path/to/monetize.git

The tarballs are fetched once into target/eval-data (scripts/wheels.py's
cache). Only string literals written in the tests are taken; a string built
in a loop from the library's own symbol table (monetize's CURRENCY_SYMBOLS
loop) is not one. Every rule is below, applied to every row alike; the
script prints how many assertions each rule dropped.

Labels:
- amount: the one the source asserts (monetize's cents divided by the
  currency's ISO minor unit, from Babel 2.19's CLDR data); a source's "no
  price" (nil, null, an error) becomes an empty amount only when the text has
  no digit at all; where the text has digits the refusal is the library's own
  rule (ranges, two numbers, a sign it cannot place: ours reads the low end
  of a range), and the row is dropped.
- currency: the page's currency when the source passes one (monetize's second
  argument); otherwise the one the text names unambiguously: an ISO code
  written as a word, or a symbol that names that one currency in every CLDR
  locale (Babel 2.19), the longest symbol where one contains another. A
  shared sign ("$", "£", "kr") gives no currency, and so does a library's
  default (monetize's USD when nothing is written). A row whose source asserts
  a currency other than the one the text or hint names is dropped (monetize
  ignoring "€" unless told to).
- dropped too: negative amounts (ours: a discount, not a price), lists of
  prices (parse_collection, parseAll: the source does not say which one is
  the price), input that is not a string, assertions made under an option
  that changes how numbers are read (monetize's enforce_currency_delimiters,
  expect_whole_subunits, infinite precision, custom currencies, no default
  currency; price-parser's parseNegative), and exact repeats.

Split by a hash of the text (SHA-256, first byte odd → frozen), so a text
with and without its hint lands in one half: tune on dev, report frozen.
The note is `path:line source`.
"""
import argparse
import hashlib
import re
import subprocess
import sys
import tarfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_prices import escape  # noqa: E402  (prices.tsv's spelling, one place)
from wheels import CACHE, babel, npm_tarball  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fixtures/eval"
MONETIZE_COMMIT = "8c174366f6be880d582f1901554b140cddecea95"
MONEY_PARSER = "money-parser==0.0.1"
PRICE_PARSER = "price-parser@3.4.0"


class Row:
    """One assertion: the text, the hint passed, the amount and currency the
    source asserts (None: no price / no currency asserted), where it is."""

    def __init__(self, source, path, line, text, hint=None, amount=None, currency=None, drop=None):
        self.source, self.path, self.line = source, path, line
        self.text, self.hint, self.amount, self.currency = text, hint, amount, currency
        self.drop = drop


# ---------------------------------------------------------------- currencies


class Names:
    """Which currency a text names, by CLDR's symbols (Babel 2.19)."""

    def __init__(self):
        babel()
        from babel import Locale, localedata, numbers

        self.numbers = numbers
        self.codes = set(numbers.list_currencies())
        self.symbols = {}
        for ident in localedata.locale_identifiers():
            for code, sym in Locale.parse(ident).currency_symbols.items():
                self.symbols.setdefault(sym, set()).add(code)

    def minor(self, code):
        return self.numbers.get_currency_precision(code)

    def named(self, text):
        """The set of currencies the text names, or None if a symbol in it is
        shared (and no code settles it)."""
        spans = []
        for sym, codes in self.symbols.items():
            start = text.find(sym)
            while start >= 0:
                end = start + len(sym)
                before = text[start - 1] if start else " "
                after = text[end] if end < len(text) else " "
                # A letter symbol ("R", "kr", "Ft") counts only as a word of its own.
                if not (sym[0].isalpha() and before.isalpha()) and not (sym[-1].isalpha() and after.isalpha()):
                    spans.append((start, end, sym))
                start = text.find(sym, start + 1)
        kept = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0] for o in spans)]
        found, shared = set(), False
        for _, _, sym in kept:
            codes = self.symbols[sym]
            if len(codes) == 1:
                found |= codes
            else:
                shared = True
        iso = {w for w in re.findall(r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])", text) if w in self.codes}
        if iso:
            return iso
        return None if shared and not found else found or set()


def label(row, names):
    """Sets row.currency to the label (or row.drop), by the rules above."""
    named = names.named(row.text) or set()
    if len(named) > 1:
        named = set()  # two currencies named: none is the page's for sure
    asserted = row.currency
    text_says = next(iter(named)) if named else None
    if text_says and asserted not in (None, text_says):
        row.drop = "source asserts another currency than the text names"
        return
    if row.hint and not text_says and asserted not in (None, row.hint):
        row.drop = "source asserts another currency than the hint"
        return
    row.currency = text_says or row.hint


# ---------------------------------------------------------------- monetize

RUBY_STR = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
OPTIONS = {
    "enforce_currency_delimiters": "option enforce_currency_delimiters",
    "expect_whole_subunits": "option expect_whole_subunits",
    "default_infinite_precision": "option infinite precision",
    "register": "custom currencies",
    "default_currency = nil": "no default currency",
}


def ruby_string(lit):
    """A Ruby string literal's value, or None when it interpolates."""
    body = lit[1:-1]
    if lit[0] == "'":
        return re.sub(r"\\([\\'])", r"\1", body)
    if "#{" in body:
        return None
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)


def monetize_rows(gitdir, names):
    path = "spec/monetize_spec.rb"
    src = subprocess.run(
        ["git", "-C", str(gitdir), "show", f"{MONETIZE_COMMIT}:{path}"], check=True, capture_output=True, text=True
    ).stdout
    stack = []  # (indent, kind, options set in the block's `before`)
    variables = {}
    rows = []
    for n, line in enumerate(src.splitlines(), 1):
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        if re.fullmatch(r"end", body):
            stack.pop()
            continue
        if re.search(r"\bdo(\s*\|[^|]*\|)?$", body):
            stack.append((indent, re.findall(r"\w+", body)[0], set()))
            continue
        # `before do … end`, or `before(:all) { … }` on one line.
        inline = re.match(r"before\b.*\{(.*)\}$", body)
        if inline or (stack and stack[-1][1] == "before"):
            setting = inline.group(1) if inline else body
            owner = stack[-1] if inline else stack[-2]
            for key, reason in OPTIONS.items():
                if key in setting and ("= true" in setting or key == "register" or key.endswith("nil")):
                    owner[2].add(reason)
            continue
        if stack and stack[-1][1] == "after":
            continue
        var = re.match(r"(\w+) = (Money\.new\(.*\))$", body)
        if var:
            variables[var.group(1)] = var.group(2)
            continue
        if not body.startswith("expect"):
            continue
        options = set().union(*(s[2] for s in stack))
        rows.append(monetize_row(path, n, body, options, variables, names))
    return [r for r in rows if r]


def monetize_row(path, n, body, options, variables, names):
    row = Row("monetize", path, n, None)
    call = re.match(
        r"expect\s*[({]\s*(Monetize\.(parse!?|parse_collection|from_\w+)\((.*?)\)|(" + RUBY_STR + r"|[\w.]+)\.to_money(?:\((.*?)\))?)\s*[)}]\.to (.*)$",
        body,
    )
    if not call:
        return None  # not a price assertion (configuration checks, `be_a`…)
    method, args, lit, to_money_arg, matcher = call.group(2), call.group(3), call.group(4), call.group(5), call.group(6)
    if method in ("parse_collection",):
        row.drop = "list of prices"
        return row
    if method and method.startswith("from_") and method != "from_string":
        row.drop = "input is not a string"
        return row
    if method:
        m = re.fullmatch(r"(" + RUBY_STR + r")\s*(?:,\s*(nil|'[A-Z0-9]+'))?\s*(?:,\s*assume_from_symbol:\s*(?:true|false))?", args)
        if not m:
            row.drop = "input is not a string"
            return row
        text, hint = ruby_string(m.group(1)), m.group(2)
    else:
        if not re.fullmatch(RUBY_STR, lit):
            row.drop = "input is not a string"
            return row
        text, hint = ruby_string(lit), to_money_arg
    if text is None:
        row.drop = "string built in a loop over the library's symbols"
        return row
    row.text = text
    row.hint = hint.strip("'") if hint and hint != "nil" else None
    if options:
        row.drop = sorted(options)[0]
        return row
    expected = re.match(r"eq (.*)$", matcher)
    if "raise_error" in matcher or "be_nil" in matcher or (expected and expected.group(1) == "Money.empty"):
        return row  # no price
    if not expected:
        row.drop = "no value asserted"
        return row
    value = variables.get(expected.group(1), expected.group(1))
    money = re.fullmatch(r"Money\.new\((-?[\d_]+)(?:,\s*['\"]([A-Z0-9]+)['\"])?\)", value)
    if not money:
        row.drop = "no value asserted"
        return row
    code = money.group(2) or "USD"  # Money's default currency
    if code not in names.codes:
        row.drop = "custom currencies"
        return row
    cents = Decimal(money.group(1).replace("_", ""))
    digits = names.minor(code)
    row.amount = str((cents / Decimal(10) ** digits).quantize(Decimal(1).scaleb(-digits)))
    row.currency = code
    return row


# ---------------------------------------------------------------- price-parser (npm)

JS_STR = r"'(?:[^'\\]|\\.)*'"


def js_string(lit):
    return re.sub(r"\\(.)", r"\1", lit[1:-1])


def price_parser_rows(names):
    path = "test/price.test.js"
    with tarfile.open(npm_tarball(PRICE_PARSER)) as tar:
        src = tar.extractfile("package/" + path).read().decode("utf-8")
    lines = src.splitlines()
    starts = [i for i, l in enumerate(lines) if re.match(r"\s*it\(", l)] + [len(lines)]
    rows = []
    for a, b in zip(starts, starts[1:]):
        block = lines[a:b]
        whole = "\n".join(block)
        texts = []
        in_array = False
        for k, l in enumerate(block):
            if re.search(r"const texts = \[", l):
                in_array = True
            if in_array:
                texts += [(a + k + 1, js_string(s)) for s in re.findall(JS_STR, l.split("//")[0])]
                if "];" in l:
                    in_array = False
            direct = re.search(r"parse(?:First|All)\((" + JS_STR + r")", l)
            if direct:
                texts.append((a + k + 1, js_string(direct.group(1))))
        amount = re.search(r"assert\.equal\(price\.floatValue, (-?[\d.]+)\)", whole)
        minor = re.search(r"assert\.equal\(price\.value, (-?\d+)\)", whole)
        code = re.search(r"assert\.equal\(price\.currencyCode, '(\w+)'\)", whole)
        formatted = re.search(r"const formatted = (?:(" + JS_STR + r") \+ )?price\.floatValue\.toFixed\(0\)(?: \+ (" + JS_STR + r"))?;", whole)
        for n, text in texts:
            row = Row("price-parser", path, n, text, currency=code.group(1).upper() if code else None)
            if "parseAll" in whole:
                row.drop = "list of prices"
            elif "parseNegative" in whole:
                row.drop = "option parseNegative"
            elif "== null" in whole:
                row.currency = None
            elif amount:
                row.amount = amount.group(1)
            elif minor and code:
                # `value` is in the currency's minor unit (pence, cents).
                digits = names.minor(code.group(1).upper())
                row.amount = str(Decimal(minor.group(1)).scaleb(-digits))
            elif formatted:
                # The test prints the amount back and compares it with the text.
                prefix = js_string(formatted.group(1)) if formatted.group(1) else ""
                suffix = js_string(formatted.group(2)) if formatted.group(2) else ""
                row.amount = text.removeprefix(prefix).removesuffix(suffix)
            else:
                row.drop = "no value asserted"
            rows.append(row)
    return rows


# ---------------------------------------------------------------- money-parser (PyPI)


def sdist(pin):
    """The path of the sdist for `pin`, downloaded into the cache once."""
    stem = pin.split("==")[0]
    found = list(CACHE.glob(f"{stem}-*.tar.gz"))
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q", "-d", str(CACHE), pin]
        subprocess.run(cmd, check=True)
        found = list(CACHE.glob(f"{stem}-*.tar.gz"))
    return found[0]


def money_parser_rows():
    path = "tests/test_price.py"
    archive = sdist(MONEY_PARSER)
    with tarfile.open(archive) as tar:
        src = tar.extractfile(f"{archive.name[: -len('.tar.gz')]}/{path}").read().decode("utf-8")
    import ast

    rows = []
    for node in ast.walk(ast.parse(src)):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.List)):
            continue
        name = node.targets[0].id
        for item in node.value.elts:
            if name == "price_str_test_cases":
                text, amount = (e.value for e in item.elts)
                rows.append(Row("money-parser", path, item.lineno, text, amount=amount))
            elif name == "wrong_price_str_test_cases":
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    rows.append(Row("money-parser", path, item.lineno, item.value))
                else:
                    rows.append(Row("money-parser", path, item.lineno, None, drop="input is not a string"))
    return rows


# ---------------------------------------------------------------- rules and output


def settle(row, names):
    """Applies the rules common to every source."""
    if row.drop:
        return
    if row.amount is None and re.search(r"\d", row.text):
        row.drop = "no price asserted for a text with digits"
    elif row.amount is not None and row.amount.startswith("-"):
        row.drop = "negative amount"
    else:
        label(row, names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--monetize", required=True, help="a git copy of RubyMoney/monetize")
    args = parser.parse_args()
    names = Names()
    rows = monetize_rows(args.monetize, names) + price_parser_rows(names) + money_parser_rows()
    dropped, seen, halves = {}, set(), {"dev": [], "frozen": []}
    for row in rows:
        settle(row, names)
        key = (row.text, row.hint, row.amount, row.currency)
        if not row.drop and key in seen:
            row.drop = "repeat"
        if row.drop:
            dropped[(row.source, row.drop)] = dropped.get((row.source, row.drop), 0) + 1
            continue
        seen.add(key)
        half = "frozen" if hashlib.sha256(row.text.encode()).digest()[0] % 2 else "dev"
        cells = (escape(row.text), row.hint or "", "", row.amount or "", row.currency or "", f"{row.path}:{row.line} {row.source}")
        halves[half].append("\t".join(cells) + "\n")
    header = "text\tcurrency_hint\tdecimal_separator\tamount\tcurrency\tnote\n"
    for half, lines in halves.items():
        path = OUT / f"prices-suites-{half}.tsv"
        path.write_text(header + "".join(lines), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(lines)} rows")
    kept = {}
    for row in rows:
        if not row.drop:
            kept[row.source] = kept.get(row.source, 0) + 1
    for source, count in sorted(kept.items()):
        print(f"kept {count:4} {source}")
    for (source, reason), count in sorted(dropped.items()):
        print(f"drop {count:4} {source}: {reason}")


if __name__ == "__main__":
    main()
