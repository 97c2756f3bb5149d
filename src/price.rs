//! Prices as pages print them → an exact decimal amount and an ISO 4217 currency.
//!
//! Amounts are kept as decimal mantissa + scale, never as floats, so "19.90"
//! stays "19.90" on its way to a report or a comparison table.

use std::fmt;

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

    pub fn as_f64(&self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
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

/// Currency markers, longest first so that "CDN$" wins over "$".
const MARKERS: &[(&str, Option<&str>)] = &[
    ("CDN$", Some("CAD")),
    ("US$", Some("USD")),
    ("R$", Some("BRL")),
    ("A$", Some("AUD")),
    ("￥", None),
    ("¥", None),
    ("元", Some("CNY")),
    ("€", Some("EUR")),
    ("£", Some("GBP")),
    ("$", None),
];

const CODES: &[&str] = &[
    "CNY", "JPY", "USD", "EUR", "GBP", "CAD", "AUD", "BRL", "INR", "KRW", "SGD", "MYR", "THB",
    "VND", "IDR", "PHP", "PLN", "SEK", "MXN", "HKD", "TWD", "CHF",
];

/// The ISO code a page's currency text names, if it names exactly one.
pub fn currency_code(text: &str, site_default: Option<&str>) -> Option<&'static str> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if let Some(c) = CODES.iter().find(|c| upper.contains(**c)) {
        return Some(c);
    }
    let site = site_default.and_then(|d| CODES.iter().find(|c| d.eq_ignore_ascii_case(c)).copied());
    for (marker, code) in MARKERS {
        if t.contains(marker) {
            return match (code, *marker) {
                (Some(c), _) => Some(c),
                // ¥ is CNY on Chinese marketplaces and JPY on Japanese ones; $ is
                // USD, CAD, AUD... Only the site can tell.
                (None, "¥" | "￥") => site.filter(|s| *s == "CNY" || *s == "JPY"),
                (None, _) => site.filter(|s| s.ends_with('D')),
            };
        }
    }
    None
}

/// Parses a price as printed on a page.
pub fn parse(text: &str, hint: &PriceHint) -> Price {
    let site = hint
        .currency
        .and_then(|c| currency_code(c, None).or_else(|| currency_code(c, hint.currency)));
    let currency = currency_code(text, site).or(site);
    let number: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}'))
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    Price {
        amount: amount_of(&number, hint.decimal_separator),
        currency,
    }
}

fn amount_of(number: &str, decimal: Option<char>) -> Option<Amount> {
    let last_sep = number.rfind(['.', ',']);
    let decimal = decimal.or_else(|| {
        let i = last_sep?;
        let digits_after = number.len() - i - 1;
        // "1,234" and "12.345" are thousands; "1,23" and "12.5" are decimals.
        (digits_after != 3 || number[..i].contains(number.as_bytes()[i] as char))
            .then(|| number.as_bytes()[i] as char)
            .filter(|_| digits_after != 3)
    });
    let normalised: String = number
        .chars()
        .filter_map(|c| match c {
            c if c.is_ascii_digit() => Some(c),
            c if Some(c) == decimal => Some('.'),
            _ => None,
        })
        .collect();
    Amount::parse_decimal(&normalised)
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
