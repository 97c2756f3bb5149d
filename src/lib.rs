//! Genuine's core: is the store on this page a brand's real one?
//!
//! The pipeline, against a signed [`Registry`]:
//!
//! ```text
//! page snapshot ──page::interpret──▶ Signals ──verdict::judge──▶ Verdict
//!      ▲                                            ▲
//!  SiteProfile (what to read)          matcher::Index (accounts, blocklist,
//!                                       brand names, look-alike candidates)
//! ```
//!
//! - [`registry`] loads and verifies the brands' list (Ed25519-signed): JSON
//!   as brands author it, compiled (`registry::compiled`) as browsers load it.
//! - [`page`] reads a page: site profiles say what to collect; the collected
//!   [`Snapshot`] becomes [`Signals`] (store, product, price).
//! - `normalize` and `matcher` compare names the way a shopper's eye does.
//! - [`price`] turns printed prices into exact amounts and ISO currencies.
//! - [`verdict`] decides `official` / `caution` / `danger` / `none`, with reasons.
//! - [`report`] checks a shopper's report about a store; `serve` (native
//!   only) keeps them in the brand's inbox (see docs/reports-api.md).
//! - [`brandlink`] reads the links brands publish to hand their registry to
//!   shoppers; `pack` (native only) makes the extension's packages, Genuine's
//!   own or a brand's white-label build (see docs/brands.md).
//! - [`sources`] combines the verdicts of several registries: pinned ones
//!   are the root of trust, added ones speak only for what they may.
//!
//! The same code runs natively (the `genuine` CLI and server) and in the
//! browser (the `wasm` module is the JavaScript boundary; the one other
//! place that calls into JavaScript is `time::Timestamp::now`, which reads
//! the browser's clock). docs/architecture.md draws both paths, page →
//! banner and registry file → matcher, and which parts are still JS.

#![deny(clippy::unwrap_used)]

pub mod brandlink;
#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod choices;
mod matcher;
mod normalize;
pub mod outbox;
#[cfg(not(target_arch = "wasm32"))]
pub mod pack;
pub mod page;
pub mod platform;
pub mod price;
pub mod registry;
pub mod report;
#[cfg(not(target_arch = "wasm32"))]
pub mod serve;
pub mod sources;
pub mod time;
mod title;
pub mod updater;
pub mod verdict;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use normalize::rules as matching_rules;
pub use page::{CollectPlan, Signals, SiteProfile, Snapshot};
pub use platform::Platform;
pub use registry::{PublicKey, Registry, RegistryError, SecretKey, Trust};
pub use sources::{Sources, Standing};
pub use verdict::{Level, Verdict};

/// A registry compiled for checking pages.
pub struct Engine {
    ix: matcher::Index,
}

impl Engine {
    /// Compiles an already validated registry (the authoring form).
    pub fn new(registry: Registry) -> Engine {
        // The compiler's output always opens: it writes what `open` checks.
        let compiled = registry::Compiled::open(registry::compile(&registry), 0)
            .expect("a compiled registry opens");
        Engine::from_compiled(compiled)
    }

    /// Builds the lookup tables of a compiled registry. With
    /// [`registry::verify_owned`] and [`registry::Verified::open`], the three
    /// steps of [`Engine::load_owned`], for callers that time them.
    pub fn from_compiled(compiled: registry::Compiled) -> Engine {
        Engine {
            ix: matcher::Index::build(compiled),
        }
    }

    /// Verifies, parses, validates and compiles a registry file.
    pub fn load(file: &[u8], trust: Trust) -> Result<Engine, RegistryError> {
        Engine::load_owned(file.to_vec(), trust)
    }

    /// [`Engine::load`] on bytes it may keep: a compiled registry is used in
    /// place, without a copy.
    pub fn load_owned(file: Vec<u8>, trust: Trust) -> Result<Engine, RegistryError> {
        Ok(Engine::from_compiled(
            registry::verify_owned(file, trust)?.open()?,
        ))
    }

    /// The registry's own fields and site profiles; its brands and blocklist
    /// are in the compiled tables (see [`Engine::brands_matching`]).
    pub fn meta(&self) -> &Registry {
        self.ix.data.meta()
    }

    /// Number of brands.
    pub fn brand_count(&self) -> usize {
        self.ix.data.brand_count()
    }

    /// Number of store accounts (official and authorised) across brands.
    pub fn account_count(&self) -> usize {
        self.ix.account_count()
    }

    /// Heap bytes held: the compiled registry and its lookup tables.
    pub fn heap_bytes(&self) -> usize {
        self.ix.data.byte_len() + self.ix.table_bytes()
    }

    /// What a content script should read on `url`, or `None` when no profile applies.
    pub fn plan(&self, url: &str) -> Option<CollectPlan<'_>> {
        page::profile_for(&self.meta().site_profiles, url).map(CollectPlan::for_profile)
    }

    pub fn interpret(&self, snapshot: &Snapshot) -> Signals {
        page::interpret(snapshot, &self.meta().site_profiles)
    }

    /// Judges `signals`; the reasons' texts in English.
    pub fn check(&self, signals: &Signals) -> Verdict {
        self.check_in(signals, verdict::Lang::En)
    }

    /// Judges `signals` with the reasons' texts in `lang` (only the words
    /// change with the language, never the level, codes or evidence).
    pub fn check_in(&self, signals: &Signals, lang: verdict::Lang) -> Verdict {
        verdict::judge(&self.ix, signals, lang)
    }

    /// Brands whose name or an alias contains `query`, compared as folded
    /// text (case, full/half width, spaces and punctuation ignored) so a
    /// shopper finds 奥罗拉 or ＡＵＲＯＲＡ as typed; every brand for an
    /// empty query. Registry order, which is the publisher's.
    pub fn brands_matching<'a>(
        &'a self,
        query: &str,
    ) -> impl Iterator<Item = registry::Brand> + 'a {
        let q = normalize::fold(query);
        self.ix
            .data
            .brands()
            .filter(move |b| {
                q.is_empty()
                    || std::iter::once(b.name())
                        .chain(b.aliases())
                        .any(|n| normalize::fold(n).contains(&q))
            })
            .map(|b| b.to_owned())
    }

    /// The confirmed counterfeit stores.
    pub fn blocklist(&self) -> Vec<registry::BlockedStore> {
        self.ix.data.blocklist().map(|b| b.to_owned()).collect()
    }

    /// Where a report about `brand` goes: the brand's own inbox, else the
    /// registry's; `None` when neither names one fit to receive reports
    /// ([`report::is_endpoint_url`]), and the client uses its own default.
    /// Per engine, because each registry speaks for its own brands.
    pub fn report_endpoint(&self, brand: Option<&str>) -> Option<&str> {
        let own = brand
            .and_then(|n| self.brand_named_exactly(n))
            .and_then(|b| b.report_endpoint())
            .filter(|u| report::is_endpoint_url(u));
        own.or_else(|| {
            self.meta()
                .report_endpoint
                .as_deref()
                .filter(|u| report::is_endpoint_url(u))
        })
    }

    /// The brand of exactly this name, through the key table: a brand's own
    /// name is one of its keys when its core has two characters or more
    /// (`matcher::keys::brand_keys`), so a check does not walk every brand
    /// (it did, after every check in the browser: 5 ms a check at 10^6
    /// accounts). Only a name too short to be a key is looked for by walking.
    fn brand_named_exactly(&self, name: &str) -> Option<registry::compiled::BrandRef<'_>> {
        let core = normalize::Name::parse(name).core;
        if core.chars().count() < 2 {
            return self.ix.data.brands().find(|b| b.name() == name);
        }
        self.ix
            .brands_named(&core)
            .into_iter()
            .map(|i| self.ix.brand(i))
            .find(|b| b.name() == name)
    }

    /// True once the registry is past its `expires_at`.
    pub fn is_stale(&self, now: time::Timestamp) -> bool {
        now > self.meta().expires_at
    }
}
