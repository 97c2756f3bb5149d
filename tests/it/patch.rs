//! Registry patches (src/registry/patch.rs): made from two signed files,
//! applied to exactly the copy held, and never trusted for what they
//! produce: the result must carry the target's own signature.

use genuine_core::registry::patch::{self, Op, PatchError};
use genuine_core::registry::{self, Account, AccountKind, Brand};
use genuine_core::{Platform, Registry, SecretKey, Trust};

use crate::verdict::demo_registry;

fn signed(key: &SecretKey, reg: &Registry) -> Vec<u8> {
    key.sign(&registry::compile(reg))
}

/// A registry of `n` made-up brands with five accounts each.
fn many(n: usize, version: u64) -> Registry {
    let mut reg = demo_registry();
    reg.version = version;
    for i in 0..n {
        reg.brands.push(Brand {
            name: format!("Brand {i:05}"),
            accounts: (0..5)
                .map(|j| Account {
                    platform: Platform::Tmall,
                    store_name: format!("Brand {i:05} Store {j}"),
                    store_id: Some(format!("{}", i * 10 + j)),
                    store_url: None,
                    kind: AccountKind::Official,
                })
                .collect(),
            aliases: Vec::new(),
            products: Vec::new(),
            report_endpoint: None,
        });
    }
    reg
}

/// The next day's registry: one account in a hundred renamed, a brand
/// added, a blocklist entry gone.
fn next_day(reg: &Registry) -> Registry {
    let mut next = reg.clone();
    next.version += 1;
    for (i, b) in next.brands.iter_mut().enumerate() {
        if i % 20 == 7 {
            b.accounts[0].store_name.push_str(" (renamed)");
        }
    }
    next.brands.push(Brand {
        name: "Newcomer".into(),
        aliases: Vec::new(),
        accounts: Vec::new(),
        products: Vec::new(),
        report_endpoint: None,
    });
    next.blocklist.pop();
    next
}

#[test]
fn a_patch_gives_the_target_byte_for_byte() {
    let key = SecretKey::generate().expect("key");
    let old = many(2_000, 1);
    let new = next_day(&old);
    let (base, target) = (signed(&key, &old), signed(&key, &new));
    let p = patch::make(&base, &target, &key).expect("patch");
    let got = patch::apply(&p, &key.public(), &base).expect("applies");
    assert_eq!(got, target);
    registry::verify_owned(got, Trust::Key(&key.public()))
        .expect("the target's own signature holds");
    // 1 % of 10,000 accounts changed: the patch is a small part of the file.
    let gz = |b: &[u8]| {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(b).expect("gzip");
        e.finish().expect("gzip").len()
    };
    let (p_gz, full_gz) = (gz(&p), gz(&target));
    println!(
        "patch {p_gz} bytes gzipped, full file {full_gz}: {:.1} %",
        100.0 * p_gz as f64 / full_gz as f64
    );
    assert!(p_gz * 20 < full_gz, "patch {p_gz} vs full {full_gz}");
}

#[test]
fn a_patch_applies_only_to_the_copy_it_was_made_from() {
    let key = SecretKey::generate().expect("key");
    let v1 = many(50, 1);
    let v2 = next_day(&v1);
    let v3 = next_day(&v2);
    let (f1, f2, f3) = (signed(&key, &v1), signed(&key, &v2), signed(&key, &v3));
    let p23 = patch::make(&f2, &f3, &key).expect("patch");
    assert!(matches!(
        patch::apply(&p23, &key.public(), &f1),
        Err(PatchError::OtherBase { version: 2, .. })
    ));
    // A copy that differs by one byte is another copy.
    let mut f2x = f2.clone();
    let last = f2x.len() - 1;
    f2x[last] ^= 1;
    assert!(matches!(
        patch::apply(&p23, &key.public(), &f2x),
        Err(PatchError::OtherBase { .. })
    ));
}

#[test]
fn tampered_or_foreign_patches_are_refused_before_they_are_read() {
    let key = SecretKey::generate().expect("key");
    let other = SecretKey::generate().expect("key");
    let v1 = many(50, 1);
    let v2 = next_day(&v1);
    let (f1, f2) = (signed(&key, &v1), signed(&key, &v2));
    let p = patch::make(&f1, &f2, &key).expect("patch");
    let mut tampered = p.clone();
    let at = tampered.len() - 10;
    tampered[at] ^= 0x20;
    assert!(matches!(
        patch::apply(&tampered, &key.public(), &f1),
        Err(PatchError::Signature(_))
    ));
    let foreign = patch::make(&signed(&other, &v1), &signed(&other, &v2), &other).expect("patch");
    assert!(matches!(
        patch::apply(&foreign, &key.public(), &f1),
        Err(PatchError::Signature(_))
    ));
}

/// A patch signed by the right key but whose steps are wrong (a publisher's
/// bug, or a key misused): it never yields a file that verifies.
#[test]
fn a_signed_but_wrong_patch_never_yields_a_verified_file() {
    let key = SecretKey::generate().expect("key");
    let v1 = many(50, 1);
    let v2 = next_day(&v1);
    let (f1, f2) = (signed(&key, &v1), signed(&key, &v2));
    let signed_patch = patch::make(&f1, &f2, &key).expect("patch");
    // The payload follows the one-line signature header.
    let at = signed_patch
        .iter()
        .position(|&b| b == b'\n')
        .expect("header")
        + 1;
    let good: serde_json::Value = serde_json::from_slice(&signed_patch[at..]).expect("json");
    let with_ops = |ops: Vec<Op>| {
        let mut p = good.clone();
        p["ops"] = serde_json::to_value(ops).expect("ops");
        key.sign(&serde_json::to_vec(&p).expect("json"))
    };
    let all = patch::rows(
        &registry::Compiled::open(registry::compile(&v1), 0)
            .expect("open")
            .to_registry(),
    );
    let (rows, meta_len) = (all.len(), all[0].len());
    let cases: Vec<(&str, Vec<Op>)> = vec![
        ("keeps past the end", vec![Op::Keep(rows + 1)]),
        ("huge keep", vec![Op::Keep(usize::MAX)]),
        ("leaves rows unaccounted for", vec![Op::Keep(rows - 1)]),
        (
            "adds a row of no known kind",
            vec![Op::Keep(rows), Op::Add(vec!["Z{}".into()])],
        ),
        (
            "adds a brand that is not JSON",
            vec![Op::Keep(rows), Op::Add(vec!["B{".into()])],
        ),
        ("drops the metadata", vec![Op::Drop(rows)]),
        (
            "edits past the end",
            vec![Op::Keep(rows), Op::Edit(0, 0, String::new())],
        ),
        (
            "edits from past the end of its row",
            vec![Op::Edit(1 << 20, 0, String::new()), Op::Keep(rows - 1)],
        ),
        (
            "keeps more of a row than it has",
            vec![Op::Edit(10, usize::MAX, String::new()), Op::Keep(rows - 1)],
        ),
        (
            "keeps overlapping ends of a row",
            vec![Op::Edit(meta_len, 1, String::new()), Op::Keep(rows - 1)],
        ),
        (
            "edits a row into one that is not JSON",
            vec![Op::Keep(1), Op::Edit(1, 0, "{".into()), Op::Keep(rows - 2)],
        ),
    ];
    for (what, ops) in cases {
        assert!(
            patch::apply(&with_ops(ops), &key.public(), &f1).is_err(),
            "{what}"
        );
    }
    // Steps that fit but give another registry: applied, and refused by the signature.
    let unchanged =
        patch::apply(&with_ops(vec![Op::Keep(rows)]), &key.public(), &f1).expect("fits");
    assert!(registry::verify_owned(unchanged, Trust::Key(&key.public())).is_err());
}

#[test]
fn patches_are_published_beside_the_file() {
    assert_eq!(
        patch::url_for("https://brand.example/r/brand.signed?x=1#y", 1796164804),
        "https://brand.example/r/brand.signed.from-1796164804.patch"
    );
}

#[test]
fn only_compiled_registries_are_patched() {
    let key = SecretKey::generate().expect("key");
    let v1 = many(5, 1);
    let json = key.sign(&serde_json::to_vec(&v1).expect("json"));
    assert!(matches!(
        patch::make(&json, &signed(&key, &next_day(&v1)), &key),
        Err(PatchError::NotCompiled)
    ));
}
