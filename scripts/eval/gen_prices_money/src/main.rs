//! Writes tests/fixtures/eval/prices-money-{dev,frozen}.tsv: prices as rusty-money
//! 0.4.2 prints them (`Display`: its own symbol, placed before or after the
//! number as its table says, in one of its four layouts: 1,234.56,
//! 12,34,567.89, 1.234,56, 1 234,56).
//!
//! - Currencies: those of `data/currencies.tsv` (in use as tender) that
//!   rusty-money knows, in that table's order as of commit 1f9408a (read with
//!   `git show`), so that later edits of the table do not move the rows.
//! - Amounts: four per currency, drawn with a fixed seed across four sizes.
//! - Each text twice: with the currency's ISO code as the page's hint, and
//!   without.
//! - Split by the currency's code: A–M dev, N–Z frozen (a split made after
//!   the whole set had been scored once, before any of its misses was read).
//! - Labels: the amount formatted; the currency when it is the hint, and
//!   without a hint only when rusty-money gives that symbol to no other
//!   currency of the set (a "$", a "£" or a "kr" must give none).
//!
//! ```text
//! CARGO_TARGET_DIR=target/eval-gen cargo run --release \
//!   --manifest-path scripts/eval/gen_prices_money/Cargo.toml
//! ```
use std::collections::HashMap;
use std::fmt::Write as _;

use rusty_money::{iso, Money};

/// The commit whose `data/currencies.tsv` chose the set's currencies and their order.
const TABLE_AT: &str = "1f9408a";

/// xorshift64*: the same draws on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    // The table as it was when the set was made: the draws follow its order,
    // and a currency added since must not move the frozen rows.
    let table = std::process::Command::new("git")
        .args(["show", &format!("{TABLE_AT}:data/currencies.tsv")])
        .current_dir(&root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .expect("git show of data/currencies.tsv at the set's commit");
    let codes: Vec<&str> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split('\t').next())
        .collect();
    let known: Vec<&iso::Currency> = codes.iter().filter_map(|c| iso::find(c)).collect();
    let mut holders: HashMap<&str, usize> = HashMap::new();
    for c in &known {
        *holders.entry(c.symbol).or_default() += 1;
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let header = "text\tcurrency_hint\tdecimal_separator\tamount\tcurrency\tnote\n";
    let (mut dev, mut frozen) = (String::from(header), String::from(header));
    let mut rows = 0;
    for c in &known {
        let out = if c.iso_alpha_code < "N" {
            &mut dev
        } else {
            &mut frozen
        };
        for size in [100u64, 10_000, 1_000_000, 100_000_000] {
            // Whole units below `size`, then minor units by the exponent.
            let units = 1 + rng.below(size);
            let scale = 10u64.pow(c.exponent);
            let minor = units * scale + if scale > 1 { rng.below(scale) } else { 0 };
            let text = Money::from_minor(minor as i64, *c).to_string();
            let amount = if c.exponent == 0 {
                units.to_string()
            } else {
                format!(
                    "{}.{:0w$}",
                    minor / scale,
                    minor % scale,
                    w = c.exponent as usize
                )
            };
            let unique = holders.get(c.symbol) == Some(&1);
            let text = escape(&text);
            let code = c.iso_alpha_code;
            let _ = writeln!(out, "{text}\t{code}\t\t{amount}\t{code}\t{code} symbol");
            let alone = if unique { code } else { "" };
            let _ = writeln!(out, "{text}\t\t\t{amount}\t{alone}\t{code} symbol no hint");
            rows += 2;
        }
    }
    for (half, text) in [("dev", dev), ("frozen", frozen)] {
        let path = root.join(format!("tests/fixtures/eval/prices-money-{half}.tsv"));
        std::fs::write(&path, text).expect("write the set");
    }
    eprintln!("{rows} rows, {} currencies", known.len());
}

/// Characters one cannot see, as the test reads them (`\u{a0}`).
fn escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_whitespace() && c != ' '
                || c.is_control()
                || matches!(c as u32, 0x200b..=0x200f | 0x202a..=0x202e | 0x2066..=0x2069)
            {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}
