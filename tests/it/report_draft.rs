//! Report drafts: `tests/fixtures/report_drafts.jsonl`, one page per line,
//! judged against the demo registry (with a report inbox for one brand and
//! one for the registry), and the draft the extension would offer. Every
//! draft, completed as the confirm step completes it, must pass the inbox's
//! own check.

use genuine_core::report::{self, Report};
use genuine_core::{Engine, Signals};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::fixture;

const BRAND_INBOX: &str = "https://inbox.aurora.example/api/reports";
const REGISTRY_INBOX: &str = "https://reports.registry.example/api/reports";

#[derive(Deserialize)]
struct Case {
    case: String,
    signals: Signals,
    /// Expected fields of the draft (plus `endpoint`, `level`, `brand`,
    /// `codes`, `product_title_chars`), or null for "nothing to report".
    draft: Option<serde_json::Map<String, Value>>,
}

fn engine() -> Engine {
    let mut reg = crate::verdict::demo_registry();
    reg.report_endpoint = Some(REGISTRY_INBOX.into());
    for b in &mut reg.brands {
        if b.name == "Aurora Wellness" {
            b.report_endpoint = Some(BRAND_INBOX.into());
        }
    }
    Engine::new(reg)
}

fn check(engine: &Engine, c: &Case) -> Result<(), String> {
    let verdict = engine.check(&c.signals);
    let draft = report::draft(&c.signals, &verdict);
    let (Some(want), Some(draft)) = (&c.draft, &draft) else {
        return match (&c.draft, draft) {
            (None, None) => Ok(()),
            (None, Some(d)) => Err(format!("expected no draft, got {}", json!(d))),
            _ => Err(format!(
                "expected a draft, got none (verdict {})",
                json!(verdict)
            )),
        };
    };
    let got = json!(draft);
    let endpoint = engine.report_endpoint(verdict.brand.as_deref());
    for (k, v) in want {
        let actual = match k.as_str() {
            "endpoint" => json!(endpoint),
            "level" => got["verdict"]["level"].clone(),
            "brand" => got["verdict"]["brand"].clone(),
            "codes" => json!(draft
                .verdict
                .reasons
                .iter()
                .map(|r| &r.code)
                .collect::<Vec<_>>()),
            "product_title_chars" => {
                json!(draft.product_title.as_deref().map(|t| t.chars().count()))
            }
            _ => got.get(k).cloned().unwrap_or(Value::Null),
        };
        if &actual != v {
            return Err(format!("{k}: {actual}, expected {v}"));
        }
    }
    let mut full = got.clone();
    full["id"] = json!("3f1c2a9e-5b7d-4c1e-9a2b-0d4e6f8a1b2c");
    full["created_at"] = json!("2026-11-20T10:00:00.123Z");
    full["note"] = json!("");
    Report::parse(full.to_string().as_bytes())
        .map_err(|e| format!("the inbox would refuse it: {e}"))?;
    Ok(())
}

#[test]
fn report_draft_table() {
    let engine = engine();
    let text =
        std::fs::read_to_string(fixture("report_drafts.jsonl")).expect("report_drafts.jsonl");
    let mut failures = Vec::new();
    let mut n = 0;
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let c: Case = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("report_drafts.jsonl:{}: {e}", i + 1));
        n += 1;
        if let Err(e) = check(&engine, &c) {
            failures.push(format!("line {} ({}): {e}", i + 1, c.case));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A registry is signed by its publisher, but an inbox that is not https (or
/// on this machine) would carry shoppers' reports in clear text: not used.
#[test]
fn report_endpoint_must_be_safe() {
    let mut reg = crate::verdict::demo_registry();
    reg.report_endpoint = Some("http://reports.registry.example/api/reports".into());
    for b in &mut reg.brands {
        b.report_endpoint = Some("http://inbox.example/api/reports".into());
    }
    let engine = Engine::new(reg.clone());
    assert_eq!(engine.report_endpoint(Some("Aurora Wellness")), None);
    reg.report_endpoint = Some("http://127.0.0.1:8080/api/reports".into());
    let engine = Engine::new(reg);
    assert_eq!(
        engine.report_endpoint(Some("Aurora Wellness")),
        Some("http://127.0.0.1:8080/api/reports")
    );
    assert_eq!(
        engine.report_endpoint(None),
        Some("http://127.0.0.1:8080/api/reports")
    );
}

/// The brand's own inbox is found by its exact name (through the key
/// table, not a walk over every brand); any other name gets the registry's.
#[test]
fn a_brand_inbox_is_found_by_the_exact_name() {
    let engine = engine();
    let cases = [
        (Some("Aurora Wellness"), Some(BRAND_INBOX)),
        (Some("aurora wellness"), Some(REGISTRY_INBOX)),
        (Some("Aurora Wellness Official Store"), Some(REGISTRY_INBOX)),
        (Some("Kestrel Audio"), Some(REGISTRY_INBOX)),
        (Some("A"), Some(REGISTRY_INBOX)),
        (None, Some(REGISTRY_INBOX)),
    ];
    for (brand, want) in cases {
        assert_eq!(engine.report_endpoint(brand), want, "{brand:?}");
    }
}
