//! Saved pages are whatever a site served: any bytes, any claimed charset.
//! `genuine extract` reads them without panicking, in bounded time.
#![no_main]

use std::sync::OnceLock;

use genuine_core::page::{builtin_profiles, html};
use genuine_core::SiteProfile;
use libfuzzer_sys::fuzz_target;

const URLS: [&str; 4] = [
    "https://detail.tmall.com/item.htm?id=1",
    "https://www.amazon.com/dp/B000000000",
    "https://item.taobao.com/item.htm?id=2",
    "https://example.com/p/1",
];

fuzz_target!(|data: &[u8]| {
    static PROFILES: OnceLock<Vec<SiteProfile>> = OnceLock::new();
    let profiles = PROFILES.get_or_init(builtin_profiles);
    let (url, page) = match data.split_first() {
        Some((b, rest)) if usize::from(*b) < 200 => (Some(URLS[usize::from(*b) % 4]), rest),
        Some((_, rest)) => (None, rest),
        None => (None, data),
    };
    let _ = html::extract(page, url, profiles);
});
