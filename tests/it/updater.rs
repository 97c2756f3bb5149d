//! The registry updater's policy (src/updater): every transition of one
//! update and of a worker wake, as tables. The browser I/O around it is
//! exercised by the registry e2e suite in Chromium and Firefox.

use genuine_core::registry::patch::MAX_PATCH_BYTES;
use genuine_core::time::Timestamp;
use genuine_core::updater::{
    alarm, if_none_match, on_answer, on_download, on_head, on_patch_answer, on_start, status_after,
    wants_patch, Answer, CacheMeta, CacheRead, Decision, Downloaded, Head, Held, Next, SourceFacts,
    Status, UpdateError, Via, MAX_DOWNLOAD_BYTES, RECHECK_SECS,
};

const URL: &str = "https://brand.example/registry.signed";

fn http(status: u16, length: Option<u64>) -> Answer {
    Answer::Http { status, length }
}

#[test]
fn what_an_answer_means() {
    let read = Next::Read {
        limit: MAX_DOWNLOAD_BYTES,
    };
    let cases: Vec<(&str, Answer, Next)> = vec![
        ("200 with a body", http(200, Some(20_000)), read.clone()),
        ("200 without Content-Length", http(200, None), read.clone()),
        ("203 is still a body", http(203, Some(1)), read.clone()),
        (
            "304: the cached copy is current",
            http(304, None),
            Next::Unchanged,
        ),
        (
            "404",
            http(404, Some(9)),
            Next::Fail(UpdateError::Http {
                status: 404,
                url: URL.into(),
            }),
        ),
        (
            "500",
            http(500, None),
            Next::Fail(UpdateError::Http {
                status: 500,
                url: URL.into(),
            }),
        ),
        (
            "a redirect fetch did not follow",
            http(302, None),
            Next::Fail(UpdateError::Http {
                status: 302,
                url: URL.into(),
            }),
        ),
        (
            "network error",
            Answer::Network("Failed to fetch".into()),
            Next::Fail(UpdateError::Network {
                url: URL.into(),
                why: "Failed to fetch".into(),
            }),
        ),
        (
            "too large by its own Content-Length",
            http(200, Some(MAX_DOWNLOAD_BYTES + 1)),
            Next::Fail(UpdateError::TooLarge(MAX_DOWNLOAD_BYTES + 1)),
        ),
        (
            "exactly the limit is read",
            http(200, Some(MAX_DOWNLOAD_BYTES)),
            read,
        ),
    ];
    for (name, answer, want) in cases {
        assert_eq!(on_answer(URL, answer), want, "{name}");
    }
}

#[test]
fn the_etag_goes_back_only_when_there_is_one() {
    let meta = |etag: Option<&str>| CacheMeta {
        version: 3,
        etag: etag.map(String::from),
        checksum: Some("ab".into()),
    };
    assert_eq!(if_none_match(None), None);
    assert_eq!(if_none_match(Some(&meta(None))), None);
    assert_eq!(if_none_match(Some(&meta(Some("")))), None);
    assert_eq!(if_none_match(Some(&meta(Some("\"v3\"")))), Some("\"v3\""));
}

#[test]
fn what_a_download_may_replace() {
    let got = |version| Ok(Downloaded { version });
    let held = |engine, cached, floor| Held {
        engine,
        cached,
        floor,
    };
    let rollback = |got, held| Decision::Fail(UpdateError::Rollback { got, held });
    let cases: Vec<(&str, Held, Result<Downloaded, String>, Decision)> = vec![
        (
            "newer than the engine in use",
            held(Some(10), Some(10), 0),
            got(11),
            Decision::Replace,
        ),
        (
            "same as the engine in use",
            held(Some(10), Some(10), 0),
            got(10),
            Decision::Unchanged,
        ),
        (
            "older than the engine in use: rollback",
            held(Some(10), Some(10), 0),
            got(9),
            rollback(9, 10),
        ),
        // The engine in use is what counts, even if the cache says otherwise.
        (
            "engine beats cache",
            held(Some(12), Some(10), 0),
            got(11),
            rollback(11, 12),
        ),
        (
            "no engine: the cached version is the floor",
            held(None, Some(10), 0),
            got(9),
            rollback(9, 10),
        ),
        // A source added by the user: nothing held, the cached copy is re-put.
        (
            "no engine, same version as cached: taken",
            held(None, Some(10), 0),
            got(10),
            Decision::Replace,
        ),
        (
            "a dropped copy's version is the floor",
            held(None, None, 7),
            got(6),
            rollback(6, 7),
        ),
        (
            "dropped copy, same version again: taken",
            held(None, None, 7),
            got(7),
            Decision::Replace,
        ),
        (
            "nothing held at all",
            held(None, None, 0),
            got(1),
            Decision::Replace,
        ),
        (
            "tampered: the registry's own words",
            held(Some(10), None, 0),
            Err("the registry's signature does not match its contents".into()),
            Decision::Fail(UpdateError::Refused(
                "the registry's signature does not match its contents".into(),
            )),
        ),
        (
            "signed by another key",
            held(Some(10), None, 0),
            Err("signed by key ab…, not by the trusted key cd…".into()),
            Decision::Fail(UpdateError::Refused(
                "signed by key ab…, not by the trusted key cd…".into(),
            )),
        ),
        (
            "versions beyond 2^53 never get here: the registry refuses them",
            held(Some(10), None, 0),
            Err(
                "invalid registry: version 9007199254740992 is larger than 9007199254740991".into(),
            ),
            Decision::Fail(UpdateError::Refused(
                "invalid registry: version 9007199254740992 is larger than 9007199254740991".into(),
            )),
        ),
    ];
    for (name, held, verified, want) in cases {
        assert_eq!(on_download(held, verified), want, "{name}");
    }
}

#[test]
fn the_status_says_what_happened() {
    let t = |s: &str| Timestamp::parse(s).expect("time");
    let before = Status {
        last_check: Some("2026-11-30T00:00:00Z".into()),
        last_update: Some("2026-11-29T00:00:00Z".into()),
        error: Some("HTTP 500 from x".into()),
        updated_by: Some("download".into()),
        patch_refused: None,
    };
    let now = t("2026-12-01T12:00:00Z");
    let updated = status_after(&before, &Ok(Some(Via::Patch)), now);
    assert_eq!(updated.last_update.as_deref(), Some("2026-12-01T12:00:00Z"));
    assert_eq!(updated.error, None);
    assert_eq!(updated.updated_by.as_deref(), Some("patch"));
    let fell_back = status_after(
        &before,
        &Ok(Some(Via::Download {
            refused: Some("the patch's signature: …".into()),
        })),
        now,
    );
    assert_eq!(fell_back.updated_by.as_deref(), Some("download"));
    assert_eq!(
        fell_back.patch_refused.as_deref(),
        Some("the patch's signature: …")
    );
    let unchanged = status_after(&before, &Ok(None), now);
    assert_eq!(
        unchanged.last_check.as_deref(),
        Some("2026-12-01T12:00:00Z")
    );
    assert_eq!(
        unchanged.last_update, before.last_update,
        "a 304 is not an update"
    );
    assert_eq!(unchanged.error, None, "a good answer clears an old error");
    let failed = status_after(
        &before,
        &Err(UpdateError::Rollback { got: 9, held: 10 }),
        now,
    );
    assert_eq!(failed.last_update, before.last_update);
    assert_eq!(
        failed.error.as_deref(),
        Some("refused version 9: older than the version 10 in use (rollback)")
    );
    assert_eq!(
        unchanged.updated_by, before.updated_by,
        "how the last update came stays"
    );
    // The options page reads these names.
    let json = serde_json::to_value(&failed).expect("json");
    assert!(json.get("lastCheck").is_some() && json.get("lastUpdate").is_some());
}

#[test]
fn where_a_wake_gets_its_engine() {
    let now = Timestamp::parse("2026-12-01T12:00:00Z").expect("time");
    let ago = |s: i64| Some(Timestamp(now.0 - s));
    let facts = |has_bundled, has_url, last_check| SourceFacts {
        has_bundled,
        has_url,
        last_check,
    };
    let corrupt = || CacheRead::Corrupt {
        version: 12,
        why: "the stored copy does not match its checksum".into(),
    };
    let dropped =
        Some("cached copy dropped: the stored copy does not match its checksum".to_string());
    // (name, cache, facts, drop, bundled, download, error)
    type Row = (
        &'static str,
        CacheRead,
        SourceFacts,
        bool,
        bool,
        Option<u64>,
        Option<String>,
    );
    let cases: Vec<Row> = vec![
        ("cached copy loads: nothing else", CacheRead::Loaded, facts(true, true, None), false, false, None, None),
        ("no cache, bundled copy", CacheRead::Missing, facts(true, true, None), false, true, None, None),
        ("no cache, no bundled copy: download now", CacheRead::Missing, facts(false, true, None), false, false, Some(0), None),
        (
            "no cache, asked a minute ago: wait for the alarm",
            CacheRead::Missing,
            facts(false, true, ago(60)),
            false,
            false,
            None,
            None,
        ),
        (
            "no cache, asked long ago: download now",
            CacheRead::Missing,
            facts(false, true, ago(RECHECK_SECS)),
            false,
            false,
            Some(0),
            None,
        ),
        (
            "a clock that went back does not block forever",
            CacheRead::Missing,
            facts(false, true, ago(-86_400)),
            false,
            false,
            Some(0),
            None,
        ),
        ("no cache, no bundled copy, no URL: nothing", CacheRead::Missing, facts(false, false, None), false, false, None, None),
        ("corrupted cache, bundled copy: dropped, bundled", corrupt(), facts(true, true, None), true, true, None, dropped.clone()),
        (
            "corrupted cache, no bundled copy: dropped, downloaded again at once, not below its version",
            corrupt(),
            facts(false, true, ago(10)),
            true,
            false,
            Some(12),
            dropped.clone(),
        ),
        ("corrupted cache, nowhere to get another", corrupt(), facts(false, false, None), true, false, None, dropped),
    ];
    for (name, cache, facts, drop, bundled, download, error) in cases {
        let s = on_start(cache, facts, now);
        assert_eq!(
            (s.drop_cache, s.bundled, s.download, s.error),
            (drop, bundled, download, error),
            "{name}"
        );
    }
}

#[test]
fn alarms_are_spread_and_bounded() {
    assert_eq!(alarm(0.0), (1.0, 360.0));
    let (d, p) = alarm(0.999);
    assert!(d < 31.0 && p < 420.0);
    // A broken random source still gives a sane alarm.
    for r in [f64::NAN, f64::INFINITY, -1.0, 7.0] {
        let (d, p) = alarm(r);
        assert!(
            (1.0..=31.0).contains(&d) && (360.0..=420.0).contains(&p),
            "{r}"
        );
    }
}

#[test]
fn a_patch_is_tried_only_for_a_verified_copy_and_only_when_the_file_changed() {
    let meta = |checksum: Option<&str>| CacheMeta {
        version: 10,
        etag: Some("\"a\"".into()),
        checksum: checksum.map(String::from),
    };
    assert!(!wants_patch(None), "nothing held: the whole file");
    assert!(
        !wants_patch(Some(&meta(None))),
        "a copy from before checksums: the whole file"
    );
    assert!(wants_patch(Some(&meta(Some("ab")))));
    let heads: Vec<(Answer, Head)> = vec![
        (http(304, None), Head::Unchanged),
        (http(200, Some(20_000)), Head::Patch),
        (http(204, None), Head::Patch),
        (http(405, None), Head::Download),
        (http(404, None), Head::Download),
        (Answer::Network("offline".into()), Head::Download),
    ];
    for (answer, want) in heads {
        assert_eq!(on_head(&answer), want, "{answer:?}");
    }
    let limit = MAX_PATCH_BYTES as u64;
    let patches: Vec<(Answer, Option<u64>)> = vec![
        (http(200, Some(900)), Some(limit)),
        (http(200, None), Some(limit)),
        (http(200, Some(limit + 1)), None),
        (http(404, None), None),
        (http(500, None), None),
        (Answer::Network("offline".into()), None),
    ];
    for (answer, want) in patches {
        assert_eq!(on_patch_answer(&answer), want, "{answer:?}");
    }
}
