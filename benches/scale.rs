//! Registry scale: how long a registry of 10^4, 10^5 and 10^6 accounts takes
//! to become ready (verify → parse → index), how much memory it holds, and
//! how fast checks are. Run by `make bench`; it also writes the signed files
//! to `target/bench/` for the same measurement in wasm (`bench/wasm-scale.mjs`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use genuine_core::registry::{
    self, Account, AccountKind, Brand, Product, RefPrice, Registry, SecretKey, Trust,
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
}

/// `accounts` accounts, five per brand on five platforms.
pub fn synthetic(accounts: usize) -> Registry {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let platforms = [
        Platform::Tmall,
        Platform::Jd,
        Platform::Amazon,
        Platform::Taobao,
        Platform::Ebay,
    ];
    let brands = (0..accounts.div_ceil(5))
        .map(|i| {
            let n = 2 + (rng.next() % 3) as usize;
            let name: String =
                (0..n).map(|_| rng.pick(&SYLLABLES)).collect::<String>() + &format!(" {i}");
            Brand {
                aliases: vec![name.to_lowercase()],
                accounts: platforms
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

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let key = SecretKey::parse("genuine-secret-key/1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        .expect("bench key");
    std::fs::create_dir_all("target/bench").expect("target/bench");
    std::fs::write("target/bench/bench.pub", key.public().to_file()).expect("writes key");
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        sizes
    };
    println!(
        "{:>9} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "accounts", "bytes", "gzip", "verify", "parse", "index", "ready", "heap MB", "check p50"
    );
    for n in sizes {
        let json = serde_json::to_vec(&synthetic(n)).expect("serialises");
        let signed = key.sign(&json);
        std::fs::write(format!("target/bench/registry-{n}.signed"), &signed).expect("writes");
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let t = Instant::now();
        let payload = registry::load(&signed, Trust::Key(&key.public()))
            .map(|_| ())
            .map(|_| ms(t));
        let verify_parse = payload.expect("loads");
        let t = Instant::now();
        let reg = registry::parse(&json).expect("parses");
        let parse = ms(t);
        let t = Instant::now();
        let engine = Engine::new(reg);
        let index = ms(t);
        let heap = (LIVE.load(Ordering::Relaxed) - base) as f64 / 1e6;
        let mut times: Vec<f64> = (0..1000)
            .map(|i| {
                let s = Signals {
                    platform: Some(Platform::Amazon),
                    store_name: Some(format!("Kaba{i} Officia1 Store")),
                    store_id: Some(format!("z{i}")),
                    ..Signals::default()
                };
                let t = Instant::now();
                std::hint::black_box(engine.check(&s));
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{n:>9} {:>10} {:>10} {:>7.1}ms {:>7.1}ms {:>7.1}ms {:>7.1}ms {heap:>10.1} {:>8.1}µs",
            signed.len(),
            gzip_len(&signed),
            verify_parse - parse,
            parse,
            index,
            verify_parse + index,
            times[times.len() / 2]
        );
    }
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
