//! Signals + registry → a verdict a person can read.
//!
//! Order matters and is the policy: a listed account is `official` whatever
//! else the page says, but only on proof of identity: the store id the
//! registry lists, or, where the page shows no id, the registered display
//! name itself (NFC, outer white space trimmed; see `normalize::display`).
//! A name equal to a listed one only after folding (case, width, hidden
//! characters, spacing, punctuation) is a look-alike of it: folding exists to
//! detect tricks and never grants trust. Then a blocklisted store is
//! `danger`; then the store name is compared with the brands' names
//! (look-alike, false official claim); then the product context (which
//! brand is sold, at what price). Every warning carries its evidence, and
//! uncertain evidence (a one-letter typo without an official claim, an
//! unlisted seller at a plausible price, a listed name whose id the registry
//! cannot confirm) only ever gives `caution`.

use serde::Serialize;

use crate::matcher::{self, Index, Lookalike};
use crate::normalize::{self, Name, Trick};
use crate::page::{self, Signals};
use crate::platform::Platform;
use crate::price::Amount;
use crate::registry::compiled::KeySource;
use crate::registry::AccountKind;

mod offers;
mod words;
pub use words::Lang;

/// How worried the shopper should be, least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// No registered brand is involved: nothing to say.
    None,
    /// A registered brand, sold by a store the brand does not list.
    Caution,
    /// A counterfeit, an imitation of an official store, or an impossible price.
    Danger,
    /// A store the brand lists as its own or as authorised.
    Official,
}

/// One piece of evidence, tagged by its reason code.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Evidence {
    OfficialAccount {
        store_name: String,
        platform: Platform,
    },
    AuthorizedReseller {
        store_name: String,
        platform: Platform,
    },
    KnownCounterfeit {
        store_name: String,
        reason: String,
        reported_at: Option<String>,
    },
    LookalikeName {
        resembles: String,
        how: Vec<Trick>,
        score: f64,
    },
    FalseOfficialClaim {
        store_name: String,
    },
    /// The exact name of a listed store, on a page that shows a store id,
    /// where the registry lists no id for that store: it cannot be proven.
    UnconfirmedStore {
        store_name: String,
        platform: Platform,
    },
    /// The name of a brand's web shop, on a page with no address to
    /// prove it by (the web checker without a link): it cannot be proven,
    /// nor ruled out.
    UnaddressedWebShop {
        store_name: String,
    },
    /// The page shows a listed store's id but names another seller
    /// (`shown`): which of the two sells here is not proven. A store that
    /// renamed itself since the registry was signed, or a page that prints
    /// another offer's id beside the seller's name (a used offer, a
    /// recommendation): either way the id alone is no proof.
    IdOfAnotherName {
        store_name: String,
        shown: String,
        platform: Platform,
    },
    UnlistedSeller {
        store_name: Option<String>,
        platform: Platform,
    },
    PriceImplausible {
        product: String,
        price: String,
        reference: String,
        currency: String,
        ratio: f64,
        min_ratio: f64,
    },
    /// Another seller on the page's offer list is a confirmed counterfeit
    /// (`store_name` as the page shows it).
    ListedOfferCounterfeit {
        store_name: String,
        reason: String,
    },
    /// Another seller on the page's offer list imitates an official store.
    ListedOfferLookalike {
        store_name: String,
        resembles: String,
    },
}

impl Evidence {
    /// The reason code, as in the JSON (`lookalike_name`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Evidence::OfficialAccount { .. } => "official_account",
            Evidence::AuthorizedReseller { .. } => "authorized_reseller",
            Evidence::KnownCounterfeit { .. } => "known_counterfeit",
            Evidence::LookalikeName { .. } => "lookalike_name",
            Evidence::FalseOfficialClaim { .. } => "false_official_claim",
            Evidence::UnconfirmedStore { .. } => "unconfirmed_store",
            Evidence::UnaddressedWebShop { .. } => "unaddressed_web_shop",
            Evidence::IdOfAnotherName { .. } => "id_of_another_name",
            Evidence::UnlistedSeller { .. } => "unlisted_seller",
            Evidence::PriceImplausible { .. } => "price_implausible",
            Evidence::ListedOfferCounterfeit { .. } => "listed_offer_counterfeit",
            Evidence::ListedOfferLookalike { .. } => "listed_offer_lookalike",
        }
    }
}

/// A reason: its evidence, and the same in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    #[serde(flatten)]
    pub evidence: Evidence,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub level: Level,
    /// The brand concerned, exactly as the registry names it.
    pub brand: Option<String>,
    pub reasons: Vec<Reason>,
}

impl Verdict {
    /// Nothing to say.
    pub(crate) fn none() -> Verdict {
        Verdict {
            level: Level::None,
            brand: None,
            reasons: Vec::new(),
        }
    }
}

/// Judges one page's signals against the compiled registry: its store (the
/// featured offer's seller), then the other sellers of its offer list.
pub(crate) fn judge(ix: &Index, s: &Signals, lang: Lang) -> Verdict {
    offers::flag(ix, s, lang, judge_store(ix, s, lang, Context::Judged))
}

/// Whether a judgement goes on to the product (which brand is sold, at what
/// price) after the store's identity and name.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    Judged,
    /// For a listed seller, of which only a counterfeit listing or a
    /// look-alike name is said: the product's brand and price are the
    /// page's, and finding the brand in the title again for each of twenty
    /// offers took 60 µs apiece.
    Skipped,
}

/// Judges the page's store.
fn judge_store(ix: &Index, s: &Signals, lang: Lang, context: Context) -> Verdict {
    let platform = s
        .platform
        .or_else(|| {
            s.url
                .as_deref()
                .and_then(|u| page::profile_for(&ix.data.meta().site_profiles, u))
                .map(|p| p.platform)
        })
        .unwrap_or(Platform::Web);
    let name = s.store_name.as_deref().map(Name::parse).unwrap_or_default();
    // On the open web the whole page is its owner's to write: the shop
    // name, `og:site_name` and any id it prints prove nothing, and a fake
    // shop copies them. Only the address the browser shows does, so there
    // the store's id is the page's host, and a page with no address has
    // one that matches nothing ("-"): an exact name then proves nothing.
    let web_host = (platform == Platform::Web).then(|| {
        s.url
            .as_deref()
            .and_then(page::Url::parse)
            .map(|u| u.host)
            .unwrap_or_else(|| NO_ADDRESS.into())
    });
    let id = match &web_host {
        Some(host) => Some(host.as_str()),
        None => s
            .store_id
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty()),
    };
    let mut j = Judgement {
        ix,
        lang,
        platform,
        brand: None,
        reasons: Vec::new(),
    };

    let by_id = match &web_host {
        // A brand's web shop is its domain and everything under it
        // (www.aurora.example is aurora.example's).
        Some(host) => parent_domains(host).find_map(|d| ix.account_by_id(platform, d)),
        None => id.and_then(|id| ix.account_by_id(platform, id)),
    };
    if let Some(r) = by_id {
        // On a marketplace the id and the name are read from the page
        // apart, and a page prints other sellers' ids too (a used offer's
        // link, a recommended product's seller in the page's JSON): the id
        // proves the store only when the page names that store, or no
        // store at all. Otherwise say so, and judge the name like any
        // unproven store's.
        let registered = ix.account(r).1.store_name();
        match s.store_name.as_deref().map(str::trim) {
            Some(shown)
                if web_host.is_none() && !shown.is_empty() && !names_agree(&name, registered) =>
            {
                j.brand = Some(ix.account_brand(r));
                j.push(Evidence::IdOfAnotherName {
                    store_name: registered.to_string(),
                    shown: shown.to_string(),
                    platform,
                });
            }
            _ => return j.listed(r),
        }
    }
    if let Some(b) = ix.blocked(platform, id, &name.folded) {
        let brand = b.brand.clone();
        j.brand = brand
            .as_deref()
            .and_then(|n| ix.brands_named(&Name::parse(n).core).first().copied());
        let ev = Evidence::KnownCounterfeit {
            store_name: b.store_name.clone(),
            reason: b.reason.clone(),
            reported_at: b.reported_at.clone(),
        };
        return j.with(ev).finish_with_brand_name(brand);
    }
    // Still judging with a listed id: the page names another store beside it.
    let disputed = by_id.is_some();
    let mut j = match j.same_name(s.store_name.as_deref(), &name, id, disputed) {
        Ok(v) => return v,
        Err(j) => j,
    };
    j.judge_name(&name, s);
    if context == Context::Judged {
        j.judge_context(s, &name);
    }
    j.finish()
}

/// A page's store name is a listed store's when both fold to the same text,
/// or one's brand core holds the other's: shops print their names with and
/// without the decoration words a registry may have kept ("Aurora Wellness",
/// "Aurora Wellness Official Store"), and a marketplace selling on its own
/// account prints its storefront's name ("Amazon.com", "Amazon EU S.à r.l."
/// for a registry's "Amazon"). A core of one or two characters holds too
/// little to say so.
fn names_agree(shown: &Name, listed: &str) -> bool {
    let listed = Name::parse(listed);
    let long = |core: &str| core.chars().count() >= 3;
    shown.folded == listed.folded
        || (long(&shown.core)
            && long(&listed.core)
            && (shown.core.contains(&listed.core) || listed.core.contains(&shown.core)))
}

/// The id a web page without an address is judged under: no domain has it.
const NO_ADDRESS: &str = "-";

/// `host` and each domain it is under, down to two labels
/// (`shop.aurora.example`, `aurora.example`).
fn parent_domains(host: &str) -> impl Iterator<Item = &str> {
    let labels = host.split('.').count();
    std::iter::successors(Some(host), |h| h.split_once('.').map(|(_, rest)| rest))
        .take(labels.saturating_sub(1).max(1))
}

struct Judgement<'a> {
    ix: &'a Index,
    /// The language the reasons are written in.
    lang: Lang,
    platform: Platform,
    brand: Option<u32>,
    reasons: Vec<(Level, Evidence)>,
}

impl<'a> Judgement<'a> {
    fn with(mut self, ev: Evidence) -> Self {
        let level = level_of(&ev);
        self.reasons.push((level, ev));
        self
    }

    fn push(&mut self, ev: Evidence) {
        self.reasons.push((level_of(&ev), ev));
    }

    fn listed(self, r: u32) -> Verdict {
        let (brand, acct) = self.ix.account(r);
        let ev = match acct.kind() {
            AccountKind::Official => Evidence::OfficialAccount {
                store_name: acct.store_name().to_string(),
                platform: acct.platform(),
            },
            AccountKind::Authorized => Evidence::AuthorizedReseller {
                store_name: acct.store_name().to_string(),
                platform: acct.platform(),
            },
        };
        let reason = Reason {
            text: words::render(&ev, Some(brand.name()), self.lang),
            evidence: ev,
        };
        Verdict {
            level: Level::Official,
            brand: Some(brand.name().to_string()),
            reasons: vec![reason],
        }
    }

    /// A store whose folded name is a listed account's on this platform: that
    /// account (proven by the exact display name, where the ids allow it),
    /// or a look-alike of it, or a store the registry cannot confirm.
    /// Hands the judgement back (`Err`) when no listed account has the name.
    /// `disputed`: the page's id is another listed store's, so it cannot
    /// tell this one apart either (see `IdOfAnotherName`).
    fn same_name(
        self,
        shown: Option<&str>,
        name: &Name,
        id: Option<&str>,
        disputed: bool,
    ) -> Result<Verdict, Self> {
        let ix = self.ix;
        let Some(shown) = shown else { return Err(self) };
        let same_name = ix.accounts_by_name(self.platform, &name.folded);
        let Some(&first) = same_name.first() else {
            return Err(self);
        };
        let listed_id = |r: u32| ix.account(r).1.store_id();
        let shown_display = normalize::display(shown);
        let exact = |r: u32| shown_display == normalize::display(ix.account(r).1.store_name());
        // With an id on the page, only that id proves the store (and it did
        // not: `account_by_id` came first).
        if let Some(&r) = same_name.iter().find(|&&r| id.is_none() && exact(r)) {
            return Ok(self.listed(r));
        }
        // The store imitated: preferably one the page's id does not rule out.
        let r = same_name
            .iter()
            .copied()
            .find(|&r| id.is_none() || listed_id(r).is_none())
            .unwrap_or(first);
        let mut j = self;
        j.brand = Some(ix.account_brand(r));
        let registered = ix.account(r).1.store_name().to_string();
        let mut how = normalize::folding_tricks(shown, &registered);
        if how.is_empty() && j.platform == Platform::Web && id == Some(NO_ADDRESS) {
            // No address to prove the web shop by, and none to tell it is
            // another: say so, mildly.
            let ev = Evidence::UnaddressedWebShop {
                store_name: registered,
            };
            return Ok(j.with(ev).finish());
        }
        if how.is_empty() && listed_id(r).is_none() {
            // The exact name, an id on the page and none in the registry:
            // nothing proves it is that store, nothing that it is not.
            let ev = Evidence::UnconfirmedStore {
                store_name: registered,
                platform: j.platform,
            };
            return Ok(j.with(ev).finish());
        }
        if how.is_empty() && disputed {
            // One listed store's exact name beside another listed store's
            // id: the page contradicts itself, and either may be the
            // seller's. The caution already given says so; "another store
            // under its name" would be a guess.
            return Ok(j.finish());
        }
        if id.is_some() && listed_id(r).is_some() {
            // The listed store has another id: another store under its name.
            how.insert(0, Trick::SameName);
        }
        for t in &name.tricks {
            if !how.contains(t) {
                how.push(*t);
            }
        }
        let ev = Evidence::LookalikeName {
            resembles: registered,
            how,
            score: 1.0,
        };
        Ok(j.with(ev).finish())
    }

    /// Look-alike names and false official claims.
    fn judge_name(&mut self, name: &Name, s: &Signals) {
        // A five-letter brand one letter off (Haier, Hair; Nikon, Nixon), or a
        // Chinese name one same-sounding character off (海耳, 安列), is as often
        // another business: an imitation if it sells the brand's goods, worth
        // a caution if it claims to be official and shows no goods, and
        // nothing if its goods are others'.
        let other_goods = s.title.as_deref().is_some_and(|t| !t.trim().is_empty());
        let lookalike = self.ix.lookalike(name);
        if let Some(l) = lookalike.as_ref().filter(|l| self.doubtful(l, name)) {
            if self.sells(self.ix.key(l.key).brand(), s, name) {
                self.push_lookalike(l, Level::Danger);
            } else if name.claims_official && !other_goods && self.claim_is_enough(l) {
                self.push_lookalike(l, Level::Caution);
            }
            return;
        }
        if let Some(l) = lookalike {
            let brand = self.ix.key(l.key).brand();
            // A one-letter difference with no official claim may be a different
            // business with a similar name: say so mildly, unless the store
            // sells that very brand's goods under the near-copy of its name.
            let sure = l.score >= 1.0 || name.claims_official || self.sells(brand, s, name);
            // A title that shows other goods (Xiaomai Tea House selling
            // oolong) says it is that different business.
            if sure || !other_goods {
                self.push_lookalike(&l, if sure { Level::Danger } else { Level::Caution });
            }
            return;
        }
        if let Some(&b) = self.ix.brands_named(&name.core).first() {
            self.brand = Some(b);
            if name.claims_official {
                self.push(Evidence::FalseOfficialClaim {
                    store_name: s.store_name.clone().unwrap_or_default(),
                });
                return;
            }
            // The brand's very letters with one of its words broken (Hai-er).
            let brand = self.ix.brand(b);
            let shown = s.store_name.as_deref().unwrap_or_default();
            let registered = std::iter::once(brand.name()).chain(brand.aliases());
            if let Some(trick) = normalize::split_word(shown, registered) {
                let ev = Evidence::LookalikeName {
                    resembles: brand.name().to_string(),
                    how: vec![trick],
                    score: 1.0,
                };
                self.reasons.push((Level::Danger, ev));
            }
            return;
        }
        // Four-letter names one edit apart are often real, different brands
        // (Nixon, Nikon; Sonny, Sony): a short near-copy is an imitation only
        // when it claims to be official and sells the brand it is one letter
        // from (Sonny Official Store selling Sony headphones), or is changed
        // in a way no name is (Sony6 Official Store); claiming to be official
        // with no goods shown is worth a caution, other goods nothing.
        if let Some(l) = self.ix.short_typo(name).filter(|_| name.claims_official) {
            let sells = self.sells(self.ix.key(l.key).brand(), s, name);
            if sells || !other_goods && self.disguised(&l, name) {
                self.push_lookalike(&l, Level::Danger);
                return;
            }
            if !other_goods {
                self.push_lookalike(&l, Level::Caution);
                return;
            }
        }
        self.judge_heads(name, s);
    }

    /// A claiming name whose brand part is followed by words the decoration
    /// lists do not know ("Haier Official Boutique", "Amwaay Authorized
    /// Warehouse", 耐克品牌官方旗舰店): the longest leading part that is a
    /// registered brand, or looks like one. Where that is less than certain —
    /// characters between the part and the claim (安莉芳, 如新生活 are other
    /// businesses' names), or a five-letter brand one letter off (Nixon) — the
    /// goods decide: the brand's goods make it an imitation, no goods shown a
    /// doubt, other goods another business.
    fn judge_heads(&mut self, name: &Name, s: &Signals) {
        let no_goods = s.title.as_deref().is_none_or(|t| t.trim().is_empty());
        for h in &name.heads {
            let head = Name {
                core: h.core.clone(),
                skeleton: h.skeleton.clone(),
                claims_official: true,
                tricks: name.tricks.clone(),
                ..Name::default()
            };
            let found = self
                .ix
                .lookalike(&head)
                .map(|l| {
                    let doubtful = self.doubtful(&l, &head);
                    (self.ix.key(l.key).brand(), doubtful, Some(l))
                })
                .or_else(|| {
                    let b = *self.ix.brands_named(&h.core).first()?;
                    Some((b, false, None))
                })
                .or_else(|| {
                    let l = self.ix.short_typo(&head)?;
                    Some((self.ix.key(l.key).brand(), true, Some(l)))
                });
            let Some((brand, doubtful, lookalike)) = found else {
                continue;
            };
            let enough = lookalike.as_ref().is_none_or(|l| self.claim_is_enough(l));
            let level = if (h.gap == 0 && !doubtful) || self.sells(brand, s, name) {
                Level::Danger
            } else if no_goods && enough {
                Level::Caution
            } else {
                continue;
            };
            match lookalike {
                Some(l) => self.push_lookalike(&l, level),
                None => {
                    self.brand = Some(brand);
                    let ev = Evidence::FalseOfficialClaim {
                        store_name: s.store_name.clone().unwrap_or_default(),
                    };
                    self.reasons.push((level, ev));
                }
            }
            return;
        }
    }

    /// A look-alike that may as well be another business: a one-letter
    /// change of a Latin brand of five letters at most that could spell
    /// another name (not a digit put in, not a doubled letter), or a
    /// same-sounding or like-shaped character in a Chinese name.
    fn doubtful(&self, l: &Lookalike, name: &Name) -> bool {
        let key = self.ix.key(l.key).skeleton();
        l.tricks.contains(&Trick::Homophone)
            || l.tricks.contains(&Trick::SimilarShape)
            || l.tricks.contains(&Trick::Typo)
                && key.chars().count() <= 5
                && !key.chars().any(|c| c > '\u{2E80}')
                && !self.disguised(l, name)
    }

    /// The one edit between a name and the key it resembles is a disguise
    /// ([`matcher::disguised_edit`]), in the letters as shown (a digit the
    /// skeleton would read as a letter: Hai8er) or in the skeletons.
    fn disguised(&self, l: &Lookalike, name: &Name) -> bool {
        let key = self.ix.key(l.key);
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        matcher::disguised_edit(&chars(&name.core), &chars(key.core()))
            || matcher::disguised_edit(&chars(&name.skeleton), &chars(key.skeleton()))
    }

    /// Whether a claim without goods makes a doubtful look-alike worth a
    /// caution: not for two-character names one sound apart (海心 and 海信 are
    /// both ordinary names). Two-character names one radical apart still get
    /// the caution.
    fn claim_is_enough(&self, l: &Lookalike) -> bool {
        !(l.tricks.contains(&Trick::Homophone)
            && self.ix.key(l.key).skeleton().chars().count() <= 2)
    }

    fn push_lookalike(&mut self, l: &Lookalike, level: Level) {
        self.brand = Some(self.ix.key(l.key).brand());
        let ev = Evidence::LookalikeName {
            resembles: self.resembles(l),
            how: l.tricks.clone(),
            score: round2(l.score),
        };
        self.reasons.push((level, ev));
    }

    /// The page offers this brand's goods: by GTIN, or its name or one of its
    /// registered products in the title.
    fn sells(&self, brand: u32, s: &Signals, name: &Name) -> bool {
        let ix = self.ix;
        s.gtin.as_deref().and_then(|g| ix.brand_of_gtin(g)) == Some(brand)
            || s.title.as_deref().is_some_and(|t| {
                ix.brands_in(t, &name.core).contains(&brand)
                    || ix.product_in(t, Some(brand)).is_some()
            })
    }

    /// The official store a look-alike imitates, preferring this platform's.
    fn resembles(&self, l: &Lookalike) -> String {
        let key = self.ix.key(l.key);
        let brand = self.ix.brand(key.brand());
        let official = |p: Option<Platform>| {
            brand
                .accounts()
                .find(|a| a.kind() == AccountKind::Official && p.is_none_or(|p| a.platform() == p))
        };
        if let KeySource::Account(r) = key.source() {
            let (_, acct) = self.ix.account(r);
            if acct.platform() == self.platform {
                return acct.store_name().to_string();
            }
        }
        official(Some(self.platform))
            .map_or_else(|| brand.name().to_string(), |a| a.store_name().to_string())
    }

    /// Which registered brand the product is, and whether its price is plausible.
    fn judge_context(&mut self, s: &Signals, name: &Name) {
        let ix = self.ix;
        let from_brand_field = s
            .brand
            .as_deref()
            .map(|b| ix.brands_named(&Name::parse(b).core));
        let brand = self
            .brand
            .or_else(|| from_brand_field.as_ref().and_then(|v| v.first().copied()))
            .or_else(|| s.gtin.as_deref().and_then(|g| ix.brand_of_gtin(g)))
            .or_else(|| {
                // A structured brand that is not registered means the product is
                // someone else's, even if the title mentions a registered one
                // ("case for Kestrel K2").
                if from_brand_field.is_some_and(|v| v.is_empty())
                    && s.brand
                        .as_deref()
                        .is_some_and(|b| !normalize::fold(b).is_empty())
                {
                    return None;
                }
                let title = s.title.as_deref()?;
                ix.brands_in(title, &name.core)
                    .first()
                    .copied()
                    .or_else(|| ix.product_in(title, None).map(|(b, _)| b))
            });
        let Some(b) = brand else { return };
        self.brand = Some(b);
        if self.reasons.is_empty() {
            self.push(Evidence::UnlistedSeller {
                store_name: s.store_name.clone(),
                platform: self.platform,
            });
        }
        if let Some(ev) = price_evidence(ix, b, s) {
            self.push(ev);
        }
    }

    fn finish(self) -> Verdict {
        let name = self.brand.map(|b| self.ix.brand(b).name().to_string());
        self.finish_with_brand_name(name)
    }

    fn finish_with_brand_name(mut self, brand_name: Option<String>) -> Verdict {
        // The reason that set the level comes first: it is the one a banner
        // shows without being opened. The sort is stable, so ties keep the
        // order in which they were found.
        self.reasons.sort_by_key(|(l, _)| std::cmp::Reverse(*l));
        if self.reasons.is_empty() {
            return Verdict::none();
        }
        let level = self
            .reasons
            .iter()
            .map(|(l, _)| *l)
            .max()
            .unwrap_or(Level::None);
        let reasons = self
            .reasons
            .into_iter()
            .map(|(_, ev)| Reason {
                text: words::render(&ev, brand_name.as_deref(), self.lang),
                evidence: ev,
            })
            .collect();
        Verdict {
            level,
            brand: brand_name,
            reasons,
        }
    }
}

/// Prices whose being low says nothing about the goods: a used offer's (a
/// registry's reference prices are for new goods), and the lowest of an
/// `AggregateOffer`'s range (a smaller variant's, or a wholesale tier's).
/// A warning from them would be a false alarm.
const PRICE_SOURCES_NOT_JUDGED: [&str; 2] = ["used", "json_ld_low"];

fn price_evidence(ix: &Index, b: u32, s: &Signals) -> Option<Evidence> {
    if s.price_source
        .as_deref()
        .is_some_and(|p| PRICE_SOURCES_NOT_JUDGED.contains(&p))
    {
        return None;
    }
    let product = ix.product(b, s.title.as_deref(), s.gtin.as_deref())?;
    let currency = s.currency.as_deref()?;
    let price = Amount::parse_decimal(s.price.as_deref()?)?;
    let reference = product.prices.iter().find(|p| p.currency == currency)?;
    let ref_amount = Amount::parse_decimal(&reference.amount)?;
    if ref_amount.as_f64() <= 0.0 || price.as_f64() <= 0.0 {
        return None;
    }
    let ratio = price.as_f64() / ref_amount.as_f64();
    (ratio < product.min_ratio).then(|| Evidence::PriceImplausible {
        product: product.name.clone(),
        price: price.to_string(),
        reference: ref_amount.to_string(),
        currency: currency.to_string(),
        ratio: round2(ratio),
        min_ratio: product.min_ratio,
    })
}

fn level_of(ev: &Evidence) -> Level {
    match ev {
        Evidence::OfficialAccount { .. } | Evidence::AuthorizedReseller { .. } => Level::Official,
        Evidence::UnlistedSeller { .. }
        | Evidence::UnconfirmedStore { .. }
        | Evidence::UnaddressedWebShop { .. }
        | Evidence::IdOfAnotherName { .. }
        | Evidence::ListedOfferCounterfeit { .. }
        | Evidence::ListedOfferLookalike { .. } => Level::Caution,
        _ => Level::Danger,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::names_agree;
    use crate::normalize::Name;

    /// When a page's name is the listed store's, for an id the page shows.
    #[test]
    fn names_that_agree_with_a_listed_store() {
        let cases = [
            (
                "Aurora Wellness Official Store",
                "Aurora Wellness Official Store",
                true,
            ),
            ("Aurora Wellness", "Aurora Wellness Official Store", true),
            ("AURORA-WELLNESS", "Aurora Wellness", true),
            ("Amazon.com", "Amazon", true),
            ("Amazon EU S.à r.l.", "Amazon", true),
            ("奥罗拉健康官方旗舰店", "奥罗拉健康官方旗舰店", true),
            // Another seller beside the listed store's id.
            ("Amazon", "Aurora Wellness Official Store", false),
            ("Black Bear Gaming", "Aurora Wellness", false),
            ("优品生活专营店", "奥罗拉健康官方旗舰店", false),
            (
                "Aur0ra Wellness 0fficial Store",
                "Aurora Wellness Official Store",
                false,
            ),
            // A core too short to hold another's.
            ("A", "Amazon", false),
        ];
        for (shown, listed, want) in cases {
            assert_eq!(
                names_agree(&Name::parse(shown), listed),
                want,
                "{shown:?} / {listed:?}"
            );
        }
    }
}
