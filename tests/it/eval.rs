//! The evaluation of the verdict engine (issue 7): `tests/fixtures/eval/cases.tsv`,
//! a labelled corpus of real-world-style store names, judged against the
//! evaluation registry next to it (test fixtures, not real account lists).
//!
//! Prints a confusion matrix (expected × got level), precision and recall for
//! `danger` and for "any warning" (danger ∪ caution), the false-alarm rate on
//! the cases that should get `none`, and every misjudged case with its
//! reasons. Run with `cargo test --test it eval -- --nocapture` to see it.

use std::collections::BTreeMap;

use genuine_core::registry::import::{import, ImportSpec};
use genuine_core::{Engine, Level, Platform, Signals};

use crate::fixture;

/// A shopper told "danger" must almost always be right: a false alarm on a
/// real store costs the brand and the tool its credibility.
const MIN_DANGER_PRECISION: f64 = 0.98;
/// Look-alikes, false claims, blocklisted stores and dumping prices are what
/// the tool is for; missing more than one in ten would make it decoration.
const MIN_DANGER_RECALL: f64 = 0.90;
/// Shops that have nothing to do with a registered brand must stay quiet.
const MAX_FALSE_ALARMS: f64 = 0.01;

const LEVELS: [Level; 4] = [Level::Official, Level::Danger, Level::Caution, Level::None];

struct Case {
    line: usize,
    kind: String,
    signals: Signals,
    level: Level,
    /// Reason codes of which one must be present (`a|b`), empty for `none`.
    code: String,
    note: String,
}

pub fn eval_engine() -> Engine {
    let spec = ImportSpec {
        accounts: fixture("eval/accounts.csv"),
        products: Some(fixture("eval/products.csv")),
        blocklist: Some(fixture("eval/blocklist.csv")),
        publisher: "evaluation fixtures".into(),
        version: 1,
        valid_days: 30,
        ..ImportSpec::default()
    };
    Engine::new(import(&spec).expect("evaluation registry imports"))
}

pub fn level(s: &str) -> Level {
    match s {
        "official" => Level::Official,
        "danger" => Level::Danger,
        "caution" => Level::Caution,
        "none" => Level::None,
        other => panic!("unknown level {other:?}"),
    }
}

/// `\u{200b}` in the file stands for the invisible character itself.
pub fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("\\u{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let end = after.find('}').expect("closed \\u{...}");
        let c = u32::from_str_radix(&after[..end], 16)
            .ok()
            .and_then(char::from_u32)
            .expect("valid \\u{...}");
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(fixture("eval/cases.tsv")).expect("cases.tsv");
    let opt = |s: &str| (!s.is_empty()).then(|| unescape(s));
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let c: Vec<&str> = l.split('\t').collect();
            assert!(c.len() >= 11, "cases.tsv:{}: {} columns", i + 1, c.len());
            let signals = Signals {
                platform: Some(c[1].parse::<Platform>().expect("platform")),
                store_name: opt(c[2]),
                store_id: opt(c[3]),
                title: opt(c[4]),
                brand: opt(c[5]),
                price: opt(c[6]),
                currency: opt(c[7]),
                gtin: c.get(11).and_then(|g| opt(g)),
                ..Signals::default()
            };
            Case {
                line: i + 1,
                kind: c[0].to_string(),
                signals,
                level: level(c[8]),
                code: c[9].to_string(),
                note: c[10].to_string(),
            }
        })
        .collect()
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        1.0
    } else {
        n as f64 / d as f64
    }
}

#[test]
fn evaluation_corpus() {
    let engine = eval_engine();
    let cases = cases();
    assert!(cases.len() >= 300, "the corpus has {} cases", cases.len());
    let mut matrix: BTreeMap<(Level, Level), usize> = BTreeMap::new();
    let mut per_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut other_reason = Vec::new();
    for case in &cases {
        let v = engine.check(&case.signals);
        *matrix.entry((case.level, v.level)).or_default() += 1;
        let tally = per_kind.entry(&case.kind).or_default();
        tally.1 += 1;
        let json = serde_json::to_value(&v).expect("verdict serialises");
        let codes = crate::reason_codes(&json);
        let line = format!(
            "cases.tsv:{} [{}] {:?} / {:?}: expected {:?} {}, got {:?} {}{}",
            case.line,
            case.kind,
            case.signals.store_name.as_deref().unwrap_or(""),
            case.signals.title.as_deref().unwrap_or(""),
            case.level,
            case.code,
            v.level,
            json["reasons"],
            if case.note.is_empty() {
                String::new()
            } else {
                format!("  ({})", case.note)
            },
        );
        if v.level != case.level {
            wrong.push(line);
        } else if !case.code.is_empty() && !case.code.split('|').any(|c| codes.contains(&c)) {
            other_reason.push(line);
        } else {
            tally.0 += 1;
        }
    }
    let count = |f: &dyn Fn(Level, Level) -> bool| -> usize {
        matrix
            .iter()
            .filter(|((e, g), _)| f(*e, *g))
            .map(|(_, n)| n)
            .sum()
    };
    let warn = |l: Level| matches!(l, Level::Danger | Level::Caution);
    let danger = |l: Level| l == Level::Danger;
    let danger_tp = count(&|e, g| danger(e) && danger(g));
    let danger_precision = ratio(danger_tp, count(&|_, g| danger(g)));
    let danger_recall = ratio(danger_tp, count(&|e, _| danger(e)));
    let warn_tp = count(&|e, g| warn(e) && warn(g));
    let warn_precision = ratio(warn_tp, count(&|_, g| warn(g)));
    let warn_recall = ratio(warn_tp, count(&|e, _| warn(e)));
    let negatives = count(&|e, _| e == Level::None);
    let false_alarms = count(&|e, g| e == Level::None && warn(g));
    let false_alarm_rate = ratio(false_alarms, negatives);

    println!("{} cases; expected (rows) × got (columns):", cases.len());
    println!(
        "{:>10} {:>9} {:>7} {:>8} {:>5}",
        "", "official", "danger", "caution", "none"
    );
    for e in LEVELS {
        let row: Vec<String> = LEVELS
            .iter()
            .map(|g| matrix.get(&(e, *g)).copied().unwrap_or(0).to_string())
            .collect();
        println!(
            "{:>10} {:>9} {:>7} {:>8} {:>5}",
            format!("{e:?}").to_lowercase(),
            row[0],
            row[1],
            row[2],
            row[3]
        );
    }
    println!("danger:       precision {danger_precision:.3}  recall {danger_recall:.3}");
    println!("any warning:  precision {warn_precision:.3}  recall {warn_recall:.3}");
    println!("false alarms: {false_alarms}/{negatives} negatives = {false_alarm_rate:.3}");
    for (kind, (ok, n)) in &per_kind {
        println!("  {kind:22} {ok}/{n}");
    }
    println!("misjudged ({}):", wrong.len());
    for w in &wrong {
        println!("  {w}");
    }
    println!("right level, unexpected reason ({}):", other_reason.len());
    for w in &other_reason {
        println!("  {w}");
    }
    assert!(
        danger_precision >= MIN_DANGER_PRECISION,
        "danger precision {danger_precision:.3} < {MIN_DANGER_PRECISION}"
    );
    assert!(
        danger_recall >= MIN_DANGER_RECALL,
        "danger recall {danger_recall:.3} < {MIN_DANGER_RECALL}"
    );
    assert!(
        false_alarm_rate <= MAX_FALSE_ALARMS,
        "false alarms {false_alarm_rate:.3} > {MAX_FALSE_ALARMS}"
    );
}
