//! Labelled values: the seller a page prints next to a label ("Sold by",
//! "Seller:", "卖家", "البائع"), on marketplaces no profile was written for.
//!
//! Which words are labels is data (a profile's `labels`); this module owns
//! the structure, which is the same on every site we looked at and is what
//! keeps a shopper's sentence out:
//!
//! - a **text node** is a label when its whole text is the label, with at
//!   most a colon after it ("Seller", "Sold by:"), or the label, a colon and
//!   the value ("Seller: Aurora"). "Sold by a friend, great seller" in a
//!   review is neither: a label must begin its text node and end it or be
//!   followed by a colon;
//! - a label alone is followed by its value: the first text or element
//!   with text after it (`<span>Sold by <a>X</a> and shipped by Y</span>`
//!   gives X), else the same beside an element around it whose whole text
//!   is the label (`<dt>Seller</dt><dd>X</dd>`), climbing at most
//!   [`MAX_CLIMB`] elements (`<div><span>Sold by</span></div><div>X</div>`);
//! - a label written as a pattern, "Fulfilled by {}", is the whole text
//!   node: the words before `{}` begin it, those after end it, and what
//!   lies between is the value, no colon needed. Only for a marketplace
//!   whose page prints its seller so (Flipkart's "Fulfilled by SuperComNet"),
//!   where the profile names it; the value is judged as any other;
//! - nothing inside `<script>`, `<style>`, `<noscript>`, `<template>` or
//!   `<textarea>` is a label, nor anything inside the profile's
//!   `label_avoid` elements (reviews, Q&A, navigation);
//! - values are taken in document order, the first [`MAX_VALUES_PER_FIELD`]
//!   found; the interpreter keeps the first that reads as a name
//!   ([`value`]): not a sentence, not empty, not only digits and
//!   punctuation, not longer than [`MAX_NAME_CHARS`].
//!
//! The content script (`extension/content.js`, `labelled`) walks the page the
//! same way; the parity e2e compares the two.
//!
//! [`MAX_VALUES_PER_FIELD`]: super::MAX_VALUES_PER_FIELD

/// Text nodes looked at for a label, in document order. The largest of our
/// real pages (a Jumia offer list, a Newegg product) have some 24,000; a
/// hostile one may have millions.
pub const MAX_LABEL_NODES: usize = 100_000;
/// Elements climbed from a label alone to find the element beside it.
pub const MAX_CLIMB: usize = 3;
/// Element siblings tried after the label's element: the first may be an
/// empty icon.
pub const MAX_SIBLINGS: usize = 2;
/// A seller's name is short: the longest in our pages is 60 characters
/// ("AmaMax (USA) Since 1993 l iMBAPrice® Authorized Distributor").
pub const MAX_NAME_CHARS: usize = 80;
/// Words in a name; more is a sentence.
pub const MAX_NAME_WORDS: usize = 10;

/// Elements whose text is never page text a shopper reads.
#[cfg(not(target_arch = "wasm32"))]
pub const NEVER_IN: [&str; 5] = ["script", "style", "noscript", "template", "textarea"];

/// What a text node holds when it begins with a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found<'a> {
    /// The label alone (maybe with a colon): the value is beside it.
    Alone,
    /// "Label: value" in one text.
    Inline(&'a str),
}

/// A profile's labels for one field, prepared for the walk: every text node
/// of a page is tried against each of them.
pub struct Labels {
    labels: Vec<Label>,
    /// Characters of the longest label: a text's head this long is all a
    /// label can match.
    head: usize,
}

struct Label {
    /// The label, or a pattern's words before `{}`, in lower case.
    lower: String,
    chars: usize,
    /// A pattern's words after `{}` (maybe none), in lower case, and their
    /// characters.
    after: Option<(String, usize)>,
    /// Written with its colon ("Store:"): the word alone is too common a
    /// text ("Store" in a menu), so the colon is needed.
    colon: bool,
}

impl Labels {
    pub fn new(labels: &[String]) -> Labels {
        let labels: Vec<Label> = labels
            .iter()
            .filter_map(|label| {
                if let Some((before, after)) = label.trim().split_once("{}") {
                    // A space at the pattern's `{}` is kept: "Fulfilled by {}"
                    // is not "Fulfilled byAurora".
                    let spaced = |words: &str, before: bool, after: bool| {
                        let core = super::single_spaced(words).to_lowercase();
                        let pad = |yes: bool| if yes && !core.is_empty() { " " } else { "" };
                        format!("{}{core}{}", pad(before), pad(after))
                    };
                    let lower = spaced(before, false, before.ends_with(char::is_whitespace));
                    let after = spaced(after, after.starts_with(char::is_whitespace), false);
                    let after_chars = after.chars().count();
                    return (!lower.trim().is_empty()).then(|| Label {
                        chars: lower.chars().count(),
                        lower,
                        after: Some((after, after_chars)),
                        colon: false,
                    });
                }
                let label = label.trim();
                let bare = label.trim_end_matches([':', '：']).trim_end();
                let chars = bare.chars().count();
                (chars > 0).then(|| Label {
                    lower: bare.to_lowercase(),
                    chars,
                    after: None,
                    colon: bare.len() < label.len(),
                })
            })
            .collect();
        let head = labels.iter().map(|l| l.chars).max().unwrap_or(0);
        Labels { labels, head }
    }

    /// Whether `text` is a phrase of several words whose last is a label
    /// written without a colon: "상품 판매자" ("product seller", a legend
    /// beside a 판매자 badge), "Top Seller", "Verified seller" describe a
    /// seller and name none. A label written with its colon ("Store:") is a
    /// common last word of real names ("Aurora Store") and does not count.
    pub fn ends_a_phrase(&self, text: &str) -> bool {
        let Some((_, last)) = text.rsplit_once(' ') else {
            return false;
        };
        let last = last.to_lowercase();
        self.labels
            .iter()
            .any(|l| !l.colon && l.after.is_none() && l.lower == last)
    }

    /// The label `text` (collapsed: single spaces, trimmed) begins with, and
    /// what follows it (for a pattern, what lies between its words). Case is
    /// ignored; a colon (ASCII or full-width) after a label is optional when
    /// nothing follows it, and required when something does or when the
    /// label is written with one.
    pub fn find<'a>(&self, text: &'a str) -> Option<Found<'a>> {
        let head = text
            .chars()
            .take(self.head)
            .collect::<String>()
            .to_lowercase();
        self.labels.iter().find_map(|label| {
            if !head.starts_with(&label.lower) {
                return None;
            }
            let end = text
                .char_indices()
                .nth(label.chars)
                .map_or(text.len(), |(i, _)| i);
            if text[..end].to_lowercase() != label.lower {
                return None;
            }
            if let Some((after, after_chars)) = &label.after {
                let rest = &text[end..];
                let cut = rest.chars().count().checked_sub(*after_chars)?;
                let cut = rest.char_indices().nth(cut).map_or(rest.len(), |(i, _)| i);
                let value = rest[..cut].trim();
                return (rest[cut..].to_lowercase() == *after && !value.is_empty())
                    .then_some(Found::Inline(value));
            }
            let rest = text[end..].trim_start();
            match rest.strip_prefix([':', '：']).map(str::trim) {
                Some("") => Some(Found::Alone),
                Some(value) => Some(Found::Inline(value)),
                None if rest.is_empty() && !label.colon => Some(Found::Alone),
                None => None,
            }
        })
    }
}

/// `raw` if it reads as a name (white space collapsed, stray separators
/// trimmed), else nothing: a sentence, a number, a rating or a bare label is
/// not a seller.
pub fn value(raw: &str, labels: &Labels) -> Option<String> {
    let text = super::single_spaced(raw);
    let text = text.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '：' | '-' | '|' | '·' | '•')
    });
    let chars = text.chars().count();
    let words = text.split(' ').count();
    let named = chars > 0
        && chars <= MAX_NAME_CHARS
        && words <= MAX_NAME_WORDS
        && text.chars().any(char::is_alphabetic)
        && !is_sentence(text)
        && labels.find(text) != Some(Found::Alone)
        && !labels.ends_a_phrase(text);
    named.then(|| text.to_string())
}

/// Two sentences, or one that ends and goes on: "Great seller. Fast
/// shipping", "Recommended! Would buy again". A full stop ends a sentence
/// only after a lower-case word, so "Co., Ltd.", "J. Smith", "Amazon.com"
/// and "Bros. Hardware" stay names.
fn is_sentence(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    words.iter().enumerate().any(|(i, w)| {
        let more = i + 1 < words.len();
        if w.contains(['。', '！', '？']) {
            return !w.ends_with(['。', '！', '？']) || more;
        }
        if !more {
            return false;
        }
        if w.ends_with(['!', '?']) {
            return true;
        }
        w.strip_suffix('.')
            .is_some_and(|stem| stem.chars().count() >= 2 && stem.chars().all(|c| c.is_lowercase()))
    })
}

/// The native collector's walk (the content script's `labelled`): per field
/// the profile names labels for, the values beside them, in document order.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn collect(
    doc: &scraper::Html,
    plan: &super::CollectPlan,
) -> std::collections::BTreeMap<String, Vec<String>> {
    use scraper::ElementRef;

    if plan.labels.is_empty() {
        return std::collections::BTreeMap::new();
    }
    let avoid: Vec<scraper::Selector> = plan
        .label_avoid
        .iter()
        .filter_map(|css| scraper::Selector::parse(css).ok())
        .collect();
    // Each field's labels and the values found for it so far; the map is
    // built once the walk is done.
    let mut fields: Vec<(&String, Labels, Vec<String>)> = plan
        .labels
        .iter()
        .map(|(field, labels)| (field, Labels::new(labels), Vec::new()))
        .collect();
    let texts = doc
        .root_element()
        .descendants()
        .filter(|n| n.value().is_text())
        .take(plan.max_label_nodes);
    for node in texts {
        let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
            continue;
        };
        let raw = node.value().as_text().map_or("", |t| &**t);
        if NEVER_IN.contains(&parent.value().name()) {
            continue;
        }
        let text = super::html::collapse(raw, plan.max_chars);
        for (_, labels, values) in &mut fields {
            if values.len() >= plan.max_values {
                continue;
            }
            let Some(found) = labels.find(&text) else {
                continue;
            };
            let ancestors =
                std::iter::successors(Some(parent), |e| e.parent().and_then(ElementRef::wrap));
            if ancestors.clone().any(|e| {
                NEVER_IN.contains(&e.value().name()) || avoid.iter().any(|s| s.matches(&e))
            }) {
                continue;
            }
            let value = match found {
                Found::Inline(v) => v.to_string(),
                Found::Alone => {
                    let at = parent.children().position(|c| c.id() == node.id());
                    beside(parent, at.unwrap_or(usize::MAX), &text, plan)
                }
            };
            if !value.is_empty() {
                values.push(value);
            }
        }
    }
    fields
        .into_iter()
        .filter(|(_, _, values)| !values.is_empty())
        .map(|(field, _, values)| (field.clone(), values))
        .collect()
}

/// The value after a label alone (`parent`'s child number `at`): the first
/// text or element with text among the nodes after it, else after an
/// element around it whose whole text is the label (`<dt>Seller</dt><dd>X
/// </dd>`), climbing at most `max_label_climb` elements. The node after the
/// label, not the rest of its element: "Sold by <a>X</a> and shipped by Y."
/// is X.
#[cfg(not(target_arch = "wasm32"))]
fn beside(
    parent: scraper::ElementRef,
    at: usize,
    label: &str,
    plan: &super::CollectPlan,
) -> String {
    use super::html::text_of;
    use scraper::ElementRef;

    if let Some(v) = first_text(parent.children().skip(at.saturating_add(1)), plan) {
        return v;
    }
    let mut el = parent;
    for _ in 0..plan.max_label_climb {
        match el.parent().and_then(ElementRef::wrap) {
            Some(up) if text_of(el, plan.max_chars) == label => {
                if let Some(v) = first_text(el.next_siblings(), plan) {
                    return v;
                }
                el = up;
            }
            _ => break,
        }
    }
    String::new()
}

/// The first of `nodes` with a letter or digit in its text: a text node, or
/// one of the first `max_label_siblings` elements.
#[cfg(not(target_arch = "wasm32"))]
fn first_text<'a>(
    nodes: impl Iterator<Item = <scraper::ElementRef<'a> as std::ops::Deref>::Target>,
    plan: &super::CollectPlan,
) -> Option<String> {
    use super::html::{collapse, text_of};
    let mut elements = 0;
    for node in nodes {
        let text = match (node.value().as_text(), scraper::ElementRef::wrap(node)) {
            (Some(t), _) => collapse(t, plan.max_chars),
            // A header cell or a term is the next label, not a value (an
            // offer table's header row: Seller | Price | Delivery).
            (_, Some(el)) if matches!(el.value().name(), "th" | "dt") => return None,
            (_, Some(el)) if elements < plan.max_label_siblings => {
                elements += 1;
                text_of(el, plan.max_chars)
            }
            (_, Some(_)) => return None,
            _ => continue,
        };
        // A separator set apart ("<span>Seller</span><span>:</span><a>X</a>")
        // is passed over, as an empty icon is.
        if text.chars().any(char::is_alphanumeric) {
            return Some(text);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        [
            "Sold by",
            "Seller",
            "卖家",
            "Sold and shipped by",
            "Store:",
            "판매자",
            "Fulfilled by {}",
            "由{}发货",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn labels_begin_and_end_their_text() {
        let cases: &[(&str, Option<Found>)] = &[
            ("Sold by", Some(Found::Alone)),
            ("sold BY :", Some(Found::Alone)),
            ("Seller", Some(Found::Alone)),
            ("Seller：", Some(Found::Alone)),
            ("Seller: Aurora Shop", Some(Found::Inline("Aurora Shop"))),
            ("卖家：奥罗拉", Some(Found::Inline("奥罗拉"))),
            ("Sold and Shipped by", Some(Found::Alone)),
            ("Sold by Aurora", None),
            ("Sold by a friend of mine", None),
            ("Sellers", None),
            ("Seller rating", None),
            ("Top seller: Aurora", None),
            ("Sold", None),
            ("Store:", Some(Found::Alone)),
            ("Store : Aurora", Some(Found::Inline("Aurora"))),
            ("Store", None),
            ("", None),
            // Patterns: the whole text, the value between the words.
            (
                "Fulfilled by SuperComNet",
                Some(Found::Inline("SuperComNet")),
            ),
            (
                "fulfilled BY  Aurora Shop ",
                Some(Found::Inline("Aurora Shop")),
            ),
            ("Fulfilled by", None),
            ("Fulfilled by ", None),
            ("Fulfilled byAurora", None),
            ("Item fulfilled by Aurora", None),
            ("由奥罗拉发货", Some(Found::Inline("奥罗拉"))),
            ("由奥罗拉发货中", None),
            ("由发货", None),
        ];
        for (text, want) in cases {
            assert_eq!(Labels::new(&labels()).find(text), *want, "{text:?}");
        }
    }

    #[test]
    fn values_must_read_as_names() {
        let cases = [
            ("Aurora Wellness", Some("Aurora Wellness")),
            (
                "  Huizhou Yongli Industrial Co., Ltd. ",
                Some("Huizhou Yongli Industrial Co., Ltd."),
            ),
            ("J. Smith Bros. Hardware", Some("J. Smith Bros. Hardware")),
            ("Amazon.com", Some("Amazon.com")),
            (": Zone Shop |", Some("Zone Shop")),
            ("奥罗拉健康官方旗舰店", Some("奥罗拉健康官方旗舰店")),
            ("Great seller. Fast shipping", None),
            ("很好。推荐", None),
            ("4.7 / 5", None),
            ("12345", None),
            ("--", None),
            ("", None),
            ("Sold by", None),
            ("상품 판매자", None),
            ("Top Seller", None),
            ("Verified seller", None),
            ("Sellerie Dupont", Some("Sellerie Dupont")),
            ("Aurora Store", Some("Aurora Store")),
            ("Fulfilled by", Some("Fulfilled by")),
            (
                "one two three four five six seven eight nine ten eleven",
                None,
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(
                value(raw, &Labels::new(&labels())).as_deref(),
                want,
                "{raw:?}"
            );
        }
        assert_eq!(value(&"x".repeat(500), &Labels::new(&labels())), None);
    }
}
