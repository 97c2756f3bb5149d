//! What a product title says about the brand of the product it offers.
//!
//! A title that names a registered brand is the weakest evidence the engine
//! uses (it only ever gives `caution`), and the commonest source of false
//! alarms: accessory sellers name the phone a case fits, and some brand names
//! are everyday words (小米 is millet). `data/title_words.tsv` lists the words
//! that change what a mention means; this module finds the mentions that are
//! left, preferring the longest (完美日记 is not 完美).

use std::sync::OnceLock;

use crate::matcher::is_cjk;

struct Words {
    fits: Vec<String>,
    accessory: Vec<String>,
    ordinary: Vec<String>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut w = Words {
            fits: Vec::new(),
            accessory: Vec::new(),
            ordinary: Vec::new(),
        };
        for line in include_str!("../data/title_words.tsv").lines() {
            let Some((kind, phrase)) = line.split_once('\t') else {
                continue;
            };
            let list = match kind {
                "fits" => &mut w.fits,
                "accessory" => &mut w.accessory,
                "ordinary" => &mut w.ordinary,
                _ => continue,
            };
            list.push(phrase.trim().to_string());
        }
        w
    })
}

/// Where `phrase` occurs in `spaced` (alphanumerics and single spaces), as a
/// whole word when it is Latin; CJK has no word boundaries to respect.
fn find(spaced: &str, phrase: &str) -> Option<usize> {
    if phrase.chars().any(is_cjk) {
        return spaced.find(phrase);
    }
    let padded = format!(" {spaced} ");
    padded.find(&format!(" {phrase} "))
}

/// The part of a title that can name the product's own brand: cleaned text
/// with punctuation as spaces, ordinary words blanked, cut before the first
/// "fits" marker. `None` when the title offers an accessory.
pub(crate) fn own_part(cleaned: &str) -> Option<String> {
    let w = words();
    let mut spaced: String = cleaned
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    if w.accessory.iter().any(|a| find(&spaced, a).is_some()) {
        return None;
    }
    for o in &w.ordinary {
        while let Some(i) = find(&spaced, o) {
            let blank = " ".repeat(o.len());
            spaced.replace_range(i..i + o.len(), &blank);
        }
    }
    if let Some(cut) = w.fits.iter().filter_map(|f| find(&spaced, f)).min() {
        spaced.truncate(cut);
    }
    Some(spaced)
}

/// Character spans (start, end) of `tokens` that name something, longest
/// first, never overlapping: `is_name` says whether a piece of text is a key.
/// CJK runs are scanned window by window with the given lengths; Latin words
/// are joined up to four at a time.
pub(crate) fn mentions(
    tokens: &[String],
    cjk_lengths: &[usize],
    is_name: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut found = Vec::new();
    let mut latin_taken = vec![false; tokens.len()];
    for (i, t) in tokens.iter().enumerate() {
        if t.chars().any(is_cjk) {
            let chars: Vec<char> = t.chars().collect();
            let mut taken = vec![false; chars.len()];
            for &n in cjk_lengths.iter().rev() {
                for s in 0..chars.len().saturating_sub(n - 1) {
                    let w: String = chars[s..s + n].iter().collect();
                    if !taken[s..s + n].iter().any(|&x| x) && is_name(&w) {
                        taken[s..s + n].iter_mut().for_each(|x| *x = true);
                        found.push(w);
                    }
                }
            }
        } else if !latin_taken[i] {
            for n in (1..=4).rev() {
                let Some(group) = tokens.get(i..i + n) else {
                    continue;
                };
                if group.iter().any(|u| u.chars().any(is_cjk)) {
                    continue;
                }
                let joined = group.concat();
                if is_name(&joined) {
                    latin_taken[i..i + n].iter_mut().for_each(|x| *x = true);
                    found.push(joined);
                    break;
                }
            }
        }
    }
    found
}
