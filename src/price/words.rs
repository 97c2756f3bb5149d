//! Words that say which number on a price line is the price
//! (`data/price_words.tsv`: "was", "现价", "you save", "out of 5 stars"…).

use std::sync::OnceLock;

use super::scan::{Phrases, Text};

/// What a phrase says about the numbers near it; a phrase may say several things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Kinds(u16);

impl Kinds {
    /// The next number is a former or list price.
    pub const WAS: Kinds = Kinds(1);
    /// The next number is the current price.
    pub const NOW: Kinds = Kinds(1 << 1);
    /// The number right after is not the price (a saving, a threshold, a fee).
    pub const SKIP: Kinds = Kinds(1 << 2);
    /// The number right before is not the price (a percentage, a count, a unit price).
    pub const AFTER: Kinds = Kinds(1 << 3);
    /// The line is about ratings: bare numbers are not prices.
    pub const RATING: Kinds = Kinds(1 << 4);
    /// Joins two numbers into a range.
    pub const RANGE: Kinds = Kinds(1 << 5);
    /// The number right before is a price for one piece ("¥89/件"): the
    /// price only when the line has no other, since beside a pack's price it
    /// is the pack's unit price ("$12.99 ($1.08/piece)").
    pub const PIECE: Kinds = Kinds(1 << 6);
    /// The number right before is in cents ("99¢").
    pub const CENTS: Kinds = Kinds(1 << 7);
    /// A price before tax ("£12.92 ex VAT", "16,52 € HT", "Netto: 99 zł"):
    /// the number before, or after when the phrase ends in a colon or has
    /// no number before it. The price only when the line has no other,
    /// since beside it the price with tax is what the shopper pays.
    pub const NET: Kinds = Kinds(1 << 8);
    /// The name of a currency's minor unit ("gr", "коп."): the number right
    /// before it is the minor part of the price before that, in "3 zł 99 gr"
    /// or "5 руб. 50 коп.". Nothing elsewhere ("500 gr" is grams).
    pub const MINOR: Kinds = Kinds(1 << 9);
    /// The number right before is a price per weight, volume or length
    /// ("€12,99/kg"): it yields to any other price on the line, and alone
    /// it is said as what it is (`Price::per_measure`), not as the price.
    pub const MEASURE: Kinds = Kinds(1 << 10);

    pub fn has(self, k: Kinds) -> bool {
        self.0 & k.0 != 0
    }

    fn named(name: &str) -> Option<Kinds> {
        Some(match name {
            "was" => Kinds::WAS,
            "now" => Kinds::NOW,
            "skip" => Kinds::SKIP,
            "after" => Kinds::AFTER,
            "rating" => Kinds::RATING,
            "range" => Kinds::RANGE,
            "piece" => Kinds::PIECE,
            "cents" => Kinds::CENTS,
            "net" => Kinds::NET,
            "minor" => Kinds::MINOR,
            "measure" => Kinds::MEASURE,
            "plain" => Kinds::default(),
            _ => return None,
        })
    }
}

fn table() -> &'static Phrases<Kinds> {
    static TABLE: OnceLock<Phrases<Kinds>> = OnceLock::new();
    TABLE.get_or_init(|| load(include_str!("../../data/price_words.tsv")))
}

fn load(tsv: &str) -> Phrases<Kinds> {
    // A phrase listed under two kinds ("shipping": skip and after) gets both.
    let mut merged: Vec<(&str, Kinds)> = Vec::new();
    for (kind, phrase) in tsv
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
    {
        let (Some(kind), phrase) = (Kinds::named(kind.trim()), phrase.trim()) else {
            continue;
        };
        match merged.iter_mut().find(|(p, _)| *p == phrase) {
            Some((_, k)) => k.0 |= kind.0,
            None => merged.push((phrase, kind)),
        }
    }
    let mut phrases = Phrases::default();
    for (phrase, kinds) in merged {
        phrases.insert(phrase, false, kinds);
    }
    phrases
}

/// The price word that starts at `i`, and how many characters it takes.
pub(super) fn word_at(text: &Text, i: usize) -> Option<(usize, Kinds)> {
    table().longest_at(text, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_a_kind() {
        let tsv = include_str!("../../data/price_words.tsv");
        for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let kind = line.split_once('\t').map(|(k, _)| k);
            assert!(kind.and_then(Kinds::named).is_some(), "bad row: {line:?}");
        }
    }

    #[test]
    fn words_stand_alone() {
        let at = |s: &str, i| word_at(&Text::new(s), i).map(|(_, k)| k);
        assert_eq!(at("Was $5", 0), Some(Kinds::WAS));
        assert_eq!(at("snow", 1), None);
        assert_eq!(at("原价¥299", 0), Some(Kinds::WAS));
        assert!(at("Free shipping", 0).is_some_and(|k| !k.has(Kinds::SKIP)));
    }
}
