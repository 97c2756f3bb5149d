//! The report outbox's policy (src/outbox): every transition from Send to
//! the inbox's receipt, as tables and short histories. The browser I/O
//! around it is exercised by the report e2e suite in Chromium and Firefox
//! against a real `genuine serve`.

use genuine_core::outbox::{
    after_attempt, after_poll, before_attempt, due, next_alarm, put, retry_after_secs, status_url,
    submit, to_poll, Attempt, Delivery, Entry, ErrorText, State, SubmitError, BACKOFF_SECS,
    GIVE_UP_MS, KEEP, MAX_RETRY_AFTER_SECS, PER_HOUR,
};

const INBOX: &str = "https://inbox.example/api/reports";
const T0: i64 = 1_796_000_000_000;

fn summary() -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("store_name".into(), "Amvvay 0fficial Store".into());
    m
}

fn queued(id: &str, now: i64) -> Entry {
    let mut list = Vec::new();
    submit(&mut list, id, INBOX, summary(), now).expect("queued")
}

fn sending(e: &Entry, now: i64) -> Entry {
    match before_attempt(e, true, now) {
        Attempt::Send(s) => s,
        other => panic!("expected a send, got {other:?}"),
    }
}

fn answer(status: u16, reference: Option<&str>, retry_after: Option<&str>) -> Delivery {
    Delivery::Answer {
        status,
        reference: reference.map(String::from),
        state: None,
        message: None,
        retry_after: retry_after.map(String::from),
    }
}

#[test]
fn each_answer_to_an_attempt() {
    let first = BACKOFF_SECS[0] as i64 * 1000;
    // (name, delivery, state, next attempt in ms from now (None: finished), reference, error)
    type Row = (
        &'static str,
        Delivery,
        State,
        Option<i64>,
        Option<&'static str>,
        Option<ErrorText>,
    );
    let cases: Vec<Row> = vec![
        (
            "201 with a reference",
            answer(201, Some("GEN-000001"), None),
            State::Received,
            None,
            Some("GEN-000001"),
            None,
        ),
        (
            "200: a duplicate id answered with the first receipt",
            answer(200, Some("GEN-000001"), None),
            State::Received,
            None,
            Some("GEN-000001"),
            None,
        ),
        (
            "the inbox says confirmed already",
            Delivery::Answer {
                status: 200,
                reference: Some("GEN-7".into()),
                state: Some("confirmed".into()),
                message: None,
                retry_after: None,
            },
            State::Confirmed,
            None,
            Some("GEN-7"),
            None,
        ),
        (
            "an unknown state from the inbox is read as received",
            Delivery::Answer {
                status: 201,
                reference: Some("GEN-8".into()),
                state: Some("<script>".into()),
                message: None,
                retry_after: None,
            },
            State::Received,
            None,
            Some("GEN-8"),
            None,
        ),
        (
            "2xx without a reference: not delivered, retried",
            answer(201, None, None),
            State::Queued,
            Some(first),
            None,
            Some(ErrorText::Text("HTTP 201".into())),
        ),
        (
            "offline",
            Delivery::Network("Failed to fetch".into()),
            State::Queued,
            Some(first),
            None,
            Some(ErrorText::Text("Failed to fetch".into())),
        ),
        (
            "5xx",
            answer(503, None, None),
            State::Queued,
            Some(first),
            None,
            Some(ErrorText::Text("HTTP 503".into())),
        ),
        (
            "429 with Retry-After longer than the backoff",
            answer(429, None, Some("600")),
            State::Queued,
            Some(600_000),
            None,
            Some(ErrorText::Text("HTTP 429".into())),
        ),
        (
            "429 with Retry-After shorter than the backoff",
            answer(429, None, Some("5")),
            State::Queued,
            Some(first),
            None,
            Some(ErrorText::Text("HTTP 429".into())),
        ),
        (
            "429 with an HTTP-date Retry-After: the backoff",
            answer(429, None, Some("Wed, 21 Oct 2026 07:28:00 GMT")),
            State::Queued,
            Some(first),
            None,
            Some(ErrorText::Text("HTTP 429".into())),
        ),
        (
            "429 asking for a year: capped at a day",
            answer(429, None, Some("31536000")),
            State::Queued,
            Some(MAX_RETRY_AFTER_SECS as i64 * 1000),
            None,
            Some(ErrorText::Text("HTTP 429".into())),
        ),
        (
            "400: refused for good, in the inbox's words",
            Delivery::Answer {
                status: 400,
                reference: None,
                state: None,
                message: Some("store_name is required".into()),
                retry_after: None,
            },
            State::Failed,
            None,
            None,
            Some(ErrorText::Text("store_name is required".into())),
        ),
        (
            "413 too large: for good",
            answer(413, None, None),
            State::Failed,
            None,
            None,
            Some(ErrorText::Text("HTTP 413".into())),
        ),
        (
            "422: for good",
            answer(422, None, None),
            State::Failed,
            None,
            None,
            Some(ErrorText::Text("HTTP 422".into())),
        ),
        (
            "404: maybe a moved inbox, retried",
            answer(404, None, None),
            State::Queued,
            Some(first),
            None,
            Some(ErrorText::Text("HTTP 404".into())),
        ),
    ];
    for (name, delivery, state, next_in, reference, error) in cases {
        let e = sending(&queued("r1", T0), T0);
        let now = T0 + 5;
        let after = after_attempt(&e, delivery, now);
        assert_eq!(after.state, state, "{name}");
        assert_eq!(after.next_ms.map(|t| t - now), next_in, "{name}");
        assert_eq!(after.reference.as_deref(), reference, "{name}");
        assert_eq!(after.error, error, "{name}");
        assert_eq!(after.attempts, 1, "{name}");
        assert_eq!(after.received_ms.is_some(), reference.is_some(), "{name}");
    }
}

#[test]
fn the_backoff_grows_then_holds_at_an_hour() {
    let mut e = queued("r1", T0);
    let mut now = T0;
    let mut waits = Vec::new();
    for _ in 0..9 {
        let s = sending(&e, now);
        e = after_attempt(&s, Delivery::Network("offline".into()), now);
        let next = e.next_ms.expect("queued");
        waits.push((next - now) / 1000);
        now = next;
    }
    assert_eq!(waits, vec![30, 60, 120, 300, 900, 1800, 3600, 3600, 3600]);
    assert_eq!(e.attempts, 9);
}

#[test]
fn a_report_is_given_up_after_thirty_days_or_when_its_body_is_gone() {
    let e = queued("r1", T0);
    match before_attempt(&e, true, T0 + GIVE_UP_MS) {
        Attempt::Send(s) => assert_eq!(s.state, State::Sent),
        other => panic!("still within 30 days: {other:?}"),
    }
    match before_attempt(&e, true, T0 + GIVE_UP_MS + 1) {
        Attempt::Finish(f) => {
            assert_eq!(f.state, State::Failed);
            assert_eq!(f.error, Some(ErrorText::Key("report_expired".into())));
            assert_eq!(f.next_ms, None);
        }
        other => panic!("{other:?}"),
    }
    match before_attempt(&e, false, T0) {
        Attempt::Finish(f) => assert_eq!(f.error, Some(ErrorText::Key("report_lost".into()))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_browser_restart_mid_request_sends_again_under_the_same_id() {
    // The worker marked it sent, POSTed, and died before the answer.
    let mut list = Vec::new();
    let e = submit(&mut list, "r1", INBOX, summary(), T0).expect("queued");
    let s = sending(&e, T0);
    assert!(put(&mut list, s));
    // After the restart: still due (sent is open), and sent again as r1.
    assert_eq!(due(&list, T0 + 1), vec!["r1".to_string()]);
    let again = sending(&list[0], T0 + 60_000);
    assert_eq!((again.id.as_str(), again.attempts), ("r1", 2));
    // The inbox answers the repeat with the first receipt: one report, received.
    let done = after_attempt(&again, answer(200, Some("GEN-000001"), None), T0 + 60_001);
    assert_eq!(done.state, State::Received);
    assert_eq!(due(&[done], T0 + 120_000), Vec::<String>::new());
}

#[test]
fn submitting_the_same_id_twice_queues_it_once() {
    let mut list = Vec::new();
    let a = submit(&mut list, "r1", INBOX, summary(), T0).expect("first");
    let b = submit(
        &mut list,
        "r1",
        "https://other.example/x",
        summary(),
        T0 + 1,
    )
    .expect("second");
    assert_eq!(a, b, "the second click finds the first entry");
    assert_eq!(list.len(), 1);
}

#[test]
fn ten_an_hour_then_a_refusal_that_says_when() {
    let mut list = Vec::new();
    for i in 0..PER_HOUR {
        submit(
            &mut list,
            &format!("r{i}"),
            INBOX,
            summary(),
            T0 + i as i64 * 60_000,
        )
        .expect("under the limit");
    }
    let refused = submit(&mut list, "late", INBOX, summary(), T0 + 30 * 60_000);
    assert_eq!(
        refused,
        Err(SubmitError::RateLimited {
            free_ms: T0 + 3_600_000
        })
    );
    assert_eq!(list.len(), PER_HOUR, "nothing queued");
    // An hour after the first, one more may go.
    assert!(submit(&mut list, "later", INBOX, summary(), T0 + 3_600_001).is_ok());
}

#[test]
fn the_history_keeps_open_reports_and_the_newest_finished_ones() {
    let mut list = Vec::new();
    let mut now = T0;
    for i in 0..(KEEP + 5) {
        now += 3_600_001; // past the hourly limit each time
        let e = submit(&mut list, &format!("done{i}"), INBOX, summary(), now).expect("queued");
        let s = sending(&e, now);
        put(
            &mut list,
            after_attempt(&s, answer(201, Some("GEN-1"), None), now),
        );
    }
    let open = submit(&mut list, "open", INBOX, summary(), now + 3_600_001).expect("queued");
    now += 3_600_002;
    submit(&mut list, "newest", INBOX, summary(), now).expect("queued");
    assert_eq!(list[0].id, "newest", "newest first");
    assert_eq!(list[1].id, open.id, "open reports are never dropped");
    assert_eq!(list.len(), 2 + KEEP);
    assert_eq!(list.last().map(|e| e.id.as_str()), Some("done5"));
}

#[test]
fn what_is_due_and_when_the_alarm_fires() {
    let mut list = Vec::new();
    let a = submit(&mut list, "a", INBOX, summary(), T0).expect("a");
    let b = submit(&mut list, "b", INBOX, summary(), T0 + 10).expect("b");
    assert_eq!(
        due(&list, T0 + 10),
        vec!["a".to_string(), "b".to_string()],
        "oldest first"
    );
    let a2 = after_attempt(
        &sending(&a, T0 + 20),
        Delivery::Network("x".into()),
        T0 + 20,
    );
    put(&mut list, a2);
    let b2 = after_attempt(
        &sending(&b, T0 + 20),
        answer(201, Some("GEN-2"), None),
        T0 + 20,
    );
    put(&mut list, b2);
    assert_eq!(due(&list, T0 + 21), Vec::<String>::new());
    assert_eq!(next_alarm(&list, T0 + 21), Some(T0 + 20 + 30_000));
    // Overdue: the alarm is a second away, not in the past.
    assert_eq!(next_alarm(&list, T0 + 100_000), Some(T0 + 101_000));
    let a3 = after_attempt(
        &sending(&list[1], T0 + 100_000),
        answer(201, Some("GEN-3"), None),
        T0 + 100_000,
    );
    put(&mut list, a3);
    assert_eq!(
        next_alarm(&list, T0 + 100_001),
        None,
        "nothing waits: no alarm"
    );
}

#[test]
fn polling_asks_only_about_recent_delivered_reports_and_takes_only_inbox_states() {
    let mut list = Vec::new();
    let e = submit(&mut list, "r1", INBOX, summary(), T0).expect("queued");
    let got = after_attempt(&sending(&e, T0), answer(201, Some("GEN-1"), None), T0);
    put(&mut list, got.clone());
    assert_eq!(to_poll(&list, T0 + 1).len(), 1);
    assert_eq!(
        to_poll(&list, T0 + 91 * 86_400_000).len(),
        0,
        "older than 90 days"
    );
    assert_eq!(after_poll(&got, "confirmed"), Some(State::Confirmed));
    assert_eq!(after_poll(&got, "received"), None, "unchanged");
    assert_eq!(
        after_poll(&got, "failed"),
        None,
        "not a state an inbox may set"
    );
    assert_eq!(after_poll(&got, "queued"), None);
}

#[test]
fn status_urls_encode_the_id() {
    assert_eq!(
        status_url(INBOX, "5f0c-11"),
        "https://inbox.example/api/reports/5f0c-11"
    );
    assert_eq!(
        status_url("https://i.example/r/", "a/../b?c"),
        "https://i.example/r/a%2F..%2Fb%3Fc"
    );
}

#[test]
fn retry_after_is_read_strictly() {
    for (value, secs) in [
        ("120", 120),
        (" 7 ", 7),
        ("-5", 0),
        ("1e9", 0),
        ("", 0),
        ("99999999999999999999", 0),
    ] {
        assert_eq!(retry_after_secs(value), secs, "{value:?}");
    }
    assert_eq!(retry_after_secs("999999"), MAX_RETRY_AFTER_SECS);
}

#[test]
fn entries_round_trip_through_storage_as_json() {
    let e = sending(&queued("r1", T0), T0);
    let json = serde_json::to_value(&e).expect("json");
    assert_eq!(json["state"], "sent");
    let back: Entry = serde_json::from_value(json).expect("read back");
    assert_eq!(back, e);
}
