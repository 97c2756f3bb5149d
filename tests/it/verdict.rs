//! The verdict table: `tests/fixtures/verdicts.jsonl`, one case per line,
//! judged against the demo registry built from its CSV sources.

use std::collections::BTreeMap;

use genuine_core::registry::import::{import, ImportSpec};
use genuine_core::{Engine, Signals};
use serde::Deserialize;

use crate::{fixture, repo};

#[derive(Deserialize)]
struct Case {
    kind: String,
    signals: Signals,
    level: String,
    brand: Option<String>,
    /// Reason code(s) that must be present, `|`-separated alternatives.
    #[serde(default)]
    code: Option<String>,
    /// A phrase that must appear in the reasons' texts.
    #[serde(default)]
    text: Option<String>,
}

pub fn demo_engine() -> Engine {
    Engine::new(demo_registry())
}

/// The demo registry as imported (tests that change it before compiling).
pub fn demo_registry() -> genuine_core::Registry {
    let dir = repo("www/demo/registry");
    let spec = ImportSpec {
        accounts: dir.join("accounts.csv"),
        products: Some(dir.join("products.csv")),
        blocklist: Some(dir.join("blocklist.csv")),
        publisher: "test".into(),
        version: 1,
        valid_days: 30,
        ..ImportSpec::default()
    };
    import(&spec).expect("demo registry imports")
}

#[test]
fn verdict_table() {
    let engine = demo_engine();
    let text = std::fs::read_to_string(fixture("verdicts.jsonl")).expect("verdicts.jsonl");
    let mut failures = Vec::new();
    let mut per_kind: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: Case =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("verdicts.jsonl:{}: {e}", i + 1));
        let v = serde_json::to_value(engine.check(&case.signals)).expect("verdict serialises");
        let codes = crate::reason_codes(&v);
        let texts: String = v["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["text"].as_str())
            .collect();
        let ok = v["level"] == case.level.as_str()
            && v["brand"].as_str() == case.brand.as_deref()
            && case
                .code
                .as_deref()
                .is_none_or(|c| c.split('|').any(|c| codes.contains(&c)))
            && case.text.as_deref().is_none_or(|t| texts.contains(t));
        let tally = per_kind.entry(case.kind.clone()).or_default();
        tally.0 += u32::from(ok);
        tally.1 += 1;
        if !ok {
            failures.push(format!(
                "verdicts.jsonl:{}: [{}] expected {} {:?} {:?}, got {v}",
                i + 1,
                case.kind,
                case.level,
                case.brand,
                case.code
            ));
        }
    }
    for (kind, (ok, n)) in &per_kind {
        println!("{kind:24} {ok}/{n}");
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The registry browser's search: any script, case and width ignored.
#[test]
fn brand_search_folds_case_width_and_script() {
    let engine = demo_engine();
    let names =
        |q: &str| -> Vec<String> { engine.brands_matching(q).map(|b| b.name.clone()).collect() };
    for (query, expected) in [
        ("aurora", vec!["Aurora Wellness"]),
        ("ＡＵＲＯＲＡ", vec!["Aurora Wellness"]),
        ("奥罗拉", vec!["Aurora Wellness"]),
        ("kestrel  AUDIO", vec!["Kestrel Audio"]),
        ("凯斯", vec!["Kestrel Audio"]),
        ("nothing like it", vec![]),
    ] {
        assert_eq!(names(query), expected, "query {query:?}");
    }
    assert!(names("").len() >= 2, "an empty query lists every brand");
}

/// Offer lists, page to verdict: the hand-written Amazon pages read by the
/// native collector and judged against the demo registry. Each listed
/// seller is said once, the page's own store never twice, and an official
/// seller among the offers never makes a page without a store official.
#[test]
fn offer_list_pages_flag_listed_sellers() {
    let engine = demo_engine();
    let profiles = genuine_core::page::builtin_profiles();
    for (page, url, level, codes) in [
        (
            "amazon-aod-offers",
            "https://www.amazon.com/dp/B0AURORA01?aod=1",
            "official",
            vec!["official_account", "listed_offer_lookalike"],
        ),
        (
            "amazon-offer-listing",
            "https://www.amazon.com/gp/offer-listing/B0AURORA01/",
            "caution",
            vec!["unlisted_seller", "listed_offer_lookalike"],
        ),
    ] {
        let bytes = std::fs::read(fixture(&format!("pages/{page}.html"))).expect("reads page");
        let signals = genuine_core::page::html::extract(&bytes, Some(url), &profiles)
            .expect("extracts")
            .signals;
        let v = serde_json::to_value(engine.check(&signals)).expect("verdict serialises");
        assert_eq!(v["level"], level, "{page}: {v}");
        assert_eq!(crate::reason_codes(&v), codes, "{page}: {v}");
    }
    // The page's own store among its offers is judged once, as the store.
    let s: Signals = serde_json::from_str(
        r#"{"platform":"tmall","store_name":"奥罗拉健康正品特卖店","store_id":"6666",
            "offers":[{"featured":true,"store_name":"奥罗拉健康正品特卖店","store_id":"6666"}]}"#,
    )
    .expect("signals");
    let v = serde_json::to_value(engine.check(&s)).expect("verdict serialises");
    assert_eq!(crate::reason_codes(&v), ["known_counterfeit"], "{v}");
}
