//! The browser's face of the core: the one module that names wasm-bindgen.
//!
//! Values cross as plain JS objects (through their JSON: `browser::to_js`),
//! errors as JS `Error`s with a message a person can read.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::browser::{from_js, to_js};
use crate::registry::{self, Account, BlockedStore};
use crate::report;
use crate::sources::{self, Standing};
use crate::verdict::Lang;
use crate::{Engine as Core, PublicKey, Signals, Snapshot, Trust};

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: there is a `performance` in windows, workers and Node.
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

#[wasm_bindgen]
pub struct Engine {
    core: Core,
    fingerprint: String,
    load_ms: LoadMs,
}

/// How long each step of `Engine.load` took, in milliseconds: what a worker
/// wake costs, reported by `info()` for the benchmarks and the curious.
#[derive(Serialize, Clone, Copy)]
struct LoadMs {
    /// "signature" (Engine.load) or "checksum" (Engine.loadCached).
    verified_by: &'static str,
    verify: f64,
    decode: f64,
    index: f64,
}

fn js_err(e: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&e.to_string()).into()
}

#[derive(Serialize)]
struct Info<'a> {
    publisher: &'a str,
    version: u64,
    issued_at: String,
    expires_at: String,
    stale: bool,
    demo: bool,
    brands: usize,
    accounts: usize,
    fingerprint: &'a str,
    /// The compiled registry and its lookup tables, in bytes.
    heap_bytes: usize,
    load_ms: LoadMs,
}

#[derive(Serialize)]
struct Checked<'a> {
    #[serde(flatten)]
    verdict: &'a crate::Verdict,
    signals: &'a Signals,
    /// What a report about this page would say and where it would go; `null`
    /// when there is nothing to report (a listed store, no store name).
    report: Option<Offer<'a>>,
}

/// A report draft and the inbox the verdict's registry names for its brand
/// (`null`: the extension's default inbox).
#[derive(Serialize)]
struct Offer<'a> {
    #[serde(flatten)]
    draft: report::Draft,
    endpoint: Option<&'a str>,
}

impl<'a> Checked<'a> {
    fn new(core: &'a Core, verdict: &'a crate::Verdict, signals: &'a Signals) -> Checked<'a> {
        Checked::with_endpoint(
            core.report_endpoint(verdict.brand.as_deref()),
            verdict,
            signals,
        )
    }

    fn with_endpoint(
        endpoint: Option<&'a str>,
        verdict: &'a crate::Verdict,
        signals: &'a Signals,
    ) -> Checked<'a> {
        let report = report::draft(signals, verdict).map(|draft| Offer { draft, endpoint });
        Checked {
            verdict,
            signals,
            report,
        }
    }
}

/// Checks a complete report (JSON text) exactly as the inbox will, so that a
/// report that would be refused is never queued; throws the reason.
#[wasm_bindgen(js_name = checkReport)]
pub fn check_report(json: &str) -> Result<(), JsValue> {
    report::Report::parse(json.as_bytes())
        .map(|_| ())
        .map_err(js_err)
}

/// A brand as the registry browser shows it: names and stores, not prices.
#[derive(Serialize)]
struct BrandEntry<'a> {
    name: String,
    aliases: Vec<String>,
    accounts: Vec<Account>,
    /// Confirmed counterfeit stores that imitate this brand.
    blocked: Vec<&'a BlockedStore>,
}

#[wasm_bindgen]
impl Engine {
    /// Verifies `signed` against the pinned `public_key` (key file text) and
    /// compiles it. The bytes are copied into wasm memory once and kept there:
    /// a compiled registry is used in place.
    pub fn load(signed: Vec<u8>, public_key: &str) -> Result<Engine, JsValue> {
        let key = PublicKey::parse(public_key).map_err(js_err)?;
        let t0 = now();
        let verified = registry::verify_owned(signed, Trust::Key(&key)).map_err(js_err)?;
        Engine::open(verified, key, "signature", t0)
    }

    /// A copy of `signed` that `load` verified before, with the `checksum`
    /// taken then: checks the header names `public_key` and the bytes match
    /// the checksum, not the signature (see `registry::verify_cached`). For
    /// the extension's own cache, so a worker wake does not hash every byte
    /// with SHA-512 again.
    #[wasm_bindgen(js_name = loadCached)]
    pub fn load_cached(
        signed: Vec<u8>,
        public_key: &str,
        checksum: &str,
    ) -> Result<Engine, JsValue> {
        let key = PublicKey::parse(public_key).map_err(js_err)?;
        let t0 = now();
        let verified = registry::verify_cached(signed, &key, checksum).map_err(js_err)?;
        Engine::open(verified, key, "checksum", t0)
    }

    /// The checksum `loadCached` expects for these bytes.
    pub fn checksum(bytes: &[u8]) -> String {
        registry::checksum(bytes)
    }

    fn open(
        verified: registry::Verified,
        key: PublicKey,
        verified_by: &'static str,
        t0: f64,
    ) -> Result<Engine, JsValue> {
        let t1 = now();
        let compiled = verified.open().map_err(js_err)?;
        let t2 = now();
        let core = Core::from_compiled(compiled);
        let t3 = now();
        Ok(Engine {
            core,
            fingerprint: key.fingerprint(),
            load_ms: LoadMs {
                verified_by,
                verify: t1 - t0,
                decode: t2 - t1,
                index: t3 - t2,
            },
        })
    }
}

impl Engine {
    /// The registry's version (for the updater).
    pub(crate) fn version(&self) -> u64 {
        self.core.meta().version
    }
}

impl<'a> Info<'a> {
    fn of(core: &'a Core, fingerprint: &'a str, load_ms: LoadMs) -> Info<'a> {
        let r = core.meta();
        Info {
            publisher: &r.publisher,
            version: r.version,
            issued_at: r.issued_at.to_string(),
            expires_at: r.expires_at.to_string(),
            stale: core.is_stale(crate::time::Timestamp::now()),
            demo: r.demo,
            brands: core.brand_count(),
            accounts: core.account_count(),
            fingerprint,
            heap_bytes: core.heap_bytes(),
            load_ms,
        }
    }
}

#[wasm_bindgen]
impl Engine {
    pub fn info(&self) -> Result<JsValue, JsValue> {
        to_js(&Info::of(&self.core, &self.fingerprint, self.load_ms))
    }

    /// The collect plan for `url`, or `undefined`.
    pub fn plan(&self, url: &str) -> Result<JsValue, JsValue> {
        plan_js(self.core.plan(url))
    }

    /// Interprets a snapshot and judges it: `{level, brand, reasons, signals}`,
    /// the reasons in `lang` (a browser locale such as `zh-CN`; English when
    /// absent or not one we have).
    pub fn check(&self, snapshot: JsValue, lang: Option<String>) -> Result<JsValue, JsValue> {
        let snap: Snapshot = from_js(&snapshot)?;
        let signals = self.core.interpret(&snap);
        let verdict = self.core.check_in(&signals, lang_of(lang));
        to_js(&Checked::new(&self.core, &verdict, &signals))
    }

    /// Judges signals already interpreted (the web checker's form input).
    #[wasm_bindgen(js_name = checkSignals)]
    pub fn check_signals(
        &self,
        signals: JsValue,
        lang: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let signals: Signals = from_js(&signals)?;
        let verdict = self.core.check_in(&signals, lang_of(lang));
        to_js(&Checked::new(&self.core, &verdict, &signals))
    }

    /// Brands whose name or alias contains `query` (folded: case, width and
    /// spacing ignored), with their official and authorised accounts and the
    /// known counterfeits imitating them; all brands for an empty query.
    pub fn brands(&self, query: &str) -> Result<JsValue, JsValue> {
        let blocklist = self.core.blocklist();
        let list: Vec<BrandEntry> = self
            .core
            .brands_matching(query)
            .map(|b| BrandEntry {
                blocked: blocklist
                    .iter()
                    .filter(|s| s.brand.as_deref() == Some(b.name.as_str()))
                    .collect(),
                name: b.name,
                aliases: b.aliases,
                accounts: b.accounts,
            })
            .collect();
        to_js(&list)
    }
}

/// Every registry the extension holds, judged together: pinned ones are the
/// root of trust, added ones speak only for what they are entitled to (see
/// `sources`). The background keeps one of these per worker wake.
#[wasm_bindgen]
pub struct Sources {
    core: sources::Sources,
    load_ms: Vec<(String, LoadMs)>,
}

/// `Engine.info()` of one source, with its standing and what of it is not used.
#[derive(Serialize)]
struct SourceInfo<'a> {
    #[serde(flatten)]
    info: Info<'a>,
    standing: Standing,
    ignored: &'a sources::Ignored,
}

#[wasm_bindgen]
impl Sources {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Sources {
        Sources {
            core: sources::Sources::new(),
            load_ms: Vec::new(),
        }
    }

    /// Takes `engine` (it is used up) as the source `id` with `standing`:
    /// "pinned", "managed" (an organisation's policy) or "added" (the user's).
    pub fn add(&mut self, id: &str, standing: &str, engine: Engine) -> Result<(), JsValue> {
        let standing = Standing::parse(standing)
            .ok_or_else(|| js_err(format!("unknown standing '{standing}'")))?;
        self.load_ms.retain(|(i, _)| i != id);
        self.load_ms.push((id.to_string(), engine.load_ms));
        self.core
            .add(id, standing, &engine.fingerprint, engine.core);
        Ok(())
    }

    /// The ids, pinned ones first.
    pub fn ids(&self) -> Vec<String> {
        self.core.iter().map(|s| s.id.clone()).collect()
    }

    /// `Engine.info()` of source `id` plus `standing` and `ignored`
    /// (`{brands, accounts, blocked}`: rows of brands it may not speak for);
    /// `undefined` for an unknown id.
    pub fn info(&self, id: &str) -> Result<JsValue, JsValue> {
        let Some(s) = self.core.get(id) else {
            return Ok(JsValue::UNDEFINED);
        };
        let load_ms = self
            .load_ms
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, l)| *l)
            .ok_or_else(|| js_err("no load times"))?;
        to_js(&SourceInfo {
            info: Info::of(s.engine(), &s.fingerprint, load_ms),
            standing: s.standing,
            ignored: &s.ignored,
        })
    }

    /// The collect plan for `url` from the pinned registries' profiles, or `undefined`.
    pub fn plan(&self, url: &str) -> Result<JsValue, JsValue> {
        plan_js(self.core.plan(url))
    }

    /// `Engine.check` over every source: `{level, brand, reasons, signals,
    /// report, source}`, `source` being the id of the registry whose verdict
    /// stands (`null` when none speaks).
    pub fn check(&self, snapshot: JsValue, lang: Option<String>) -> Result<JsValue, JsValue> {
        let snap: Snapshot = from_js(&snapshot)?;
        self.judge(&self.core.interpret(&snap), lang)
    }

    /// Judges signals already interpreted (the web checker's form input).
    #[wasm_bindgen(js_name = checkSignals)]
    pub fn check_signals(
        &self,
        signals: JsValue,
        lang: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let signals: Signals = from_js(&signals)?;
        self.judge(&signals, lang)
    }

    fn judge(&self, signals: &Signals, lang: Option<String>) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct WithSource<'a> {
            #[serde(flatten)]
            checked: Checked<'a>,
            source: Option<&'a str>,
        }
        let c = self.core.check(signals, lang_of(lang));
        to_js(&WithSource {
            checked: Checked::with_endpoint(c.report_endpoint(), &c.verdict, signals),
            source: c.source.map(|s| s.id.as_str()),
        })
    }
}

impl Default for Sources {
    fn default() -> Self {
        Sources::new()
    }
}

fn plan_js(plan: Option<crate::CollectPlan>) -> Result<JsValue, JsValue> {
    match plan {
        Some(p) => to_js(&p),
        None => Ok(JsValue::UNDEFINED),
    }
}

fn lang_of(tag: Option<String>) -> Lang {
    tag.as_deref().map(Lang::from_tag).unwrap_or_default()
}

/// Reads a brand link (`…/add?registry=…&key=…&name=…`) into
/// `{site, registry, fingerprint, name}`; throws with a readable reason.
#[wasm_bindgen(js_name = parseBrandLink)]
pub fn parse_brand_link(link: &str) -> Result<JsValue, JsValue> {
    let offer = crate::brandlink::BrandLink::parse(link).map_err(js_err)?;
    to_js(&offer)
}

/// A verdict's level as the extension passes it around.
fn level_of(text: &str) -> Option<crate::verdict::Level> {
    use crate::verdict::Level;
    Some(match text {
        "official" => Level::Official,
        "caution" => Level::Caution,
        "danger" => Level::Danger,
        "none" => Level::None,
        _ => return None,
    })
}

/// The key the user's trust in the store of these signals is kept under
/// (`choices::store_key`), or `undefined`.
#[wasm_bindgen(js_name = storeKey)]
pub fn store_key(signals: &JsValue) -> Option<String> {
    let field = |k: &str| {
        js_sys::Reflect::get(signals, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
    };
    crate::choices::store_key(
        field("platform").as_deref(),
        field("url").as_deref(),
        field("store_id").as_deref(),
        field("store_name").as_deref(),
    )
}

/// The verdict with the user's trust applied: when `trusted` (the stored
/// map of store keys) holds its store and the level is a warning, the
/// verdict gains `trusted: {key, since, level}`; else it is returned as it
/// was. The warning itself stays in the verdict, for the popup to show.
#[wasm_bindgen(js_name = applyTrust)]
pub fn apply_trust(verdict: JsValue, trusted: &JsValue) -> Result<JsValue, JsValue> {
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k));
    let level = get(&verdict, "level")?
        .as_string()
        .and_then(|l| level_of(&l));
    let Some(key) = store_key(&get(&verdict, "signals")?) else {
        return Ok(verdict);
    };
    let chosen = if trusted.is_object() {
        get(trusted, &key)?
    } else {
        JsValue::UNDEFINED
    };
    if !chosen.is_object() || !level.is_some_and(crate::choices::overrides) {
        return Ok(verdict);
    }
    let mark = js_sys::Object::new();
    js_sys::Reflect::set(&mark, &"key".into(), &key.into())?;
    js_sys::Reflect::set(&mark, &"since".into(), &get(&chosen, "since")?)?;
    js_sys::Reflect::set(&mark, &"level".into(), &get(&verdict, "level")?)?;
    js_sys::Reflect::set(&verdict, &"trusted".into(), &mark)?;
    Ok(verdict)
}

/// Whether the in-page banner may trust a store at this level.
#[wasm_bindgen(js_name = bannerMayTrust)]
pub fn banner_may_trust(level: &str) -> bool {
    level_of(level).is_some_and(crate::choices::banner_may_trust)
}

/// A registry address the user gave (`href`) and its key's address, if
/// given: `{id, url, key_url}`, or the reason it cannot be added.
#[wasm_bindgen(js_name = addedSource)]
pub fn added_source(href: &str, key_url: Option<String>) -> Result<JsValue, JsValue> {
    let s = crate::choices::added_source(href, key_url.as_deref()).map_err(js_err)?;
    let out = js_sys::Object::new();
    js_sys::Reflect::set(&out, &"id".into(), &s.id.into())?;
    js_sys::Reflect::set(&out, &"url".into(), &s.url.into())?;
    js_sys::Reflect::set(&out, &"key_url".into(), &s.key_url.into())?;
    Ok(out.into())
}

/// Throws unless `actual` is the fingerprint the user gave.
#[wasm_bindgen(js_name = checkFingerprint)]
pub fn check_fingerprint(actual: &str, given: &str) -> Result<(), JsValue> {
    crate::choices::check_fingerprint(actual, given).map_err(js_err)
}
