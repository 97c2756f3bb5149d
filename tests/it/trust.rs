//! "Official" only on proven identity (issue 12). The cases are generated
//! from the rule, not written from example names: every account the demo
//! registry lists, disguised by each fold the matcher forgives when it looks
//! for candidates, must come back as a look-alike of that very account and
//! name the trick; only the listed id, or the registered display name itself,
//! may come back `official`.

use genuine_core::{Engine, Level, Signals};
use serde_json::Value;

use crate::verdict::demo_registry;

/// Inserts `s` after the name's first character.
fn after_first(name: &str, s: &str) -> String {
    let mut c = name.chars();
    let first = c.next().map(String::from).unwrap_or_default();
    format!("{first}{s}{}", c.as_str())
}

fn full_width(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Swaps the case of the first cased letter (Amway → amway, kestrel → Kestrel).
fn swap_case(name: &str) -> String {
    let mut done = false;
    name.chars()
        .map(|c| {
            if done || !(c.is_lowercase() || c.is_uppercase()) {
                return c.to_string();
            }
            done = true;
            if c.is_uppercase() {
                c.to_lowercase().collect()
            } else {
                c.to_uppercase().collect()
            }
        })
        .collect()
}

/// One fold a shopper's eye may miss: what it is, how it is done, and the
/// trick the verdict must name.
type Disguise = (&'static str, fn(&str) -> String, &'static str);

const DISGUISES: &[Disguise] = &[
    ("full-width letters", full_width, "width"),
    (
        "a zero-width space inside",
        |n| after_first(n, "\u{200B}"),
        "zero_width",
    ),
    (
        "a soft hyphen inside",
        |n| after_first(n, "\u{00AD}"),
        "zero_width",
    ),
    (
        "a bidi mark inside",
        |n| after_first(n, "\u{200E}"),
        "zero_width",
    ),
    ("a space inside", |n| after_first(n, " "), "spacing"),
    (
        "an ideographic space inside",
        |n| after_first(n, "\u{3000}"),
        "spacing",
    ),
    ("every space doubled", |n| n.replace(' ', "  "), "spacing"),
    ("a trailing dot", |n| format!("{n}."), "punctuation"),
    ("a hyphen inside", |n| after_first(n, "-"), "punctuation"),
    (
        "a full stop inside (CJK)",
        |n| after_first(n, "。"),
        "punctuation",
    ),
    ("one letter's case swapped", swap_case, "case"),
    ("all upper case", |n| n.to_uppercase(), "case"),
];

fn judge(engine: &Engine, signals: Value) -> Value {
    let s: Signals = serde_json::from_value(signals).expect("signals");
    serde_json::to_value(engine.check(&s)).expect("verdict")
}

fn tricks(v: &Value) -> Vec<String> {
    v["reasons"][0]["how"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(String::from))
        .collect()
}

#[test]
fn folded_names_are_lookalikes_of_the_account_never_official() {
    let reg = demo_registry();
    let engine = Engine::new(reg.clone());
    let mut failures = Vec::new();
    let mut applied = vec![0; DISGUISES.len()];
    for brand in &reg.brands {
        for acct in &brand.accounts {
            for (i, (what, apply, trick)) in DISGUISES.iter().enumerate() {
                let shown = apply(&acct.store_name);
                if shown == acct.store_name {
                    continue; // e.g. no case in a Chinese name
                }
                applied[i] += 1;
                let v = judge(
                    &engine,
                    serde_json::json!({"platform": acct.platform, "store_name": shown}),
                );
                let ok = v["level"] == "danger"
                    && v["brand"] == brand.name.as_str()
                    && v["reasons"][0]["code"] == "lookalike_name"
                    && v["reasons"][0]["resembles"] == acct.store_name.as_str()
                    && tricks(&v).iter().any(|t| t == trick);
                if !ok {
                    failures.push(format!("{:?} with {what} → {v}", acct.store_name));
                }
            }
        }
    }
    for ((what, _, _), n) in DISGUISES.iter().zip(&applied) {
        assert!(*n > 0, "the disguise '{what}' applied to no account");
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn only_the_listed_id_or_the_exact_name_proves_a_store() {
    let mut reg = demo_registry();
    // One account listed without an id: its name alone proves nothing on a
    // page that shows an id.
    let no_id = &mut reg.brands[0].accounts[0];
    no_id.store_id = None;
    let (no_id_platform, no_id_name) = (no_id.platform, no_id.store_name.clone());
    // And one whose name a browser may hand over decomposed (e + combining acute).
    let mut accented = reg.brands[1].accounts[0].clone();
    accented.store_name = "Kestrel Café Audio".into();
    accented.store_id = Some("A3KESTRELCAFE".into());
    reg.brands[1].accounts.push(accented);
    let engine = Engine::new(reg.clone());
    let mut failures = Vec::new();
    let mut expect = |signals: Value, level: &str, code: &str| {
        let v = judge(&engine, signals.clone());
        if v["level"] != level || v["reasons"][0]["code"] != code {
            failures.push(format!("{signals} → {v}, wanted {level} {code}"));
        }
    };
    for brand in &reg.brands {
        for acct in &brand.accounts {
            let p = acct.platform;
            let name = acct.store_name.as_str();
            let official = match acct.kind {
                genuine_core::registry::AccountKind::Official => "official_account",
                genuine_core::registry::AccountKind::Authorized => "authorized_reseller",
            };
            // The registered display name, exactly: proven where the page shows no id.
            expect(
                serde_json::json!({"platform": p, "store_name": name}),
                "official",
                official,
            );
            // Outer white space and another Unicode normalisation of the same text are the same name.
            let nfd: String = unicode_nfd(name);
            expect(
                serde_json::json!({"platform": p, "store_name": format!("  {nfd}\n")}),
                "official",
                official,
            );
            if let Some(id) = &acct.store_id {
                // The listed id proves the store, whatever the name.
                expect(
                    serde_json::json!({"platform": p, "store_id": id, "store_name": full_width(name)}),
                    "official",
                    official,
                );
                // The exact name on another id is another store.
                expect(
                    serde_json::json!({"platform": p, "store_id": format!("{id}9"), "store_name": name}),
                    "danger",
                    "lookalike_name",
                );
            }
        }
    }
    // Exact name, an id on the page, none in the registry: cannot be proven either way.
    expect(
        serde_json::json!({"platform": no_id_platform, "store_id": "777", "store_name": no_id_name}),
        "caution",
        "unconfirmed_store",
    );
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let v = judge(
        &engine,
        serde_json::json!({"platform": no_id_platform, "store_id": "777", "store_name": no_id_name}),
    );
    assert_ne!(
        v["level"],
        serde_json::to_value(Level::Official).expect("level")
    );
}

/// The same text decomposed (é as e + U+0301): what a browser or an editor
/// may hand over for a name the registry holds composed.
fn unicode_nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().collect()
}

/// Issue 12, part 3: no signed file can lock out the updates after it. A
/// version is at most its issue time plus a day, its issue time at most a
/// day past the client's clock, and every version is exact in JavaScript.
/// The signer refuses such a file; a client refuses one signed anyway.
#[test]
fn no_signed_version_can_lock_out_later_updates() {
    use genuine_core::registry::{MAX_VERSION, VERSION_SLACK_SECS};
    use genuine_core::time::Timestamp;
    use genuine_core::{RegistryError, SecretKey, Trust};

    let now = Timestamp::now().0;
    let key = SecretKey::generate().expect("key");
    let public = key.public();
    let cases: [(&str, u64, i64, bool); 6] = [
        ("a version that is the issue time", now as u64, now, true),
        ("a small growing number", 42, now, true),
        ("the forged 99999999999", 99_999_999_999, now, false),
        (
            "a version a day and more ahead",
            (now + VERSION_SLACK_SECS + 1) as u64,
            now,
            false,
        ),
        (
            "issued in the far future to carry a big version",
            99_999_999_999,
            99_999_999_999,
            false,
        ),
        ("beyond 2^53 - 1", MAX_VERSION + 1, now, false),
    ];
    for (what, version, issued, accepted) in cases {
        let reg = genuine_core::Registry {
            version,
            issued_at: Timestamp(issued),
            expires_at: Timestamp(issued.saturating_add(86_400)),
            ..demo_registry()
        };
        let json = serde_json::to_vec(&reg).expect("json");
        // As a client meets it: signed by the pinned key, however it was made.
        let loaded = Engine::load(&key.sign(&json), Trust::Key(&public));
        assert_eq!(loaded.is_ok(), accepted, "{what}: {:?}", loaded.err());
        if let Err(e) = loaded {
            assert!(matches!(e, RegistryError::Invalid(_)), "{what}: {e}");
        }
        // And compiled, the form browsers download.
        let compiled = genuine_core::registry::compile(&reg);
        let loaded = Engine::load(&key.sign(&compiled), Trust::Key(&public));
        assert_eq!(
            loaded.is_ok(),
            accepted,
            "{what} (compiled): {:?}",
            loaded.err()
        );
        // The signer's own check.
        assert_eq!(
            genuine_core::registry::parse(&json).is_ok(),
            accepted,
            "{what} (parse)"
        );
    }
}

/// A registry with one web shop (the row given): the
/// accounts CSV written here, imported as a brand would.
fn web_engine(row: &str) -> Result<Engine, String> {
    use genuine_core::registry::import::{import, ImportSpec};
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("accounts.csv");
    let csv = format!("brand,brand_aliases,platform,store_name,store_id,store_url,kind\n{row}\n");
    std::fs::write(&file, csv).map_err(|e| e.to_string())?;
    let spec = ImportSpec {
        accounts: file,
        publisher: "test".into(),
        version: 1,
        valid_days: 30,
        ..ImportSpec::default()
    };
    import(&spec).map(Engine::new).map_err(|e| e.to_string())
}

/// On the open web the page is its owner's to write: a fake shop copies the
/// brand's shop name into its title, `og:site_name` and any id it prints.
/// Only the address proves a web shop (the host or a domain it is under).
#[test]
fn a_web_shop_is_proven_by_its_address_only() {
    let engine = web_engine("Aurora Wellness,,web,Aurora Wellness Shop,aurora.example,,official")
        .expect("imports");
    let name = "Aurora Wellness Shop";
    // (url, store name on the page, store id on the page, official?)
    let cases: &[(Option<&str>, &str, Option<&str>, bool)] = &[
        (Some("https://aurora.example/p/1"), name, None, true),
        (Some("https://www.aurora.example/p/1"), name, None, true),
        (
            Some("https://shop.aurora.example:8443/p"),
            "Anything",
            None,
            true,
        ),
        (Some("https://evil.example/p/1"), name, None, false),
        (
            Some("https://evil.example/p/1"),
            name,
            Some("aurora.example"),
            false,
        ),
        (
            Some("https://aurora.example.evil.example/p"),
            name,
            None,
            false,
        ),
        (Some("https://evilaurora.example/p"), name, None, false),
        (
            Some("https://evil.example/aurora.example"),
            name,
            None,
            false,
        ),
        (Some("not a url"), name, None, false),
        (None, name, None, false),
        (None, name, Some("aurora.example"), false),
    ];
    for (url, store, id, official) in cases {
        let mut s = serde_json::json!({ "platform": "web", "store_name": store });
        if let Some(u) = url {
            s["url"] = (*u).into();
        }
        if let Some(i) = id {
            s["store_id"] = (*i).into();
        }
        let v = judge(&engine, s);
        assert_eq!(
            v["level"] == "official",
            *official,
            "{url:?} {store:?} {id:?}: {v}"
        );
        if !official && *store == name {
            // Not silent either: the copied name is said; mildly when no
            // address can tell (the web checker without a link).
            let addressed = url.is_some_and(|u| u.starts_with("https://"));
            let want = if addressed { "danger" } else { "caution" };
            assert_eq!(v["level"], want, "{url:?} {store:?}: {v}");
            assert!(v.to_string().contains(name), "{url:?}: {v}");
        }
    }
}

/// A page read by the generic profile may name its seller beside a label
/// ("Sold by: …", issue 14); on the open web that label is the page's own
/// text, so a shop elsewhere that labels itself with the brand's web shop
/// name is not made official by it. The same page at the shop's own address
/// is (the address proves it, not the label).
#[test]
fn a_labelled_seller_never_proves_a_web_shop() {
    use genuine_core::page::{builtin_profiles, html};
    let engine = web_engine("Aurora Wellness,,web,Aurora Wellness Shop,aurora.example,,official")
        .expect("imports");
    let page = r#"<!DOCTYPE html><html><head><meta charset=utf-8>
        <meta property="og:site_name" content="Evil Mall"></head><body>
        <h1>Aurora fish oil</h1><div><span>Sold by</span> <a href="/s">Aurora Wellness Shop</a></div>
        </body></html>"#;
    for (url, official) in [
        ("https://evil.example/p/1", false),
        ("https://aurora.example.evil.example/p/1", false),
        ("https://www.aurora.example/p/1", true),
    ] {
        let s = html::extract(page.as_bytes(), Some(url), &builtin_profiles())
            .expect("extracts")
            .signals;
        assert_eq!(
            s.store_name.as_deref(),
            Some("Aurora Wellness Shop"),
            "{url}: the label is read"
        );
        let v = serde_json::to_value(engine.check(&s)).expect("verdict");
        assert_eq!(v["level"] == "official", official, "{url}: {v}");
        if !official {
            assert_eq!(v["level"], "danger", "{url}: {v}");
        }
    }
}

/// A web account is imported with its domain as its id (from store_url when
/// the id is left out), and one with neither is refused: it could never be
/// proven.
#[test]
fn a_web_account_needs_its_address() {
    let from_url = web_engine(
        "Aurora Wellness,,web,Aurora Wellness Shop,,https://WWW.Aurora.example/shop,official",
    )
    .expect("imports");
    let s = serde_json::json!({ "platform": "web", "url": "https://www.aurora.example/x" });
    assert_eq!(judge(&from_url, s)["level"], "official");
    let err = web_engine("Aurora Wellness,,web,Aurora Wellness Shop,,,official")
        .err()
        .expect("refused");
    assert!(err.contains("proven only by its address"), "{err}");
    let err = web_engine("Aurora Wellness,,web,Aurora Wellness Shop,com,,official")
        .err()
        .expect("refused");
    assert!(err.contains("not a web shop's domain"), "{err}");
}
