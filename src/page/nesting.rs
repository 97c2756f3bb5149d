//! A linear pre-scan that cuts a page where its elements nest too deep.
//!
//! html5ever walks the whole stack of open elements for many start and end
//! tags ("has a `p` element in button scope"), so 50,000 nested `<div>`s cost
//! it minutes: quadratic in depth. Browsers avoid this by capping the tree
//! depth (Chromium's parser stops nesting at 512). We cannot change how
//! html5ever builds its tree, so the page is cut before the first tag that
//! would open past [`MAX_DEPTH`]; the head (JSON-LD, meta) and everything
//! before the deep part are kept. Real product pages nest a few dozen deep.
//!
//! The count is an estimate from the tags alone: void elements and those
//! whose end tag may be omitted (`p`, `li`, `td`, ...) are not counted, and
//! raw-text elements (`script`, `style`, ...) and comments are skipped.

/// Deeper than this, a page is cut. Well above real pages' depth (saved
/// Amazon, eBay, Etsy, Walmart, Shopee and Taobao pages reach 16 to 42), and
/// cheap for html5ever even when reached.
pub const MAX_DEPTH: usize = 1024;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont", "bgsound", "frame",
];
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "rb",
    "rt", "rp", "rtc", "colgroup", "caption", "html", "head", "body",
];
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// `html` up to the first tag that would nest past `max_depth`.
pub fn cut_too_deep(html: &str, max_depth: usize) -> &str {
    let b = html.as_bytes();
    let mut depth = 0usize;
    // `<x/>` closes itself only in SVG and MathML; in HTML the slash is
    // ignored and `<div/>` opens a div (so it must count).
    let mut foreign = 0usize;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let start = i + off;
        let rest = &b[start + 1..];
        if rest.starts_with(b"!--") {
            i = skip_past(b, start + 4, b"-->");
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_at = start + 1 + closing as usize;
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        if name_len == 0 {
            i = start + 1;
            continue;
        }
        let name = html[name_at..name_at + name_len].to_ascii_lowercase();
        let tag_end = skip_past(b, name_at + name_len, b">");
        i = tag_end;
        let counted = !VOID.contains(&name.as_str()) && !OPTIONAL_END.contains(&name.as_str());
        let is_foreign_root = name == "svg" || name == "math";
        let self_closed = foreign > 0 && b.get(tag_end.saturating_sub(2)) == Some(&b'/');
        if closing {
            depth = depth.saturating_sub(counted as usize);
            foreign = foreign.saturating_sub(is_foreign_root as usize);
        } else if RAW_TEXT.contains(&name.as_str()) {
            i = skip_past_end_tag(html, tag_end, &name);
        } else if counted && !self_closed {
            foreign += is_foreign_root as usize;
            depth += 1;
            if depth > max_depth {
                return &html[..start];
            }
        }
    }
    html
}

/// The index just past the next `needle` at or after `from`, or the end.
fn skip_past(b: &[u8], from: usize, needle: &[u8]) -> usize {
    let from = from.min(b.len());
    b[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map_or(b.len(), |p| from + p + needle.len())
}

/// Past `</name` (any case) from `from`: a raw-text element's content may
/// hold `<` and tags that are not tags.
fn skip_past_end_tag(html: &str, from: usize, name: &str) -> usize {
    let b = html.as_bytes();
    let mut i = from.min(b.len());
    while let Some(off) = b[i..].windows(2).position(|w| w == b"</") {
        let at = i + off + 2;
        let matches = b
            .get(at..at + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if matches {
            return skip_past(b, at, b">");
        }
        i = at;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_only_what_nests_too_deep() {
        let page = "<html><head><script>if (a<b) { x = '<div><div><div>'; }</script></head><body>\
                    <p>one<p>two<br><img src=x><div><span>ok</span></div></body></html>";
        assert_eq!(cut_too_deep(page, 2), page);
        let deep = format!("<body><i>x</i>{}", "<div>".repeat(10));
        assert_eq!(cut_too_deep(&deep, 3), "<body><i>x</i><div><div><div>");
        let comment = format!("<!-- {} --><div>", "<div>".repeat(10));
        assert_eq!(cut_too_deep(&comment, 3), comment);
        assert_eq!(cut_too_deep("<div/><div/><div/>", 2), "<div/><div/>");
        let svg = "<svg><path d='M0'/><path/><path/><g/></svg><b>x</b>";
        assert_eq!(cut_too_deep(svg, 2), svg);
        assert_eq!(cut_too_deep("a < b <", 1), "a < b <");
    }
}
