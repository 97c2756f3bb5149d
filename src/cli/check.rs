//! `genuine check` and `genuine price`: JSON lines in, JSON lines out, in order.
//! A bad line gets `{"error": …}` on its line and the run goes on.

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use genuine_core::price::{self, PriceHint};
use genuine_core::verdict::Lang;
use genuine_core::{Engine, PublicKey, Signals, Sources, Standing, Trust};
use serde::Deserialize;
use serde_json::json;

/// Longer lines are refused rather than parsed (bounded memory per line).
const MAX_LINE: usize = 1 << 20;

/// The registries `genuine check` judges against, as given on the command
/// line: pinned and added files, each list paired in order with its keys.
pub struct Registries<'a> {
    pub pinned: &'a [PathBuf],
    pub pinned_keys: &'a [PathBuf],
    pub added: &'a [PathBuf],
    pub added_keys: &'a [PathBuf],
    pub allow_unsigned: bool,
}

pub fn check(registries: &Registries, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut sources = Sources::new();
    let groups = [
        (
            registries.pinned,
            registries.pinned_keys,
            Standing::Pinned,
            "--registry",
            "--pubkey",
        ),
        (
            registries.added,
            registries.added_keys,
            Standing::Added,
            "--added",
            "--added-pubkey",
        ),
    ];
    for (files, keys, standing, file_flag, key_flag) in groups {
        if keys.len() != files.len() && !(registries.allow_unsigned && keys.is_empty()) {
            bail!(
                "{} {file_flag} and {} {key_flag}: give each registry its key, in the same order",
                files.len(),
                keys.len()
            );
        }
        for (i, file) in files.iter().enumerate() {
            let key = keys.get(i).map(|k| read_key(k)).transpose()?;
            let engine = load(file, key.as_ref(), registries.allow_unsigned)?;
            let fingerprint = key.as_ref().map(PublicKey::fingerprint).unwrap_or_default();
            let id = format!("{file_flag} {}", file.display());
            sources.add(&id, standing, &fingerprint, engine);
        }
    }
    for s in sources.iter().filter(|s| !s.ignored.is_empty()) {
        eprintln!(
            "{}: not used: {} store(s) and {} blocklist row(s) of brands it may not speak for{}",
            s.id,
            s.ignored.accounts,
            s.ignored.blocked,
            if s.ignored.brands.is_empty() {
                String::new()
            } else {
                format!(" ({})", s.ignored.brands.join(", "))
            }
        );
    }
    each_line(|line| {
        let signals: Signals =
            serde_json::from_str(line).map_err(|e| format!("not a signals object: {e}"))?;
        validate(&signals)?;
        serde_json::to_value(sources.check(&signals, lang).verdict).map_err(|e| e.to_string())
    })
}

fn read_key(path: &Path) -> anyhow::Result<PublicKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read key {}", path.display()))?;
    PublicKey::parse(&text).with_context(|| path.display().to_string())
}

fn load(file: &Path, key: Option<&PublicKey>, allow_unsigned: bool) -> anyhow::Result<Engine> {
    let bytes =
        std::fs::read(file).with_context(|| format!("cannot read registry {}", file.display()))?;
    let trust = match (key, allow_unsigned) {
        (Some(k), false) => Trust::Key(k),
        (k, _) => Trust::AllowUnsigned(k),
    };
    Engine::load_owned(bytes, trust).with_context(|| file.display().to_string())
}

fn validate(s: &Signals) -> Result<(), String> {
    if s.store_name.as_deref().is_none_or(|n| n.trim().is_empty())
        && s.store_id.as_deref().is_none_or(|n| n.trim().is_empty())
        && s.unreadable.is_none()
    {
        return Err("a line needs store_name or store_id".into());
    }
    if let Some(p) = &s.price {
        if price::Amount::parse_decimal(p).is_none() {
            return Err(format!(
                "price '{p}' is not a decimal string like \"1234.56\""
            ));
        }
    }
    if let Some(c) = &s.currency {
        if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!(
                "currency '{c}' is not an ISO 4217 code like \"CNY\""
            ));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct PriceLine {
    /// A string, or `null` for a page that showed no price (price-parser's
    /// own test data has such lines): no price, not an error. Required.
    text: serde_json::Value,
    #[serde(default)]
    currency_hint: Option<String>,
    #[serde(default)]
    decimal_separator: Option<char>,
}

pub fn price() -> anyhow::Result<ExitCode> {
    each_line(|line| {
        let p: PriceLine =
            serde_json::from_str(line).map_err(|e| format!("not a price object: {e}"))?;
        let hint = PriceHint {
            currency: p.currency_hint.as_deref(),
            decimal_separator: p.decimal_separator,
        };
        let text = match &p.text {
            serde_json::Value::Null => return Ok(json!({"amount": null, "currency": null})),
            serde_json::Value::String(t) => t,
            other => return Err(format!("text is {other}, not a string or null")),
        };
        let parsed = price::parse(text, &hint);
        let mut out =
            json!({"amount": parsed.amount.map(|a| a.to_string()), "currency": parsed.currency});
        // Said only when so: the amount is a former or list price, the
        // text's only one (a page's reader would not take it).
        if parsed.former {
            out["former"] = json!(true);
        }
        if parsed.per_measure {
            out["per_measure"] = json!(true);
        }
        Ok(out)
    })
}

/// Runs `f` on every stdin line, writing its result or `{"error"}`; exit 1 if any line failed.
fn each_line(
    mut f: impl FnMut(&str) -> Result<serde_json::Value, String>,
) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for (n, line) in stdin.split(b'\n').enumerate() {
        let line = line.context("cannot read stdin")?;
        let value = match std::str::from_utf8(&line) {
            _ if line.len() > MAX_LINE => Err(format!("line is longer than {MAX_LINE} bytes")),
            Ok(t) if t.trim().is_empty() => continue,
            Ok(t) => f(t.trim()),
            Err(_) => Err("line is not UTF-8".into()),
        };
        let value = value.unwrap_or_else(|e| {
            failed = true;
            json!({"error": format!("line {}: {e}", n + 1)})
        });
        serde_json::to_writer(&mut out, &value)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
