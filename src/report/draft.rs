//! The report the extension offers to send about the page in front of the
//! shopper, made from the page's signals and the verdict they were shown, and
//! where it should go.
//!
//! Page text is hostile and the inbox refuses a field past its limit
//! ([`Report::parse`](super::Report::parse)), so a draft is cut to those
//! limits here, once: a long product title or a stray control character must
//! not make a report bounce after the shopper pressed Send. What the shopper
//! adds (the id, the time, their category choice, a note, a screenshot) is
//! added by the extension's confirm step; the whole is then checked again by
//! `Report::parse` before it is queued.

use serde::Serialize;

use super::{Category, Reason, ReportedVerdict, LIMITS, MAX_REASONS};
use crate::page::Signals;
use crate::platform::Platform;
use crate::verdict::{Evidence, Level, Verdict};

/// Everything of a report that comes from the page and the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub url: String,
    pub platform: Platform,
    pub store_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    pub verdict: ReportedVerdict,
    /// The category pre-selected in the confirm step; the shopper may change it.
    pub category: Category,
}

/// Which category a verdict's reasons point to, gravest evidence first. A
/// seller the brand does not list, at a plausible price, is most often
/// reported for what it sells, hence `counterfeit`; the shopper can change it.
const SUGGEST: &[(&str, Category)] = &[
    ("known_counterfeit", Category::Counterfeit),
    ("lookalike_name", Category::Impersonation),
    ("false_official_claim", Category::Impersonation),
    ("price_implausible", Category::PriceDumping),
    ("unconfirmed_store", Category::Impersonation),
    ("unaddressed_web_shop", Category::Impersonation),
    ("id_of_another_name", Category::Other),
    ("unlisted_seller", Category::Counterfeit),
    ("listed_offer_counterfeit", Category::Counterfeit),
    ("listed_offer_lookalike", Category::Impersonation),
];

/// The draft for a page, or `None` when there is nothing to report: the
/// verdict warns of nothing (the store is listed, or no registered brand is
/// involved, so there is no brand to tell), or the page gave no store name or
/// no web address (both are required by the inbox).
pub fn draft(signals: &Signals, verdict: &Verdict) -> Option<Draft> {
    if !matches!(verdict.level, Level::Danger | Level::Caution) {
        return None;
    }
    let url = page_url(signals.url.as_deref()?)?;
    let reasons: Vec<Reason> = verdict
        .reasons
        .iter()
        .take(MAX_REASONS)
        .map(|r| Reason {
            code: cut(r.evidence.code(), "reason.code").unwrap_or_default(),
            text: cut(&r.text, "reason.text").unwrap_or_default(),
        })
        .collect();
    let category = SUGGEST
        .iter()
        .find(|(code, _)| reasons.iter().any(|r| r.code == *code))
        .map_or(Category::Other, |(_, c)| *c);
    let (store_name, store_id, price, currency) = subject(signals, verdict);
    Some(Draft {
        url,
        platform: signals.platform.unwrap_or(Platform::Web),
        store_name: cut(store_name?, "store_name")?,
        store_id: store_id.and_then(|s| cut(s, "store_id")),
        product_title: signals
            .title
            .as_deref()
            .and_then(|s| cut(s, "product_title")),
        price: price.and_then(|s| cut(s, "price")),
        currency: currency
            .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
            .map(str::to_string),
        verdict: ReportedVerdict {
            level: verdict.level,
            brand: verdict.brand.as_deref().and_then(|b| cut(b, "brand")),
            reasons,
        },
        category,
    })
}

/// The store a report would be about, with its id and price: the page's,
/// unless the warning that set the level is about another seller of the
/// page's offer list — then that seller, as its offer showed it.
type Subject<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn subject<'a>(signals: &'a Signals, verdict: &Verdict) -> Subject<'a> {
    let page = (
        signals.store_name.as_deref(),
        signals.store_id.as_deref(),
        signals.price.as_deref(),
        signals.currency.as_deref(),
    );
    let listed = match verdict.reasons.first().map(|r| &r.evidence) {
        Some(
            Evidence::ListedOfferCounterfeit { store_name, .. }
            | Evidence::ListedOfferLookalike { store_name, .. },
        ) => store_name,
        _ => return page,
    };
    signals
        .offers
        .iter()
        .find(|o| o.store_name.as_deref().or(o.store_id.as_deref()) == Some(listed.as_str()))
        .map_or(page, |o| {
            (
                o.store_name.as_deref().or(o.store_id.as_deref()),
                o.store_id.as_deref(),
                o.price.as_deref(),
                o.currency.as_deref(),
            )
        })
}

/// White space (control characters included) collapsed to single spaces,
/// trimmed, cut to the field's limit in characters; `None` when nothing is left.
fn cut(text: &str, field: &str) -> Option<String> {
    let max = LIMITS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(200, |(_, m)| *m);
    let mut out = String::new();
    let mut n = 0;
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        for c in (!out.is_empty())
            .then_some(' ')
            .into_iter()
            .chain(word.chars())
        {
            if n == max {
                return Some(out.trim_end().to_string());
            }
            out.push(c);
            n += 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The page address as the inbox accepts it: http(s), no white space, at
/// most the limit. A longer one loses its fragment, then its query (tracking
/// parameters, mostly), and is dropped only if the path alone is too long.
fn page_url(url: &str) -> Option<String> {
    let url = url.trim();
    let max = LIMITS
        .iter()
        .find(|(f, _)| *f == "url")
        .map_or(2048, |(_, m)| *m);
    if !super::is_http_url(url) {
        return None;
    }
    [url, url.split('#').next()?, url.split(['?', '#']).next()?]
        .into_iter()
        .find(|u| u.chars().count() <= max)
        .map(str::to_string)
}

/// Whether reports may be sent to `url`: `https://`, or `http://` only to
/// this machine (the demo, a brand trying its server). A report names the
/// pages a shopper visited; it must not cross a network in clear text. A
/// signed registry may still name any https inbox: the publisher is trusted
/// with the reports about its brand.
pub fn is_endpoint_url(url: &str) -> bool {
    if url.len() > 2048 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    let (secure, rest) = match (
        lower.strip_prefix("https://"),
        lower.strip_prefix("http://"),
    ) {
        (Some(r), _) => (true, r),
        (None, Some(r)) => (false, r),
        _ => return false,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // A user name in an inbox address is a phishing trick, never needed.
    if authority.contains('@') {
        return false;
    }
    let Some(host) = host_of(authority) else {
        return false;
    };
    secure || matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The host of `host[:port]` or `[v6][:port]`; `None` when empty or the port is not digits.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let end = v6.find(']')? + 2;
            let after = &authority[end..];
            if !after.is_empty() && !after.starts_with(':') {
                return None;
            }
            (&authority[..end], after.strip_prefix(':'))
        }
        None => match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (!host.is_empty() && port_ok).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_collapses_and_limits() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("  Aurora \n\t Store ", "store_name", Some("Aurora Store")),
            ("a\u{0}b", "store_name", Some("a b")),
            ("   ", "store_name", None),
            (
                "123456789012345678901234567890123",
                "price",
                Some("12345678901234567890123456789012"),
            ),
            (
                "0123456789012345678901234567890 x",
                "price",
                Some("0123456789012345678901234567890"),
            ),
        ];
        for (text, field, want) in cases {
            assert_eq!(cut(text, field).as_deref(), *want, "{text:?} as {field}");
        }
    }

    #[test]
    fn endpoints() {
        let cases: &[(&str, bool)] = &[
            ("https://inbox.brand.example/api/reports", true),
            ("HTTPS://Inbox.Brand.Example/api/reports", true),
            ("https://inbox.brand.example:8443/api/reports", true),
            ("http://127.0.0.1:8080/api/reports", true),
            ("http://localhost/api/reports", true),
            ("http://[::1]:8080/api/reports", true),
            ("http://[::1]x/api/reports", false),
            ("http://inbox.brand.example/api/reports", false),
            ("http://127.0.0.1.evil.example/api/reports", false),
            ("http://127.0.0.1@evil.example/api/reports", false),
            ("https://user@inbox.brand.example/", false),
            ("https:///api/reports", false),
            ("http://127.0.0.1:/api/reports", false),
            ("ftp://inbox.brand.example/", false),
            ("javascript:alert(1)", false),
            ("https://inbox.brand.example/a b", false),
            ("", false),
        ];
        for (url, ok) in cases {
            assert_eq!(is_endpoint_url(url), *ok, "{url}");
        }
    }
}
