//! The currencies the parser knows (`data/currencies.tsv`) and the symbols
//! pages write for them, with the rule for symbols several currencies share.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::scan::{Phrases, Text};

/// A currency as the parser needs it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Currency {
    /// ISO 4217 code.
    pub code: &'static str,
    /// Digits after the decimal separator in the ISO standard (JPY 0, KWD 3).
    pub minor_units: u8,
    /// The separator its home locales write before the minor units.
    pub decimal: char,
}

/// What one printed symbol can mean.
#[derive(Debug, PartialEq)]
pub(super) struct Symbol {
    /// Every currency that writes this symbol, in table order.
    currencies: Vec<&'static Currency>,
    /// The reading when the hint does not pick one (marked `*` in the table).
    default: Option<&'static Currency>,
    /// A short word in mixed case ("Ksh", "TSh", "Nkr"; marked `~` in the
    /// table): read only as written and only touching a number, since such
    /// letters also start ordinary words and sentences ("Le prix").
    pub needs_number: bool,
}

impl Symbol {
    /// Whether the symbol names one currency whatever the page.
    pub fn is_certain(&self) -> bool {
        self.currencies.len() == 1
    }

    /// Whether `other` names one of this symbol's currencies and only that
    /// one: CAD narrows `$`, € does not.
    pub fn narrowed_by(&self, other: &Symbol) -> bool {
        match other.currencies.as_slice() {
            [one] => self.currencies.len() > 1 && self.currencies.contains(one),
            _ => false,
        }
    }

    /// The currency this symbol means on a page whose currency is `hint`.
    /// `$` on a Canadian site is CAD; `¥` with no hint is nobody's guess.
    pub fn resolve(&self, hint: Option<&'static Currency>) -> Option<&'static Currency> {
        match self.currencies.as_slice() {
            [only] => Some(only),
            several => hint
                .filter(|h| several.iter().any(|c| c.code == h.code))
                .or(self.default),
        }
    }
}

struct Table {
    currencies: Vec<&'static Currency>,
    symbols: Phrases<&'static Symbol>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| load(include_str!("../../data/currencies.tsv")))
}

fn load(tsv: &'static str) -> Table {
    let mut currencies = Vec::new();
    // Symbol text → (currencies, default, every listing marked `~`); kept in
    // first-seen order for stable output.
    let mut by_symbol: Vec<(
        &'static str,
        Vec<&'static Currency>,
        Option<&'static Currency>,
        bool,
    )> = Vec::new();
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let Some(row) = parse_row(line) else { continue };
        // The table lives for the whole program; leaking it once gives the
        // `&'static str` codes that `Price` hands out without copying.
        let currency: &'static Currency = Box::leak(Box::new(row.currency));
        currencies.push(currency);
        for sym in row.symbols {
            let (text, is_default) = match sym.strip_prefix('*') {
                Some(t) => (t, true),
                None => (sym, false),
            };
            let (text, touching) = match text.strip_prefix('~') {
                Some(t) => (t, true),
                None => (text, false),
            };
            let i = *index.entry(text).or_insert_with(|| {
                by_symbol.push((text, Vec::new(), None, true));
                by_symbol.len() - 1
            });
            if let Some(entry) = by_symbol.get_mut(i) {
                entry.1.push(currency);
                if is_default {
                    entry.2 = Some(currency);
                }
                entry.3 &= touching;
            }
        }
    }
    let mut symbols = Phrases::default();
    for (text, currencies, default, needs_number) in by_symbol {
        let symbol: &'static Symbol = Box::leak(Box::new(Symbol {
            currencies,
            default,
            needs_number,
        }));
        // "EUR" must be written in capitals; "try it" is not Turkish lira.
        let exact =
            needs_number || (text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase()));
        symbols.insert(text, exact, symbol);
    }
    Table {
        currencies,
        symbols,
    }
}

struct Row {
    currency: Currency,
    symbols: Vec<&'static str>,
}

fn parse_row(line: &'static str) -> Option<Row> {
    let mut cols = line.split('\t');
    let code = cols.next()?.trim();
    let minor_units = cols.next()?.trim().parse().ok()?;
    let decimal = cols.next()?.trim().chars().next()?;
    let symbols = cols
        .next()?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    Some(Row {
        currency: Currency {
            code,
            minor_units,
            decimal,
        },
        symbols,
    })
}

/// The currency symbol that starts at `i`, and how many characters it takes.
pub(super) fn symbol_at(text: &Text, i: usize) -> Option<(usize, &'static Symbol)> {
    table().symbols.longest_at(text, i)
}

/// The currency a page's hint names: an ISO code in any case ("cny"), a
/// symbol that means one currency ("€", "R$", "元"), or free text around
/// one as pages label their prices ("Price From £", "Pris NOK", "RRP: £"):
/// the first symbol or upper-case ISO code in it that names a currency.
pub(super) fn from_hint(hint: &str) -> Option<&'static Currency> {
    let hint = hint.trim();
    if let Some(c) = by_code(hint) {
        return Some(c);
    }
    let text = Text::new(hint);
    if let Some((len, symbol)) = symbol_at(&text, 0) {
        if len == text.len() {
            return symbol.resolve(None);
        }
    }
    // Words first: a code spelled out names its currency whatever the symbols.
    let code = hint
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() == 3 && w.bytes().all(|b| b.is_ascii_uppercase()))
        .find_map(by_code);
    code.or_else(|| {
        (0..text.len()).find_map(|i| symbol_at(&text, i).and_then(|(_, s)| s.resolve(None)))
    })
}

/// The currency with this ISO code, in any case.
pub(super) fn by_code(code: &str) -> Option<&'static Currency> {
    table()
        .currencies
        .iter()
        .copied()
        .find(|c| c.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_loads() {
        let tsv = include_str!("../../data/currencies.tsv");
        let rows = tsv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(table().currencies.len(), rows);
    }

    #[test]
    fn shared_symbols_need_a_hint() {
        let dollar = |hint: Option<&str>| {
            let (_, s) = symbol_at(&Text::new("$"), 0).expect("$ is a symbol");
            s.resolve(hint.and_then(by_code)).map(|c| c.code)
        };
        assert_eq!(dollar(None), None);
        assert_eq!(dollar(Some("CAD")), Some("CAD"));
        assert_eq!(dollar(Some("EUR")), None);
        assert_eq!(from_hint("元").map(|c| c.code), Some("CNY"));
        assert_eq!(from_hint("¥"), None);
        assert_eq!(from_hint("jpy").map(|c| c.code), Some("JPY"));
    }
}
