//! Brands: brand links (tests/fixtures/brandlinks.tsv), brand.toml errors
//! (tests/fixtures/brand/cases.tsv, run through `genuine pack` as a real
//! process), and the packages `genuine pack` writes, for Genuine and a brand.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use genuine_core::brandlink::BrandLink;
use genuine_core::pack::Brand;
use serde_json::Value;

use crate::cli::{genuine, signed_registry, stderr};
use crate::{fixture, repo};

/// Rows of a tab-separated fixture, without `#` comments and the header.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("reads fixture");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split('\t').map(|c| c.replace("\\n", "\n")).collect())
        .collect()
}

#[test]
fn brand_links_read_as_the_table_says() {
    let mut n = 0;
    for row in rows(&fixture("brandlinks.tsv")) {
        let (link, outcome) = (&row[0], row[1].as_str());
        let got = BrandLink::parse(link);
        match outcome {
            "ok" => {
                let offer = got.unwrap_or_else(|e| panic!("{link}: {e}"));
                assert_eq!(
                    (&offer.registry, &offer.fingerprint, &offer.name),
                    (&row[2], &row[3], &row[4]),
                    "{link}"
                );
                // What `genuine link` writes reads back as the same offer.
                assert_eq!(
                    BrandLink::parse(&offer.to_url()).as_ref(),
                    Ok(&offer),
                    "{link}"
                );
            }
            "error" => {
                let e = got.expect_err(link).to_string();
                assert!(e.contains(&row[2]), "{link}: {e:?} lacks {:?}", row[2]);
            }
            other => panic!("unknown outcome {other}"),
        }
        n += 1;
    }
    assert!(n >= 25, "only {n} cases read");
}

#[test]
fn brand_toml_errors_name_the_field_and_write_nothing() {
    let dir = signed_registry();
    let d = dir.path();
    let good = std::fs::read_to_string(fixture("brand/good.toml")).expect("good.toml");
    std::fs::write(d.join("good.toml"), &good).expect("writes");
    Brand::load(&d.join("good.toml")).expect("good.toml is a valid brand");
    let cases = rows(&fixture("brand/cases.tsv"));
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    for (i, row) in cases.iter().enumerate() {
        let (case, find, replace, want) = (&row[0], &row[1], &row[2], &row[3]);
        assert!(
            good.contains(find.as_str()),
            "{case}: good.toml has no {find:?}"
        );
        let file = format!("case{i}.toml");
        std::fs::write(d.join(&file), good.replacen(find.as_str(), replace, 1)).expect("writes");
        let out = format!("out{i}");
        let o = genuine(&["pack", "--brand", &file, "--out", &out], d);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{case}: {err}");
        assert!(
            err.contains(want.as_str()),
            "{case}: {err:?} lacks {want:?}"
        );
        assert!(
            err.contains(&file),
            "{case}: the message names the file: {err:?}"
        );
        assert!(!d.join(&out).exists(), "{case}: wrote {out}");
    }
}

/// The extension's sources with stand-ins for the wasm build (its bytes are
/// not the packer's business) and the demo-style default registry.
fn source_tree(reg: &Path) -> PathBuf {
    let src = reg.join("extension");
    copy_dir(&repo("extension"), &src);
    for gone in ["pkg", "registry", "keys"] {
        let _ = std::fs::remove_dir_all(src.join(gone));
    }
    for (p, bytes) in [
        (
            "pkg/genuine.js",
            b"// stand-in for wasm-bindgen's output\n".to_vec(),
        ),
        ("pkg/genuine_bg.wasm", b"\0asm\x01\0\0\0".to_vec()),
        ("pkg/genuine.d.ts", b"// not shipped\n".to_vec()),
        (
            "registry/default.signed",
            std::fs::read(reg.join("registry.signed")).expect("reads"),
        ),
        (
            "keys/default.pub",
            std::fs::read(reg.join("k.pub")).expect("reads"),
        ),
    ] {
        std::fs::create_dir_all(src.join(p).parent().expect("parent")).expect("mkdir");
        std::fs::write(src.join(p), bytes).expect("writes");
    }
    src
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("reads dir") {
        let p = e.expect("entry").path();
        let dest = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copies");
        }
    }
}

fn files_under(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).expect("reads dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files_under(&p, base, out);
        } else {
            let rel = p.strip_prefix(base).expect("under base");
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// A zip as Info-ZIP's `unzip` reads it (a reader that is not ours nor the
/// zip crate's): every entry's CRC checked (`-t`), the names (`-Z1`), and
/// one entry's bytes (`-p`).
fn unzip(zip: &Path, want: &str) -> (BTreeSet<String>, Vec<u8>) {
    let run = |args: &[&str]| {
        let o = Command::new("unzip")
            .args(args)
            .arg(zip)
            .args(args.contains(&"-p").then_some(want))
            .output()
            .expect("unzip runs (scripts/install.sh installs it)");
        assert!(
            o.status.success(),
            "unzip {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    };
    let tested = String::from_utf8(run(&["-t"])).expect("utf-8");
    assert!(tested.contains("No errors detected"), "unzip -t: {tested}");
    let names = String::from_utf8(run(&["-Z1"])).expect("utf-8");
    (names.lines().map(str::to_string).collect(), run(&["-p"]))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("reads json")).expect("parses json")
}

/// Centre-left pixel of a drawn 128 px icon (on the disc, off the check mark), RGB.
fn icon_pixel(png: &[u8]) -> [u8; 3] {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .expect("a PNG");
    let mut px = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut px).expect("decodes");
    assert_eq!((frame.width, frame.color_type), (128, png::ColorType::Rgba));
    let at = 64 * frame.line_size + 20 * 4;
    [px[at], px[at + 1], px[at + 2]]
}

#[test]
fn pack_makes_the_brand_build_from_the_same_sources() {
    let dir = signed_registry();
    let d = dir.path();
    let src = source_tree(d);
    std::fs::write(
        d.join("brand.toml"),
        std::fs::read(fixture("brand/good.toml")).expect("reads"),
    )
    .expect("writes");
    let pack = |brand: Option<&str>, out: &str| {
        // Demo: the scratch folder holds k.secret, which a release refuses
        // (release_builds_refuse_public_secrets_and_plain_http).
        let mut args = vec![
            "pack",
            "--demo",
            "--out",
            out,
            "--source",
            "extension",
            "--inbox",
            "https://genuine.example/api/reports",
        ];
        let profiles = repo("data/profiles.json");
        args.extend(["--profiles", profiles.to_str().expect("utf-8 path")]);
        if let Some(b) = brand {
            args.extend(["--brand", b]);
        }
        genuine(&args, d)
    };
    let o = pack(Some("brand.toml"), "out");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = d.join("out");
    let names: BTreeSet<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "chrome",
            "firefox",
            "kestrel-chrome.zip",
            "kestrel-firefox.zip"
        ]
        .map(String::from)
        .into()
    );

    let chrome = json(&out.join("chrome/manifest.json"));
    let firefox = json(&out.join("firefox/manifest.json"));
    for m in [&chrome, &firefox] {
        assert_eq!(m["short_name"], "Kestrel");
        assert_eq!(m["default_locale"], "de");
        assert_eq!(m["name"], "__MSG_extName__");
        assert_eq!(
            m["content_scripts"][1]["matches"],
            serde_json::json!(["*://kestrel.example/add*"])
        );
        assert!(
            m["content_scripts"][0]["matches"]
                .as_array()
                .expect("matches")
                .len()
                > 20
        );
    }
    assert_eq!(chrome["background"]["service_worker"], "background.js");
    assert_eq!(chrome["storage"]["managed_schema"], "managed_schema.json");
    assert!(chrome.get("browser_specific_settings").is_none());
    assert_eq!(firefox["background"]["scripts"][0], "background.js");
    assert_eq!(
        firefox["browser_specific_settings"]["gecko"]["id"],
        "check@kestrel.example"
    );
    assert!(firefox.get("storage").is_none());
    assert!(!out.join("firefox/managed_schema.json").exists());

    let config = json(&out.join("firefox/config.json"));
    assert_eq!(config["inbox"], "https://kestrel.example/api/reports");
    let sources = config["sources"].as_array().expect("sources");
    assert_eq!(
        sources.len(),
        1,
        "keep_default_registry = false: {sources:?}"
    );
    assert_eq!(
        sources[0]["url"],
        "https://kestrel.example/registry/kestrel.signed"
    );
    assert_eq!(
        std::fs::read(out.join("chrome/keys/brand.pub")).expect("key"),
        std::fs::read(d.join("k.pub")).expect("key")
    );
    assert_eq!(
        std::fs::read(out.join("chrome/registry/brand.signed")).expect("bundled"),
        std::fs::read(d.join("registry.signed")).expect("bundled")
    );
    assert!(
        !out.join("chrome/registry/default.signed").exists(),
        "the shared registry is not shipped"
    );
    assert!(!out.join("chrome/pkg/genuine.d.ts").exists());
    assert!(std::fs::read_to_string(out.join("chrome/look.js"))
        .expect("look")
        .contains("#7a1fa2"));
    assert_eq!(
        icon_pixel(&std::fs::read(out.join("chrome/icons/128.png")).expect("icon")),
        [0x7a, 0x1f, 0xa2]
    );

    for lang in ["en", "zh_CN", "fr", "de"] {
        let msgs = json(&out.join(format!("firefox/_locales/{lang}/messages.json")));
        assert_eq!(msgs["extName"]["message"], "Kestrel Audio Check", "{lang}");
        let all = msgs.as_object().expect("messages");
        assert!(
            all.values()
                .all(|m| !m["message"].as_str().unwrap_or("").contains("Genuine")),
            "{lang}: Genuine left"
        );
        assert!(msgs["badge_official"]["message"]
            .as_str()
            .expect("text")
            .starts_with("Kestrel Audio Check"));
    }

    for b in ["chrome", "firefox"] {
        let (entries, manifest) = unzip(&out.join(format!("kestrel-{b}.zip")), "manifest.json");
        let mut on_disk = BTreeSet::new();
        files_under(&out.join(b), &out.join(b), &mut on_disk);
        assert_eq!(entries, on_disk, "{b}: zip and folder hold the same files");
        assert_eq!(
            manifest,
            std::fs::read(out.join(b).join("manifest.json")).expect("reads")
        );
    }

    // Packing again replaces the output, byte for byte the same.
    let before = std::fs::read(out.join("kestrel-chrome.zip")).expect("zip");
    let o = pack(Some("brand.toml"), "out");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.join("kestrel-chrome.zip")).expect("zip"),
        before,
        "same inputs, same zip"
    );

    // A bad brand file leaves the earlier output as it was.
    std::fs::write(d.join("bad.toml"), "name = 3\n").expect("writes");
    let o = pack(Some("bad.toml"), "out");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(out.join("kestrel-chrome.zip")).expect("zip"),
        before
    );

    // A folder that is not a pack output is never replaced.
    std::fs::create_dir(d.join("mine")).expect("mkdir");
    std::fs::write(d.join("mine/notes.txt"), "keep me").expect("writes");
    let o = pack(Some("brand.toml"), "mine");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("mine/notes.txt")).expect("kept"),
        "keep me"
    );

    // keep_default_registry = true pins the shared registry after the brand's.
    let kept = std::fs::read_to_string(d.join("brand.toml"))
        .expect("reads")
        .replace(
            "keep_default_registry = false",
            "keep_default_registry = true",
        );
    std::fs::write(d.join("keep.toml"), kept).expect("writes");
    let o = pack(Some("keep.toml"), "kept");
    assert!(o.status.success(), "{}", stderr(&o));
    let config = json(&d.join("kept/chrome/config.json"));
    assert_eq!(config["sources"][0]["id"], "brand");
    assert_eq!(config["sources"][1]["id"], "default");
    assert_eq!(config["sources"][1]["shared"], true);
    assert!(d.join("kept/chrome/registry/default.signed").exists());

    // Genuine's own build: the message files untouched, the shared registry pinned.
    let o = pack(None, "stock");
    assert!(o.status.success(), "{}", stderr(&o));
    let stock = d.join("stock");
    assert!(stock.join("genuine-firefox.zip").exists());
    assert_eq!(
        std::fs::read(stock.join("chrome/_locales/fr/messages.json")).expect("reads"),
        std::fs::read(src.join("_locales/fr/messages.json")).expect("reads")
    );
    let config = json(&stock.join("chrome/config.json"));
    assert_eq!(config["inbox"], "https://genuine.example/api/reports");
    assert_eq!(config["sources"][0]["shared"], true);
    assert_eq!(
        json(&stock.join("firefox/manifest.json"))["browser_specific_settings"]["gecko"]["id"],
        "genuine@genuine.example"
    );
}

#[test]
fn pack_needs_the_wasm_build() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = genuine(
        &["pack", "--demo", "--out", "dist", "--source", "nowhere"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("run `make wasm registry` first"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("dist").exists());
}

#[test]
fn genuine_link_writes_a_link_the_extension_reads() {
    let dir = signed_registry();
    let d = dir.path();
    let o = genuine(
        &[
            "link",
            "--site",
            "https://kestrel.example/",
            "--registry",
            "https://kestrel.example/registry/k.signed",
            "--pubkey",
            "k.pub",
            "--name",
            "Kestrel Audio (凯斯翠)",
        ],
        d,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let link = String::from_utf8(o.stdout).expect("utf-8");
    let offer = BrandLink::parse(link.trim()).expect("reads back");
    let key =
        genuine_core::PublicKey::parse(&std::fs::read_to_string(d.join("k.pub")).expect("key"))
            .expect("key");
    assert_eq!(offer.fingerprint, key.fingerprint());
    assert_eq!(offer.name, "Kestrel Audio (凯斯翠)");
    assert_eq!(offer.site, "https://kestrel.example");
    assert!(
        link.starts_with("https://kestrel.example/add?registry="),
        "{link}"
    );

    let o = genuine(
        &[
            "link",
            "--site",
            "https://kestrel.example",
            "--registry",
            "http://kestrel.example/r.signed",
            "--pubkey",
            "k.pub",
            "--name",
            "K",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("must be https"), "{}", stderr(&o));
}

/// Issue 12, part 3: a release build pins no key whose secret is public and
/// fetches nothing over plain http; each refusal says what to set, and
/// writes nothing.
#[test]
fn release_builds_refuse_public_secrets_and_plain_http() {
    let dir = signed_registry();
    let d = dir.path();
    source_tree(d);
    // The publisher's real key: its secret kept elsewhere than the repository.
    let vault = tempfile::tempdir().expect("tempdir");
    let ok = |o: std::process::Output| assert!(o.status.success(), "{}", stderr(&o));
    ok(genuine(
        &[
            "registry",
            "keygen",
            "--secret",
            "pub.secret",
            "--public",
            "pub.pub",
        ],
        vault.path(),
    ));
    let vault_pub = vault.path().join("pub.pub");
    let vault_pub = vault_pub.to_str().expect("utf-8");
    let demo_pub = repo("www/demo/registry/demo.pub");
    let profiles = repo("data/profiles.json");
    let pack = |extra: &[&str]| {
        let mut args = vec![
            "pack",
            "--out",
            "release",
            "--source",
            "extension",
            "--profiles",
            profiles.to_str().expect("utf-8"),
        ];
        args.extend_from_slice(extra);
        genuine(&args, d)
    };
    let https = [
        "--registry-url",
        "https://genuine.example/registry/default.signed",
        "--inbox",
        "https://genuine.example/api/reports",
    ];
    let refused = |extra: &[&str], want: &str| {
        let o = pack(extra);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(want), "{extra:?}: {err:?} lacks {want:?}");
        assert!(!d.join("release").exists(), "{extra:?} wrote release/");
    };
    refused(&[], "GENUINE_REGISTRY_URL");
    refused(&https, "GENUINE_PUBLISHER_KEY");
    let k_pub = d.join("k.pub");
    let k_pub = k_pub.to_str().expect("utf-8");
    // k.secret lies in the folder the build runs from (the repository).
    let mut with_k = https.to_vec();
    with_k.extend(["--publisher-key", k_pub]);
    refused(&with_k, "whose secret is public");
    // The demo key, even where its secret is not at hand.
    let mut with_demo = https.to_vec();
    with_demo.extend(["--publisher-key", demo_pub.to_str().expect("utf-8")]);
    refused(&with_demo, "whose secret is public");
    let mut plain = vec![
        "--registry-url",
        "http://127.0.0.1:8080/registry/demo.signed",
        "--inbox",
        "https://genuine.example/api/reports",
    ];
    plain.extend(["--publisher-key", vault_pub]);
    refused(&plain, "https://");
    // A demo brand build's registry is on this machine over http: refused too.
    std::fs::write(
        d.join("local.toml"),
        std::fs::read_to_string(fixture("brand/good.toml"))
            .expect("good.toml")
            .replace(
                "https://kestrel.example/registry",
                "http://127.0.0.1:8080/registry",
            ),
    )
    .expect("writes");
    refused(&["--brand", "local.toml"], "https://");
    // The real thing: a key whose secret is elsewhere, https everywhere.
    let mut good = https.to_vec();
    good.extend(["--publisher-key", vault_pub]);
    ok(pack(&good));
    let config: serde_json::Value = serde_json::from_slice(
        &std::fs::read(d.join("release/chrome/config.json")).expect("config.json"),
    )
    .expect("json");
    assert_eq!(config["demo"], serde_json::Value::Null, "{config}");
    assert_eq!(
        config["sources"][0]["url"],
        "https://genuine.example/registry/default.signed"
    );
    let pinned = std::fs::read_to_string(d.join("release/chrome/keys/default.pub")).expect("key");
    assert_eq!(
        pinned.trim(),
        std::fs::read_to_string(vault.path().join("pub.pub"))
            .expect("pub")
            .trim()
    );
}
