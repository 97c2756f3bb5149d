//! Names as people see them, so that two names that look the same compare equal.
//!
//! A store name goes through: NFKC (full-width → ASCII, compatibility forms),
//! lower case, removal of invisible characters (zero-width, bidi controls —
//! whose presence is itself evidence of a trick), then splitting into the
//! brand part and decoration words (官方旗舰店, Official Store…), and finally a
//! *skeleton*: every character replaced by the representative of the
//! characters it is confusable with (`data/confusables.tsv`: Latin digit and
//! letter shapes, Cyrillic and Greek homoglyphs, traditional → simplified, and
//! CJK characters that look alike). Two names with the same skeleton look
//! alike to a shopper.

use std::collections::HashMap;
use std::sync::OnceLock;

// Unicode NFKC and NFC: ICU4X's normalizer in the wasm, unicode-normalization
// natively. Both are at Unicode 18.0 and give the same text for every code
// point (the test `icu_normalizer_agrees_with_unicode_normalization`). In the
// wasm, unicode-normalization's tables (hash tables of decompositions) were
// 66 KB of 402 KB gzipped, ICU4X's tries and code 43 KB (issue 17); natively
// size does not matter, and ICU4X's generic code, unoptimised in a debug
// build, doubled the time of the page tests.

/// NFKC of `chars`.
#[cfg(target_arch = "wasm32")]
pub(crate) fn nfkc(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfkc().normalize_iter(chars)
}

/// NFC of `chars`.
#[cfg(target_arch = "wasm32")]
fn nfc(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize_iter(chars)
}

/// NFKC of `chars`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn nfkc(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    unicode_normalization::UnicodeNormalization::nfkc(chars)
}

/// NFC of `chars`.
#[cfg(not(target_arch = "wasm32"))]
fn nfc(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    unicode_normalization::UnicodeNormalization::nfc(chars)
}

/// Which kind of look-alike character a substitution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trick {
    /// Latin, Cyrillic or Greek characters and digits that look like others (0/o, а/a).
    Homoglyph,
    /// Full-width or other compatibility forms (Ａ for A).
    Width,
    /// Zero-width or bidi control characters hidden in the name.
    ZeroWidth,
    /// Letters spread apart or joined with punctuation (A m w a y, A.m.w.a.y).
    Spacing,
    /// Traditional characters standing for simplified ones (羅 for 罗).
    TraditionalSimplified,
    /// A different CJK character that looks alike (萝 for 罗, 泺 for 乐).
    SimilarCjk,
    /// One letter changed, added or dropped, or two neighbours swapped.
    Typo,
    /// The exact name of an official store, used by a different store.
    SameName,
    /// Upper and lower case changed (AMWAY for Amway).
    Case,
    /// Punctuation added, dropped or changed (a trailing dot, a hyphen).
    Punctuation,
    /// A CJK character swapped for one that sounds the same (安列 for 安利).
    Homophone,
    /// A CJK character swapped for one with a radical more or less (华伪 for 华为).
    SimilarShape,
}

/// A store or brand name, taken apart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Name {
    /// Lower-cased NFKC text without invisible characters, spaces or punctuation.
    pub folded: String,
    /// `folded` without decoration words: the part that names the brand.
    pub core: String,
    /// The core's look-alike skeleton.
    pub skeleton: String,
    /// The name claims to be official (官方, 旗舰, 自营, official, flagship…).
    pub claims_official: bool,
    /// Tricks visible in the name itself, before comparing it with anything.
    pub tricks: Vec<Trick>,
    /// Where the name claims officialness after words the decoration lists
    /// do not know ("Nike Official Outlet", 无限极正品旗舰馆): the leading
    /// parts that may be the brand, longest first. Empty without a claim.
    pub heads: Vec<Head>,
}

/// A leading part of a name that claims officialness after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// Folded text of the part (like [`Name::core`]).
    pub core: String,
    /// Its look-alike skeleton.
    pub skeleton: String,
    /// Characters between the part and the claim (0: the claim follows at
    /// once, "Nike Official Outlet"; CJK names only: 无限极正品旗舰馆 has 2).
    /// Words in between could be part of another business's name, so the
    /// verdict is milder when there are any.
    pub gap: usize,
}

/// Raised whenever the code that derives a registry's keys, folded names or
/// product words changes what it derives (the data files are hashed in
/// [`rules`] on their own).
const RULES_REVISION: u32 = 2;

/// FNV-1a over the tables the derived columns depend on, each followed by a
/// 0 byte: stable across builds and platforms (unlike std's hasher), and
/// computed when the crate is compiled, not on every worker wake.
const RULES_HASH: u64 = {
    let tables: [&[u8]; 3] = [
        include_bytes!("../data/confusables.tsv"),
        include_bytes!("../data/confusables-generated.tsv"),
        include_bytes!("../data/decorations.tsv"),
    ];
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut t = 0;
    while t < tables.len() {
        let data = tables[t];
        let mut i = 0;
        while i <= data.len() {
            let b = if i < data.len() { data[i] } else { 0 };
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        t += 1;
    }
    h
};

/// Which matching rules this build has: the revision of the code and a hash
/// of the tables it reads. A compiled registry records the rules it was
/// compiled with; another build re-derives what depends on them.
pub fn rules() -> &'static str {
    static RULES: OnceLock<String> = OnceLock::new();
    RULES.get_or_init(|| format!("{RULES_REVISION}-{RULES_HASH:016x}"))
}

/// At most this many leading tokens (Latin) or characters (CJK) are tried as
/// the brand part of a name with a claim; brand names are shorter.
const MAX_HEAD_TOKENS: usize = 4;
const MAX_HEAD_CHARS: usize = 10;
/// CJK characters allowed between a brand part and the claim (正品, 海外…).
const MAX_HEAD_GAP: usize = 2;

/// Characters people cannot see that change a string: zero-width, joiners,
/// bidi embeddings and isolates, soft hyphen, word joiner, BOM.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}')
}

/// NFKC, lower case, without invisible characters; spaces kept.
pub fn clean(text: &str) -> String {
    nfkc(text.chars().filter(|c| !is_invisible(*c)))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The form a shown store name must have to *be* a registered one: NFC, outer
/// white space trimmed, and nothing else forgiven. Folding (`fold`) finds
/// candidates and detects tricks; it never grants trust, because every fold
/// is a difference a shopper's eye may miss.
pub fn display(text: &str) -> String {
    nfc(text.trim().chars()).collect()
}

/// How `shown` differs from `registered` when both fold to the same text
/// (`fold(shown) == fold(registered)`): the tricks that make a different name
/// look like the registered one. Never empty for names whose display forms
/// differ; empty when they are the same name.
pub fn folding_tricks(shown: &str, registered: &str) -> Vec<Trick> {
    let (s, r) = (display(shown), display(registered));
    if s == r {
        return Vec::new();
    }
    let mut tricks = Vec::new();
    if s.chars().any(is_invisible) {
        tricks.push(Trick::ZeroWidth);
    }
    let visible = |t: &str| -> String { t.chars().filter(|c| !is_invisible(*c)).collect() };
    let (sv, rv) = (visible(&s), visible(&r));
    let (sk, rk): (String, String) = (nfkc(sv.chars()).collect(), nfkc(rv.chars()).collect());
    // Compatibility forms (full width, ligatures, circled letters) only if
    // the registered name does not use the same ones.
    if sk != sv
        && sv
            .chars()
            .any(|c| nfkc(std::iter::once(c)).ne(std::iter::once(c)) && !rv.contains(c))
    {
        tricks.push(Trick::Width);
    }
    if sk != rk && sk.to_lowercase() == rk.to_lowercase() {
        tricks.push(Trick::Case);
    }
    // The same text seen through two filters: letters with white space, and
    // letters with punctuation.
    let keep = |t: &str, f: fn(&char) -> bool| -> String {
        t.chars()
            .flat_map(char::to_lowercase)
            .filter(|c| c.is_alphanumeric() || f(c))
            .collect()
    };
    if keep(&sk, |c| c.is_whitespace()) != keep(&rk, |c| c.is_whitespace()) {
        tricks.push(Trick::Spacing);
    }
    let punct = |c: &char| !c.is_whitespace() && !c.is_alphanumeric();
    if keep(&sk, punct) != keep(&rk, punct) {
        tricks.push(Trick::Punctuation);
    }
    if tricks.is_empty() {
        // Differences only in case inside compatibility forms and the like.
        tricks.push(Trick::Width);
    }
    tricks
}

/// `clean` without spaces and punctuation: the form exact name lookups use.
pub fn fold(text: &str) -> String {
    clean(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

impl Name {
    pub fn parse(raw: &str) -> Name {
        let raw: String = raw.chars().take(200).collect();
        let mut tricks = Vec::new();
        if raw.chars().any(is_invisible) {
            tricks.push(Trick::ZeroWidth);
        }
        // Full-width letters and digits only: Chinese names use full-width
        // brackets and spaces as a matter of course.
        if raw.chars().any(|c| matches!(c, '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}')) {
            tricks.push(Trick::Width);
        }
        let cleaned = clean(&raw);
        let tokens: Vec<&str> = cleaned
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        if spread_out(&tokens) {
            tricks.push(Trick::Spacing);
        }
        let folded: String = tokens.concat();
        let (core, claims_official) = strip_decorations(&tokens);
        let skeleton = skeleton(&core);
        let heads = if claims_official {
            heads(&tokens, &core)
        } else {
            Vec::new()
        };
        Name {
            folded,
            core,
            skeleton,
            claims_official,
            tricks,
            heads,
        }
    }
}

/// The leading parts of a claiming name that may be a brand (see [`Head`]),
/// longest first, other than the core itself. Latin: the first tokens when
/// the next one is a claim or decoration word ("Haier Official Boutique" →
/// haier). CJK: the leading characters of the first token with a claim in
/// it, up to [`MAX_HEAD_GAP`] characters before the claim.
fn heads(tokens: &[&str], core: &str) -> Vec<Head> {
    let words = words();
    let sk: Vec<String> = tokens.iter().map(|t| skeleton(t)).collect();
    let is_claim = |t: &str| words.claims.iter().any(|c| t.contains(c.as_str()));
    let mut out = Vec::new();
    let mut push = |text: String, gap: usize| {
        if text.chars().count() >= 2 && text != core && !out.iter().any(|h: &Head| h.core == text) {
            out.push(Head {
                skeleton: skeleton(&text),
                core: text,
                gap,
            });
        }
    };
    let start = sk.iter().take_while(|t| words.latin.contains(t)).count();
    for k in (start + 1..tokens.len().min(start + MAX_HEAD_TOKENS + 1)).rev() {
        let next = &sk[k];
        if is_claim(next) || words.latin.contains(next) {
            push(tokens[start..k].concat(), 0);
        }
    }
    // CJK: within the token that carries the claim.
    for (t, s) in tokens.iter().zip(&sk) {
        let chars: Vec<char> = t.chars().collect();
        if !chars.iter().any(|c| *c > '\u{2E80}') || s.chars().count() != chars.len() {
            continue;
        }
        // The character index of the first claim after the first character.
        let first_claim = s
            .char_indices()
            .enumerate()
            .skip(1)
            .find(|(_, (at, _))| {
                words
                    .claims
                    .iter()
                    .any(|c| s[*at..].starts_with(c.as_str()))
            })
            .map(|(i, _)| i);
        let Some(i) = first_claim else { continue };
        for j in (2..=i.min(MAX_HEAD_CHARS)).rev() {
            if i - j <= MAX_HEAD_GAP {
                push(chars[..j].iter().collect(), i - j);
            }
        }
        break;
    }
    out
}

/// Three or more single-letter tokens in a row: "A m w a y", "A.M.W.A.Y".
fn spread_out(tokens: &[&str]) -> bool {
    tokens
        .windows(3)
        .any(|w| w.iter().all(|t| t.chars().count() == 1 && t.is_ascii()))
}

/// Drops decoration words (also disguised ones: "0fficial" is "official") from
/// both ends, token by token for Latin and by suffix/prefix for CJK.
fn strip_decorations(tokens: &[&str]) -> (String, bool) {
    let words = words();
    let skeletons: Vec<String> = tokens.iter().map(|t| skeleton(t)).collect();
    let is_dec = |i: usize| words.latin.contains(&skeletons[i]);
    let claims_official = skeletons
        .iter()
        .any(|t| words.claims.iter().any(|c| t.contains(c.as_str())));
    let mut start = 0;
    let mut end = tokens.len();
    while end > start + 1 && is_dec(end - 1) {
        end -= 1;
    }
    while end > start + 1 && is_dec(start) {
        start += 1;
    }
    let core: Vec<char> = tokens[start..end].concat().chars().collect();
    (
        strip_cjk_decorations(core).into_iter().collect::<String>(),
        claims_official,
    )
}

/// Strips CJK decoration words from both ends, comparing skeletons so that
/// 旗艦店 (traditional) is stripped like 旗舰店. Keeps at least two characters.
fn strip_cjk_decorations(mut core: Vec<char>) -> Vec<char> {
    if !core.iter().any(|c| *c > '\u{2E80}') {
        return core;
    }
    let rep = |c: char| table().chars.get(&c).map_or(c, |&(r, _)| r);
    let same = |cs: &[char], d: &[char]| {
        cs.len() == d.len() && cs.iter().zip(d).all(|(a, b)| rep(*a) == *b)
    };
    loop {
        let before = core.len();
        for d in &words().cjk {
            let n = d.len();
            if core.len() > n + 1 && same(&core[core.len() - n..], d) {
                core.truncate(core.len() - n);
            }
            if core.len() > n + 1 && same(&core[..n], d) {
                core.drain(..n);
            }
        }
        if core.len() == before {
            return core;
        }
    }
}

/// Decoration and claim words (data/decorations.tsv) as skeletons, computed
/// once.
struct Words {
    /// Latin decoration words, claims included.
    latin: Vec<String>,
    /// Claim words, Latin and CJK.
    claims: Vec<String>,
    /// CJK decorations, claims included, as skeleton characters (CJK
    /// skeletons map one character to one), longest first so that 旗舰店 is
    /// stripped before 店.
    cjk: Vec<Vec<char>>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut w = Words {
            latin: Vec::new(),
            claims: Vec::new(),
            cjk: Vec::new(),
        };
        for line in include_str!("../data/decorations.tsv").lines() {
            let mut cols = line.split('\t');
            let (Some(kind), Some(_lang), Some(word)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            if kind.starts_with('#') || !matches!(kind, "claim" | "decoration") {
                continue;
            }
            let sk = skeleton(&clean(word));
            if kind == "claim" {
                w.claims.push(sk.clone());
            }
            if sk.chars().any(|c| c > '\u{2E80}') {
                w.cjk.push(sk.chars().collect());
            } else {
                w.latin.push(sk);
            }
        }
        w.cjk
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        w
    })
}

struct Table {
    /// Single characters → (representative, kind).
    chars: HashMap<char, (char, Trick)>,
    /// Multi-character sequences → representative, applied first.
    seqs: Vec<(String, char)>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut chars = HashMap::new();
        let mut seqs = Vec::new();
        // The hand table first: where both name a character, it wins.
        let hand = include_str!("../data/confusables.tsv").lines();
        let generated = include_str!("../data/confusables-generated.tsv").lines();
        for line in hand.chain(generated) {
            let mut cols = line.split('\t');
            let (Some(kind), Some(from), Some(to)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let kind = match kind {
                "latin" | "latin_mark" | "cyrillic" | "greek" => Trick::Homoglyph,
                "cjk_similar" => Trick::SimilarCjk,
                "cjk_traditional" => Trick::TraditionalSimplified,
                _ => continue,
            };
            let Some(to) = to.chars().next() else {
                continue;
            };
            let mut fc = from.chars();
            match (fc.next(), fc.next()) {
                (Some(f), None) => {
                    chars.entry(f).or_insert((to, kind));
                }
                (Some(_), Some(_)) => seqs.push((from.to_string(), to)),
                _ => {}
            }
        }
        // Follow chains (蘿 → 萝 → 罗) so one lookup gives the final representative.
        let keys: Vec<char> = chars.keys().copied().collect();
        for k in keys {
            let (mut rep, kind) = chars[&k];
            for _ in 0..4 {
                match chars.get(&rep) {
                    Some(&(next, _)) if next != rep => rep = next,
                    _ => break,
                }
            }
            chars.insert(k, (rep, kind));
        }
        Table { chars, seqs }
    })
}

/// The look-alike skeleton of already-folded text.
pub fn skeleton(folded: &str) -> String {
    let t = table();
    let mut s = folded.to_string();
    for (seq, rep) in &t.seqs {
        if s.contains(seq.as_str()) {
            s = s.replace(seq.as_str(), &rep.to_string());
        }
    }
    s.chars()
        .map(|c| t.chars.get(&c).map_or(c, |&(r, _)| r))
        .collect()
}

/// Whether `shown`, which folds to the same letters as a registered name,
/// breaks one of that name's words with a space or punctuation the name does
/// not have there (Hai-er, Per-fect, Lorea-l, "Amw ay"): a disguise, unlike
/// writing the same words with other separators (Nu-Skin for Nu Skin). Words
/// of fewer than three letters are not counted (Li-Ning's "li"). Only asked
/// about names whose letters are a registered name's, so a word split across
/// two innocent words ("Ani Kelly") never comes here.
pub fn split_word<'a>(shown: &str, registered: impl IntoIterator<Item = &'a str>) -> Option<Trick> {
    // The shown name's letters as skeleton characters, and after which of
    // them a separator stood (and whether it was all white space).
    let mut letters: Vec<char> = Vec::new();
    let mut breaks: Vec<(usize, bool)> = Vec::new();
    let cleaned = clean(shown);
    let mut rest = cleaned.as_str();
    while !rest.is_empty() {
        let sep_len = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        let (sep, after) = rest.split_at(sep_len);
        let word_len = after
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(after.len());
        let (word, after) = after.split_at(word_len);
        if !sep.is_empty() && !letters.is_empty() && !word.is_empty() {
            breaks.push((letters.len(), sep.chars().all(char::is_whitespace)));
        }
        letters.extend(skeleton(word).chars());
        rest = after;
    }
    for r in registered {
        for word in clean(r).split(|c: char| !c.is_alphanumeric()) {
            let w: Vec<char> = skeleton(word).chars().collect();
            if w.len() < 3 || w.len() > letters.len() {
                continue;
            }
            for start in 0..=letters.len() - w.len() {
                if letters[start..start + w.len()] != w[..] {
                    continue;
                }
                if let Some(&(_, space)) = breaks
                    .iter()
                    .find(|(b, _)| start < *b && *b < start + w.len())
                {
                    return Some(if space {
                        Trick::Spacing
                    } else {
                        Trick::Punctuation
                    });
                }
            }
        }
    }
    None
}

/// Which kinds of look-alike characters `a` uses where `b` has others.
pub fn tricks_between(a: &str, b: &str) -> Vec<Trick> {
    let t = table();
    let kinds = |s: &str| -> Vec<Trick> {
        let mut v: Vec<Trick> = s
            .chars()
            .filter_map(|c| t.chars.get(&c).filter(|(r, _)| *r != c).map(|&(_, k)| k))
            .collect();
        if t.seqs.iter().any(|(q, _)| s.contains(q.as_str())) {
            v.push(Trick::Homoglyph);
        }
        v.sort();
        v.dedup();
        v
    };
    let (ka, kb) = (kinds(a), kinds(b));
    let only_a: Vec<Trick> = ka.iter().copied().filter(|k| !kb.contains(k)).collect();
    if only_a.is_empty() {
        ka
    } else {
        only_a
    }
}

#[cfg(test)]
mod tests {
    /// ICU4X's NFKC and NFC (the wasm's) give what unicode-normalization's
    /// (native, and the wasm's until issue 17) give: every code point after a
    /// base letter and before a combining mark (composition and reordering),
    /// both at Unicode 18.0. One text of them all: a call per code point
    /// takes a minute in a debug build.
    #[test]
    fn icu_normalizer_agrees_with_unicode_normalization() {
        let text: String = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .flat_map(|c| ['a', c, '\u{301}', ' '])
            .collect();
        use icu_normalizer::ComposingNormalizerBorrowed as Icu;
        let pairs = [
            (
                "NFKC",
                Icu::new_nfkc().normalize(&text),
                super::nfkc(text.chars()).collect::<String>(),
            ),
            (
                "NFC",
                Icu::new_nfc().normalize(&text),
                super::nfc(text.chars()).collect::<String>(),
            ),
        ];
        for (form, icu, old) in pairs {
            let first = icu.split(' ').zip(old.split(' ')).find(|(a, b)| a != b);
            assert_eq!(first, None, "{form}");
            assert_eq!(icu, old, "{form}");
        }
    }

    #[test]
    fn every_decoration_row_is_read() {
        let rows = include_str!("../data/decorations.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        let w = words();
        for row in rows {
            let cols: Vec<&str> = row.split('\t').collect();
            assert!(
                cols.len() == 3 && matches!(cols[0], "claim" | "decoration") && !cols[2].is_empty(),
                "data/decorations.tsv: bad row {row:?}"
            );
            let sk = skeleton(&clean(cols[2]));
            let cjk: Vec<char> = sk.chars().collect();
            assert!(
                w.latin.contains(&sk) || w.cjk.contains(&cjk),
                "{row:?} not read"
            );
            assert_eq!(cols[0] == "claim", w.claims.contains(&sk), "{row:?}");
        }
    }

    #[test]
    fn split_words_are_disguises_other_separators_are_not() {
        for (shown, registered, want) in [
            ("Hai-er", &["Haier"][..], Some(Trick::Punctuation)),
            ("Amw ay", &["Amway"][..], Some(Trick::Spacing)),
            (
                "Lorea-l",
                &["L'Oréal Paris", "Loreal"][..],
                Some(Trick::Punctuation),
            ),
            (
                "Perfectdi-ary",
                &["Perfect Diary"][..],
                Some(Trick::Punctuation),
            ),
            ("Lini-ng", &["Li-Ning"][..], Some(Trick::Punctuation)),
            ("Nu-skin", &["Nu Skin"][..], None),
            ("NU SKIN", &["Nu Skin"][..], None),
            ("Li Ning", &["Li-Ning"][..], None),
            ("Haier", &["Haier"][..], None),
            ("-Haier-", &["Haier"][..], None),
        ] {
            assert_eq!(
                split_word(shown, registered.iter().copied()),
                want,
                "{shown}"
            );
        }
    }

    use super::*;

    #[test]
    fn takes_names_apart() {
        let n = Name::parse("Amvvay 0fficial Store");
        assert_eq!(n.core, "amvvay");
        assert_eq!(n.skeleton, skeleton("amway"));
        assert!(n.claims_official);
        let n = Name::parse("奥罗拉健康官方旗舰店");
        assert_eq!(n.core, "奥罗拉健康");
        assert!(n.claims_official);
        let n = Name::parse("A m w a y");
        assert_eq!(n.core, "amway");
        assert!(n.tricks.contains(&Trick::Spacing));
        let n = Name::parse("奥羅拉健康官方旗艦店");
        assert_eq!((n.core.as_str(), n.claims_official), ("奥羅拉健康", true));
        assert!(Name::parse("奥罗拉健康（海外）旗舰店").tricks.is_empty());
        let n = Name::parse("Ａｍ\u{200b}ｗａｙ Store");
        assert_eq!(n.core, "amway");
        assert!(n.tricks.contains(&Trick::Width) && n.tricks.contains(&Trick::ZeroWidth));
        assert_eq!(skeleton("奥萝拉健康"), skeleton("奥罗拉健康"));
        assert_eq!(skeleton("美泺家"), skeleton("美乐家"));
        assert_eq!(skeleton("羅"), skeleton("萝"));
        assert_eq!(
            tricks_between("奥萝拉健康", "奥罗拉健康"),
            vec![Trick::SimilarCjk]
        );
    }
}
