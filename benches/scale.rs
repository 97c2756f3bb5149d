//! Registry scale (issue 3) and check latency (issue 7), natively.
//!
//! For synthetic registries of 10^4, 10^5 and 10^6 accounts: the size of the
//! signed file as JSON and compiled (raw and gzip), the time until an engine
//! is ready (verify → decode → index) and the heap it holds, and the latency
//! of `check` over a fixed mix of queries. The same files and queries are
//! written to `target/bench/` for the same measurements in wasm
//! (`bench/wasm-scale.mjs`), the look-alike comparison at scale
//! (`bench/lookalike.mjs`) and the browser's wake-to-verdict
//! (`tests/e2e/bench.mjs`). `make bench` runs them all.
//!
//! Every figure printed is also written to `target/bench/results/scale.json`
//! for the summary table `make bench` ends with (`bench/summary.mjs`).
//!
//! `cargo bench --bench scale [-- SIZES…]`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use genuine_core::registry::import::{import, ImportSpec};
use genuine_core::registry::{
    self, compile, Account, AccountKind, Brand, Product, RefPrice, Registry, SecretKey, Trust,
};
use genuine_core::time::Timestamp;
use genuine_core::{Engine, Platform, Signals};

/// Counts live heap bytes, so memory is measured rather than estimated.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static A: Counting = Counting;

const SYLLABLES: [&str; 24] = [
    "ba", "bo", "ka", "ki", "lu", "ma", "me", "no", "ra", "ri", "sa", "so", "ta", "te", "vi", "zo",
    "xin", "hua", "mei", "lan", "kang", "jia", "美", "乐",
];

/// A deterministic xorshift, so every run measures the same registry.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PLATFORMS: [Platform; 5] = [
    Platform::Tmall,
    Platform::Jd,
    Platform::Amazon,
    Platform::Taobao,
    Platform::Ebay,
];

/// `accounts` accounts, five per brand on five platforms (the registry of the
/// first measurement, unchanged, so figures compare across versions).
pub fn synthetic(accounts: usize) -> Registry {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let brands = (0..accounts.div_ceil(5))
        .map(|i| {
            let n = 2 + (rng.next() % 3) as usize;
            let name: String =
                (0..n).map(|_| rng.pick(&SYLLABLES)).collect::<String>() + &format!(" {i}");
            Brand {
                aliases: vec![name.to_lowercase()],
                accounts: PLATFORMS
                    .iter()
                    .enumerate()
                    .map(|(k, p)| Account {
                        platform: *p,
                        store_name: format!("{name} Official Store"),
                        store_id: Some(format!("{}{i}x{k}", p.as_str())),
                        store_url: None,
                        kind: if k == 4 {
                            AccountKind::Authorized
                        } else {
                            AccountKind::Official
                        },
                    })
                    .collect(),
                products: vec![Product {
                    name: format!("{name} Product"),
                    gtin: None,
                    prices: vec![RefPrice {
                        amount: "99.00".into(),
                        currency: "USD".into(),
                    }],
                    min_ratio: 0.5,
                }],
                report_endpoint: None,
                name,
            }
        })
        .collect();
    Registry {
        format: registry::FORMAT,
        publisher: "bench".into(),
        version: 1,
        issued_at: Timestamp(1_767_225_600),
        expires_at: Timestamp(1_798_761_600),
        brands,
        ..Registry::default()
    }
}

/// The check queries: a fixed mix of what pages bring. A quarter each:
/// a listed store by id; a homoglyph copy of a brand's store name claiming to
/// be official, with the brand's product in the title; a one-letter typo of a
/// brand name; an unrelated shop with an everyday title.
fn queries(reg: &Registry, count: usize) -> Vec<Signals> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let titles = [
        "Cotton T-shirt, men, size L",
        "纯棉短袖T恤 男款 夏季",
        "Stainless steel water bottle 750ml",
    ];
    (0..count)
        .map(|i| {
            let b = rng.below(reg.brands.len());
            let brand = &reg.brands[b];
            let p = PLATFORMS[rng.below(4)];
            let mut s = Signals {
                platform: Some(p),
                ..Signals::default()
            };
            match i % 4 {
                0 => {
                    s.store_id = brand
                        .accounts
                        .iter()
                        .find(|a| a.platform == p)
                        .and_then(|a| a.store_id.clone())
                }
                1 => {
                    let fake: String = brand
                        .name
                        .chars()
                        .map(|c| match c {
                            'o' => '0',
                            'a' => 'а',
                            'l' => '1',
                            c => c,
                        })
                        .collect();
                    s.store_name = Some(format!("{fake} Official Store"));
                    s.title = Some(format!("{} Product", brand.name));
                    s.price = Some("19.00".into());
                    s.currency = Some("USD".into());
                }
                2 => {
                    let mut chars: Vec<char> = brand.name.chars().collect();
                    chars.remove(rng.below(chars.len().saturating_sub(1)));
                    s.store_name = Some(format!("{} Store", chars.iter().collect::<String>()));
                }
                _ => {
                    s.store_name = Some(format!(
                        "{}{} Trading Shop",
                        rng.pick(&SYLLABLES),
                        rng.pick(&SYLLABLES)
                    ));
                    s.title = Some(titles[rng.below(titles.len())].into());
                }
            }
            s
        })
        .collect()
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// Median and 99th percentile of `check` over the queries, in µs, overall
/// and for each quarter of the mix. Each query's time is the best of three
/// passes: the tail should show which queries cost most, not when another
/// process took the core (the bench machine is shared).
fn latency(engine: &Engine, qs: &[Signals]) -> [(f64, f64); 5] {
    let mut t = vec![f64::INFINITY; qs.len()];
    for _ in 0..3 {
        for (q, best) in qs.iter().zip(&mut t) {
            let start = Instant::now();
            std::hint::black_box(engine.check(q));
            *best = best.min(start.elapsed().as_secs_f64() * 1e6);
        }
    }
    let pct = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[v.len() * 99 / 100])
    };
    std::array::from_fn(|k| match k {
        0 => pct(t.clone()),
        k => pct(t.iter().skip(k - 1).step_by(4).copied().collect()),
    })
}

/// Loads a signed registry: the engine, and the verify / decode / index times in ms.
fn load(signed: &[u8], key: &SecretKey) -> (Engine, [f64; 3]) {
    let file = signed.to_vec();
    let t = Instant::now();
    let verified = registry::verify_owned(file, Trust::Key(&key.public())).expect("verifies");
    let verify = ms(t);
    let t = Instant::now();
    let opened = verified.open().expect("opens");
    let decode = ms(t);
    let t = Instant::now();
    let engine = Engine::from_compiled(opened);
    (engine, [verify, decode, ms(t)])
}

fn write(path: &str, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
}

fn main() {
    let key = SecretKey::parse("genuine-secret-key/1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        .expect("bench key");
    std::fs::create_dir_all("target/bench").expect("target/bench");
    write("target/bench/bench.pub", key.public().to_file().as_bytes());
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        sizes
    };
    let mut results = Vec::new();
    println!("registry scale, native (release build); JSON = signed JSON document, compiled = `genuine registry compile`; load times are the best of 3 loads");
    println!(
        "{:>9} {:>9} {:>11} {:>9} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8} {:>9} {:>9}",
        "accounts",
        "form",
        "bytes",
        "gzip",
        "verify",
        "decode",
        "index",
        "ready",
        "heap MB",
        "peak MB",
        "check p50",
        "check p99"
    );
    for &n in &sizes {
        let reg = synthetic(n);
        let qs = queries(&reg, 4000);
        write(
            &format!("target/bench/queries-{n}.json"),
            &serde_json::to_vec(&qs).expect("queries"),
        );
        let json = serde_json::to_vec(&reg).expect("serialises");
        let payload = compile(&reg);
        println!(
            "{n:>9} compiled sections, KB raw→gzip alone, largest first: {}",
            section_sizes(&payload)
        );
        let compiled = key.sign(&payload);
        drop(payload);
        write(&format!("target/bench/registry-{n}.signed"), &compiled);
        let mut forms = vec![("compiled", compiled)];
        // The JSON path at 10^6 takes tens of seconds and tells nothing new.
        if n <= 100_000 {
            let signed = key.sign(&json);
            write(&format!("target/bench/registry-{n}.json.signed"), &signed);
            forms.insert(0, ("JSON", signed));
        }
        drop(json);
        for (form, signed) in forms {
            let gz = gzip_len(&signed);
            // Best of three loads (the machine is shared); the heap is the
            // first load's, each load starting from the same live heap.
            let mut runs = Vec::new();
            let mut engine = None;
            for _ in 0..3 {
                drop(engine.take());
                let base = LIVE.load(Ordering::Relaxed);
                PEAK.store(base, Ordering::Relaxed);
                let (e, times) = load(&signed, &key);
                let heap = LIVE.load(Ordering::Relaxed) - base;
                let peak = PEAK.load(Ordering::Relaxed) - base;
                runs.push((times, heap, peak));
                engine = Some(e);
            }
            let Some(engine) = engine else { continue };
            let (heap, peak) = (runs[0].1, runs[0].2);
            let mut ready: Vec<f64> = runs.iter().map(|r| r.0.iter().sum()).collect();
            ready.sort_by(f64::total_cmp);
            let [verify, decode, index] = runs
                .iter()
                .map(|r| r.0)
                .min_by(|a, b| a.iter().sum::<f64>().total_cmp(&b.iter().sum()))
                .unwrap_or_default();
            let lat = latency(&engine, &qs);
            let (p50, p99) = lat[0];
            results.push(serde_json::json!({
                "part": "native", "n": n, "form": form, "bytes": signed.len(),
                "gzip": gz.parse::<usize>().unwrap_or(0), "ready_ms": ready[0],
                "heap_mb": mb(heap), "check_p50_us": p50, "check_p99_us": p99,
            }));
            println!(
                "{n:>9} {form:>9} {:>11} {gz:>9} {verify:>6.1}ms {decode:>6.1}ms {index:>6.1}ms {:>7.1}ms {:>8.1} {:>8.1} {p50:>7.1}µs {p99:>7.1}µs",
                signed.len(),
                ready[0],
                mb(heap),
                mb(peak),
            );
            let kinds = ["by id", "homoglyph", "typo", "unrelated"];
            let by_kind: Vec<String> = kinds
                .iter()
                .zip(&lat[1..])
                .map(|(k, (a, b))| format!("{k} {a:.1}/{b:.1}"))
                .collect();
            println!(
                "{:>20} ready of the 3 loads: {}; check p50/p99 µs by query kind: {}",
                "",
                ready
                    .iter()
                    .map(|r| format!("{r:.1}"))
                    .collect::<Vec<_>>()
                    .join(" / ")
                    + " ms",
                by_kind.join(", ")
            );
        }
    }
    println!("check queries: 4000, a quarter each listed-by-id, homoglyph copy with title and price, one-letter typo, unrelated shop with title");
    results.extend(patch_sizes(&key, &sizes));
    std::fs::create_dir_all("target/bench/results").expect("target/bench/results");
    write(
        "target/bench/results/scale.json",
        &serde_json::to_vec_pretty(&results).expect("results"),
    );
    write_browser_registries(&key, &sizes);
}

/// A day's update as a patch (`genuine registry patch`) against the whole
/// file: 1 % of the accounts renamed, the version one higher. Goal (issue
/// 17): the patch at most 5 % of a full download, gzipped both.
fn patch_sizes(key: &SecretKey, sizes: &[usize]) -> Vec<serde_json::Value> {
    let mut results = Vec::new();
    println!("daily update, 1 % of accounts renamed: full compiled download vs patch (gzip -6), and applying the patch natively");
    println!(
        "{:>9} {:>12} {:>12} {:>12} {:>8} {:>10} {:>10}",
        "accounts", "JSON gz", "full gz", "patch gz", "ratio", "make", "apply"
    );
    for &n in sizes {
        let old = synthetic(n);
        let mut new = old.clone();
        new.version += 1;
        for (i, a) in new
            .brands
            .iter_mut()
            .flat_map(|b| b.accounts.iter_mut())
            .enumerate()
        {
            if i % 100 == 42 {
                a.store_name.push_str(" 2");
            }
        }
        let json_gz = gzip_len(&serde_json::to_vec(&new).expect("json"));
        let (base, target) = (key.sign(&compile(&old)), key.sign(&compile(&new)));
        let t = Instant::now();
        let patch = genuine_core::registry::patch::make(&base, &target, key).expect("patch");
        let make_ms = ms(t);
        let t = Instant::now();
        let applied =
            genuine_core::registry::patch::apply(&patch, &key.public(), &base).expect("applies");
        let apply_ms = ms(t);
        assert!(applied == target, "the patch gives the target");
        let (full, p) = (gzip_len(&target), gzip_len(&patch));
        let ratio = p.parse::<f64>().unwrap_or(0.0) / full.parse::<f64>().unwrap_or(1.0);
        println!(
            "{n:>9} {json_gz:>12} {full:>12} {p:>12} {:>7.1}% {make_ms:>8.0}ms {apply_ms:>8.0}ms",
            100.0 * ratio
        );
        let bytes = |s: &str| s.parse::<usize>().unwrap_or(0);
        results.push(serde_json::json!({
            "part": "download", "n": n, "json_gzip": bytes(&json_gz),
            "full_gzip": bytes(&full), "patch_gzip": bytes(&p),
        }));
    }
    results
}

/// Registries for the wasm side: the evaluation registry plus synthetic
/// brands (look-alike search at scale), and the demo registry plus 10^5
/// synthetic accounts (the browser's wake-to-verdict on a large registry).
fn write_browser_registries(key: &SecretKey, sizes: &[usize]) {
    let eval = |dir: &str, hosts: Option<&str>| ImportSpec {
        accounts: format!("{dir}/accounts.csv").into(),
        products: Some(format!("{dir}/products.csv").into()),
        blocklist: Some(format!("{dir}/blocklist.csv").into()),
        profile_hosts: hosts.map(Into::into),
        publisher: "bench".into(),
        version: 1,
        issued_at: Timestamp(1_767_225_600),
        valid_days: 3650,
        demo: true,
        ..ImportSpec::default()
    };
    for &n in sizes.iter().filter(|&&n| n >= 100_000) {
        let mut reg = import(&eval("tests/fixtures/eval", None)).expect("eval registry");
        reg.brands.extend(synthetic(n).brands);
        write(
            &format!("target/bench/lookalike-{n}.signed"),
            &key.sign(&compile(&reg)),
        );
        // The names a name matcher would search: every listed store.
        let names: Vec<(Platform, &str, Option<&str>)> = reg
            .brands
            .iter()
            .flat_map(|b| {
                b.accounts
                    .iter()
                    .map(|a| (a.platform, a.store_name.as_str(), a.store_id.as_deref()))
            })
            .collect();
        write(
            &format!("target/bench/lookalike-{n}.names.json"),
            &serde_json::to_vec(&names).expect("names"),
        );
    }
    // Version 1 is bundled with a copy of the extension, version 2 served
    // as its update, so a wake can be timed from either copy.
    let mut demo = import(&eval(
        "www/demo/registry",
        Some("www/demo/registry/local-hosts.json"),
    ))
    .expect("demo registry");
    demo.brands.extend(synthetic(100_000).brands);
    write(
        "target/bench/demo-100000.signed",
        &key.sign(&compile(&demo)),
    );
    demo.version = 2;
    write(
        "target/bench/demo-100000-v2.signed",
        &key.sign(&compile(&demo)),
    );
}

fn gzip_len(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("gzip")
        .arg("-6c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().expect("gzip output");
    let _ = writer.join();
    out.stdout.len().to_string()
}

/// Each section of a compiled payload gzipped alone (issue 17: find what
/// compresses badly), largest gzipped first: `tag raw→gz` in KB.
fn section_sizes(payload: &[u8]) -> String {
    let le = |at: usize| u32::from_le_bytes(std::array::from_fn(|k| payload[at + k])) as usize;
    let mut at = registry::compiled::MAGIC.len() + 1;
    let count = le(at);
    at += 4;
    let mut rows: Vec<(String, usize, usize)> = (0..count)
        .map(|_| {
            let tag = String::from_utf8_lossy(&payload[at..at + 4]).into_owned();
            let len = le(at + 4);
            at += 8 + len;
            let gz = gzip_len(&payload[at - len..at]).parse().unwrap_or(0);
            (tag, len, gz)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.2));
    rows.iter()
        .take(12)
        .map(|(t, raw, gz)| format!("{t} {:.0}→{:.0}", *raw as f64 / 1e3, *gz as f64 / 1e3))
        .collect::<Vec<_>>()
        .join(", ")
}
