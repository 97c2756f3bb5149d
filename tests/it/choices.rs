//! The user's own choices (src/choices.rs): what trusting a store covers,
//! where it may be set, and which registries may be added.

use genuine_core::choices::{
    added_source, banner_may_trust, check_fingerprint, overrides, store_key, AddError,
};
use genuine_core::Level;

#[test]
fn a_trusted_store_is_known_by_its_id_else_its_name() {
    let cases = [
        (
            (Some("tmall"), Some("6666"), Some("奥罗拉")),
            Some("tmall:id:6666"),
        ),
        (
            (Some("tmall"), Some(""), Some("奥罗拉")),
            Some("tmall:name:奥罗拉"),
        ),
        (
            (Some("tmall"), None, Some("奥罗拉")),
            Some("tmall:name:奥罗拉"),
        ),
        ((Some("tmall"), None, None), None),
        ((None, Some("6666"), Some("x")), None),
        ((Some(""), Some("6666"), None), None),
    ];
    for ((platform, id, name), want) in cases {
        let url = Some("https://detail.tmall.com/item.htm?id=1");
        assert_eq!(
            store_key(platform, url, id, name).as_deref(),
            want,
            "{platform:?} {id:?} {name:?}"
        );
    }
}

/// On the open web a page writes its own name and ids: another site
/// copying a trusted shop's name or id must not inherit the trust.
#[test]
fn a_trusted_web_shop_is_known_by_its_host() {
    let name = Some("Aurora Wellness Shop");
    let key = |url, id| store_key(Some("web"), url, id, name);
    assert_eq!(
        key(Some("https://www.aurora.example/p/1"), None).as_deref(),
        Some("web:host:www.aurora.example")
    );
    let trusted = key(Some("https://www.aurora.example/p/1"), None);
    assert_ne!(key(Some("https://evil.example/p/1"), None), trusted);
    assert_ne!(
        key(Some("https://evil.example/p/1"), Some("www.aurora.example")),
        trusted
    );
    assert_eq!(key(None, Some("www.aurora.example")), None);
    assert_eq!(key(Some("javascript:alert(1)"), None), None);
}

#[test]
fn trust_covers_warnings_only_and_the_banner_trusts_a_caution_at_most() {
    // (level, trust changes it, the in-page banner may set it)
    let cases = [
        (Level::Danger, true, false),
        (Level::Caution, true, true),
        // A trusted store never shows as proven, and "none" stays none.
        (Level::Official, false, false),
        (Level::None, false, false),
    ];
    for (level, over, banner) in cases {
        assert_eq!(overrides(level), over, "{level:?}");
        assert_eq!(banner_may_trust(level), banner, "{level:?}");
    }
}

#[test]
fn which_registry_addresses_may_be_added() {
    let ok = |url: &str, key: Option<&str>, want_key: &str| {
        let s = added_source(url, key).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(s.key_url, want_key, "{url}");
        assert_eq!(s.id, format!("user:{url}"));
    };
    ok(
        "https://brand.example/r/brand.signed",
        None,
        "https://brand.example/r/brand.pub",
    );
    ok(
        "https://brand.example/r/brand.signed?v=2#x",
        None,
        "https://brand.example/r/brand.pub",
    );
    ok(
        "https://brand.example/registry",
        None,
        "https://brand.example/registry.pub",
    );
    ok(
        "https://brand.example/r.signed",
        Some("https://keys.example/brand.pub"),
        "https://keys.example/brand.pub",
    );
    // A brand testing on its own machine.
    ok(
        "http://127.0.0.1:8080/registry/demo.signed",
        None,
        "http://127.0.0.1:8080/registry/demo.pub",
    );
    ok("http://localhost/r.signed", None, "http://localhost/r.pub");
    let refused = [
        ("http://brand.example/r.signed", AddError::NotHttps),
        ("http://127.0.0.1.evil.example/r.signed", AddError::NotHttps),
        ("http://localhost.evil.example/r.signed", AddError::NotHttps),
        (
            "ftp://brand.example/r.signed",
            AddError::NotAUrl("ftp://brand.example/r.signed".into()),
        ),
        (
            "javascript:alert(1)",
            AddError::NotAUrl("javascript:alert(1)".into()),
        ),
        ("https://", AddError::NotAUrl("https://".into())),
    ];
    for (url, want) in refused {
        assert_eq!(added_source(url, None), Err(want), "{url}");
    }
    assert!(matches!(
        added_source("https://brand.example/r.signed", Some("file:///etc/passwd")),
        Err(AddError::NotAUrl(_))
    ));
}

#[test]
fn the_fingerprint_must_be_the_one_the_user_confirmed() {
    let fp = "ef5af1f232089fe86ff6f2f73c82bb59";
    for given in [
        fp,
        "EF5A F1F2 3208 9FE8 6FF6 F2F7 3C82 BB59",
        "ef:5a:f1:f2:32:08:9f:e8:6f:f6:f2:f7:3c:82:bb:59",
    ] {
        assert_eq!(check_fingerprint(fp, given), Ok(()), "{given}");
    }
    for given in [
        "",
        "ef5af1f2",
        "ef5af1f232089fe86ff6f2f73c82bb5a",
        "ef5af1f232089fe86ff6f2f73c82bb59ff",
    ] {
        assert_eq!(
            check_fingerprint(fp, given),
            Err(AddError::Fingerprint { actual: fp.into() }),
            "{given:?}"
        );
    }
    // No fingerprint at all on the registry: never a match, even with nothing given.
    assert!(check_fingerprint("", "").is_err());
}
