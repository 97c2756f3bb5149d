//! The `genuine` command-line contract, run as a real process: what scripts
//! and brands rely on (exact forms, exit codes, nothing half-written).

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::repo;

pub(crate) fn genuine(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_genuine"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs genuine")
}

pub(crate) fn genuine_stdin(args: &[&str], cwd: &Path, stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_genuine"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs genuine");
    // A process that refuses its input (wrong key) exits before reading it;
    // the broken pipe that leaves us is expected, its exit code is the answer.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    child.wait_with_output().expect("waits")
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// keygen → import → sign → verify, in a scratch directory with the demo CSVs.
pub(crate) fn signed_registry() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let demo = repo("www/demo/registry");
    for f in ["accounts.csv", "products.csv", "blocklist.csv"] {
        std::fs::copy(demo.join(f), d.join(f)).expect("copies csv");
    }
    let ok = |o: Output| assert!(o.status.success(), "{}", stderr(&o));
    ok(genuine(
        &[
            "registry", "keygen", "--secret", "k.secret", "--public", "k.pub",
        ],
        d,
    ));
    ok(genuine(
        &[
            "registry",
            "keygen",
            "--secret",
            "other.secret",
            "--public",
            "other.pub",
        ],
        d,
    ));
    ok(genuine(
        &[
            "registry",
            "import",
            "--accounts",
            "accounts.csv",
            "--products",
            "products.csv",
            "--blocklist",
            "blocklist.csv",
            "--version",
            "7",
            "--out",
            "registry.json",
        ],
        d,
    ));
    ok(genuine(
        &[
            "registry",
            "sign",
            "--key",
            "k.secret",
            "registry.json",
            "--out",
            "registry.signed",
        ],
        d,
    ));
    dir
}

#[test]
fn verify_accepts_only_the_untouched_file_and_the_right_key() {
    let dir = signed_registry();
    let d = dir.path();
    let verify = |file: &str, key: &str| genuine(&["registry", "verify", "--pubkey", key, file], d);
    assert!(verify("registry.signed", "k.pub").status.success());

    let signed = std::fs::read(d.join("registry.signed")).expect("signed");
    let header_end = signed.iter().position(|&b| b == b'\n').expect("header");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("payload byte changed", {
            let mut b = signed.clone();
            let i = header_end + 40;
            b[i] ^= 0x01;
            b
        }),
        ("signature byte changed", {
            let mut b = signed.clone();
            b[header_end - 5] = if b[header_end - 5] == b'A' {
                b'B'
            } else {
                b'A'
            };
            b
        }),
        ("truncated", signed[..signed.len() - 10].to_vec()),
        ("trailing byte", [signed.as_slice(), b"\n"].concat()),
        ("unsigned", signed[header_end + 1..].to_vec()),
    ];
    for (what, bytes) in cases {
        std::fs::write(d.join("bad.signed"), bytes).expect("writes");
        let o = verify("bad.signed", "k.pub");
        assert_eq!(o.status.code(), Some(2), "{what} verified: {}", stderr(&o));
        assert!(
            stderr(&o).contains("bad.signed"),
            "{what}: message names the file: {}",
            stderr(&o)
        );
    }
    let o = verify("registry.signed", "other.pub");
    assert!(
        !o.status.success() && stderr(&o).contains("not by the trusted key"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stats_and_diff() {
    let dir = signed_registry();
    let d = dir.path();
    let o = genuine(&["registry", "stats", "registry.signed"], d);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("v7") && out.contains("2 brands, 6 accounts, 2 products, 1 blocklisted"),
        "{out}"
    );
    std::fs::write(d.join("more.csv"), "brand,brand_aliases,platform,store_name,store_id,store_url,kind\nNew Brand,,ebay,newbrand_official,nb1,,official\n").expect("writes");
    let o = genuine(
        &[
            "registry",
            "import",
            "--accounts",
            "more.csv",
            "--version",
            "8",
            "--out",
            "new.json",
        ],
        d,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = genuine(&["registry", "diff", "registry.json", "new.json"], d);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("version 7 → 8")
            && out.contains("+ account New Brand ebay newbrand_official")
            && out.contains("- blocked tmall"),
        "{out}"
    );
}

#[test]
fn bad_csv_rows_name_file_line_column_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let header = "brand,brand_aliases,platform,store_name,store_id,store_url,kind\n";
    let cases = [
        (
            format!("{header}A,,tmall,A店,1,,official\nB,,mars,B店,2,,official\n"),
            "accounts.csv:3:3",
            "unknown platform 'mars'",
        ),
        (
            format!("{header}A,,tmall,A店,1,,official\nB,,jd,B店,2,,boss\n"),
            "accounts.csv:3:7",
            "kind must be",
        ),
        (
            format!("{header}A,,tmall,,,,official\n"),
            "accounts.csv:2:4",
            "store_name is empty",
        ),
        (
            format!("{header}A,,tmall,A店,1,ftp://x,official\n"),
            "accounts.csv:2:6",
            "not an http(s) URL",
        ),
        (
            "brand,platform\nA,tmall\n".to_string(),
            "accounts.csv:1:0",
            "no 'brand_aliases' column",
        ),
        (format!("{header}\"A,,tmall\n"), "accounts.csv:", ""),
    ];
    for (csv, place, message) in cases {
        std::fs::write(d.join("accounts.csv"), &csv).expect("writes");
        let o = genuine(
            &[
                "registry",
                "import",
                "--accounts",
                "accounts.csv",
                "--out",
                "out.json",
            ],
            d,
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{csv}: {err}");
        assert!(
            err.contains(place) && err.contains(message),
            "expected {place} {message}, got: {err}"
        );
        assert!(
            !d.join("out.json").exists(),
            "a failed import wrote its output"
        );
    }
    std::fs::write(
        d.join("products.csv"),
        "brand,product,gtin,price,currency,min_ratio\nA,P,,12.x,CNY,\n",
    )
    .expect("writes");
    std::fs::write(
        d.join("accounts.csv"),
        format!("{header}A,,tmall,A店,1,,official\n"),
    )
    .expect("writes");
    let o = genuine(
        &[
            "registry",
            "import",
            "--accounts",
            "accounts.csv",
            "--products",
            "products.csv",
            "--out",
            "out.json",
        ],
        d,
    );
    assert!(
        stderr(&o).contains("products.csv:2:4") && stderr(&o).contains("'12.x'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_answers_every_line_in_order() {
    let dir = signed_registry();
    let d = dir.path();
    let input = [
        r#"{"platform":"tmall","store_name":"奥罗拉健康官方旗舰店","store_id":"1001"}"#,
        r#"{"broken"#,
        r#"{"url":"https://www.amazon.com/dp/X","store_name":"Aur0ra Wellness 0fficial Store"}"#,
        r#"{"platform":"jd","title":"no store"}"#,
        r#"{"platform":"amazon","store_name":"Anker Direct"}"#,
    ]
    .join("\n");
    let o = genuine_stdin(
        &[
            "check",
            "--registry",
            "registry.signed",
            "--pubkey",
            "k.pub",
        ],
        d,
        &input,
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(lines[0]["level"], "official");
    assert!(lines[1]["error"]
        .as_str()
        .is_some_and(|e| e.starts_with("line 2")));
    assert_eq!(lines[2]["level"], "danger");
    assert_eq!(lines[2]["brand"], "Aurora Wellness");
    assert!(lines[3]["error"].is_string());
    assert_eq!(lines[4]["level"], "none");
    assert_eq!(o.status.code(), Some(1), "a bad line makes the exit code 1");

    let o = genuine_stdin(
        &[
            "check",
            "--registry",
            "registry.signed",
            "--pubkey",
            "other.pub",
        ],
        d,
        &input,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        o.stdout.is_empty(),
        "nothing is judged against an unverified registry"
    );
    let o = genuine_stdin(
        &["check", "--registry", "registry.json", "--allow-unsigned"],
        d,
        &input,
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 5);
}

#[test]
fn check_writes_reasons_in_the_language_asked_for() {
    let dir = signed_registry();
    let line = r#"{"platform":"amazon","store_name":"Aur0ra Wellness 0fficial Store"}"#;
    for (lang, starts) in [
        ("en", "Looks like Aurora Wellness Official Store"),
        ("zh-CN", "看起来像Aurora Wellness Official Store"),
        ("fr", "Ressemble à Aurora Wellness Official Store"),
        ("de", "Sieht aus wie Aurora Wellness Official Store"),
        ("ja", "Looks like Aurora Wellness Official Store"),
    ] {
        let args = [
            "check",
            "--registry",
            "registry.signed",
            "--pubkey",
            "k.pub",
            "--lang",
            lang,
        ];
        let o = genuine_stdin(&args, dir.path(), line);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON line");
        let text = v["reasons"][0]["text"].as_str().unwrap_or_default();
        assert!(text.starts_with(starts), "{lang}: {text}");
        assert_eq!(
            v["reasons"][0]["code"], "lookalike_name",
            "{lang}: codes never change"
        );
    }
}
