//! Which number on a price line is the price, and in which currency.
//!
//! A price field often holds more than the price: a struck-through former
//! price, a range, a saving, a unit price, a sales count. Every number becomes
//! a candidate; words and punctuation around it rule candidates out; of those
//! left the lowest wins, since a current price is never above the former one
//! it is shown with, and a range's price is its lowest.

use super::currency::{Currency, Symbol};
use super::number;
use super::scan::{self, Number, Text, Token};
use super::words::Kinds;
use super::Amount;

/// What the page says beyond the text.
#[derive(Clone, Copy)]
pub(super) struct Hint {
    pub currency: Option<&'static Currency>,
    pub decimal: Option<char>,
}

/// The price chosen from a line.
pub(super) struct Choice {
    pub amount: Amount,
    pub currency: Option<&'static Currency>,
    /// The line's only prices are former or list ones ("Was $5.99",
    /// "Běžná cena 75 990 Kč"): this is one of them, not a current price.
    pub former: bool,
    /// The line's only prices are per weight, volume or length
    /// ("€12,99/kg"): this is one of them.
    pub per_measure: bool,
}

struct Candidate<'t> {
    token: usize,
    number: &'t Number,
    symbol: Option<&'static Symbol>,
    was: bool,
    now: bool,
    skip: bool,
    /// A price for one piece: counts only when no other candidate is left.
    piece: bool,
    /// A price per weight, volume or length: counts only when no other
    /// candidate is left, and is then flagged (`Choice::per_measure`).
    measure: bool,
    /// Written in cents ("99¢").
    cents: bool,
    /// A price before tax: counts only when no price with tax is left.
    net: bool,
    /// The candidate this one ends a range with ("149 - 159").
    partner: Option<usize>,
}

pub(super) fn choose(text: &Text, tokens: &[Token], hint: Hint) -> Option<Choice> {
    let mut candidates = candidates(tokens);
    share_across_ranges(&mut candidates);
    // Once a line writes a currency next to a number, numbers without one
    // are counts, sizes and instalment counts ("12x de R$ 108,25").
    // Ratings and phone numbers hide among bare numbers, never next to a currency.
    let bare_ok = !candidates.iter().any(|c| c.symbol.is_some())
        && !tokens
            .iter()
            .any(|t| matches!(t, Token::Word(k) if k.has(Kinds::RATING)))
        && !scan::phone_like(text);
    let mut read: Vec<(&Candidate, Amount, Option<&'static Currency>)> = candidates
        .iter()
        .filter(|c| !c.skip && (bare_ok || c.symbol.is_some() || c.cents))
        .filter_map(|c| {
            let currency = c.symbol.map_or(hint.currency, |s| s.resolve(hint.currency));
            let amount = number::read(c.number, hint.decimal, currency.or(hint.currency))?;
            let amount = if c.cents {
                amount.cents_in_units()?
            } else {
                amount
            };
            Some((c, amount, currency))
        })
        .collect();
    // A price per kilo, litre or metre yields to any other; alone it is
    // said, flagged.
    let per_measure = !read.is_empty() && read.iter().all(|(c, ..)| c.measure);
    if !per_measure {
        read.retain(|(c, ..)| !c.measure);
    }
    // A price per piece yields to a price of the whole ("$12.99 ($1.08/piece)"),
    // not to a former one ("Was $20.00 $3.20 / piece").
    if read.iter().any(|(c, ..)| !c.piece && !c.was) {
        read.retain(|(c, ..)| !c.piece);
    }
    // So does a price before tax, to the price with it ("£15.50 inc VAT
    // £12.92 ex VAT"): of two, the lowest would otherwise win.
    if read.iter().any(|(c, ..)| !c.net && !c.was) {
        read.retain(|(c, ..)| !c.net);
    }
    // Of current and former prices, the current; a line with former ones
    // only still says what they are, flagged (see `Price::former`).
    let former = !read.is_empty() && read.iter().all(|(c, ..)| c.was && !c.now);
    if read.iter().any(|(c, ..)| c.now) {
        read.retain(|(c, ..)| c.now);
    } else if !former {
        read.retain(|(c, ..)| !c.was);
    }
    // Two currencies on one line ("€10 ($11.50)"): the page's own, else the first.
    let page_own = hint
        .currency
        .filter(|h| read.iter().any(|(_, _, cur)| *cur == Some(*h)));
    let wanted = page_own.or_else(|| read.first().and_then(|(_, _, cur)| *cur));
    read.into_iter()
        .filter(|(_, _, cur)| *cur == wanted)
        .min_by(|(_, a, _), (_, b, _)| a.value_cmp(b))
        .map(|(_, amount, currency)| Choice {
            amount,
            currency,
            former,
            per_measure,
        })
}

/// Every number in the line, with what its neighbours say about it.
fn candidates(tokens: &[Token]) -> Vec<Candidate<'_>> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut pending = Kinds::default();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Word(k) if k.has(Kinds::WAS) || k.has(Kinds::NOW) => pending = *k,
            Token::Number(number) => {
                let left = neighbour(tokens, i, Side::Left);
                let mut right = neighbour(tokens, i, Side::Right);
                // "99¢/oz": what follows the cents sign says what the number is.
                let cents = right.says(Kinds::CENTS);
                if cents {
                    right = neighbour(tokens, right.beyond_at, Side::Right);
                }
                // A dash after a number makes a range; before anything else, a minus.
                let (partner, negative) = match range_start(tokens, &left) {
                    Some(t) => (out.iter().position(|c| c.token == t), false),
                    None => (None, left.beyond == Some(&Token::Dash)),
                };
                out.push(Candidate {
                    token: i,
                    number,
                    symbol: closer_symbol(&left, &right),
                    was: pending.has(Kinds::WAS),
                    now: pending.has(Kinds::NOW),
                    skip: negative
                        || (left.says(Kinds::SKIP) && !once(tokens, &left))
                        || right.says(Kinds::AFTER),
                    piece: right.says(Kinds::PIECE),
                    measure: right.says(Kinds::MEASURE),
                    cents,
                    net: before_tax(tokens, &left, &right),
                    partner,
                });
                pending = Kinds::default();
            }
            _ => {}
        }
    }
    out
}

/// Whether a before-tax phrase ("ex VAT", "HT", "netto") labels the number
/// between `left` and `right`. It labels the number before it ("£12.92 ex
/// VAT £15.50 inc VAT"), unless it ends in a colon ("Ex VAT: £12.92") or no
/// number comes before it ("Ex VAT £12.92"): then the number after it.
fn before_tax(tokens: &[Token], left: &Neighbour, right: &Neighbour) -> bool {
    let colon_after = |at: usize| {
        tokens[at + 1..]
            .iter()
            .find(|t| **t != Token::Space)
            .is_some_and(|t| *t == Token::Colon)
    };
    if right.says(Kinds::NET) && !colon_after(right.beyond_at) {
        return true;
    }
    left.says(Kinds::NET)
        && (colon_after(left.beyond_at)
            || !matches!(
                neighbour(tokens, left.beyond_at, Side::Left).beyond,
                Some(Token::Number(_))
            ))
}

/// A range's two ends share their currency, whether they are former or
/// current and whether they are for one piece or one measure; a count or a saving at either
/// end ("2-3 days") makes both not prices.
fn share_across_ranges(candidates: &mut [Candidate]) {
    for i in 0..candidates.len() {
        let Some(p) = candidates.get(i).and_then(|c| c.partner) else {
            continue;
        };
        let (Some(first), Some(second)) = (candidates.get(p), candidates.get(i)) else {
            continue;
        };
        let symbol = first.symbol.or(second.symbol);
        let skip = first.skip || second.skip;
        let piece = first.piece || second.piece;
        let measure = first.measure || second.measure;
        let (was, now) = (first.was, first.now);
        for j in [p, i] {
            if let Some(c) = candidates.get_mut(j) {
                c.symbol = c.symbol.or(symbol);
                c.skip = skip;
                c.piece = piece;
                c.measure = measure;
                c.was |= was;
                c.now |= now;
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Left,
    Right,
}

/// What sits next to a number on one side: a currency symbol (with or
/// without a space between), and the first token past spaces and symbols.
struct Neighbour<'t> {
    symbol: Option<&'static Symbol>,
    spaced: bool,
    beyond: Option<&'t Token>,
    beyond_at: usize,
}

impl Neighbour<'_> {
    fn says(&self, kind: Kinds) -> bool {
        matches!(self.beyond, Some(Token::Word(k)) if k.has(kind))
    }

    fn joins_range(&self) -> bool {
        self.beyond == Some(&Token::Dash) || self.says(Kinds::RANGE)
    }
}

fn neighbour(tokens: &[Token], at: usize, side: Side) -> Neighbour<'_> {
    let mut n = Neighbour {
        symbol: None,
        spaced: false,
        beyond: None,
        beyond_at: at,
    };
    let mut i = at;
    loop {
        let next = match side {
            Side::Left => i.checked_sub(1),
            Side::Right => Some(i + 1),
        };
        let Some(token) = next.and_then(|j| tokens.get(j)) else {
            return n;
        };
        i = next.unwrap_or(i);
        match token {
            Token::Space | Token::Colon if n.symbol.is_none() => {
                n.spaced = true;
            }
            Token::Space | Token::Colon => {}
            // "No.5 $20": a symbol touching another number is that number's.
            Token::Currency(_) if n.spaced && touches_number(tokens, i, side) => return n,
            Token::Currency(s) => match n.symbol {
                // "CAD $12.99": the code says which dollar.
                Some(held) if held.narrowed_by(s) => n.symbol = Some(s),
                Some(_) => {}
                None => n.symbol = Some(s),
            },
            other => {
                n.beyond = Some(other);
                n.beyond_at = i;
                return n;
            }
        }
    }
}

/// "1 x 12,99 €", "1x de R$ 99": one instalment or one piece at a price is
/// that price, where "12x R$ 108,25" is an instalment, not the price. True
/// when the word left of a number (`left`) follows the number 1.
fn once(tokens: &[Token], left: &Neighbour) -> bool {
    let before = neighbour(tokens, left.beyond_at, Side::Left);
    before.symbol.is_none() && matches!(before.beyond, Some(Token::Number(n)) if n.raw == "1")
}

/// Whether the token past `at` on `side` is a number.
fn touches_number(tokens: &[Token], at: usize, side: Side) -> bool {
    let past = match side {
        Side::Left => at.checked_sub(1),
        Side::Right => Some(at + 1),
    };
    matches!(past.and_then(|j| tokens.get(j)), Some(Token::Number(_)))
}

/// The number that a range dash or word left of a number continues, if any.
/// A dash with a space before it and none after ("39,99 € -20%") is a minus.
fn range_start(tokens: &[Token], left: &Neighbour) -> Option<usize> {
    let at = left.beyond_at;
    let minus = left.beyond == Some(&Token::Dash)
        && at.checked_sub(1).and_then(|b| tokens.get(b)) == Some(&Token::Space)
        && tokens.get(at + 1) != Some(&Token::Space);
    if !left.joins_range() || minus {
        return None;
    }
    let before = neighbour(tokens, left.beyond_at, Side::Left);
    matches!(before.beyond, Some(Token::Number(_))).then_some(before.beyond_at)
}

/// "$59.99 $39.99": the second `$` is next to both numbers; it belongs to
/// the one it touches. A code that says which dollar it is ("$12.99 CAD")
/// wins over the dollar; between two equally close symbols, the one that
/// names a single currency, then the left one.
fn closer_symbol(left: &Neighbour, right: &Neighbour) -> Option<&'static Symbol> {
    match (left.symbol, right.symbol) {
        (Some(l), Some(r)) if l.narrowed_by(r) => Some(r),
        (Some(l), Some(r)) if r.narrowed_by(l) => Some(l),
        (Some(l), Some(r)) => {
            let rank = |n: &Neighbour, s: &Symbol| (!n.spaced, s.is_certain());
            Some(if rank(right, r) > rank(left, l) { r } else { l })
        }
        (l, r) => l.or(r),
    }
}
