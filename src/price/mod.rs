//! Prices as pages print them → an exact decimal amount and an ISO 4217 currency.
//!
//! Amounts are kept as decimal mantissa + scale, never as floats, so "19.90"
//! stays "19.90" on its way to a report or a comparison table.
//!
//! The pipeline: `scan` normalises the text (NFKC, other scripts' digits,
//! invisible marks) and splits it into numbers, currency symbols and price
//! words; `pick` decides which number is the price (not the former price, the
//! saving, the rating or the phone number) and what its symbol means given the
//! page's currency; `number` reads the digits, deciding which separator is the
//! decimal one. The tables are data: `data/currencies.tsv` (codes, symbols,
//! minor units) and `data/price_words.tsv` ("was", "现价", "you save"…).

mod currency;
mod number;
mod pick;
mod scan;
mod words;

use std::cmp::Ordering;
use std::fmt;

use scan::{Text, Token};

/// An exact non-negative decimal: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    mantissa: u64,
    scale: u8,
}

/// What the page's context says about the price: the currency the site uses
/// (an ISO code or a symbol), and the decimal separator if it is known.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PriceHint<'a> {
    pub currency: Option<&'a str>,
    pub decimal_separator: Option<char>,
}

/// A parsed price. Either part may be unknown; neither is ever guessed.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Price {
    pub amount: Option<Amount>,
    pub currency: Option<&'static str>,
    /// The amount is a former or list price: the text shows no other
    /// ("Was $5.99", "UVP 29,99 €"). A parser of one text says what it
    /// holds; a page's reader wants the price the shopper pays, and takes
    /// [`Price::current`].
    pub former: bool,
    /// The amount is a price per weight, volume or length, the text's only
    /// one ("€12,99/kg"): not what the item costs unless it is sold so.
    pub per_measure: bool,
}

impl Price {
    /// This price if the shopper pays it, else no amount (the currency
    /// stays): a former price alone is not what the product costs now, nor
    /// is a price per kilo the price of a pack.
    pub fn current(self) -> Price {
        if self.former || self.per_measure {
            Price {
                amount: None,
                former: false,
                per_measure: false,
                ..self
            }
        } else {
            self
        }
    }
}

impl Amount {
    /// Reads a plain decimal string such as "1234.56" (the registry's and the CLI's form).
    pub fn parse_decimal(s: &str) -> Option<Amount> {
        let s = s.trim();
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() || int.len() > 15 || frac.len() > 4 {
            return None;
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mantissa = format!("{int}{frac}").parse().ok()?;
        Some(Amount {
            mantissa,
            scale: frac.len() as u8,
        })
    }

    /// The amount in the major unit when it was written in cents ("99¢" is
    /// 0.99); none past four decimals, as [`Amount::parse_decimal`] allows.
    pub(crate) fn cents_in_units(self) -> Option<Amount> {
        (self.scale <= 2).then_some(Amount {
            mantissa: self.mantissa,
            scale: self.scale + 2,
        })
    }

    pub fn as_f64(&self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// Compares values, whatever the scales: 1.5 < 1.50 is false, and so is 1.50 < 1.5.
    pub fn value_cmp(&self, other: &Amount) -> Ordering {
        let scale = self.scale.max(other.scale);
        let widen = |a: &Amount| a.mantissa as u128 * 10u128.pow(u32::from(scale - a.scale));
        widen(self).cmp(&widen(other))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.mantissa);
        }
        let p = 10u64.pow(self.scale as u32);
        write!(
            f,
            "{}.{:0w$}",
            self.mantissa / p,
            self.mantissa % p,
            w = self.scale as usize
        )
    }
}

/// Parses a price as printed on a page: `"1.234,56 €"`, `"¥ 149.00 - 159.00"`,
/// `"Was $59.99 Now $39.99"`. The amount is the price a shopper pays (the
/// lowest of a range, the current one of a was/now pair), a former price
/// flagged as one when the text has no other, or none when the text holds
/// no price; the currency is what the text's symbol means on a page
/// whose currency is `hint.currency`, or the hint itself when the text names
/// none. Only the first [`MAX_CHARS`](scan::MAX_CHARS) characters are read.
pub fn parse(text: &str, hint: &PriceHint) -> Price {
    let hint = pick::Hint {
        currency: hint
            .currency
            .and_then(currency::from_hint)
            .or_else(|| japanese(text).then(|| currency::by_code("JPY")).flatten()),
        decimal: hint.decimal_separator.map(|c| match c {
            '\u{066B}' => '.',
            '\u{066C}' => ',',
            c => c,
        }),
    };
    let text = Text::new(text);
    let tokens = scan::tokens(&text);
    match pick::choose(&text, &tokens, hint) {
        Some(choice) => Price {
            amount: Some(choice.amount),
            currency: choice.currency.map(|c| c.code),
            former: choice.former,
            per_measure: choice.per_measure,
        },
        None => Price {
            amount: None,
            former: false,
            per_measure: false,
            currency: first_symbol(&tokens)
                .map_or(hint.currency, |s| s.resolve(hint.currency))
                .map(|c| c.code),
        },
    }
}

/// Whether the text is written in Japanese: kana, or the kanji phrases only
/// Japanese shops print beside a price (税込 "tax included", 税抜 and 税別
/// "before tax"). Then a yen sign is the yen, not the yuan it also stands
/// for ("¥1,280 (税込)"); a page's own currency still comes first.
fn japanese(text: &str) -> bool {
    text.chars()
        .take(scan::MAX_CHARS)
        .any(|c| matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}'))
        || ["税込", "税抜", "税別"].iter().any(|w| text.contains(w))
}

/// The ISO code a currency text names ("€", "CDN$", "cny"), if it names
/// exactly one; `site_default` settles shared symbols such as `$` and `¥`.
pub fn currency_code(text: &str, site_default: Option<&str>) -> Option<&'static str> {
    let site = site_default.and_then(currency::from_hint);
    currency::by_code(text.trim())
        .or_else(|| first_symbol(&scan::tokens(&Text::new(text)))?.resolve(site))
        .map(|c| c.code)
}

fn first_symbol(tokens: &[Token]) -> Option<&'static currency::Symbol> {
    tokens.iter().find_map(|t| match t {
        Token::Currency(s) => Some(*s),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_formats() {
        let cny = PriceHint {
            currency: Some("CNY"),
            decimal_separator: None,
        };
        for (text, hint, amount, currency) in [
            ("¥1,299", cny, "1299", Some("CNY")),
            ("￥ 89.00", cny, "89.00", Some("CNY")),
            ("$1,234.56", PriceHint::default(), "1234.56", None),
            ("1.234,56 €", PriceHint::default(), "1234.56", Some("EUR")),
            ("CDN$ 9.99", PriceHint::default(), "9.99", Some("CAD")),
        ] {
            let p = parse(text, &hint);
            assert_eq!(
                p.amount.map(|a| a.to_string()).as_deref(),
                Some(amount),
                "{text}"
            );
            assert_eq!(p.currency, currency, "{text}");
        }
    }
}
