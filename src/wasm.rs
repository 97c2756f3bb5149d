//! The browser's face of the core: the one module that names wasm-bindgen.
//!
//! Values cross as plain JS objects (serde-wasm-bindgen), errors as JS
//! `Error`s with a message a person can read.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::registry::{Account, BlockedStore};
use crate::report;
use crate::verdict::Lang;
use crate::{Engine as Core, PublicKey, Signals, Snapshot, Trust};

#[wasm_bindgen]
pub struct Engine {
    core: Core,
    fingerprint: String,
}

fn js_err(e: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&e.to_string()).into()
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_err)
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
        let report = report::draft(signals, verdict).map(|draft| Offer {
            draft,
            endpoint: core.report_endpoint(verdict.brand.as_deref()),
        });
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
    name: &'a str,
    aliases: &'a [String],
    accounts: &'a [Account],
    /// Confirmed counterfeit stores that imitate this brand.
    blocked: Vec<&'a BlockedStore>,
}

#[wasm_bindgen]
impl Engine {
    /// Verifies `signed` against the pinned `public_key` (key file text) and compiles it.
    pub fn load(signed: &[u8], public_key: &str) -> Result<Engine, JsValue> {
        let key = PublicKey::parse(public_key).map_err(js_err)?;
        let core = Core::load(signed, Trust::Key(&key)).map_err(js_err)?;
        Ok(Engine {
            core,
            fingerprint: key.fingerprint(),
        })
    }

    pub fn info(&self) -> Result<JsValue, JsValue> {
        let r = self.core.registry();
        to_js(&Info {
            publisher: &r.publisher,
            version: r.version,
            issued_at: r.issued_at.to_string(),
            expires_at: r.expires_at.to_string(),
            stale: self.core.is_stale(crate::time::Timestamp::now()),
            demo: r.demo,
            brands: r.brands.len(),
            accounts: self.core.account_count(),
            fingerprint: &self.fingerprint,
        })
    }

    /// The collect plan for `url`, or `undefined`.
    pub fn plan(&self, url: &str) -> Result<JsValue, JsValue> {
        match self.core.plan(url) {
            Some(p) => to_js(&p),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Interprets a snapshot and judges it: `{level, brand, reasons, signals}`,
    /// the reasons in `lang` (a browser locale such as `zh-CN`; English when
    /// absent or not one we have).
    pub fn check(&self, snapshot: JsValue, lang: Option<String>) -> Result<JsValue, JsValue> {
        let snap: Snapshot = serde_wasm_bindgen::from_value(snapshot).map_err(js_err)?;
        let signals = self.core.interpret(&snap);
        let verdict = self.core.check(&signals).in_language(lang_of(lang));
        to_js(&Checked::new(&self.core, &verdict, &signals))
    }

    /// Judges signals already interpreted (the web checker's form input).
    #[wasm_bindgen(js_name = checkSignals)]
    pub fn check_signals(
        &self,
        signals: JsValue,
        lang: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let signals: Signals = serde_wasm_bindgen::from_value(signals).map_err(js_err)?;
        let verdict = self.core.check(&signals).in_language(lang_of(lang));
        to_js(&Checked::new(&self.core, &verdict, &signals))
    }

    /// Brands whose name or alias contains `query` (folded: case, width and
    /// spacing ignored), with their official and authorised accounts and the
    /// known counterfeits imitating them; all brands for an empty query.
    pub fn brands(&self, query: &str) -> Result<JsValue, JsValue> {
        let blocklist = &self.core.registry().blocklist;
        let list: Vec<BrandEntry> = self
            .core
            .brands_matching(query)
            .map(|b| BrandEntry {
                name: &b.name,
                aliases: &b.aliases,
                accounts: &b.accounts,
                blocked: blocklist
                    .iter()
                    .filter(|s| s.brand.as_deref() == Some(b.name.as_str()))
                    .collect(),
            })
            .collect();
        to_js(&list)
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
