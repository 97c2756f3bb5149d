//! The price table (`tests/fixtures/prices.tsv`), the `genuine price` command,
//! and a generated corpus that `parse` must survive.

use std::io::Write;
use std::process::{Command, Stdio};

use genuine_core::price::{parse, Amount, PriceHint};

use crate::fixture;

/// One row: text, currency_hint, decimal_separator, amount, currency, note.
/// An amount written `former:59.99` is a former price, the text's only one
/// (`Price::former`); `per_measure:12.99` a price per kilo, litre or metre,
/// the text's only one (`Price::per_measure`).
struct Row {
    line: usize,
    text: String,
    hint: Option<String>,
    decimal: Option<char>,
    amount: Option<String>,
    former: bool,
    per_measure: bool,
    currency: Option<String>,
    note: String,
}

fn rows(rel: &str) -> Vec<Row> {
    let path = fixture(rel);
    let tsv = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let cell = |s: &str| (!s.is_empty()).then(|| s.to_string());
    tsv.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 5, "{rel} line {}: {l:?}", i + 1);
            Row {
                line: i + 1,
                text: unescape(cols[0]),
                hint: cell(cols[1]),
                decimal: cols[2].chars().next(),
                amount: cell(
                    cols[3]
                        .trim_start_matches("former:")
                        .trim_start_matches("per_measure:"),
                ),
                former: cols[3].starts_with("former:"),
                per_measure: cols[3].contains("per_measure:"),
                currency: cell(cols[4]),
                note: cols.get(5).unwrap_or(&"").to_string(),
            }
        })
        .collect()
}

/// `\u{a0}` → NBSP: the table spells out characters that are hard to see.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('}').expect("closing } in \\u{..}") + at;
        let code = u32::from_str_radix(&rest[at + 3..end], 16).expect("hex in \\u{..}");
        out.push(char::from_u32(code).expect("a char in \\u{..}"));
        rest = &rest[end + 1..];
    }
    out + rest
}

#[test]
fn price_table() {
    let rows = rows("prices.tsv");
    assert!(rows.len() >= 300, "only {} rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let hint = PriceHint {
            currency: row.hint.as_deref(),
            decimal_separator: row.decimal,
        };
        let got = parse(&row.text, &hint);
        let got_amount = got.amount.map(|a| a.to_string());
        let got_currency = got.currency.map(str::to_string);
        if got_amount != row.amount
            || got_currency != row.currency
            || got.former != row.former
            || got.per_measure != row.per_measure
        {
            let flags = |former: bool, per_measure: bool| {
                let mut f = String::new();
                if former {
                    f.push_str(" former");
                }
                if per_measure {
                    f.push_str(" per measure");
                }
                f
            };
            failures.push(format!(
                "line {}: {:?} (hint {:?}, decimal {:?}) [{}]\n    want {:?} {:?}{}\n    got  {:?} {:?}{}",
                row.line,
                row.text,
                row.hint,
                row.decimal,
                row.note,
                row.amount,
                row.currency,
                flags(row.former, row.per_measure),
                got_amount,
                got_currency,
                flags(got.former, got.per_measure),
            ));
        }
    }
    println!(
        "prices.tsv: {} of {} rows pass",
        rows.len() - failures.len(),
        rows.len()
    );
    assert!(
        failures.is_empty(),
        "{} rows fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// How many of a generated set's rows parse right: the amount (compared as
/// a value, so 115 = 115.00) and the currency, per kind of row (the note's
/// last words: `symbol`, `code no hint`, `digits`…).
fn score(rel: &str) -> (usize, usize, usize, Vec<String>) {
    let rows = rows(rel);
    let mut by_trick: std::collections::BTreeMap<String, [usize; 3]> = Default::default();
    let (mut amounts, mut currencies, mut misses) = (0, 0, Vec::new());
    for row in &rows {
        let hint = PriceHint {
            currency: row.hint.as_deref(),
            decimal_separator: row.decimal,
        };
        let got = parse(&row.text, &hint);
        let want = row.amount.as_deref().and_then(Amount::parse_decimal);
        let amount_ok = match (got.amount, want) {
            (Some(g), Some(w)) => g.value_cmp(&w).is_eq(),
            (None, None) => true,
            _ => false,
        };
        let currency_ok = got.currency == row.currency.as_deref();
        amounts += usize::from(amount_ok);
        currencies += usize::from(currency_ok);
        let trick = row.note.split_once(' ').map_or("", |(_, t)| t).to_string();
        let tally = by_trick.entry(trick).or_default();
        tally[0] += 1;
        tally[1] += usize::from(amount_ok);
        tally[2] += usize::from(currency_ok);
        if !(amount_ok && currency_ok) {
            misses.push(format!(
                "{:?} hint {:?} [{}]: want {:?} {:?}, got {:?} {:?}",
                row.text,
                row.hint,
                row.note,
                row.amount,
                row.currency,
                got.amount.map(|a| a.to_string()),
                got.currency
            ));
        }
    }
    for (trick, [n, a, c]) in &by_trick {
        println!("{rel} {trick:>16}: amount {a}/{n}, currency {c}/{n}");
    }
    (rows.len(), amounts, currencies, misses)
}

/// Prices as every CLDR locale prints them (`scripts/eval/gen_prices.py`,
/// Babel's formats, and `scripts/eval/gen_prices_icu.mjs`, ICU's), as a
/// Rust money library prints them (`scripts/eval/gen_prices_money/`), and
/// as other price parsers' own tests write them
/// (`scripts/eval/gen_prices_suites.py`, tallied per source), and as real
/// shops print them (`scripts/eval/gen_prices_zyte.mjs`: texts cut from
/// the pages of Zyte's product extraction benchmark, with Zyte's labels); see
/// tests/fixtures/eval/README.md. The frozen half was
/// committed before the parser was changed for this set and is reported on
/// its own; the floors are the share right, in thousandths.
#[test]
fn generated_prices() {
    const FLOORS: [(&str, u32, u32); 9] = [
        ("eval/prices-dev.tsv", 997, 996),
        ("eval/prices-frozen.tsv", 987, 991),
        ("eval/prices-icu-frozen.tsv", 990, 988),
        ("eval/prices-money-dev.tsv", 981, 893),
        ("eval/prices-money-frozen.tsv", 995, 818),
        ("eval/prices-suites-dev.tsv", 818, 969),
        ("eval/prices-suites-frozen.tsv", 900, 962),
        ("eval/prices-zyte-dev.tsv", 952, 976),
        ("eval/prices-zyte-frozen.tsv", 960, 1000),
    ];
    let mut low = Vec::new();
    for (rel, amount_floor, currency_floor) in FLOORS {
        let (n, amounts, currencies, misses) = score(rel);
        let permille = |k: usize| (k * 1000 / n.max(1)) as u32;
        println!(
            "{rel}: amount {amounts}/{n} = {:.3}, currency {currencies}/{n} = {:.3}",
            amounts as f64 / n as f64,
            currencies as f64 / n as f64
        );
        if std::env::var_os("GENUINE_SHOW_MISSES").is_some() {
            for m in &misses {
                println!("  {m}");
            }
        }
        if permille(amounts) < amount_floor || permille(currencies) < currency_floor {
            low.push(format!(
                "{rel}: {} / {} ‰ below floors {amount_floor} / {currency_floor}",
                permille(amounts),
                permille(currencies)
            ));
        }
    }
    assert!(low.is_empty(), "{}", low.join("\n"));
}

#[test]
fn price_command_answers_every_line_in_order() {
    let input = concat!(
        r#"{"text": "1.234,56 €"}"#,
        "\n",
        r#"{"text": "¥1,299", "currency_hint": "JPY"}"#,
        "\n",
        "not json\n",
        r#"{"text": "Free shipping"}"#,
        "\n",
        r#"{"text": "1,299", "currency_hint": "EUR", "decimal_separator": ","}"#,
        "\n",
        r#"{"currency_hint": "EUR"}"#,
        "\n",
        r#"{"text": null, "currency_hint": "GBP"}"#,
        "\n",
        r#"{"text": 12.5}"#,
        "\n",
        r#"{"text": "Was $59.99", "currency_hint": "USD"}"#,
        "\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_genuine"))
        .arg("price")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run genuine price");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("genuine price output");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    let want = [
        serde_json::json!({"amount": "1234.56", "currency": "EUR"}),
        serde_json::json!({"amount": "1299", "currency": "JPY"}),
        serde_json::json!(null),
        serde_json::json!({"amount": null, "currency": null}),
        serde_json::json!({"amount": "1.299", "currency": "EUR"}),
        serde_json::json!(null),
        serde_json::json!({"amount": null, "currency": null}),
        serde_json::json!(null),
        serde_json::json!({"amount": "59.99", "currency": "USD", "former": true}),
    ];
    assert_eq!(lines.len(), want.len(), "{stdout}");
    for (n, (got, want)) in lines.iter().zip(&want).enumerate() {
        if want.is_null() {
            let err = got["error"].as_str().unwrap_or_default();
            assert!(err.starts_with(&format!("line {}: ", n + 1)), "{got}");
        } else {
            assert_eq!(got, want, "line {}", n + 1);
        }
    }
    assert_eq!(
        out.status.code(),
        Some(1),
        "a bad line makes the exit code 1"
    );
}

/// xorshift64*: a fixed, dependency-free stream of pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Strings made of the pieces prices are made of, plus arbitrary characters.
fn generated(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "0", "1", "9", "12", "345", "1234", ".", ",", " ", "\u{a0}", "\u{202f}", "'", "-", "–",
        "~", "$", "¥", "￥", "€", "£", "元", "kr", "R$", "US $", "CDN$", "EUR", "₹", "%", "/", "+",
        "(", ")", ":", ",-", "Was", "Now", "原价", "现价", "out of", "stars", "x", "٫", "٬", "١",
        "٣", "\u{200f}", "ﷺ", "İ", "ß", "\u{0301}", "\u{FFFD}",
    ];
    let len = rng.below(24);
    let mut s = String::new();
    for _ in 0..len {
        match rng.below(4) {
            0 => s.push(char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('?')),
            1 => s.push((b' ' + rng.below(95) as u8) as char),
            _ => s.push_str(PIECES[rng.below(PIECES.len())]),
        }
    }
    s
}

#[test]
fn parse_survives_anything() {
    let hints = [
        None,
        Some("USD"),
        Some("CNY"),
        Some("¥"),
        Some(""),
        Some("zzz"),
    ];
    let seps = [None, Some('.'), Some(','), Some('x')];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..20_000 {
        let text = generated(&mut rng);
        let hint = PriceHint {
            currency: hints[rng.below(hints.len())],
            decimal_separator: seps[rng.below(seps.len())],
        };
        let price = parse(&text, &hint);
        if let Some(amount) = price.amount {
            let back = Amount::parse_decimal(&amount.to_string());
            assert_eq!(back, Some(amount), "case {case}: {text:?}");
        }
        if let Some(c) = price.currency {
            assert!(
                c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                "case {case}: {text:?} → {c}"
            );
        }
    }
}

#[test]
fn parse_is_bounded_on_long_input() {
    let long = "1,234.56 $ Was ".repeat(100_000);
    let start = std::time::Instant::now();
    let _ = parse(&long, &PriceHint::default());
    let digits = "9".repeat(1_000_000);
    assert_eq!(parse(&digits, &PriceHint::default()).amount, None);
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
}
