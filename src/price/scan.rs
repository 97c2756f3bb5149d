//! Price text → tokens: numbers as printed, currency symbols, the words that
//! say which number is the price, and the punctuation between them.

use std::collections::HashMap;

use super::currency::{self, Symbol};
use super::words::{self, Kinds};

/// Characters of a price text that are looked at; the rest is ignored. A
/// price field is a few dozen characters: this bounds the work on junk.
pub(super) const MAX_CHARS: usize = 512;

/// Digits and separators in one printed number beyond which it is not a price.
const MAX_NUMBER: usize = 40;

/// A price text after NFKC (full-width ￥１，２９９ → ¥1,299, NBSP → space),
/// with other scripts' digits as ASCII, one kind of space, dash and
/// apostrophe, and invisible bidi marks (common around numbers in Arabic and
/// Hebrew pages) removed.
pub(super) struct Text {
    chars: Vec<char>,
    /// `chars`, lower-cased one character for one, for matching words.
    lower: Vec<char>,
}

impl Text {
    pub fn new(text: &str) -> Text {
        let chars: Vec<char> = crate::normalize::nfkc(text.chars().take(MAX_CHARS))
            .filter_map(fold)
            .take(MAX_CHARS)
            .collect();
        let lower = chars.iter().map(|&c| lower(c)).collect();
        Text { chars, lower }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn digit_at(&self, i: usize) -> bool {
        self.at(i).is_some_and(|c| c.is_ascii_digit())
    }
}

fn lower(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

fn fold(c: char) -> Option<char> {
    Some(match c {
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' => return None,
        '\u{FEFF}' | '\u{061C}' | '\u{00AD}' => return None,
        c if c.is_whitespace() => ' ',
        // Arabic decimal and thousands separators; the Arabic comma groups
        // thousands in some locales (CLDR's Balochi, N'Ko: "5،977٫05").
        '\u{066B}' => '.',
        '\u{066C}' | '\u{060C}' => ',',
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '`' | '´' => '\'',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => '-',
        '\u{301C}' | '\u{3030}' => '~',
        c => ascii_digit(c).unwrap_or(c),
    })
}

/// Digits of every script (Arabic-Indic, Persian, Devanagari, Bengali, Thai,
/// Tibetan, Myanmar, N'Ko…) as ASCII. Unicode gives each script's decimal
/// digits as ten code points in a row; these are the zeros of those runs
/// (general category Nd, decimal value 0, per Python 3.11's `unicodedata`,
/// Unicode 14.0), leaving out those NFKC already folds to ASCII (full-width,
/// mathematical).
fn ascii_digit(c: char) -> Option<char> {
    const ZEROS: [u32; 58] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
        0xAA50, 0xABF0, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
        0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60,
        0x16AC0, 0x16B50, 0x1E140, 0x1E2F0, 0x1E950,
    ];
    let code = c as u32;
    if code < ZEROS[0] {
        return None;
    }
    // The zeros are sorted: the run `c` may be in starts at the last zero ≤ c.
    let at = ZEROS.partition_point(|&zero| zero <= code).checked_sub(1)?;
    let d = code - ZEROS[at];
    (d < 10).then(|| char::from_digit(d, 10)).flatten()
}

/// A letter of a script that separates words with spaces. CJK, kana, Hangul
/// and Thai run words together, so phrases in them need no word boundary.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() && c < '\u{2E80}' && !('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// Phrases looked up by their first (lower-case) character, longest first.
pub(super) struct Phrases<T> {
    by_first: HashMap<char, Vec<Phrase<T>>>,
}

struct Phrase<T> {
    chars: Vec<char>,
    /// Match case as written (ISO codes), rather than case-insensitively.
    exact: bool,
    value: T,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases {
            by_first: HashMap::new(),
        }
    }
}

impl<T: Copy> Phrases<T> {
    /// Adds a phrase, normalised the way [`Text`] normalises a page.
    pub fn insert(&mut self, phrase: &str, exact: bool, value: T) {
        let text = Text::new(phrase);
        let chars = if exact { text.chars } else { text.lower };
        let Some(&first) = chars.first() else { return };
        let list = self.by_first.entry(lower(first)).or_default();
        list.push(Phrase {
            chars,
            exact,
            value,
        });
        list.sort_by_key(|p| std::cmp::Reverse(p.chars.len()));
    }

    /// The longest phrase that starts at `i` and stands as its own word.
    pub fn longest_at(&self, text: &Text, i: usize) -> Option<(usize, T)> {
        let first = *text.lower.get(i)?;
        self.by_first.get(&first)?.iter().find_map(|p| {
            let end = i + p.chars.len();
            let hay = if p.exact { &text.chars } else { &text.lower };
            let hit =
                hay.get(i..end) == Some(p.chars.as_slice()) && bounded(text, i, end, &p.chars);
            hit.then_some((p.chars.len(), p.value))
        })
    }
}

/// Whether the phrase at `i..end` is not the inside of a longer word.
fn bounded(text: &Text, i: usize, end: usize, phrase: &[char]) -> bool {
    let edge = |inner: Option<&char>, outer: Option<char>| {
        !(inner.is_some_and(|&c| is_word_char(c)) && outer.is_some_and(is_word_char))
    };
    let before = i.checked_sub(1).and_then(|b| text.at(b));
    edge(phrase.first(), before) && edge(phrase.last(), text.at(end))
}

/// A number as printed: digits and the separators between them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Number {
    /// Digits, `.` `,` `'` and ` ` only; empty when too long to be a price.
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Number(Number),
    Currency(&'static Symbol),
    Word(Kinds),
    Dash,
    Space,
    Colon,
    Other(char),
}

/// Splits a normalised text into tokens.
pub(super) fn tokens(text: &Text) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let (len, token) = token_at(text, i);
        let repeated_space = token == Token::Space && out.last() == Some(&Token::Space);
        if !repeated_space {
            out.push(token);
        }
        i += len.max(1);
    }
    symbol_as_decimal_mark(&mut out);
    spaced_decimal_mark(&mut out);
    minor_unit_after_symbol(&mut out);
    out
}

/// "3 zł 99 gr", "5 руб. 50 коп.", "12 грн 5 коп": a price written in major
/// and minor units, as Polish, Russian and Ukrainian shops do. A whole
/// number, its currency, then one or two digits and the minor unit's name,
/// is read as one number ("3.99 zł"); the minor part alone would otherwise
/// be a second, lower price.
fn minor_unit_after_symbol(tokens: &mut Vec<Token>) {
    use super::words::Kinds;
    let mut i = 0;
    while i < tokens.len() {
        let mut at = i;
        let mut next = |tokens: &[Token]| {
            at += 1;
            if tokens.get(at) == Some(&Token::Space) {
                at += 1;
            }
            at
        };
        let (sym, minor, word) = (next(tokens), next(tokens), next(tokens));
        let merged = match (
            &tokens[i],
            tokens.get(sym),
            tokens.get(minor),
            tokens.get(word),
        ) {
            (
                Token::Number(whole),
                Some(Token::Currency(_)),
                Some(Token::Number(part)),
                Some(Token::Word(k)),
            ) if k.has(Kinds::MINOR)
                && (1..=2).contains(&part.raw.len())
                && part.raw.bytes().all(|b| b.is_ascii_digit()) =>
            {
                with_cents(&whole.raw, &format!("{:0>2}", part.raw))
            }
            _ => None,
        };
        if let Some(raw) = merged {
            tokens[i] = Token::Number(Number { raw });
            tokens.drain(sym + 1..=word);
        }
        i += 1;
    }
}

/// "£ 6 . 62", "19 , 99 €", "$ 19 .99", "€19 99": a price whose whole part,
/// decimal mark and fraction are separate elements (Amazon's
/// `a-price-whole`, `a-price-decimal`, `a-price-fraction`; cents in a
/// `<sup>`) in a saved page whose markup was laid out on several lines, or
/// read as plain text, so white space came between them. Read as one
/// number when a currency touches it (before the whole part or after the
/// fraction; before it when there is no mark), the fraction is two digits
/// and no further group follows: "Sizes 38 , 40" stays two numbers, and so
/// do "£ 38 , 40 , 42" and "€ 10 20 30".
fn spaced_decimal_mark(tokens: &mut Vec<Token>) {
    use Token::{Currency, Number as Num, Other, Space};
    let mut i = 0;
    while i < tokens.len() {
        let Num(whole) = &tokens[i] else {
            i += 1;
            continue;
        };
        let at = |k: usize| tokens.get(k);
        let currency_before = matches!(at(i.wrapping_sub(1)), Some(Currency(_)))
            || matches!(
                (at(i.wrapping_sub(1)), at(i.wrapping_sub(2))),
                (Some(Space), Some(Currency(_)))
            );
        // Whole, then " . 62", ". 62", " .62" (read as the number "0.62"),
        // or " 62" after the currency: "€19 99", the cents of a `<sup>` read
        // as text (not after it: "19 99 €" may be two numbers).
        let (fraction, end) = match (at(i + 1), at(i + 2), at(i + 3), at(i + 4)) {
            (Some(Space), Some(Other('.' | ',')), Some(Space), Some(Num(f))) => {
                (f.raw.clone(), i + 4)
            }
            (Some(Space), Some(Other('.' | ',')), Some(Num(f)), _)
            | (Some(Other('.' | ',')), Some(Space), Some(Num(f)), _) => (f.raw.clone(), i + 3),
            (Some(Space), Some(Num(f)), _, _) => {
                match f.raw.strip_prefix("0.").or(f.raw.strip_prefix("0,")) {
                    Some(rest) => (rest.to_string(), i + 2),
                    None if currency_before => (f.raw.clone(), i + 2),
                    None => (String::new(), i),
                }
            }
            _ => (String::new(), i),
        };
        let currency_after = matches!(at(end + 1), Some(Currency(_)))
            || matches!((at(end + 1), at(end + 2)), (Some(Space), Some(Currency(_))));
        // A further group, or a share ("€5 10%"): not one price.
        let more = matches!(at(end + 1), Some(Other('.' | ',' | '%') | Num(_)))
            || matches!(
                (at(end + 1), at(end + 2)),
                (Some(Space), Some(Other('.' | ',' | '%') | Num(_)))
            );
        let merged = with_cents(&whole.raw, &fraction);
        if let Some(raw) =
            merged.filter(|_| end > i && (currency_before || currency_after) && !more)
        {
            tokens[i] = Num(Number { raw });
            tokens.drain(i + 1..=end);
        }
        i += 1;
    }
}

/// "12€99": French shops set the symbol where the decimal mark goes. A
/// symbol touching a whole number before it and two digits after it is
/// read as "12.99 €" (the two digits would otherwise be a second price, 99,
/// or the first one's cents left out).
fn symbol_as_decimal_mark(tokens: &mut Vec<Token>) {
    let mut i = 0;
    while i + 2 < tokens.len() {
        let merged = match (&tokens[i], &tokens[i + 1], &tokens[i + 2]) {
            (Token::Number(whole), Token::Currency(_), Token::Number(cents)) => {
                with_cents(&whole.raw, &cents.raw)
            }
            _ => None,
        };
        if let Some(raw) = merged {
            tokens[i] = Token::Number(Number { raw });
            tokens.remove(i + 2);
        }
        i += 1;
    }
}

/// A whole number printed apart from its two-digit cents, as one number
/// with the decimal mark its grouping leaves free ("1.299" and "00" →
/// "1.299,00"); nothing unless `whole` is whole and `cents` two digits.
fn with_cents(whole: &str, cents: &str) -> Option<String> {
    let two_digits = cents.len() == 2 && cents.bytes().all(|b| b.is_ascii_digit());
    let mark = if whole.contains('.') { ',' } else { '.' };
    (two_digits && is_whole(whole)).then(|| format!("{whole}{mark}{cents}"))
}

/// Digits, grouped in threes if at all ("1299", "1 299", "1.299"): no decimals.
fn is_whole(raw: &str) -> bool {
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let mut groups = raw.split(['.', ',', ' ', '\'']);
    let first = groups.next().unwrap_or("");
    let grouped = raw.len() > first.len();
    digits(first) && (!grouped || first.len() <= 3) && groups.all(|g| g.len() == 3 && digits(g))
}

fn token_at(text: &Text, i: usize) -> (usize, Token) {
    let leading_dot = matches!(text.at(i), Some('.' | ','))
        && text.digit_at(i + 1)
        && !i
            .checked_sub(1)
            .and_then(|b| text.at(b))
            .is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',');
    if text.digit_at(i) || leading_dot {
        return number_at(text, i);
    }
    let symbol = currency::symbol_at(text, i)
        .filter(|&(len, s)| !s.needs_number || touches_number(text, i, i + len));
    let word = words::word_at(text, i);
    match (symbol, word) {
        (Some((sl, s)), Some((wl, _))) if sl >= wl => return (sl, Token::Currency(s)),
        (_, Some((wl, w))) => return (wl, Token::Word(w)),
        (Some((sl, s)), None) => return (sl, Token::Currency(s)),
        (None, None) => {}
    }
    let token = match text.at(i) {
        Some('-') => Token::Dash,
        Some('~') => Token::Word(Kinds::RANGE),
        Some(' ') => Token::Space,
        Some(':') => Token::Colon,
        Some(c) => Token::Other(c),
        None => Token::Space,
    };
    (1, token)
}

fn number_at(text: &Text, start: usize) -> (usize, Token) {
    let mut raw = String::new();
    let mut i = start;
    if matches!(text.at(i), Some('.' | ',')) {
        // "$.99", ",99 €": the leading zero left out.
        raw.push('0');
    }
    loop {
        let run_start = i;
        while let Some(c) = text.at(i).filter(char::is_ascii_digit) {
            raw.push(c);
            i += 1;
        }
        let run = i - run_start;
        let sep = text.at(i);
        match sep {
            Some(c @ ('.' | ',')) if text.digit_at(i + 1) => raw.push(c),
            // A space or an apostrophe only groups thousands ("1 234,56",
            // "1'234.50"); otherwise it ends the number ("2 150").
            Some(c @ (' ' | '\'')) if run <= 3 && three_digits_at(text, i + 1) => raw.push(c),
            // "599,-", "25.–", "199:-": whole units, the minor part left out
            // (Nordic and Swiss shops).
            Some('.' | ',' | ':') if text.at(i + 1) == Some('-') && !text.digit_at(i + 2) => {
                i += 2;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    if raw.len() > MAX_NUMBER {
        raw.clear();
    }
    (i - start, Token::Number(Number { raw }))
}

/// Whether a digit stands right before `start` or right after `end`, with at
/// most one space between ("Ksh 1,200", "8,005USh").
fn touches_number(text: &Text, start: usize, end: usize) -> bool {
    let before = |k: usize| start.checked_sub(k).is_some_and(|j| text.digit_at(j));
    let after = |k: usize| text.digit_at(end + k - 1);
    let space = |j: Option<usize>| j.and_then(|j| text.at(j)) == Some(' ');
    before(1)
        || (space(start.checked_sub(1)) && before(2))
        || after(1)
        || (space(Some(end)) && after(2))
}

/// Exactly three digits at `i`, then no digit.
fn three_digits_at(text: &Text, i: usize) -> bool {
    (i..i + 3).all(|j| text.digit_at(j)) && !text.digit_at(i + 3)
}

/// Whether the text looks like a phone number rather than a price: "+1 555…",
/// "(555) 123-4567", "400-820-8820", "138 0013 8000", or ten digits in a row.
/// Numbers with a currency next to them are prices whatever this says.
pub(super) fn phone_like(text: &Text) -> bool {
    let c = &text.chars;
    let plus_digit = c.windows(2).any(|w| w[0] == '+' && w[1].is_ascii_digit());
    let area_code = c.iter().enumerate().any(|(i, &ch)| {
        let digits = c
            .iter()
            .skip(i + 1)
            .take_while(|d| d.is_ascii_digit())
            .count();
        ch == '(' && (2..=5).contains(&digits) && c.get(i + 1 + digits) == Some(&')')
    });
    plus_digit || area_code || digit_runs(c).any(|groups| phone_groups(&groups))
}

/// Runs of digit groups joined by single spaces, dashes or dots, as
/// (separator before the group, group length) pairs.
fn digit_runs(c: &[char]) -> impl Iterator<Item = Vec<(char, usize)>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < c.len() && !c[i].is_ascii_digit() {
            i += 1;
        }
        if i >= c.len() {
            return None;
        }
        let mut groups = Vec::new();
        let mut sep = '^';
        loop {
            let start = i;
            while i < c.len() && c[i].is_ascii_digit() {
                i += 1;
            }
            groups.push((sep, i - start));
            match (c.get(i), c.get(i + 1)) {
                (Some(&s @ (' ' | '-' | '.')), Some(d)) if d.is_ascii_digit() => {
                    sep = s;
                    i += 1;
                }
                _ => return Some(groups),
            }
        }
    })
}

fn phone_groups(groups: &[(char, usize)]) -> bool {
    let dashes = groups.iter().filter(|g| g.0 == '-').count();
    let spaced = groups.len() >= 3 && groups.iter().skip(1).all(|g| g.0 == ' ');
    let thousands =
        groups.first().is_some_and(|g| g.1 <= 3) && groups.iter().skip(1).all(|g| g.1 == 3);
    groups.iter().any(|g| g.1 >= 10) || dashes >= 2 || (spaced && !thousands)
}
