//! Pages → signals: the site profiles and the native collector, on real
//! saved pages (scored against their ground truth) and on our own fixtures.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use genuine_core::page::{builtin_profiles, html};
use genuine_core::Signals;
use serde::Deserialize;

use crate::cli::{genuine, genuine_stdin, signed_registry, stderr};
use crate::{fixture, rendered_site, repo};

/// One saved page of `shared/fixtures/pages/index.json`.
#[derive(Deserialize)]
struct Truth {
    file: String,
    /// Host (and path) the page was saved from, sometimes with a note: "amazon.es (Portuguese UI)".
    site: String,
    seller: Option<String>,
    price: Option<String>,
    currency: Option<String>,
    #[serde(default)]
    brand: Option<String>,
}

/// The real pages live outside the repository (they are others' pages, not ours to ship).
fn shared_pages() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("GENUINE_SHARED_FIXTURES").map(PathBuf::from),
        Some(repo("../shared/fixtures/pages")),
        Some(PathBuf::from("/work/shared/fixtures/pages")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|d| d.join("index.json").is_file())
}

/// The address a shopper would have had in the address bar, from `site`.
fn url_of(site: &str) -> String {
    let site = site.split_whitespace().next().unwrap_or(site);
    let host = if site
        .split('/')
        .next()
        .is_some_and(|h| h.starts_with("item."))
    {
        site.to_string()
    } else {
        format!("www.{site}")
    };
    if host.contains('/') {
        format!("https://{host}")
    } else {
        format!("https://{host}/")
    }
}

#[test]
fn real_pages_score() {
    let Some(dir) = shared_pages() else {
        // CI has them (.ci/run sets GENUINE_REQUIRE_FIXTURES=1): there a
        // missing directory is a failure, not a pass nobody earned.
        assert!(
            std::env::var_os("GENUINE_REQUIRE_FIXTURES").is_none_or(|v| v != "1"),
            "GENUINE_REQUIRE_FIXTURES=1 but no shared/fixtures/pages (set GENUINE_SHARED_FIXTURES)"
        );
        println!(
            "SKIPPED real_pages_score: no shared/fixtures/pages (set GENUINE_SHARED_FIXTURES)"
        );
        return;
    };
    let index = std::fs::read(dir.join("index.json")).expect("reads index.json");
    let truths: Vec<Truth> = serde_json::from_slice(&index).expect("index.json parses");
    let profiles = builtin_profiles();
    let (mut names, mut prices, mut brands, mut brand_cases) = (0, 0, 0, 0);
    println!(
        "{:<16} {:<5} {:<28} {:<5} {:<16} brand",
        "page", "store", "", "price", ""
    );
    for t in &truths {
        let bytes = std::fs::read(dir.join(&t.file)).expect("reads page");
        let s = html::extract(&bytes, Some(&url_of(&t.site)), &profiles)
            .unwrap_or_else(|e| panic!("{}: {e}", t.file))
            .signals;
        let name_ok = s.store_name == t.seller;
        let price_ok = s.price == t.price && s.currency == t.currency;
        let brand_ok = t.brand.is_none() || s.brand == t.brand;
        names += name_ok as usize;
        prices += price_ok as usize;
        brand_cases += t.brand.is_some() as usize;
        brands += (t.brand.is_some() && brand_ok) as usize;
        let mark = |ok| if ok { "ok" } else { "MISS" };
        println!(
            "{:<16} {:<5} {:<28} {:<5} {:<16} {}",
            t.file,
            mark(name_ok),
            s.store_name.as_deref().unwrap_or("-"),
            mark(price_ok),
            format!(
                "{} {}",
                s.price.as_deref().unwrap_or("-"),
                s.currency.as_deref().unwrap_or("")
            ),
            s.brand.as_deref().unwrap_or("-"),
        );
    }
    let n = truths.len();
    println!("store name {names}/{n}, price {prices}/{n}, brand {brands}/{brand_cases}");
    // Every page: the profiles read all of them, so one page lost is a
    // regression (an Etsy buy-box price tried before the listing's own
    // price lost etsy_1 while this allowed one miss).
    assert_eq!(names, n, "store names: {names}/{n}");
    assert_eq!(prices, n, "prices: {prices}/{n}");
    // The brand is read where the truth names one (6 pages): every one.
    assert_eq!(brands, brand_cases, "brands: {brands}/{brand_cases}");
}

/// Every `tests/fixtures/pages/NAME.html` against its `NAME.expected.json`;
/// the expected signals' `url` is where the page is said to come from.
#[test]
fn fixture_pages() {
    let dir = fixture("pages");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/pages")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 10, "{} fixture pages", pages.len());
    let cases = pages
        .into_iter()
        .map(|p| (p.with_extension("expected.json"), p));
    let failures = mismatches(cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The demo shop pages as scripts/site.mjs draws them from www/pages/demo/
/// (each marketplace's layout around each page's data), each against
/// `tests/fixtures/demo/SHOP/NAME.expected.json`: what `genuine extract` read
/// off the hand-written pages they replaced, under the address the e2e
/// suites open them at. A layout or data edit that changes what the site
/// profiles read fails here, natively, before any browser.
#[test]
fn demo_pages() {
    let site = rendered_site();
    let mut cases = Vec::new();
    for shop in std::fs::read_dir(site.path().join("demo")).expect("demo/") {
        let drawn = shop.expect("dir entry").path();
        if !drawn.is_dir() {
            continue; // demo/index.html
        }
        let shop = drawn.file_name().and_then(|s| s.to_str()).unwrap_or("");
        let expected = fixture("demo").join(shop);
        let names = stems(&drawn, ".html");
        assert_eq!(
            names,
            stems(&expected, ".expected.json"),
            "{shop}: the pages drawn are not those of tests/fixtures/demo/{shop}/"
        );
        cases.extend(names.iter().map(|n| {
            (
                expected.join(format!("{n}.expected.json")),
                drawn.join(format!("{n}.html")),
            )
        }));
    }
    assert!(cases.len() >= 15, "{} demo pages", cases.len());
    let failures = mismatches(cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The names of the files in `dir` that end in `suffix`, without it.
fn stems(dir: &Path, suffix: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|f| f.strip_suffix(suffix).map(str::to_string))
        .collect()
}

/// Each (expected signals, page) whose page does not give its expected
/// signals, as "page: got …, want …".
fn mismatches(cases: impl IntoIterator<Item = (PathBuf, PathBuf)>) -> Vec<String> {
    let profiles = builtin_profiles();
    let mut failures = Vec::new();
    for (expected_file, page) in cases {
        let text = std::fs::read(&expected_file)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_file.display()));
        let expected: Signals = serde_json::from_slice(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_file.display()));
        let bytes = std::fs::read(&page).expect("reads page");
        let got = html::extract(&bytes, expected.url.as_deref(), &profiles)
            .unwrap_or_else(|e| panic!("{}: {e}", page.display()))
            .signals;
        if got != expected {
            failures.push(format!(
                "{}:\n  got  {}\n  want {}",
                page.display(),
                serde_json::to_string(&got).unwrap_or_default(),
                serde_json::to_string(&expected).unwrap_or_default()
            ));
        }
    }
    failures
}

/// A page built to cost: a 1 MB JSON-LD block, JSON-LD nested past any
/// parser's depth, a 2 MB text node in the title, and 50,000 nested divs
/// around a shop name. Generated here rather than stored (it is 4 MB).
/// html5ever is quadratic in nesting depth, so the collector cuts the page
/// where it nests too deep: what came before is read, the deep part is not.
#[test]
fn hostile_page_is_bounded() {
    let huge = format!(
        r#"{{"@type":"Product","name":"huge","offers":{{"price":"1.00","priceCurrency":"USD"}},"pad":"{}"}}"#,
        "x".repeat(1 << 20)
    );
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let real = r#"{"@type":"Product","name":"Real","offers":{"@type":"Offer","price":"7.50","priceCurrency":"EUR"}}"#;
    let nest =
        |n: usize, inner: &str| format!("{}{inner}{}", "<div>".repeat(n), "</div>".repeat(n));
    let page = |depth: usize| {
        let mut page = String::from("<!DOCTYPE html><html><head><meta charset=utf-8>");
        for block in [huge.as_str(), deep_json.as_str(), real] {
            page.push_str(&format!(
                r#"<script type="application/ld+json">{block}</script>"#
            ));
        }
        page.push_str("</head><body>");
        page.push_str(&format!(
            "<h1 class=tb-main-title>{}</h1>",
            "title ".repeat(400_000)
        ));
        page.push_str(&nest(
            depth,
            r#"<a class="shopLink" href="//deep.tmall.com"><span class="shopName">Deep Shop</span></a>"#,
        ));
        page.push_str("</body></html>");
        page
    };
    let read = |html: &str| {
        let start = Instant::now();
        let s = html::extract(
            html.as_bytes(),
            Some("https://detail.tmall.com/item.htm?id=1"),
            &builtin_profiles(),
        )
        .expect("extracts")
        .signals;
        (s, start.elapsed())
    };

    // Deep but within bounds: all read.
    let (s, _) = read(&page(1_000));
    assert_eq!(s.store_name.as_deref(), Some("Deep Shop"));
    assert_eq!(s.store_url.as_deref(), Some("https://deep.tmall.com"));

    let (s, took) = read(&page(50_000));
    assert_eq!(
        s.store_name, None,
        "the part past the depth bound is not read"
    );
    assert_eq!(s.price.as_deref(), Some("7.50"), "{s:?}");
    assert_eq!(s.currency.as_deref(), Some("EUR"));
    assert!(s
        .title
        .is_some_and(|t| t.starts_with("title title") && t.chars().count() <= 1000));
    // Generous for a debug build on a shared machine; unbounded, this page
    // took over five minutes.
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn extract_pipes_into_check() {
    let dir = signed_registry();
    let d = dir.path();
    let page = fixture("pages/tmall.html");
    let page = page.to_str().expect("utf-8 path");
    let url = "https://detail.tmall.com/item.htm?id=654321987";
    let o = genuine(&["extract", "--url", url, page], d);
    assert!(o.status.success(), "{}", stderr(&o));
    let line = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(line.lines().count(), 1, "{line}");
    let signals: serde_json::Value = serde_json::from_str(&line).expect("one json object");
    assert_eq!(signals["store_name"], "奥罗拉健康官方旗舰店");
    let o = genuine_stdin(
        &[
            "check",
            "--registry",
            "registry.signed",
            "--pubkey",
            "k.pub",
        ],
        d,
        &line,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let verdict: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a verdict line");
    assert!(verdict["level"].is_string(), "{verdict}");
}

#[test]
fn extract_errors_are_clear() {
    let d = repo(".");
    let missing = genuine(
        &["extract", "--url", "https://x.example/", "no-such.html"],
        &d,
    );
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("cannot read page no-such.html"),
        "{}",
        stderr(&missing)
    );
    let page = fixture("pages/jd.html");
    let page = page.to_str().expect("utf-8 path");
    let bad = genuine(&["extract", "--url", "ftp://x", page], &d);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("not an absolute http(s) URL"),
        "{}",
        stderr(&bad)
    );
    // No --url, no canonical link: say what to do.
    let no_url = genuine(&["extract", page], &d);
    assert!(!no_url.status.success());
    assert!(
        stderr(&no_url).contains("pass --url"),
        "{}",
        stderr(&no_url)
    );
}

/// Random snapshots (a fixed-seed generator, so failures replay) fed to
/// `interpret`: it must never panic, and stay fast whatever the page sent.
#[test]
fn interpret_survives_random_snapshots() {
    use genuine_core::page::interpret;
    use genuine_core::page::OfferSnapshot;
    use genuine_core::Snapshot;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
        fn text(&mut self, max: usize) -> String {
            (0..self.next(max))
                .map(|_| PIECES[self.next(PIECES.len())])
                .collect()
        }
    }
    const PIECES: &[&str] = &[
        "",
        " ",
        "¥",
        "￥",
        "$",
        "€",
        "R$",
        "US $",
        "1",
        "9",
        ",",
        ".",
        "-",
        "0.",
        "12,99",
        "1.234,56",
        "99999999999999999999",
        "Visit the ",
        " Store",
        "{}",
        "(",
        "品牌：",
        "旗舰店",
        "\u{0}",
        "\u{202e}",
        "\"",
        "{",
        "}",
        "[",
        "]",
        "@type",
        "Product",
        "Offer",
        "https://",
        "//",
        "/",
        "?",
        "&",
        "=",
        "%",
        "%zz",
        "smid",
        "shopId",
        "seller",
        "\n\t",
        "🙂",
        "\u{fffd}",
        "a",
        "Z",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let urls = [
        "https://detail.tmall.com/item.htm?id=1&shopId=",
        "https://www.amazon.co.jp/dp/X?smid=%",
        "https://www.ebay.de/itm/1",
        "https://shop.example/p",
        "http://",
        "",
        "javascript:alert(1)",
    ];
    let profiles = builtin_profiles();
    let start = Instant::now();
    for round in 0..3_000 {
        let mut snap = Snapshot {
            url: format!("{}{}", urls[rng.next(urls.len())], rng.text(4)),
            profile: ["tmall", "amazon", "generic", "nope", ""]
                .get(rng.next(6))
                .map(|p| p.to_string()),
            ..Snapshot::default()
        };
        for field in genuine_core::page::FIELDS {
            if rng.next(2) == 0 {
                let values = (0..rng.next(12)).map(|_| rng.text(30)).collect();
                snap.fields.insert(field.to_string(), values);
            }
        }
        if rng.next(2) == 0 {
            let kinds = ["buy_box", "", "used"];
            let n = rng.next(12);
            let k = (0..n).map(|_| kinds[rng.next(3)].to_string()).collect();
            snap.kinds.insert("price".into(), k);
        }
        snap.offers = (0..rng.next(3) * rng.next(30))
            .map(|_| {
                let mut o = OfferSnapshot {
                    featured: rng.next(4) == 0,
                    ..OfferSnapshot::default()
                };
                for field in genuine_core::page::OFFER_FIELDS {
                    if rng.next(2) == 0 {
                        let values = (0..rng.next(5)).map(|_| rng.text(30)).collect();
                        o.fields.insert(field.to_string(), values);
                    }
                }
                o
            })
            .collect();
        snap.jsonld = (0..rng.next(10)).map(|_| rng.text(60)).collect();
        for m in [
            "og:title",
            "og:site_name",
            "product:price:amount",
            "product:price:currency",
        ] {
            if rng.next(2) == 0 {
                snap.meta.insert(m.to_string(), rng.text(10));
            }
        }
        let s = interpret(&snap, &profiles);
        for v in [&s.store_name, &s.title, &s.brand, &s.store_url, &s.url]
            .into_iter()
            .flatten()
        {
            assert!(v.chars().count() <= 1000, "round {round}: {v:?}");
        }
        if let Some(g) = &s.gtin {
            assert!(g.bytes().all(|b| b.is_ascii_digit()), "round {round}: {g}");
        }
        assert!(
            s.offers.len() <= genuine_core::page::MAX_OFFERS,
            "round {round}"
        );
        for v in s
            .offers
            .iter()
            .flat_map(|o| [&o.store_name, &o.store_id, &o.store_url])
            .chain([&s.price_source])
            .flatten()
        {
            assert!(v.chars().count() <= 1000, "round {round}: {v:?}");
        }
    }
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

/// One page of `tests/fixtures/pages/real/index.json` (issue 14): real pages
/// saved by other projects, with their source and licence.
#[derive(Deserialize)]
struct RealPage {
    file: String,
    host: String,
    url: Option<String>,
    split: String,
    truth: RealTruth,
}

#[derive(Deserialize)]
struct RealTruth {
    seller: Option<String>,
    /// The seller's id on the marketplace, where the page shows one.
    #[serde(default)]
    seller_id: Option<String>,
    price: Option<String>,
    currency: Option<String>,
}

fn same_amount(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => (x - y).abs() < 0.005,
            _ => a == b,
        },
        _ => false,
    }
}

/// Seller and price on the real pages in the repository, the `dev` half
/// (what the profiles may be written against) and the `heldout` half
/// reported apart. Prints every page; asserts floors per split that only
/// go up.
#[test]
fn real_pages_in_the_repository() {
    use std::io::Read;
    let dir = fixture("pages/real");
    let index = std::fs::read(dir.join("index.json")).expect("pages/real/index.json");
    let pages: Vec<RealPage> = serde_json::from_slice(&index).expect("index.json parses");
    assert!(pages.len() >= 40, "{} real pages", pages.len());
    let profiles = builtin_profiles();
    let mut score: std::collections::BTreeMap<&str, (usize, usize, usize)> = Default::default();
    // Per split: seller ids right (the truth's, or none where it has none),
    // and ids that are another seller's. A wrong id is worse than none: an
    // id is what proves a store.
    let mut ids: std::collections::BTreeMap<&str, (usize, Vec<String>)> = Default::default();
    for p in &pages {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(dir.join(&p.file)).expect("page"))
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", p.file));
        let url = p
            .url
            .clone()
            .unwrap_or_else(|| format!("https://{}/", p.host));
        let s = html::extract(&bytes, Some(&url), &profiles)
            .unwrap_or_else(|e| panic!("{}: {e}", p.file))
            .signals;
        let seller_ok =
            s.store_name.as_deref().map(str::trim) == p.truth.seller.as_deref().map(str::trim);
        let price_ok = same_amount(s.price.as_deref(), p.truth.price.as_deref())
            && (p.truth.price.is_none() || s.currency == p.truth.currency);
        let id = ids.entry(p.split.as_str()).or_default();
        match (&s.store_id, &p.truth.seller_id) {
            (got, want) if got == want => id.0 += 1,
            (Some(got), want) => id.1.push(format!("{}: id {got}, want {want:?}", p.file)),
            (None, _) => {}
        }
        let e = score.entry(p.split.as_str()).or_default();
        e.0 += 1;
        e.1 += seller_ok as usize;
        e.2 += price_ok as usize;
        let mark = |ok| if ok { "ok  " } else { "MISS" };
        println!(
            "{:<7} {:<48} {} {:<34} {} {:<12} want {:?} / {:?} {:?}",
            p.split,
            p.file.trim_end_matches(".html.gz"),
            mark(seller_ok),
            s.store_name
                .as_deref()
                .unwrap_or("-")
                .chars()
                .take(34)
                .collect::<String>(),
            mark(price_ok),
            format!(
                "{} {}",
                s.price.as_deref().unwrap_or("-"),
                s.currency.as_deref().unwrap_or("")
            ),
            p.truth.seller,
            p.truth.price,
            p.truth.currency,
        );
    }
    for (split, (n, sellers, prices)) in &score {
        let (right, wrong) = &ids[split];
        println!(
            "real pages, {split}: seller {sellers}/{n}, price {prices}/{n}, seller id {right}/{n} ({} wrong)",
            wrong.len()
        );
    }
    let wrong: Vec<&String> = ids.values().flat_map(|(_, w)| w).collect();
    assert!(wrong.is_empty(), "another seller's id: {wrong:#?}");
    for (split, min_sellers, min_prices) in REAL_PAGE_FLOORS {
        let (_, sellers, prices) = score.get(split).copied().unwrap_or_default();
        assert!(
            sellers >= *min_sellers,
            "{split}: sellers {sellers} < {min_sellers}"
        );
        assert!(
            prices >= *min_prices,
            "{split}: prices {prices} < {min_prices}"
        );
    }
}

/// (split, sellers right, prices right) the profiles must keep: raised as
/// they improve, never lowered to make a change pass. Frozen before any
/// profile change at dev 12/13 of 22, heldout 14/13 of 19. The labelled
/// seller (issue 14) took sellers from dev 30 and heldout 21 of 40 and 29.
const REAL_PAGE_FLOORS: &[(&str, usize, usize)] = &[("dev", 41, 41), ("heldout", 29, 28)];

/// A page repeating an offer block 20,000 times (4.5 MB): only the first
/// `MAX_OFFERS` are read, the featured one first, in bounded time.
#[test]
fn offer_lists_are_bounded() {
    let block = |i: usize| {
        format!(
            r#"<div id="aod-offer"><div id="aod-price-{i}"><span class="a-price"><span class="a-offscreen">${i}.00</span></span></div><div id="aod-offer-soldBy"><div class="a-col-right"><a href="/gp/aag/main?seller=S{i}">Seller {i}</a></div></div></div>"#
        )
    };
    let mut page = String::from("<!doctype html><html><body><div id=aod-offer-list>");
    for i in 1..=20_000 {
        page.push_str(&block(i));
    }
    // The pinned offer comes last in the markup and first in the signals.
    page.push_str(r#"</div><div id="aod-pinned-offer"><div id="aod-offer-soldBy"><div class="a-col-right"><span class="a-size-small">Amazon.com</span></div></div></div></body></html>"#);
    let start = Instant::now();
    let s = html::extract(
        page.as_bytes(),
        Some("https://www.amazon.com/dp/B0X"),
        &builtin_profiles(),
    )
    .expect("extracts")
    .signals;
    assert_eq!(s.offers.len(), genuine_core::page::MAX_OFFERS);
    assert!(s.offers[0].featured);
    assert_eq!(s.offers[0].store_name.as_deref(), Some("Amazon.com"));
    assert_eq!(
        s.store_name.as_deref(),
        Some("Amazon.com"),
        "the featured seller is the page's"
    );
    assert_eq!(s.offers[1].store_id.as_deref(), Some("S1"));
    assert_eq!(s.offers[1].price.as_deref(), Some("1.00"));
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

/// Amazon's brand byline as real pages print it, per storefront language
/// (the pages: `tests/fixtures/pages/real`, `../shared`, and the Zyte
/// benchmark's amazon.de page for the formal German one), and the brand it
/// gives: the byline read through the Amazon profile's `cut` patterns.
#[test]
fn amazon_bylines_give_the_brand() {
    let profiles = builtin_profiles();
    let amazon = profiles.iter().find(|p| p.id == "amazon").expect("amazon");
    let cases = [
        ("Visit the Instant Pot Store", "Instant Pot"),
        ("Visita lo Store di Retevis", "Retevis"),
        ("Marca: Orange", "Orange"),
        ("Marke: Oceana", "Oceana"),
        ("Besuchen Sie den Ankerkraut-Store", "Ankerkraut"),
        ("Visite a loja WAP", "WAP"),
        ("Visite a Loja da Hi-Spec (em Espanhol)", "Hi-Spec"),
        ("GE Lighting", "GE Lighting"),
    ];
    for (byline, brand) in cases {
        assert_eq!(
            amazon.cut_value("brand", byline.to_string()),
            brand,
            "{byline:?}"
        );
    }
}

/// "Sold by Amazon" as each Amazon storefront prints it, in both buy-box
/// layouts: the tabular one (label and value in two `tabular-buybox-*`
/// cells named by the label) and the older `#merchant-info` sentence. The
/// phrases (`tests/fixtures/amazon_as_seller.tsv`) are not ours: they are
/// the tables of the userscript "Amazon: Highlight Resellers" 1.7.1
/// (Graphen, MIT, greasyfork.org), which tells Amazon's own offers from
/// resellers'. 39 of its 44 rows gave the seller before the Italian,
/// Polish, Czech and Chinese cell labels and the Brazilian "Enviado e
/// vendido por" sentence were added to the profile.
#[test]
fn amazon_as_seller_in_every_storefront() {
    let table =
        std::fs::read_to_string(fixture("amazon_as_seller.tsv")).expect("amazon_as_seller.tsv");
    let cell = |label: &str, value: &str| {
        format!(
            r#"<div class="tabular-buybox-label" tabular-attribute-name="{label}"><div class="a-spacing-none"><span class="a-size-small a-color-tertiary">{label}</span></div></div><div class="tabular-buybox-text" tabular-attribute-name="{label}"><div class="tabular-buybox-text a-spacing-none"><span class="a-size-small tabular-buybox-text-message">{value}</span></div></div>"#
        )
    };
    let profiles = builtin_profiles();
    let mut wrong = Vec::new();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip_while(|l| l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 44);
    for row in rows {
        let [layout, host, sold_by, seller, ships_label, ships_value] = row[..] else {
            panic!("amazon_as_seller.tsv: {row:?}");
        };
        let body = match layout {
            "tabular" => format!(
                r#"<div id="tabular-buybox"><div class="tabular-buybox-container">{}{}</div></div>"#,
                cell(ships_label, ships_value),
                cell(sold_by, seller)
            ),
            _ => format!(r#"<div id="merchant-info">{sold_by}</div>"#),
        };
        let page = format!(
            r#"<!doctype html><html><body><span id="productTitle">Widget</span>{body}</body></html>"#
        );
        let url = format!("https://www.{host}/dp/B000000000");
        let got = html::extract(page.as_bytes(), Some(&url), &profiles)
            .expect("extracts")
            .signals
            .store_name;
        if got.as_deref() != Some(seller) {
            wrong.push(format!("{host} {body}: {got:?}, want {seller:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
