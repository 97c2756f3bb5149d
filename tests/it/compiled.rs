//! The compiled registry (what browsers download and cache): it reads back
//! as the registry it was compiled from, judges exactly as the JSON does,
//! keeps every rule of the signed envelope, and refuses damaged or hostile
//! bytes with a clear error, never a panic.

use genuine_core::registry::import::{import, ImportSpec};
use genuine_core::registry::{
    self, checksum, compile, verify_cached, Compiled, Registry, RegistryError, SecretKey,
    SignError, Trust,
};
use genuine_core::{Engine, Platform, Signals};

use crate::cli::{genuine, signed_registry, stderr};
use crate::{fixture, repo};

fn registry_from(dir: &std::path::Path) -> Registry {
    import(&ImportSpec {
        accounts: dir.join("accounts.csv"),
        products: Some(dir.join("products.csv")),
        blocklist: Some(dir.join("blocklist.csv")),
        publisher: "test".into(),
        version: 3,
        valid_days: 30,
        ..ImportSpec::default()
    })
    .expect("registry imports")
}

fn demo() -> Registry {
    registry_from(&repo("www/demo/registry"))
}

/// The demo registry without site profiles: the same brands, accounts and
/// blocklist, and metadata small enough to damage byte by byte.
fn small() -> Registry {
    Registry {
        site_profiles: Vec::new(),
        ..demo()
    }
}

fn key() -> SecretKey {
    SecretKey::parse("genuine-secret-key/1 BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=")
        .expect("key")
}

/// Where each section's bytes start in a compiled payload, by tag.
fn sections(bytes: &[u8]) -> Vec<(String, usize, usize)> {
    let le = |at: usize| {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
    };
    let mut at = registry::compiled::MAGIC.len() + 1;
    let count = le(at);
    at += 4;
    (0..count)
        .map(|_| {
            let tag = String::from_utf8_lossy(&bytes[at..at + 4]).into_owned();
            let len = le(at + 4);
            at += 8 + len;
            (tag, at - len, len)
        })
        .collect()
}

fn section(bytes: &[u8], tag: &str) -> (usize, usize) {
    sections(bytes)
        .into_iter()
        .find(|(t, _, _)| t == tag)
        .map(|(_, at, len)| (at, len))
        .unwrap_or_else(|| panic!("no section {tag}"))
}

/// The values of an integer column (delta-coded, see
/// `src/registry/compiled/ints.rs`), decoded here independently.
fn column(bytes: &[u8], tag: &str) -> Vec<u32> {
    let (at, len) = section(bytes, tag);
    let (mut out, mut prev, mut z, mut shift) = (Vec::new(), 0u32, 0u32, 0);
    for &b in &bytes[at..at + len] {
        z |= u32::from(b & 0x7f) << shift;
        shift += 7;
        if b < 0x80 {
            prev = prev.wrapping_add(((z >> 1) as i32 ^ -((z & 1) as i32)) as u32);
            out.push(prev);
            (z, shift) = (0, 0);
        }
    }
    out
}

/// The bytes with an integer column replaced by `values`.
fn with_column(bytes: &[u8], tag: &str, values: &[u32]) -> Vec<u8> {
    let (at, len) = section(bytes, tag);
    let mut coded = Vec::new();
    genuine_core::registry::compiled::ints::encode(values, &mut coded);
    let mut out = bytes[..at - 4].to_vec();
    out.extend_from_slice(&(coded.len() as u32).to_le_bytes());
    out.extend_from_slice(&coded);
    out.extend_from_slice(&bytes[at + len..]);
    out
}

#[test]
fn compiled_registries_read_back_as_compiled_and_are_reproducible() {
    for reg in [demo(), registry_from(&fixture("eval"))] {
        let bytes = compile(&reg);
        assert_eq!(
            compile(&reg),
            bytes,
            "the same registry compiles to the same bytes"
        );
        let back = Compiled::open(bytes.clone(), 0)
            .expect("opens")
            .to_registry();
        assert_eq!(back, reg);
        let signed = key().sign(&bytes);
        let loaded = registry::load(&signed, Trust::Key(&key().public())).expect("loads");
        assert_eq!(loaded, reg);
    }
}

/// A registry compiled by a `genuine` with other matching rules (an older
/// release) has keys derived by those rules; the engine derives them again
/// from the registry's own rows rather than match with stale ones. Shown by
/// damaging the derived strings "haier" and its skeleton "haler" (keys and
/// folded names; the shown names say "Haier"), same length so the layout
/// still holds: with the rules
/// marked current the damage shows in the verdict, with them marked stale it
/// is derived away.
#[test]
fn registries_compiled_with_other_rules_are_matched_by_todays() {
    let bytes = compile(&registry_from(&fixture("eval")));
    let (at, len) = section(&bytes, "STRS");
    let pool = &bytes[at..at + len];
    let derived: Vec<usize> = (0..len.saturating_sub(4))
        .filter(|&i| matches!(&pool[i..i + 5], b"haier" | b"haler"))
        .collect();
    assert!(
        !derived.is_empty(),
        "the derived key haier is in the string pool"
    );
    let mut damaged = bytes.clone();
    for i in derived {
        damaged[at + i + 1] = b'x';
    }
    let rules = genuine_core::matching_rules();
    let (m, mlen) = section(&damaged, "META");
    let meta_at = damaged[m..m + mlen]
        .windows(rules.len())
        .position(|w| w == rules.as_bytes())
        .expect("the compiled registry records its rules")
        + m;
    let mut stale = damaged.clone();
    stale[meta_at] = if rules.starts_with('1') { b'9' } else { b'1' };

    let signals = Signals {
        platform: Some(Platform::Amazon),
        store_name: Some("Haieer Official Outlet".into()),
        ..Signals::default()
    };
    let verdict = |bytes: &[u8]| {
        let engine = Engine::load(&key().sign(bytes), Trust::Key(&key().public())).expect("loads");
        let v = engine.check(&signals);
        (v.level, v.brand)
    };
    let want = verdict(&bytes);
    assert_eq!(
        want,
        (genuine_core::Level::Danger, Some("Haier".to_string()))
    );
    assert_ne!(
        verdict(&damaged),
        want,
        "stale keys are used as they are when the rules match"
    );
    assert_eq!(
        verdict(&stale),
        want,
        "keys compiled with other rules are derived again"
    );
}

#[test]
fn json_and_compiled_files_give_the_same_verdicts() {
    let reg = registry_from(&fixture("eval"));
    let json = key().sign(&serde_json::to_vec(&reg).expect("json"));
    let compiled = key().sign(&compile(&reg));
    let trust = Trust::Key(&key().public());
    let (a, b) = (
        Engine::load(&json, trust).expect("json loads"),
        Engine::load(&compiled, trust).expect("compiled loads"),
    );
    let cases = std::fs::read_to_string(fixture("eval/cases.tsv")).expect("cases");
    let mut n = 0;
    for line in cases.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let c: Vec<&str> = line.split('\t').collect();
        let opt = |i: usize| c.get(i).filter(|s| !s.is_empty()).map(|s| s.to_string());
        let s = Signals {
            platform: c.get(1).and_then(|p| p.parse::<Platform>().ok()),
            store_name: opt(2),
            store_id: opt(3),
            title: opt(4),
            brand: opt(5),
            price: opt(6),
            currency: opt(7),
            gtin: opt(11),
            ..Signals::default()
        };
        assert_eq!(a.check(&s), b.check(&s), "{line}");
        n += 1;
    }
    assert!(n > 300, "{n} cases");
}

/// What each kind of damage is refused as.
#[test]
fn damaged_compiled_bytes_are_refused_clearly() {
    let good = compile(&small());
    let (kbrd, _) = section(&good, "KBRD");
    let (meta, meta_len) = section(&good, "META");
    let platforms = good[meta..meta + meta_len]
        .windows(8)
        .rposition(|w| w == b"\"taobao\"")
        .expect("platform list")
        + meta;
    type Damage = fn(&mut Vec<u8>, usize, usize);
    let cases: Vec<(&str, Damage, &str)> = vec![
        (
            "layout byte",
            |b, _, _| b[registry::compiled::MAGIC.len()] = 3,
            "layout 3; this version of Genuine reads layout 2 (update Genuine",
        ),
        (
            // A copy cached before this version: the extension downloads
            // the registry again, the CLI says to compile it again.
            "older layout",
            |b, _, _| b[registry::compiled::MAGIC.len()] = 1,
            "layout 1; this version of Genuine reads layout 2 (an older file: download or compile the registry again)",
        ),
        (
            "magic",
            |b, _, _| b[0] ^= 0x20,
            "section magic is missing",
        ),
        (
            "section count",
            |b, _, _| b[registry::compiled::MAGIC.len() + 1] += 1,
            "section count",
        ),
        (
            "section length past the end",
            |b, _, _| {
                let at = registry::compiled::MAGIC.len() + 5 + 4;
                b[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
            },
            "cut short",
        ),
        (
            "bytes after the end",
            |b, _, _| b.push(0),
            "bytes after the last section",
        ),
        (
            "a reference out of range",
            |b, _, _| {
                let mut brands = column(b, "KBRD");
                brands[0] = 0xFFFF_FF00;
                *b = with_column(b, "KBRD", &brands);
            },
            "inconsistent: key 0 refers to brand",
        ),
        (
            "strings out of order",
            |b, _, _| {
                let mut ends = column(b, "STRE");
                ends[0] = 0xFFFF;
                *b = with_column(b, "STRE", &ends);
            },
            "inconsistent: string 0 ends at",
        ),
        (
            "a column's last value cut short",
            |b, kbrd, _| {
                let last = kbrd + section(b, "KBRD").1 - 1;
                b[last] |= 0x80;
            },
            "section KBRD is missing or malformed",
        ),
        (
            "a value longer than 32 bits",
            |b, kbrd, _| {
                b[kbrd..kbrd + 5].copy_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x7f]);
            },
            "section KBRD is missing or malformed",
        ),
        (
            "unknown platform",
            |b, _, p| b[p + 6] = b'X',
            "platform 'taobaX', unknown",
        ),
        (
            "metadata",
            |b, _, _| {
                let (at, _) = section(b, "META");
                b[at] = b'{';
            },
            "metadata is not valid",
        ),
    ];
    for (what, damage, expected) in cases {
        let mut bytes = good.clone();
        damage(&mut bytes, kbrd, platforms);
        match Compiled::open(bytes, 0) {
            Ok(_) => panic!("{what}: opened"),
            Err(e) => assert!(e.to_string().contains(expected), "{what}: {e}"),
        }
    }
    for cut in 0..good.len() {
        assert!(
            Compiled::open(good[..cut].to_vec(), 0).is_err(),
            "cut at {cut} opened"
        );
    }
}

/// A small file whose rows all point at one long string would take minutes
/// to load (every reference is hashed or copied): refused instead.
#[test]
fn rows_repeating_a_long_string_are_refused() {
    let mut reg = small();
    reg.brands[0].products[0].name = "x".repeat(300_000);
    let good = compile(&reg);
    assert!(
        Compiled::open(good.clone(), 0).is_ok(),
        "one long name is fine"
    );
    let ends = column(&good, "STRE");
    let longest = (0..ends.len())
        .max_by_key(|&i| ends[i] - if i == 0 { 0 } else { ends[i - 1] })
        .expect("strings") as u32;
    let mut bad = good.clone();
    for tag in ["ANAM", "AFLD", "BNAM", "ALIA", "KCOR", "KSKL", "XRSN"] {
        let rows = column(&bad, tag).len();
        bad = with_column(&bad, tag, &vec![longest; rows]);
    }
    match Compiled::open(bad, 0) {
        Ok(_) => panic!("opened"),
        Err(e) => assert!(e.to_string().contains("four times the file"), "{e}"),
    }
}

/// Every byte changed in three ways: refused, or (a change to a string's
/// text, a price, a flag) opened and usable; never a panic, and never more
/// memory than the bytes themselves say (there are no lengths to trust):
/// the engine's heap stays within a bound fixed by the file's size, the one
/// the undamaged file needs with room to spare.
#[test]
fn hostile_compiled_bytes_never_panic() {
    let good = compile(&small());
    let normal =
        Engine::from_compiled(Compiled::open(good.clone(), 0).expect("opens")).heap_bytes();
    let bound = 4 * normal.max(good.len());
    let signals = [
        Signals {
            platform: Some(Platform::Tmall),
            store_name: Some("奥萝拉健康官方旗舰店".into()),
            ..Signals::default()
        },
        Signals {
            platform: Some(Platform::Amazon),
            store_name: Some("Aur0ra Wellness 0fficial Store".into()),
            title: Some("Aurora Omega-3 Fish Oil".into()),
            price: Some("9.99".into()),
            currency: Some("USD".into()),
            ..Signals::default()
        },
        Signals {
            platform: Some(Platform::Jd),
            store_id: Some("2001".into()),
            ..Signals::default()
        },
    ];
    let mut opened = 0;
    for i in 0..good.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bytes = good.clone();
            bytes[i] ^= flip;
            let Ok(c) = Compiled::open(bytes, 0) else {
                continue;
            };
            opened += 1;
            let _ = c.to_registry();
            let engine = Engine::from_compiled(c);
            assert!(
                engine.heap_bytes() <= bound,
                "byte {i} ^ {flip:#x}: {} heap bytes from a {}-byte file (undamaged: {normal})",
                engine.heap_bytes(),
                good.len()
            );
            for s in &signals {
                let _ = engine.check(s);
            }
            let _ = engine.brands_matching("").count();
        }
    }
    assert!(opened > 0, "some changes (in string text) still open");
}

#[test]
fn signed_compiled_files_keep_every_rule_of_the_envelope() {
    let k = key();
    let signed = k.sign(&compile(&demo()));
    let trust = Trust::Key(&k.public());
    assert!(Engine::load(&signed, trust).is_ok());
    let header = signed.iter().position(|&b| b == b'\n').expect("header") + 1;
    // Every header byte, the payload's first and last bytes and a spread in
    // between (sign.rs flips every byte of a small file; Ed25519 in a debug
    // build takes milliseconds a check).
    let positions =
        (0..signed.len()).filter(|&i| i < header + 16 || i % 97 == 0 || i + 16 > signed.len());
    for i in positions {
        let mut bad = signed.clone();
        bad[i] ^= 0x04;
        assert!(
            Engine::load_owned(bad, trust).is_err(),
            "byte {i} changed and loaded"
        );
    }
    for cut in [
        0,
        10,
        header - 1,
        header,
        header + 1,
        signed.len() / 2,
        signed.len() - 1,
    ] {
        assert!(
            Engine::load(&signed[..cut], trust).is_err(),
            "cut at {cut} loaded"
        );
    }
    let other =
        SecretKey::parse("genuine-secret-key/1 CAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg=")
            .expect("key");
    assert!(matches!(
        Engine::load(&signed, Trust::Key(&other.public())),
        Err(RegistryError::Signature(SignError::WrongKey { .. }))
    ));
    let unsigned = &signed[header..];
    assert!(matches!(
        Engine::load(unsigned, trust),
        Err(RegistryError::Signature(SignError::NotSigned))
    ));
    assert!(
        Engine::load(unsigned, Trust::AllowUnsigned(None)).is_ok(),
        "authoring: unsigned when allowed"
    );
}

#[test]
fn cached_copies_are_checked_by_their_checksum() {
    let k = key();
    let signed = k.sign(&compile(&demo()));
    let sum = checksum(&signed);
    assert_eq!(sum.len(), 32);
    let v = verify_cached(signed.clone(), &k.public(), &sum).expect("the same bytes");
    let engine = Engine::from_compiled(v.open().expect("opens"));
    assert_eq!(engine.account_count(), 6);
    for i in (0..signed.len()).step_by(7) {
        let mut bad = signed.clone();
        bad[i] ^= 0x10;
        assert!(
            verify_cached(bad, &k.public(), &sum).is_err(),
            "byte {i} changed and passed"
        );
    }
    assert!(matches!(
        verify_cached(signed[..signed.len() - 1].to_vec(), &k.public(), &sum),
        Err(RegistryError::Checksum)
    ));
    let other =
        SecretKey::parse("genuine-secret-key/1 CAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg=")
            .expect("key");
    assert!(matches!(
        verify_cached(signed.clone(), &other.public(), &sum),
        Err(RegistryError::Signature(SignError::WrongKey { .. }))
    ));
    let unsigned = signed[signed.iter().position(|&b| b == b'\n').expect("header") + 1..].to_vec();
    assert!(matches!(
        verify_cached(unsigned.clone(), &k.public(), &checksum(&unsigned)),
        Err(RegistryError::Signature(SignError::NotSigned))
    ));
}

#[test]
fn cli_compile_writes_a_file_clients_read_and_nothing_on_error() {
    let dir = signed_registry();
    let d = dir.path();
    let o = genuine(
        &[
            "registry",
            "compile",
            "--key",
            "k.secret",
            "registry.json",
            "--out",
            "registry.gnr",
        ],
        d,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("compiled") && stderr(&o).contains("signed with key"),
        "{}",
        stderr(&o)
    );
    let o = genuine(
        &["registry", "verify", "--pubkey", "k.pub", "registry.gnr"],
        d,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let stats = |f: &str| {
        String::from_utf8_lossy(&genuine(&["registry", "stats", f], d).stdout).into_owned()
    };
    assert_eq!(stats("registry.gnr"), stats("registry.json"));
    let diff = genuine(&["registry", "diff", "registry.json", "registry.gnr"], d);
    assert_eq!(
        String::from_utf8_lossy(&diff.stdout).lines().count(),
        1,
        "only the version line"
    );

    std::fs::write(d.join("broken.json"), b"{\"format\": 1,").expect("writes");
    let cases: [(&str, &[&str], &str); 4] = [
        (
            "signed input",
            &[
                "registry",
                "compile",
                "--key",
                "k.secret",
                "registry.signed",
                "--out",
                "x.gnr",
            ],
            "is signed",
        ),
        (
            "not a registry",
            &[
                "registry",
                "compile",
                "--key",
                "k.secret",
                "broken.json",
                "--out",
                "x.gnr",
            ],
            "broken.json",
        ),
        (
            "no such key",
            &[
                "registry",
                "compile",
                "--key",
                "none.secret",
                "registry.json",
                "--out",
                "x.gnr",
            ],
            "none.secret",
        ),
        (
            "public key as secret",
            &[
                "registry",
                "compile",
                "--key",
                "k.pub",
                "registry.json",
                "--out",
                "x.gnr",
            ],
            "secret key",
        ),
    ];
    for (what, args, says) in cases {
        let o = genuine(args, d);
        assert_eq!(o.status.code(), Some(2), "{what}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{what}: {}", stderr(&o));
        assert!(!d.join("x.gnr").exists(), "{what}: wrote output");
    }
}
