//! A snapshot is what a content script sends from a page the page controls:
//! any field may hold anything. Interpreting it and judging the signals
//! against a real registry never panics and always yields a verdict that
//! serialises.
#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use genuine_core::page::FIELDS;
use genuine_core::registry::import::{import, ImportSpec};
use genuine_core::{Engine, Snapshot};
use libfuzzer_sys::fuzz_target;

/// The evaluation registry (tests/fixtures/eval): 26 brands, real names and
/// neighbours, so the fuzzer reaches the look-alike and price paths.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/eval/");
        let reg = import(&ImportSpec {
            accounts: format!("{dir}accounts.csv").into(),
            products: Some(format!("{dir}products.csv").into()),
            blocklist: Some(format!("{dir}blocklist.csv").into()),
            publisher: "fuzz".into(),
            version: 1,
            valid_days: 30,
            demo: true,
            ..ImportSpec::default()
        })
        .expect("evaluation registry imports");
        Engine::new(reg)
    })
}

const URLS: [&str; 10] = [
    "https://detail.tmall.com/item.htm?id=1",
    "https://item.jd.com/100012043978.html",
    "https://item.taobao.com/item.htm?id=2",
    "https://www.amazon.com/dp/B000000000",
    "https://www.amazon.co.jp/dp/B000000000",
    "https://www.ebay.com/itm/1",
    "https://mobile.yangkeduo.com/goods.html?goods_id=3",
    "https://haohuo.jinritemai.com/views/product/item?id=4",
    "https://shopee.sg/product/1/2",
    "https://example.com/p/1",
];

fn text(u: &mut Unstructured) -> String {
    String::arbitrary(u).unwrap_or_default()
}

fn snapshot(u: &mut Unstructured) -> arbitrary::Result<Snapshot> {
    let pick = usize::from(u8::arbitrary(u)?);
    let mut url = URLS[pick % URLS.len()].to_string();
    if pick >= 200 {
        url = text(u);
    } else if bool::arbitrary(u)? {
        url.push_str(&text(u));
    }
    let profile = match u8::arbitrary(u)? % 3 {
        0 => None,
        1 => Some("tmall".to_string()),
        _ => Some(text(u)),
    };
    let mut fields = BTreeMap::new();
    for _ in 0..u.arbitrary_len::<u8>()?.min(16) {
        let name = if bool::arbitrary(u)? {
            FIELDS[usize::from(u8::arbitrary(u)?) % FIELDS.len()].to_string()
        } else {
            text(u)
        };
        let values = (0..u.arbitrary_len::<u8>()?.min(12)).map(|_| text(u)).collect();
        fields.insert(name, values);
    }
    let jsonld = (0..u.arbitrary_len::<u8>()?.min(10)).map(|_| text(u)).collect();
    let meta = (0..u.arbitrary_len::<u8>()?.min(8))
        .map(|_| (text(u), text(u)))
        .collect();
    Ok(Snapshot {
        url,
        profile,
        fields,
        jsonld,
        meta,
    })
}

fuzz_target!(|data: &[u8]| {
    // Raw JSON too: that is the form a snapshot crosses the message channel in.
    if let Ok(snap) = serde_json::from_slice::<Snapshot>(data) {
        let signals = engine().interpret(&snap);
        serde_json::to_string(&engine().check(&signals)).expect("verdict serialises");
    }
    let Ok(snap) = snapshot(&mut Unstructured::new(data)) else {
        return;
    };
    let signals = engine().interpret(&snap);
    let verdict = engine().check(&signals);
    serde_json::to_string(&verdict).expect("verdict serialises");
});
