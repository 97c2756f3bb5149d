//! Several registries, one verdict: who may speak for which brand.
//!
//! A client judges a page against every registry it holds. They are not
//! equals. Modelled on TUF's delegations:
//!
//! - **Pinned** registries (the build's own, and those an organisation's
//!   policy sets: a deliberate choice, so the same standing) are the root of
//!   trust. Their site profiles read the pages; they speak for every brand
//!   they list.
//! - An **added** registry (a brand link, a URL the shopper pasted) speaks
//!   only for brands no pinned registry lists, or for a pinned brand that a
//!   pinned registry *delegates* to the added registry's key (a signed
//!   [`Delegation`], optionally for some platforms only). Its rows about any
//!   other brand are dropped before it is used (and counted, so the options
//!   page can say so); a brand whose name a pinned registry sees as one of
//!   its own or as a look-alike of one counts as that pinned brand. Its site
//!   profiles are never used: only pinned registries say how to read a page
//!   and which marketplace it is on.
//!
//! Combining verdicts, gravest doubt first:
//!
//! 1. a pinned `official` stands;
//! 2. then a pinned known counterfeit (`danger`) stands, whatever any added
//!    registry says;
//! 3. then an added `official` for a brand delegated to it (the brand itself
//!    has spoken, with the root's leave);
//! 4. then any other `danger`, pinned first;
//! 5. then an added `official` for a brand of its own, only when no pinned
//!    registry has anything to say about the page (a store that is some new
//!    brand's own but sells a pinned brand's goods unlisted stays `caution`);
//! 6. then `caution`, pinned first; else `none`.
//!
//! A report goes to the inbox of the registry whose verdict stands, and an
//! added registry's inbox is used only for the brands it may speak for
//! (its verdicts are only ever about those).

use std::collections::HashMap;

use crate::normalize::Name;
use crate::page::{self, CollectPlan, Signals, SiteProfile, Snapshot};
use crate::platform::Platform;
use crate::registry::{BlockedStore, Brand, Delegation, Registry};
use crate::verdict::{Evidence, Lang, Level, Verdict};
use crate::Engine;

/// How far a registry is believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// Built into the client: the root of trust.
    Pinned,
    /// Set by an organisation's policy: as trusted as a pinned one.
    Managed,
    /// Added by the user: speaks only for what it is entitled to.
    Added,
}

impl Standing {
    fn is_root(self) -> bool {
        matches!(self, Standing::Pinned | Standing::Managed)
    }

    /// `pinned`, `managed` or `added` (the wasm and CLI spelling).
    pub fn parse(s: &str) -> Option<Standing> {
        match s {
            "pinned" => Some(Standing::Pinned),
            "managed" => Some(Standing::Managed),
            "added" => Some(Standing::Added),
            _ => None,
        }
    }
}

/// What an added registry may speak for, per brand it lists.
#[derive(Debug, Clone, PartialEq)]
enum Entitled {
    /// A brand no pinned registry lists.
    Own,
    /// A pinned brand delegated to this registry's key, on these platforms
    /// (all when `None`).
    Delegated(Option<Vec<Platform>>),
}

impl Entitled {
    fn covers(&self, p: Platform) -> bool {
        match self {
            Entitled::Own | Entitled::Delegated(None) => true,
            Entitled::Delegated(Some(ps)) => ps.contains(&p),
        }
    }
}

/// The rows of an added registry that are not used, for the options page:
/// "this registry also lists 3 stores of brands it may not speak for".
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Ignored {
    /// Brands (as the added registry names them) it may not speak for at all.
    pub brands: Vec<String>,
    /// Store accounts dropped (of those brands, or outside a delegation's platforms).
    pub accounts: usize,
    /// Blocklist rows dropped (about such brands, or naming no brand).
    pub blocked: usize,
}

impl Ignored {
    pub fn is_empty(&self) -> bool {
        *self == Ignored::default()
    }
}

/// One registry in use.
pub struct Source {
    pub id: String,
    pub standing: Standing,
    /// The fingerprint of the key its signature was checked with.
    pub fingerprint: String,
    /// As loaded (what `info` describes).
    engine: Engine,
    /// An added registry cut down to what it may speak for; `None` when
    /// nothing had to be cut (or for a pinned one).
    cut: Option<Engine>,
    entitled: HashMap<String, Entitled>,
    pub ignored: Ignored,
}

impl Source {
    /// The registry as loaded: version, publisher, counts.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    fn judging(&self) -> &Engine {
        self.cut.as_ref().unwrap_or(&self.engine)
    }

    /// May this source's verdict about `brand` on `p` be used?
    fn may_speak(&self, brand: Option<&str>, p: Platform) -> bool {
        if self.standing.is_root() {
            return true;
        }
        brand
            .and_then(|b| self.entitled.get(b))
            .is_some_and(|e| e.covers(p))
    }

    fn delegated(&self, brand: Option<&str>) -> bool {
        matches!(
            brand.and_then(|b| self.entitled.get(b)),
            Some(Entitled::Delegated(_))
        )
    }
}

/// The registries a client holds, combined into one verdict.
#[derive(Default)]
pub struct Sources {
    list: Vec<Source>,
    /// The pinned registries' site profiles, in order.
    profiles: Vec<SiteProfile>,
}

/// A verdict and the registry it came from.
pub struct Combined<'a> {
    pub verdict: Verdict,
    /// The registry whose verdict stands; `None` for `none` from all.
    pub source: Option<&'a Source>,
}

impl<'a> Combined<'a> {
    /// Where a report about this verdict goes (see [`Engine::report_endpoint`]).
    pub fn report_endpoint(&self) -> Option<&'a str> {
        self.source?
            .judging()
            .report_endpoint(self.verdict.brand.as_deref())
    }
}

impl Sources {
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a registry whose signature `fingerprint`'s key verified. A
    /// source with the same id is replaced. What added registries may speak
    /// for is worked out again, since a pinned one may have changed it.
    pub fn add(&mut self, id: &str, standing: Standing, fingerprint: &str, engine: Engine) {
        self.list.retain(|s| s.id != id);
        let source = Source {
            id: id.to_string(),
            standing,
            fingerprint: fingerprint.to_ascii_lowercase(),
            engine,
            cut: None,
            entitled: HashMap::new(),
            ignored: Ignored::default(),
        };
        // Roots first, in the order given; added ones after.
        let at = if standing.is_root() {
            self.list
                .iter()
                .take_while(|s| s.standing.is_root())
                .count()
        } else {
            self.list.len()
        };
        self.list.insert(at, source);
        if standing.is_root() {
            self.settle();
        } else {
            // A root's word is unchanged: only the newcomer needs working out
            // (at every worker wake the extension adds its sources one by one).
            self.entitle(at);
        }
    }

    /// Drops a source; true if there was one with this id.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(at) = self.list.iter().position(|s| s.id == id) else {
            return false;
        };
        if self.list.remove(at).standing.is_root() {
            self.settle();
        }
        true
    }

    pub fn get(&self, id: &str) -> Option<&Source> {
        self.list.iter().find(|s| s.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Source> {
        self.list.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn roots(&self) -> impl Iterator<Item = &Source> {
        self.list.iter().filter(|s| s.standing.is_root())
    }

    /// The roots changed: their site profiles, and what every added
    /// registry may speak for, are worked out again.
    fn settle(&mut self) {
        self.profiles = self
            .roots()
            .flat_map(|s| s.engine.meta().site_profiles.iter().cloned())
            .collect();
        for at in 0..self.list.len() {
            if !self.list[at].standing.is_root() {
                self.entitle(at);
            }
        }
    }

    /// What the added registry at `at` may speak for, against the roots.
    fn entitle(&mut self, at: usize) {
        let roots: Vec<&Source> = self.roots().collect();
        let s = &self.list[at];
        let reg = s.engine.ix.data.to_registry();
        let entitled = entitlements(&roots, &reg, &s.fingerprint);
        let (cut, ignored) = cut_to(&reg, &entitled);
        let s = &mut self.list[at];
        s.cut = (!ignored.is_empty()).then(|| Engine::new(cut));
        s.ignored = ignored;
        s.entitled = entitled;
    }

    /// What a content script should read on `url` (pinned profiles only).
    pub fn plan(&self, url: &str) -> Option<CollectPlan<'_>> {
        page::profile_for(&self.profiles, url).map(CollectPlan::for_profile)
    }

    /// A snapshot read with the pinned registries' site profiles.
    pub fn interpret(&self, snapshot: &Snapshot) -> Signals {
        page::interpret(snapshot, &self.profiles)
    }

    /// Judges `signals` against every registry and combines the verdicts
    /// (module docs). The platform is settled once, by the pinned profiles,
    /// so that no added registry can move a page to another marketplace.
    pub fn check(&self, signals: &Signals, lang: Lang) -> Combined<'_> {
        let mut s = signals.clone();
        if s.platform.is_none() {
            s.platform = s
                .url
                .as_deref()
                .and_then(|u| page::profile_for(&self.profiles, u))
                .map(|p| p.platform);
        }
        let platform = s.platform.unwrap_or(Platform::Web);
        s.platform = Some(platform);
        let verdicts: Vec<(&Source, Verdict)> = self
            .list
            .iter()
            .map(|src| (src, src.judging().check_in(&s, lang)))
            .filter(|(src, v)| {
                v.level == Level::None || src.may_speak(v.brand.as_deref(), platform)
            })
            .collect();
        let root = |src: &Source| src.standing.is_root();
        let pick =
            |f: &dyn Fn(&Source, &Verdict) -> bool| verdicts.iter().find(|(src, v)| f(src, v));
        let known_counterfeit = |v: &Verdict| {
            v.reasons
                .iter()
                .any(|r| matches!(r.evidence, Evidence::KnownCounterfeit { .. }))
        };
        let pinned_silent = verdicts
            .iter()
            .all(|(src, v)| !root(src) || v.level == Level::None);
        let chosen = pick(&|src, v| root(src) && v.level == Level::Official)
            .or_else(|| pick(&|src, v| root(src) && known_counterfeit(v)))
            .or_else(|| {
                pick(&|src, v| v.level == Level::Official && src.delegated(v.brand.as_deref()))
            })
            .or_else(|| pick(&|_, v| v.level == Level::Danger))
            .or_else(|| pick(&|_, v| v.level == Level::Official && pinned_silent))
            .or_else(|| pick(&|_, v| v.level == Level::Caution));
        match chosen {
            Some((src, v)) => Combined {
                verdict: v.clone(),
                source: Some(src),
            },
            None => Combined {
                verdict: Verdict::none(),
                source: None,
            },
        }
    }
}

/// The brands of `added` (signed by `fingerprint`) it may speak for.
fn entitlements(
    roots: &[&Source],
    added: &Registry,
    fingerprint: &str,
) -> HashMap<String, Entitled> {
    let mut out = HashMap::new();
    for b in &added.brands {
        let pinned: Vec<(&Source, String)> = roots
            .iter()
            .flat_map(|r| pinned_brands_like(r, b).into_iter().map(move |n| (*r, n)))
            .collect();
        if pinned.is_empty() {
            out.insert(b.name.clone(), Entitled::Own);
            continue;
        }
        // Every pinned brand it is (or imitates) must be delegated to this
        // key; the platforms are those all the grants share.
        let grants: Option<Vec<Option<Vec<Platform>>>> = pinned
            .iter()
            .map(|(root, name)| {
                root.engine
                    .meta()
                    .delegations
                    .iter()
                    .filter(|d| d.brand == *name && d.key == fingerprint)
                    .fold(None, |acc, d| Some(union(acc, d)))
            })
            .collect();
        if let Some(platforms) = grants.and_then(|g| g.into_iter().reduce(intersect)) {
            out.insert(b.name.clone(), Entitled::Delegated(platforms));
        }
    }
    out
}

/// Platforms a delegation grants, joined with earlier grants (`None`: all).
fn union(acc: Option<Option<Vec<Platform>>>, d: &Delegation) -> Option<Vec<Platform>> {
    let this = (!d.platforms.is_empty()).then(|| d.platforms.clone());
    match (acc, this) {
        (None, t) => t,
        (Some(None), _) | (_, None) => None,
        (Some(Some(mut a)), Some(t)) => {
            a.extend(t);
            a.sort_by_key(|p| *p as u8);
            a.dedup();
            Some(a)
        }
    }
}

fn intersect(a: Option<Vec<Platform>>, b: Option<Vec<Platform>>) -> Option<Vec<Platform>> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(a), Some(b)) => Some(a.into_iter().filter(|p| b.contains(p)).collect()),
    }
}

/// The root's brands (by name) that `b` is, by any of its names, or imitates.
fn pinned_brands_like(root: &Source, b: &Brand) -> Vec<String> {
    let ix = &root.engine.ix;
    let mut found: Vec<u32> = Vec::new();
    for n in std::iter::once(&b.name).chain(&b.aliases) {
        let name = Name::parse(n);
        if name.folded.is_empty() {
            continue;
        }
        found.extend(ix.brands_named(&name.core));
        if let Some(l) = ix.lookalike(&name) {
            found.push(ix.key(l.key).brand());
        }
    }
    found.sort_unstable();
    found.dedup();
    found
        .into_iter()
        .map(|i| ix.brand(i).name().to_string())
        .collect()
}

/// `reg` without the rows it may not speak for, and what was dropped.
fn cut_to(reg: &Registry, entitled: &HashMap<String, Entitled>) -> (Registry, Ignored) {
    let mut ignored = Ignored::default();
    let mut brands = Vec::new();
    for b in &reg.brands {
        let Some(e) = entitled.get(&b.name) else {
            ignored.brands.push(b.name.clone());
            ignored.accounts += b.accounts.len();
            continue;
        };
        let mut kept = b.clone();
        kept.accounts.retain(|a| e.covers(a.platform));
        ignored.accounts += b.accounts.len() - kept.accounts.len();
        brands.push(kept);
    }
    let may_block = |s: &BlockedStore| {
        s.brand
            .as_ref()
            .and_then(|b| entitled.get(b))
            .is_some_and(|e| e.covers(s.platform))
    };
    let blocklist: Vec<BlockedStore> = reg
        .blocklist
        .iter()
        .filter(|s| may_block(s))
        .cloned()
        .collect();
    ignored.blocked = reg.blocklist.len() - blocklist.len();
    let cut = Registry {
        brands,
        blocklist,
        site_profiles: Vec::new(),
        delegations: Vec::new(),
        compiled_with: None,
        ..reg.clone()
    };
    (cut, ignored)
}
