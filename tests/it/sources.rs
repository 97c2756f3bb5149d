//! Several registries, one verdict (issue 12, part 2): an added registry
//! speaks only for brands no pinned registry lists, or that a pinned one
//! delegates to its key. One test per trust class, each from the rule in
//! `src/sources.rs`; the CLI test at the end runs the same with real keys
//! and signatures through `genuine check --registry … --added …`.

use std::path::Path;

use genuine_core::registry::{Account, AccountKind, BlockedStore, Brand, Delegation};
use genuine_core::verdict::Lang;
use genuine_core::{Engine, Platform, Registry, Signals, Sources, Standing};
use serde_json::{json, Value};

use crate::cli::{genuine, genuine_stdin, stderr};
use crate::verdict::demo_registry;

const ROOT_KEY: &str = "00112233445566778899aabbccddeeff";
const BRAND_KEY: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const OTHER_KEY: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn account(platform: Platform, name: &str, id: &str) -> Account {
    Account {
        platform,
        store_name: name.into(),
        store_id: Some(id.into()),
        store_url: None,
        kind: AccountKind::Official,
    }
}

fn brand(name: &str, accounts: Vec<Account>) -> Brand {
    Brand {
        name: name.into(),
        aliases: Vec::new(),
        accounts,
        products: Vec::new(),
        report_endpoint: None,
    }
}

/// A registry a user added: the demo's fields, these brands and blocklist.
fn added(brands: Vec<Brand>, blocklist: Vec<BlockedStore>) -> Registry {
    Registry {
        publisher: "someone".into(),
        brands,
        blocklist,
        site_profiles: Vec::new(),
        delegations: Vec::new(),
        compiled_with: None,
        report_endpoint: Some("https://attacker.example/api/reports".into()),
        ..demo_registry()
    }
}

fn sources(root: Registry, extra: Vec<(Registry, &str)>) -> Sources {
    let mut s = Sources::new();
    s.add("pinned", Standing::Pinned, ROOT_KEY, Engine::new(root));
    for (i, (r, key)) in extra.into_iter().enumerate() {
        s.add(&format!("added{i}"), Standing::Added, key, Engine::new(r));
    }
    s
}

fn check(s: &Sources, signals: Value) -> (Value, Option<String>) {
    let signals: Signals = serde_json::from_value(signals).expect("signals");
    let c = s.check(&signals, Lang::En);
    let endpoint = c.report_endpoint().map(String::from);
    (serde_json::to_value(c.verdict).expect("verdict"), endpoint)
}

fn blocked_tmall() -> Value {
    json!({"platform": "tmall", "store_name": "奥罗拉健康正品特卖店", "store_id": "6666"})
}

#[test]
fn an_added_registry_cannot_make_a_blocklisted_store_of_a_pinned_brand_official() {
    // Under the pinned brand's own name, and under a new brand of its own.
    for name in ["Aurora Wellness", "Zephyr Naturals"] {
        let fake = added(
            vec![brand(
                name,
                vec![account(Platform::Tmall, "奥罗拉健康正品特卖店", "6666")],
            )],
            Vec::new(),
        );
        let s = sources(demo_registry(), vec![(fake, OTHER_KEY)]);
        let (v, endpoint) = check(&s, blocked_tmall());
        assert_eq!(v["level"], "danger", "{name}: {v}");
        assert_eq!(v["reasons"][0]["code"], "known_counterfeit", "{name}: {v}");
        assert_ne!(
            endpoint.as_deref(),
            Some("https://attacker.example/api/reports")
        );
    }
}

#[test]
fn an_added_registry_rows_for_a_pinned_brand_are_ignored_and_counted() {
    let impostor = account(Platform::Amazon, "Aurora Wellness Outlet", "A9IMPOSTOR");
    let fake = added(
        vec![
            brand("Aurora Wellness", vec![impostor.clone()]),
            // A look-alike of the pinned brand's name is that brand too.
            brand(
                "Aur0ra Wellness",
                vec![account(Platform::Amazon, "Aur0ra Store", "A9IMP2")],
            ),
            // An alias in another script is the brand too.
            Brand {
                aliases: vec!["奥罗拉健康".into()],
                ..brand(
                    "AW Health",
                    vec![account(Platform::Jd, "AW Health JD", "999")],
                )
            },
        ],
        vec![BlockedStore {
            platform: Platform::Tmall,
            store_name: "奥罗拉健康官方旗舰店".into(),
            store_id: Some("1001".into()),
            store_url: None,
            brand: Some("Aurora Wellness".into()),
            reason: "defamation by a rival".into(),
            reported_at: None,
        }],
    );
    let s = sources(demo_registry(), vec![(fake, OTHER_KEY)]);
    let ignored = &s.get("added0").expect("added").ignored;
    assert_eq!(ignored.accounts, 3, "{ignored:?}");
    assert_eq!(ignored.blocked, 1, "{ignored:?}");
    assert_eq!(ignored.brands.len(), 3, "{ignored:?}");
    let (v, endpoint) = check(
        &s,
        json!({"platform": "amazon", "store_name": impostor.store_name, "store_id": "A9IMPOSTOR", "title": "Aurora Wellness Omega-3 Fish Oil 120 caps"}),
    );
    assert_ne!(v["level"], "official", "{v}");
    // Ignored means: the page is judged as if the added registry were not there.
    let alone = sources(demo_registry(), Vec::new());
    let (w, _) = check(
        &alone,
        json!({"platform": "amazon", "store_name": impostor.store_name, "store_id": "A9IMPOSTOR", "title": "Aurora Wellness Omega-3 Fish Oil 120 caps"}),
    );
    assert_eq!(v, w);
    assert_ne!(
        endpoint.as_deref(),
        Some("https://attacker.example/api/reports")
    );
    // Its blocklist row cannot turn the real store into a counterfeit.
    let (v, _) = check(
        &s,
        json!({"platform": "tmall", "store_name": "奥罗拉健康官方旗舰店", "store_id": "1001"}),
    );
    assert_eq!(v["level"], "official", "{v}");
}

#[test]
fn an_added_registry_speaks_for_its_own_new_brand() {
    let mut own = brand(
        "Zephyr Naturals",
        vec![account(Platform::Tmall, "泽菲尔官方旗舰店", "8801")],
    );
    own.report_endpoint = Some("https://zephyr.example/api/reports".into());
    let s = sources(
        demo_registry(),
        vec![(added(vec![own], Vec::new()), OTHER_KEY)],
    );
    assert!(s.get("added0").expect("added").ignored.is_empty());
    let (v, endpoint) = check(
        &s,
        json!({"platform": "tmall", "store_name": "泽菲尔官方旗舰店", "store_id": "8801"}),
    );
    assert_eq!(
        (v["level"].as_str(), v["brand"].as_str()),
        (Some("official"), Some("Zephyr Naturals")),
        "{v}"
    );
    assert_eq!(
        endpoint.as_deref(),
        Some("https://zephyr.example/api/reports")
    );
    // But a store of its own selling a pinned brand's goods is still the
    // pinned brand's unlisted seller.
    let (v, _) = check(
        &s,
        json!({"platform": "tmall", "store_name": "泽菲尔官方旗舰店", "store_id": "8801", "title": "奥罗拉深海鱼油 Omega-3 Fish Oil 120 caps"}),
    );
    assert_eq!(
        (v["level"].as_str(), v["brand"].as_str()),
        (Some("caution"), Some("Aurora Wellness")),
        "{v}"
    );
}

#[test]
fn a_delegation_lets_the_brands_own_key_speak_on_its_platforms() {
    let mut root = demo_registry();
    root.delegations = vec![Delegation {
        brand: "Aurora Wellness".into(),
        key: BRAND_KEY.into(),
        platforms: vec![Platform::Tmall],
    }];
    let mut own = brand(
        "Aurora Wellness",
        vec![
            account(Platform::Tmall, "奥罗拉健康营养旗舰店", "1002"),
            account(Platform::Amazon, "Aurora Wellness Outlet", "A9OUTLET"),
        ],
    );
    own.report_endpoint = Some("https://aurora.example/api/reports".into());
    let delegate = added(vec![own], Vec::new());
    for (key, delegated) in [(BRAND_KEY, true), (OTHER_KEY, false)] {
        let s = sources(root.clone(), vec![(delegate.clone(), key)]);
        let (v, endpoint) = check(
            &s,
            json!({"platform": "tmall", "store_name": "奥罗拉健康营养旗舰店", "store_id": "1002"}),
        );
        if delegated {
            assert_eq!(
                (v["level"].as_str(), v["brand"].as_str()),
                (Some("official"), Some("Aurora Wellness")),
                "{v}"
            );
            assert_eq!(
                endpoint.as_deref(),
                Some("https://aurora.example/api/reports")
            );
        } else {
            assert_ne!(v["level"], "official", "{key}: {v}");
        }
        // Outside the delegation's platforms: not used.
        let (v, _) = check(
            &s,
            json!({"platform": "amazon", "store_name": "Aurora Wellness Outlet", "store_id": "A9OUTLET"}),
        );
        assert_ne!(v["level"], "official", "{key} on amazon: {v}");
        let ignored = &s.get("added0").expect("added").ignored;
        assert_eq!(
            ignored.accounts,
            if delegated { 1 } else { 2 },
            "{ignored:?}"
        );
        // And never over the pinned blocklist.
        let (v, _) = check(&s, blocked_tmall());
        assert_eq!(v["reasons"][0]["code"], "known_counterfeit", "{v}");
    }
}

#[test]
fn a_managed_registry_is_as_trusted_as_a_pinned_one() {
    let mut s = Sources::new();
    s.add(
        "pinned",
        Standing::Pinned,
        ROOT_KEY,
        Engine::new(demo_registry()),
    );
    let org = added(
        vec![brand(
            "Aurora Wellness",
            vec![account(Platform::Amazon, "Aurora Wellness EU", "A9EU")],
        )],
        Vec::new(),
    );
    s.add("policy", Standing::Managed, OTHER_KEY, Engine::new(org));
    let (v, _) = check(
        &s,
        json!({"platform": "amazon", "store_name": "Aurora Wellness EU", "store_id": "A9EU"}),
    );
    assert_eq!(v["level"], "official", "{v}");
}

#[test]
fn only_pinned_site_profiles_read_pages() {
    let mut fake = added(
        vec![brand(
            "Zephyr Naturals",
            vec![account(Platform::Tmall, "泽菲尔", "1")],
        )],
        Vec::new(),
    );
    let mut profile = genuine_core::page::builtin_profiles()
        .into_iter()
        .find(|p| p.id == "tmall")
        .expect("tmall profile");
    profile.id = "evil".into();
    profile.hosts = vec!["attacker.example".into()];
    fake.site_profiles = vec![profile];
    let root = Registry {
        site_profiles: Vec::new(),
        ..demo_registry()
    };
    let s = sources(root, vec![(fake, OTHER_KEY)]);
    assert!(s.plan("https://attacker.example/item").is_none());
}

/// The same rules through the CLI, with real keys and signatures.
#[test]
fn genuine_check_added_registries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let run = |args: &[&str]| {
        let o = genuine(args, d);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    };
    for k in ["root", "brand", "other"] {
        run(&[
            "registry",
            "keygen",
            "--secret",
            &format!("{k}.secret"),
            "--public",
            &format!("{k}.pub"),
        ]);
    }
    let fingerprint = |k: &str| -> String {
        let text = std::fs::read_to_string(d.join(format!("{k}.pub"))).expect("pub");
        genuine_core::PublicKey::parse(&text)
            .expect("key")
            .fingerprint()
    };
    let mut root = demo_registry();
    root.delegations = vec![Delegation {
        brand: "Kestrel Audio".into(),
        key: fingerprint("brand"),
        platforms: Vec::new(),
    }];
    let attacker = added(
        vec![
            brand(
                "Aurora Wellness",
                vec![account(Platform::Tmall, "奥罗拉健康正品特卖店", "6666")],
            ),
            brand(
                "Zephyr Naturals",
                vec![account(Platform::Tmall, "泽菲尔官方旗舰店", "8801")],
            ),
        ],
        Vec::new(),
    );
    let kestrel = added(
        vec![brand(
            "Kestrel Audio",
            vec![account(
                Platform::Ebay,
                "kestrel_audio_official",
                "kestrel_audio_official",
            )],
        )],
        Vec::new(),
    );
    for (name, reg, key) in [
        ("root", &root, "root"),
        ("attacker", &attacker, "other"),
        ("kestrel", &kestrel, "brand"),
    ] {
        write_json(&d.join(format!("{name}.json")), reg);
        run(&[
            "registry",
            "sign",
            "--key",
            &format!("{key}.secret"),
            &format!("{name}.json"),
            "--out",
            &format!("{name}.signed"),
        ]);
    }
    let lines = [
        blocked_tmall(),
        json!({"platform": "tmall", "store_name": "泽菲尔官方旗舰店", "store_id": "8801"}),
        json!({"platform": "ebay", "store_name": "kestrel_audio_official", "store_id": "kestrel_audio_official"}),
    ]
    .iter()
    .map(|v| v.to_string() + "\n")
    .collect::<String>();
    let o = genuine_stdin(
        &[
            "check",
            "--registry",
            "root.signed",
            "--pubkey",
            "root.pub",
            "--added",
            "attacker.signed",
            "--added-pubkey",
            "other.pub",
            "--added",
            "kestrel.signed",
            "--added-pubkey",
            "brand.pub",
        ],
        d,
        &lines,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(
        out[0]["reasons"][0]["code"], "known_counterfeit",
        "{}",
        out[0]
    );
    assert_eq!(
        (out[1]["level"].as_str(), out[1]["brand"].as_str()),
        (Some("official"), Some("Zephyr Naturals"))
    );
    assert_eq!(
        (out[2]["level"].as_str(), out[2]["brand"].as_str()),
        (Some("official"), Some("Kestrel Audio"))
    );
    assert!(
        stderr(&o).contains("not used: 1 store(s)"),
        "{}",
        stderr(&o)
    );
    // The same delegated registry under a key the root did not name: not used.
    let o = genuine_stdin(
        &[
            "check",
            "--registry",
            "root.signed",
            "--pubkey",
            "root.pub",
            "--added",
            "kestrel.signed",
            "--added-pubkey",
            "brand.pub",
            "--added",
            "attacker.signed",
        ],
        d,
        &lines,
    );
    assert!(!o.status.success(), "an --added without its key is refused");
    assert!(stderr(&o).contains("--added-pubkey"), "{}", stderr(&o));
}

fn write_json(path: &Path, reg: &Registry) {
    std::fs::write(path, serde_json::to_vec_pretty(reg).expect("json")).expect("writes");
}
