//! The labelled seller (issue 14): on a marketplace no profile was written
//! for, the generic profile reads the seller a page prints beside "Sold by",
//! "Seller:", "卖家"… Cases in `tests/fixtures/labels.jsonl`: each a small
//! page and the store name it must give (null: none), read by
//! `genuine extract`'s collector under an address no named profile claims.

use std::time::{Duration, Instant};

use genuine_core::page::{builtin_profiles, html};
use serde::Deserialize;

use crate::fixture;

#[derive(Deserialize)]
struct Case {
    case: String,
    html: String,
    store_name: Option<String>,
    /// The price the page must give, "-" for none; unchecked when absent.
    #[serde(default)]
    price: Option<String>,
}

const URL: &str = "https://shop.example/item/1";

fn store_name(page: &str) -> Option<String> {
    signals(page).store_name
}

fn signals(page: &str) -> genuine_core::page::Signals {
    html::extract(page.as_bytes(), Some(URL), &builtin_profiles())
        .expect("extracts")
        .signals
}

#[test]
fn labelled_sellers() {
    let text = std::fs::read_to_string(fixture("labels.jsonl")).expect("labels.jsonl");
    let cases: Vec<Case> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let page = format!(
                "<!DOCTYPE html><html><head><meta charset=utf-8></head><body>{}</body></html>",
                c.html
            );
            let got = signals(&page);
            let price = got.price.clone().unwrap_or_else(|| "-".into());
            let price_wrong = c.price.as_ref().is_some_and(|want| *want != price);
            (got.store_name != c.store_name || price_wrong).then(|| {
                format!(
                    "{}: got {:?} / {price}, want {:?} / {:?}",
                    c.case, got.store_name, c.store_name, c.price
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Pages built to cost: 120,000 text nodes before the label (past the walk's
/// bound), a label whose value is a 2 MB text, and a label 50,000 elements
/// deep (past the nesting cut). None gives a seller, each in bounded time.
#[test]
fn labelled_sellers_are_bounded() {
    let label = "<div><span>Sold by</span> <a>Far Shop</a></div>";
    let wide = format!("{}{label}", "<i>x</i>".repeat(120_000));
    let long = format!(
        "<div><span>Sold by</span> <a>{}</a></div>",
        "word ".repeat(400_000)
    );
    let deep = format!(
        "{}{label}{}",
        "<div>".repeat(50_000),
        "</div>".repeat(50_000)
    );
    // Within the bounds, the same label is read.
    let near = format!("{}{label}", "<i>x</i>".repeat(1_000));
    for (what, body, want) in [
        ("near", &near, Some("Far Shop")),
        ("wide", &wide, None),
        ("long", &long, None),
        ("deep", &deep, None),
    ] {
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=utf-8></head><body>{body}</body></html>"
        );
        let start = Instant::now();
        let got = store_name(&page);
        let took = start.elapsed();
        println!("{what}: {took:?}");
        assert_eq!(got.as_deref(), want, "{what}");
        // Generous for a debug build on a shared machine.
        assert!(took < Duration::from_secs(20), "{what} took {took:?}");
    }
}
