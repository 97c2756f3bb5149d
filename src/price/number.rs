//! A printed number ("1.234,56", "1,23,456.00", "1 234,50", "12.345") → an
//! exact [`Amount`], deciding which separator is the decimal one.
//!
//! The rules, in order:
//! 1. Spaces and apostrophes only ever group digits; a lone `.` or `,` after
//!    them is the decimal separator, whatever follows ("1 234,567").
//! 2. When both `.` and `,` appear, the last one is the decimal separator; it
//!    must appear once, after every group separator ("1,234.56", "1.234,56").
//! 3. A separator that appears more than once groups digits ("1.234.567").
//! 4. A lone `.` or `,` followed by other than three digits is the decimal
//!    separator ("9.99", "272,00", "12,5").
//! 5. A lone `.` or `,` followed by exactly three digits is ambiguous: "1.299"
//!    is 1299 in Germany and would be 1.299 in a dinar. It is decimal when the
//!    hint's decimal separator names it, else when the currency has three minor
//!    units and writes decimals with it; otherwise it groups thousands, because
//!    shops price in whole minor units and no two-decimal currency prints three
//!    decimals. So "1.299" and "1,299" are 1299 in EUR, USD, JPY or no currency.
//! 6. Grouped digits must be grouped the western (1,234,567) or the Indian
//!    (12,34,567) way, else the number is not read: a wrong price is worse than
//!    none.

use super::currency::Currency;
use super::scan::Number;
use super::Amount;

/// The amount `number` stands for, given what the page says about separators
/// and the currency.
pub(super) fn read(
    number: &Number,
    decimal_hint: Option<char>,
    currency: Option<&Currency>,
) -> Option<Amount> {
    let (groups, seps) = split(&number.raw)?;
    let decimal = decimal_at(&groups, &seps, decimal_hint, currency)?;
    let (int_groups, frac) = match decimal {
        Some(d) => (groups.get(..=d)?, groups.get(d + 1)?),
        None => (groups.as_slice(), &""),
    };
    let group_seps = seps.get(..int_groups.len().saturating_sub(1))?;
    if !grouped_well(int_groups, group_seps) {
        return None;
    }
    let int: String = int_groups.concat();
    Amount::parse_decimal(format!("{int}.{frac}").trim_end_matches('.'))
}

/// Digit groups and the separators between them (`seps[i]` follows `groups[i]`).
fn split(raw: &str) -> Option<(Vec<&str>, Vec<char>)> {
    if raw.is_empty() {
        return None;
    }
    let groups = raw.split(['.', ',', ' ', '\'']).collect();
    let seps = raw.chars().filter(|c| !c.is_ascii_digit()).collect();
    Some((groups, seps))
}

/// Which separator, by index, is the decimal one: `Some(None)` when there is
/// none, `None` when the number cannot be read.
fn decimal_at(
    groups: &[&str],
    seps: &[char],
    decimal_hint: Option<char>,
    currency: Option<&Currency>,
) -> Option<Option<usize>> {
    let marks: Vec<(usize, char)> = seps
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, c)| matches!(c, '.' | ','))
        .collect();
    let Some(&(last, mark)) = marks.last() else {
        return Some(None);
    };
    let is_last_sep = last + 1 == seps.len();
    let same = marks.iter().filter(|(_, c)| *c == mark).count();
    if marks.iter().any(|(_, c)| *c != mark) {
        // Rule 2: the last of two kinds is the decimal separator.
        return (same == 1 && is_last_sep).then_some(Some(last));
    }
    if same > 1 {
        return Some(None);
    }
    let before = groups.get(last)?;
    let after = groups.get(last + 1)?;
    // Rule 1b: after spaces or apostrophes that group, a lone mark can only
    // be the decimal one ("8 415 591,990", "1'234.567").
    let grouped_before = seps[..last].iter().any(|c| matches!(c, ' ' | '\''));
    let decimal = if after.len() != 3 || grouped_before {
        true
    } else if before.starts_with('0') || before.len() > 3 {
        // "0.299" and "1234.567" cannot be thousands.
        true
    } else if let Some(hint) = decimal_hint.filter(|h| matches!(h, '.' | ',')) {
        hint == mark
    } else {
        currency.is_some_and(|c| c.minor_units == 3 && c.decimal == mark)
    };
    match (decimal, is_last_sep) {
        (true, true) => Some(Some(last)),
        (true, false) => None,
        (false, _) => Some(None),
    }
}

/// Rule 6, for the integer part's groups and the separators between them.
fn grouped_well(groups: &[&str], seps: &[char]) -> bool {
    let [first, rest @ ..] = groups else {
        return false;
    };
    if rest.is_empty() {
        return !first.is_empty();
    }
    let one_kind = seps.windows(2).all(|w| w[0] == w[1]);
    let lead_ok = (1..=3).contains(&first.len()) && !first.starts_with('0');
    let western = rest.iter().all(|g| g.len() == 3);
    // Indian grouping is written with commas only; "12.34.567" is no number.
    let indian = seps.first() == Some(&',')
        && first.len() <= 2
        && rest
            .split_last()
            .is_some_and(|(last, mid)| last.len() == 3 && mid.iter().all(|g| g.len() == 2));
    one_kind && lead_ok && (western || indian)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(raw: &str, hint: Option<char>) -> Option<String> {
        let n = Number { raw: raw.into() };
        read(&n, hint, None).map(|a| a.to_string())
    }

    #[test]
    fn separators() {
        for (raw, hint, want) in [
            ("1.234,56", None, Some("1234.56")),
            ("1,234.56", None, Some("1234.56")),
            ("1,23,456.00", None, Some("123456.00")),
            ("1 234,56", None, Some("1234.56")),
            ("1'234.50", None, Some("1234.50")),
            ("8 415 591,990", None, Some("8415591.990")),
            ("1'234.567", None, Some("1234.567")),
            ("1.299", None, Some("1299")),
            ("1.299", Some('.'), Some("1.299")),
            ("1,299", Some('.'), Some("1299")),
            ("12.5", Some(','), Some("12.5")),
            ("0.299", None, Some("0.299")),
            ("1.234.56", None, None),
            ("1,234.567,89", None, None),
            ("12,34", None, Some("12.34")),
            ("1234,567", None, Some("1234.567")),
            ("1.2.3", None, None),
            ("555.123.4567", None, None),
            ("12.34.567", None, None),
            ("12,34,567", None, Some("1234567")),
            ("9999999999999999", None, None),
        ] {
            assert_eq!(read_str(raw, hint).as_deref(), want, "{raw} {hint:?}");
        }
    }
}
