//! The native collector: a saved HTML page → the same [`Snapshot`] the content
//! script sends, read with the same [`CollectPlan`].
//!
//! It follows the content script's rules so that `genuine extract` and the
//! extension see one page alike: for each field, for each selector in order,
//! the matching elements' attribute (or trimmed, white-space-collapsed text
//! content); at most `max_values` values per field, each cut to `max_chars`;
//! up to `max_jsonld_blocks` JSON-LD blocks of at most `max_jsonld_bytes`; the
//! `<meta>` tags the plan names, by `property=` or `name=`.
//!
//! Work is bounded by the input: only the first [`MAX_HTML_BYTES`] of a file
//! are read (the caller is told), a page is cut where it nests deeper than
//! html5ever can build cheaply (see `nesting`), text is gathered only up to
//! `max_chars`, and the JSON-LD walk has its own limits (see `jsonld`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use scraper::{ElementRef, Html};

use super::{
    interpret, profile_for, CollectPlan, OfferSnapshot, ScriptKey, Selector, Signals, SiteProfile,
    Snapshot, MAX_META,
};

/// Pages are cut here before parsing. Real product pages run to 3 MB
/// (Amazon inlines its scripts); 8 MB leaves room without letting a
/// hostile file cost unbounded parse time and memory.
pub const MAX_HTML_BYTES: usize = 8 * 1024 * 1024;

/// Where to look for the charset label of a page that is not UTF-8. The
/// HTML standard's prescan reads 1024 bytes; pages that put a long `<title>`
/// or scripts before their `<meta charset>` (Taobao's do) need more.
const CHARSET_SCAN_BYTES: usize = 4096;

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    /// The URL given for the page is not an absolute http(s) URL.
    #[error("'{0}' is not an absolute http(s) URL")]
    BadUrl(String),
    /// No URL was given and the page names none (`<link rel=canonical>`, `og:url`).
    #[error("the page does not say its URL (no canonical link or og:url); pass --url")]
    NoUrl,
}

/// What a page yielded: the snapshot, the signals read from it, and whether
/// the file was cut at [`MAX_HTML_BYTES`].
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub snapshot: Snapshot,
    pub signals: Signals,
    pub truncated: bool,
}

/// Reads a saved page. `url` is where it was saved from; without one the
/// page's canonical link is used.
pub fn extract(
    bytes: &[u8],
    url: Option<&str>,
    profiles: &[SiteProfile],
) -> Result<Extracted, HtmlError> {
    let truncated = bytes.len() > MAX_HTML_BYTES;
    let text = decode(&bytes[..bytes.len().min(MAX_HTML_BYTES)]);
    let doc = Html::parse_document(super::nesting::cut_too_deep(
        &text,
        super::nesting::MAX_DEPTH,
    ));
    let url = match url {
        Some(u) => u.to_string(),
        None => own_url(&doc).ok_or(HtmlError::NoUrl)?,
    };
    if super::Url::parse(&url).is_none() {
        return Err(HtmlError::BadUrl(url));
    }
    let snapshot = match profile_for(profiles, &url) {
        Some(p) => collect(&doc, &url, &CollectPlan::for_profile(p)),
        None => Snapshot {
            url: url.clone(),
            ..Snapshot::default()
        },
    };
    let signals = interpret(&snapshot, profiles);
    Ok(Extracted {
        snapshot,
        signals,
        truncated,
    })
}

/// The page as text. UTF-8 when it is valid UTF-8, whatever the page claims:
/// browsers that save a page re-encode it but often keep its original
/// `<meta charset=gbk>` (Taobao's saved pages do). Otherwise the BOM, then
/// the declared charset (GBK, GB18030, Shift_JIS, EUC-KR, Big5, ...), then
/// what Firefox's detector (chardetng) makes of the bytes, as a browser
/// does for a page that declares nothing (a GBK Tmall page whose
/// declaration sits past the prescan, or was dropped when it was saved).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    let encoding = encoding_rs::Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| declared_charset(&bytes[..bytes.len().min(CHARSET_SCAN_BYTES)]))
        .unwrap_or_else(|| {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            // No top-level domain hint: the bytes decide; UTF-8 is allowed.
            detector.guess(None, true)
        });
    let (text, _, _) = encoding.decode(bytes);
    text
}

/// The label after the first `charset=` in the head, as `<meta charset=…>`
/// and `<meta http-equiv content="text/html; charset=…">` both write it.
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let rest = &lower[from + i + b"charset".len()..];
        from += i + 1;
        let rest = trim_start(rest);
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = trim_start(rest);
        let rest = rest
            .strip_prefix(b"\"")
            .or(rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
            .unwrap_or(rest.len());
        if let Some(e) = encoding_rs::Encoding::for_label(&rest[..end]) {
            return Some(e);
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// Collects what `plan` names from a parsed page.
pub fn collect(doc: &Html, url: &str, plan: &CollectPlan) -> Snapshot {
    let mut fields = BTreeMap::new();
    let mut kinds = BTreeMap::new();
    let script_only = plan
        .script_fields
        .keys()
        .filter(|k| !plan.fields.contains_key(*k))
        .map(|k| (k, &NO_SELECTORS));
    for (name, selectors) in plan.fields.iter().chain(script_only) {
        let mut values = Vec::new();
        let mut value_kinds = Vec::new();
        for sel in selectors {
            read_into(
                &mut values,
                doc.root_element(),
                sel,
                plan.max_values,
                plan.max_chars,
            );
            value_kinds.resize(values.len(), sel.kind.clone().unwrap_or_default());
        }
        if !values.is_empty() && selectors.iter().any(|s| s.kind.is_some()) {
            kinds.insert(name.clone(), value_kinds);
        }
        for key in plan.script_fields.get(name).into_iter().flatten() {
            if values.len() < plan.max_values {
                values.extend(script_value(doc, key, plan));
            }
        }
        if let Some(k) = kinds.get_mut(name) {
            k.resize(values.len(), String::new());
        }
        if !values.is_empty() {
            fields.insert(name.clone(), values);
        }
    }
    Snapshot {
        kinds,
        offers: plan
            .offers
            .map(|o| offers(doc, o, plan))
            .unwrap_or_default(),
        url: url.to_string(),
        profile: Some(plan.profile.to_string()),
        fields,
        jsonld: if plan.jsonld {
            jsonld_blocks(doc, plan)
        } else {
            Vec::new()
        },
        meta: meta_tags(doc, plan.meta, plan.max_chars),
        labelled: super::label::collect(doc, plan),
        gate: plan
            .gates
            .iter()
            .find(|g| {
                scraper::Selector::parse(&g.css).is_ok_and(|css| doc.select(&css).next().is_some())
            })
            .map(|g| g.css.clone()),
    }
}

static NO_SELECTORS: Vec<super::Selector> = Vec::new();

/// Appends what `sel` reads inside `scope` (its descendants, as the content
/// script's `scope.querySelectorAll`), up to `max` values.
fn read_into(
    values: &mut Vec<String>,
    scope: ElementRef,
    sel: &Selector,
    max: usize,
    chars: usize,
) {
    // A selector this engine cannot parse is skipped, as the content
    // script skips one `querySelectorAll` rejects.
    let Ok(css) = scraper::Selector::parse(&sel.css) else {
        return;
    };
    for el in scope.select(&css) {
        if values.len() >= max {
            break;
        }
        let value = match &sel.attr {
            Some(attr) => el.value().attr(attr).map(|v| collapse(v, chars)),
            None if sel.lines => Some(lines_of(el, chars)),
            None => Some(text_of(el, chars)),
        };
        values.extend(value.filter(|v| !v.is_empty()));
    }
}

/// The offers of an offer list: the featured blocks', then the listed
/// ones', each block once, at most `max_offers`; inside each, the fields'
/// values as for the page (up to `max_offer_values` per field).
fn offers(doc: &Html, list: &super::OfferList, plan: &CollectPlan) -> Vec<OfferSnapshot> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let blocks = list
        .featured
        .iter()
        .map(|s| (true, s))
        .chain(list.listed.iter().map(|s| (false, s)));
    for (featured, sel) in blocks {
        let Ok(css) = scraper::Selector::parse(&sel.css) else {
            continue;
        };
        for block in doc.select(&css) {
            if out.len() >= plan.max_offers {
                return out;
            }
            if !seen.insert(block.id()) {
                continue;
            }
            let mut fields = BTreeMap::new();
            for (name, selectors) in &list.fields {
                let mut values = Vec::new();
                for s in selectors {
                    read_into(&mut values, block, s, plan.max_offer_values, plan.max_chars);
                }
                if !values.is_empty() {
                    fields.insert(name.clone(), values);
                }
            }
            out.push(OfferSnapshot { featured, fields });
        }
    }
    out
}

/// The first value of `key.key` in the inline JSON of the scripts `key.css`
/// matches, each script's text read up to `max_script_bytes`.
fn script_value(doc: &Html, key: &ScriptKey, plan: &CollectPlan) -> Option<String> {
    let css = scraper::Selector::parse(&key.css).ok()?;
    let needle = format!("\"{}\"", key.key);
    doc.select(&css).find_map(|el| {
        let mut text = String::new();
        for chunk in el.text() {
            let room = plan.max_script_bytes.saturating_sub(text.len());
            if room == 0 {
                break;
            }
            let mut end = chunk.len().min(room);
            while !chunk.is_char_boundary(end) {
                end -= 1;
            }
            text.push_str(&chunk[..end]);
        }
        match &key.same_object_as {
            Some(anchor) => {
                member_value(object_around_key(&text, &format!("\"{anchor}\""))?, &needle)
            }
            None => json_value_after(&text, &needle),
        }
        .map(|v| collapse(&v, plan.max_chars))
    })
}

/// The string or number value of `needle` (a quoted key) as a member of
/// `object` itself (one JSON object's text, `{` to `}`), not of an object or
/// array nested in it: a seller object's `"name"`, not its badge's, whichever
/// comes first. Strings are skipped as JSON writes them.
fn member_value(object: &str, needle: &str) -> Option<String> {
    let mut depth = 0usize;
    for (i, b) in outside_strings(object) {
        match b {
            b'"' if depth == 1 && object.as_bytes()[i..].starts_with(needle.as_bytes()) => {
                if let Some(v) = value_after_key(&object[i + needle.len()..]) {
                    return Some(v);
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The bytes of JSON `text` that lie outside its strings, with their
/// offsets, plus each string's opening quote (where a key begins); a
/// string's contents, escapes included, are passed over as JSON writes
/// them, so a brace or a quoted key inside one does not count.
fn outside_strings(text: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut in_string = false;
    let mut escaped = false;
    text.bytes().enumerate().filter(move |&(_, b)| {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            return false;
        }
        in_string = b == b'"';
        true
    })
}

/// Objects open at once that [`object_around_key`] follows: a page's data
/// nests a few dozen deep, and a hostile script of two million `{` would
/// otherwise keep two million offsets.
const MAX_JSON_DEPTH: usize = 512;

/// The text of the innermost JSON object that holds the first `needle`
/// (a quoted key) outside a string, from its `{` to its matching `}`.
/// Strings are skipped as JSON writes them, so a brace or a quoted key
/// inside one does not count. `None` when the key is in no object, the
/// object does not end within the text, or the text nests deeper than
/// [`MAX_JSON_DEPTH`].
fn object_around_key<'t>(text: &'t str, needle: &str) -> Option<&'t str> {
    let mut opens: Vec<usize> = Vec::new();
    let mut object: Option<usize> = None;
    for (i, b) in outside_strings(text) {
        match b {
            b'"' if object.is_none() && text.as_bytes()[i..].starts_with(needle.as_bytes()) => {
                object = Some(*opens.last()?);
            }
            b'{' if opens.len() >= MAX_JSON_DEPTH => return None,
            b'{' => opens.push(i),
            b'}' => {
                let open = opens.pop();
                if let (Some(o), Some(start)) = (open, object) {
                    if o == start {
                        return text.get(start..=i);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// In `"key": "value"` or `"key":123`, the value after the first occurrence
/// of `needle` that is followed by a colon and a string or number.
fn json_value_after(text: &str, needle: &str) -> Option<String> {
    text.match_indices(needle)
        .find_map(|(i, _)| value_after_key(&text[i + needle.len()..]))
}

/// `: "value"` or `:123` at the start of `rest` (what follows a key), as
/// text; `None` for any other value, or a blank one.
fn value_after_key(rest: &str) -> Option<String> {
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    if let Some(body) = rest.strip_prefix('"') {
        let mut escaped = false;
        let end = body.char_indices().find_map(|(j, c)| {
            let close = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            close.then_some(j)
        })?;
        serde_json::from_str::<String>(&rest[..end + 2]).ok()
    } else {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        (n > 0).then(|| rest[..n].to_string())
    }
    .filter(|v| !v.trim().is_empty())
}

fn jsonld_blocks(doc: &Html, plan: &CollectPlan) -> Vec<String> {
    let Ok(scripts) = scraper::Selector::parse("script[type]") else {
        return Vec::new();
    };
    doc.select(&scripts)
        .filter(|el| {
            el.value()
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        })
        .filter_map(|el| {
            // Blocks past the byte bound are skipped whole: a cut JSON text
            // would not parse anyway.
            let mut block = String::new();
            for chunk in el.text() {
                if block.len() + chunk.len() > plan.max_jsonld_bytes {
                    return None;
                }
                block.push_str(chunk);
            }
            Some(block)
        })
        .take(plan.max_jsonld_blocks)
        .collect()
}

fn meta_tags(doc: &Html, wanted: &[String], max_chars: usize) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(metas) = scraper::Selector::parse("meta[content]") else {
        return out;
    };
    for el in doc.select(&metas) {
        if out.len() >= MAX_META.min(wanted.len()) {
            break;
        }
        let e = el.value();
        let key = e.attr("property").or_else(|| e.attr("name"));
        let (Some(key), Some(content)) = (key, e.attr("content")) else {
            continue;
        };
        if wanted.iter().any(|w| w == key) && !out.contains_key(key) {
            out.insert(key.to_string(), collapse(content, max_chars));
        }
    }
    out
}

/// The page's own idea of its URL, for a file saved without one.
fn own_url(doc: &Html) -> Option<String> {
    let canonical = scraper::Selector::parse("link[rel=canonical][href]").ok()?;
    let og = scraper::Selector::parse("meta[property='og:url'][content]").ok()?;
    doc.select(&canonical)
        .filter_map(|el| el.value().attr("href"))
        .chain(doc.select(&og).filter_map(|el| el.value().attr("content")))
        .map(str::trim)
        .find(|u| super::Url::parse(u).is_some())
        .map(str::to_string)
}

/// Text content, white space collapsed, stopping at `max_chars`: an element
/// may hold the whole page, and only its start is ever kept.
pub(super) fn text_of(el: ElementRef, max_chars: usize) -> String {
    let mut out = Collapser::new(max_chars);
    out.push_element(el);
    out.text
}

/// [`text_of`], with a line break (`\n`) where the text goes on in
/// another block (see [`Collapser::push_lines`]).
pub(super) fn lines_of(el: ElementRef, max_chars: usize) -> String {
    let mut out = Collapser::new(max_chars);
    out.push_lines(el);
    out.text
}

/// Elements that start a line of their own: HTML's block-level elements
/// and table rows and cells. The content script's `BLOCKS` is the same list.
const BLOCKS: [&str; 37] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "tr",
];

/// Two digits alone in a `<sup>`: shops set a price's minor units so
/// ("18<sup>09</sup>", "$19<sup>99</sup>"), and the bare text would read
/// "18 09" or "$1999". Read after a digit, they are the decimals
/// (content.js reads them the same way).
fn cents(chunk: &str) -> Option<&str> {
    let digits = chunk.trim();
    (digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

pub(super) fn collapse(text: &str, max_chars: usize) -> String {
    let mut out = Collapser::new(max_chars);
    out.push(text);
    out.text
}

/// Builds trimmed, single-spaced text of at most `max` characters.
pub(super) struct Collapser {
    pub(super) text: String,
    chars: usize,
    max: usize,
    space: bool,
    /// The white space pending (`space`) is a line break.
    line: bool,
}

impl Collapser {
    pub(super) fn new(max: usize) -> Self {
        Collapser {
            text: String::new(),
            chars: 0,
            max,
            space: false,
            line: false,
        }
    }

    /// Appends superscript cents right after the digits before them, as
    /// decimals; false once full.
    fn push_cents(&mut self, cents: &str) -> bool {
        self.space = false;
        if self.chars + 1 + cents.len() > self.max {
            return false;
        }
        self.text.push('.');
        self.text.push_str(cents);
        self.chars += 1 + cents.len();
        true
    }

    /// Appends an element's text content; false once full.
    pub(super) fn push_element(&mut self, el: ElementRef) -> bool {
        for node in el.descendants() {
            let Some(chunk) = node.value().as_text() else {
                continue;
            };
            // The parent is looked at only for a text of two digits.
            let sup_cents = cents(chunk).filter(|_| {
                node.parent()
                    .and_then(|p| p.value().as_element())
                    .is_some_and(|e| e.name() == "sup")
            });
            let pushed = match sup_cents {
                Some(cents) if self.text.ends_with(|c: char| c.is_ascii_digit()) => {
                    self.push_cents(cents)
                }
                _ => self.push(chunk),
            };
            if !pushed {
                return false;
            }
        }
        true
    }

    /// Appends an element's text as lines: text goes on in a new line where
    /// its nearest block ancestor (inside `el`, `el` itself included) is not
    /// the previous text's, or after a `<br>`. So "<div><p>Sold by
    /// X</p>Gift-wrap</div>" is "Sold by X\nGift-wrap", and "Sold by
    /// <b>X</b>." stays one line. No superscript cents here: a line is read
    /// for words. False once full.
    pub(super) fn push_lines(&mut self, el: ElementRef) -> bool {
        let mut block = None;
        for node in el.descendants() {
            if let Some(e) = node.value().as_element() {
                if e.name() == "br" {
                    self.line = true;
                    self.space = self.chars > 0;
                }
                continue;
            }
            let Some(chunk) = node.value().as_text() else {
                continue;
            };
            // White space alone only spaces words apart. Passing it over
            // also bounds the walks up: each text looked at adds a
            // character, and at most `max` are kept.
            if chunk.chars().all(char::is_whitespace) {
                self.push(chunk);
                continue;
            }
            let nearest = node
                .ancestors()
                .take_while(|a| a.id() != el.id())
                .find(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| BLOCKS.contains(&e.name()))
                })
                .map(|a| a.id());
            if block.is_some() && block != Some(nearest) {
                self.line = true;
                self.space = self.chars > 0;
            }
            block = Some(nearest);
            if !self.push(chunk) {
                return false;
            }
        }
        true
    }

    /// Appends; false once full.
    pub(super) fn push(&mut self, chunk: &str) -> bool {
        for c in chunk.chars() {
            if c.is_whitespace() {
                self.space = self.chars > 0;
                continue;
            }
            let need = if self.space { 2 } else { 1 };
            if self.chars + need > self.max {
                return false;
            }
            if self.space {
                self.text.push(if self.line { '\n' } else { ' ' });
                self.space = false;
            }
            self.line = false;
            self.text.push(c);
            self.chars += need;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key read beside another: inside the object that holds the first
    /// occurrence of the other key, not wherever the key comes first.
    #[test]
    fn key_in_the_same_object() {
        let cases = [
            // Walmart's shape: a recommended product's seller comes first.
            (
                r#"{"recs":[{"sellerId":"OTHER","sellerName":"Coco"}],"product":{"sellerId":"OWN","sellerDisplayName":"Black Bear"}}"#,
                Some("OWN"),
            ),
            // The id after the name, and a nested object's id before it:
            // the object's own member, not the nested one's.
            (
                r#"{"p":{"sellerDisplayName":"B","x":{"sellerId":"NESTED"},"sellerId":"OWN"}}"#,
                Some("OWN"),
            ),
            // Nor one in an array member.
            (
                r#"{"p":{"sellerDisplayName":"B","recs":[{"sellerId":"REC"}],"sellerId":"OWN"}}"#,
                Some("OWN"),
            ),
            // Only a nested one: nothing.
            (
                r#"{"p":{"sellerDisplayName":"B","x":{"sellerId":"NESTED"}}}"#,
                None,
            ),
            // A member whose value is not a string or number is skipped.
            (
                r#"{"p":{"sellerDisplayName":"B","sellerId":{"v":1},"q":"\"sellerId\":\"S\""}}"#,
                None,
            ),
            // Braces and the key inside strings do not count.
            (
                r#"{"a":"} \"sellerDisplayName\": {","p":{"sellerDisplayName":"B}","sellerId":7}}"#,
                Some("7"),
            ),
            // The object has no id: nothing, not another object's.
            (
                r#"{"p":{"sellerDisplayName":"B"},"q":{"sellerId":"OTHER"}}"#,
                None,
            ),
            // The object never closes (a script cut at the byte bound).
            (r#"{"p":{"sellerDisplayName":"B","sellerId":"X""#, None),
            // No anchor at all.
            (r#"{"sellerId":"X"}"#, None),
        ];
        // Nested past the bound: nothing, in bounded memory.
        let deep = format!(
            "{}\"sellerDisplayName\":\"B\",\"sellerId\":\"X\"{}",
            "{\"a\":".repeat(MAX_JSON_DEPTH) + "{",
            "}".repeat(MAX_JSON_DEPTH + 1)
        );
        assert_eq!(object_around_key(&deep, "\"sellerDisplayName\""), None);
        let shallow = deep.replacen("{\"a\":", "", 1);
        assert!(object_around_key(&shallow, "\"sellerDisplayName\"").is_some());
        for (text, want) in cases {
            let got = object_around_key(text, "\"sellerDisplayName\"")
                .and_then(|o| member_value(o, "\"sellerId\""));
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }

    /// Superscript cents are decimals after a digit, and text otherwise.
    #[test]
    fn superscript_cents() {
        let cases = [
            ("<span>18\n  <sup>09</sup>\n</span>", "18.09"),
            ("<span>$19<sup>99</sup></span>", "$19.99"),
            ("<span>€ 1.299,<sup>00</sup></span>", "€ 1.299,00"),
            ("<span>Note<sup>12</sup></span>", "Note12"),
            ("<span>10 m<sup>2</sup></span>", "10 m2"),
            ("<span>2<sup>nd</sup> price</span>", "2nd price"),
            ("<span>5 <sup>123</sup></span>", "5 123"),
        ];
        for (html, want) in cases {
            let doc = Html::parse_fragment(html);
            let sel = scraper::Selector::parse("span").expect("selector");
            let el = doc.select(&sel).next().expect("span");
            assert_eq!(text_of(el, 100), want, "{html}");
        }
    }

    /// A block or a `<br>` starts a line; inline elements and white space
    /// alone do not.
    #[test]
    fn text_as_lines() {
        let cases = [
            (
                "<div id=x><p>Ships from and sold by Amazon.com</p>\n Gift-wrap available.</div>",
                "Ships from and sold by Amazon.com\nGift-wrap available.",
            ),
            (
                "<div id=x>Sold by <b>Acme</b> and <a>more</a>.</div>",
                "Sold by Acme and more.",
            ),
            (
                "<div id=x>Sold by Acme<br>Gift options</div>",
                "Sold by Acme\nGift options",
            ),
            (
                "<div id=x><div>A</div><div>B</div><span>C</span></div>",
                "A\nB\nC",
            ),
            (
                "<div id=x><div>A <i>b</i></div>  <div> </div><div>C</div></div>",
                "A b\nC",
            ),
            ("<div id=x><br><p>A</p><br></div>", "A"),
            (
                "<div id=x><table><tr><td>A</td><td>B</td></tr></table></div>",
                "A\nB",
            ),
        ];
        for (html, want) in cases {
            let doc = Html::parse_fragment(html);
            let sel = scraper::Selector::parse("#x").expect("selector");
            let el = doc.select(&sel).next().expect("#x");
            assert_eq!(lines_of(el, 100), want, "{html}");
        }
        let doc = Html::parse_fragment("<div id=x><p>abc</p><p>def</p></div>");
        let sel = scraper::Selector::parse("#x").expect("selector");
        let el = doc.select(&sel).next().expect("#x");
        assert_eq!(lines_of(el, 4), "abc", "the break counts towards the bound");
    }

    #[test]
    fn collapses_and_bounds_text() {
        assert_eq!(collapse("  a \n\t b  c ", 100), "a b c");
        assert_eq!(collapse("abcdef", 3), "abc");
        assert_eq!(collapse("ab cd", 4), "ab c");
    }

    #[test]
    fn reads_inline_json_values() {
        let t = r#"{"a":{"sellerName" : "Walmart.com","sellerId":"F55"},"n": 12.5,"e":"x\"y\u00e9","empty":"","v":"ok"}"#;
        assert_eq!(
            json_value_after(t, "\"sellerName\"").as_deref(),
            Some("Walmart.com")
        );
        assert_eq!(json_value_after(t, "\"n\"").as_deref(), Some("12.5"));
        assert_eq!(json_value_after(t, "\"e\"").as_deref(), Some("x\"yé"));
        assert_eq!(json_value_after(t, "\"empty\""), None);
        assert_eq!(json_value_after(t, "\"missing\""), None);
        assert_eq!(json_value_after(r#""k":"unterminated"#, "\"k\""), None);
    }

    #[test]
    fn sniffs_an_undeclared_legacy_encoding_as_a_browser_does() {
        for (enc, text) in [
            (encoding_rs::GBK, "<title>奥罗拉健康官方旗舰店</title><p>深海鱼油软胶囊，天猫正品保障，官方旗舰店发货</p>"),
            (encoding_rs::BIG5, "<title>奧羅拉健康官方旗艦店</title><p>深海魚油軟膠囊，正品保證，官方旗艦店出貨</p>"),
            (encoding_rs::SHIFT_JIS, "<title>オーロラ公式ストア</title><p>フィッシュオイル、正規品をお届けします</p>"),
        ] {
            let (bytes, _, _) = enc.encode(text);
            assert!(std::str::from_utf8(&bytes).is_err(), "{}: not UTF-8", enc.name());
            assert_eq!(decode(&bytes), text, "{}", enc.name());
        }
    }

    #[test]
    fn honours_declared_charset_only_when_not_utf8() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<meta charset=\"gbk\"><p>旗舰店</p>");
        assert!(decode(&gbk).contains("旗舰店"));
        let utf8 = "<meta charset=gbk><p>旗舰店</p>";
        assert_eq!(decode(utf8.as_bytes()), utf8);
        let (sjis, _, _) = encoding_rs::SHIFT_JIS
            .encode("<meta http-equiv=Content-Type content='text/html; charset=Shift_JIS'>店");
        assert!(decode(&sjis).ends_with('店'));
    }
}
