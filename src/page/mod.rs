//! From a page to signals: what store, what product, what price.
//!
//! Two collectors feed one interpreter. In the browser the content script
//! collects exactly what the [`SiteProfile`] names into a [`Snapshot`]; natively
//! the same snapshot is built from an HTML file. [`interpret`] turns either into
//! [`Signals`], so the browser and the tests read pages the same way.

mod country;
#[cfg(not(target_arch = "wasm32"))]
pub mod html;
mod jsonld;
mod label;
#[cfg(not(target_arch = "wasm32"))]
mod nesting;
mod profile;
pub(crate) mod url;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub use profile::{OfferList, ScriptKey, Selector, SiteProfile, UrlPart, FIELDS, OFFER_FIELDS};
pub use url::Url;

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_profiles_parse() {
        let n: Vec<super::SiteProfile> =
            serde_json::from_str(include_str!("../../data/profiles.json")).expect("profiles.json");
        assert!(n.len() >= 4);
    }

    /// Every plan carries the vendors' robot-check gates after the
    /// profile's own, once each, and a profile with none (a registry's, or
    /// the generic one) gets them too; the generic profile's plan has no
    /// sign-in gate (a shop's header login form is not a wall).
    #[test]
    fn plans_carry_the_common_gates() {
        let common: Vec<&str> = super::common_gates()
            .iter()
            .map(|g| g.css.as_str())
            .collect();
        assert!(common.contains(&"#px-captcha"), "{common:?}");
        let mut bare: super::SiteProfile = serde_json::from_str(
            r#"{"id": "x", "platform": "web", "hosts": ["shop.example"], "fields": {}}"#,
        )
        .expect("profile");
        let mut profiles = super::builtin_profiles();
        profiles.push(bare.clone());
        for p in &profiles {
            let plan = super::CollectPlan::for_profile(p);
            let css: Vec<&str> = plan.gates.iter().map(|g| g.css.as_str()).collect();
            let own: Vec<&str> = p.gates.iter().map(|g| g.css.as_str()).collect();
            assert_eq!(css[..own.len()], own[..], "{}", p.id);
            for c in &common {
                assert_eq!(css.iter().filter(|g| *g == c).count(), 1, "{} {c}", p.id);
            }
            assert_eq!(css.len(), own.len() + common.len(), "{}", p.id);
            if p.id == "generic" {
                assert!(!css.contains(&"input[type=password]"), "{css:?}");
            }
        }
        // A profile that lists a common gate itself keeps one copy, in its place.
        bare.gates = vec![super::common_gates()[1].clone()];
        let plan = super::CollectPlan::for_profile(&bare);
        assert_eq!(plan.gates.len(), common.len());
        assert_eq!(plan.gates[0].css, common[1]);
    }

    #[test]
    fn unfilled_template_variables_name_nothing() {
        let cases = [
            ("$metabrand", true),
            ("{{ product.vendor }}", true),
            ("${brand}", true),
            ("%BRAND%", true),
            ("[[sellerName]]", true),
            ("<%= brand %>", true),
            ("{% brand %}", true),
            ("$12.99", false),
            ("$ 5", false),
            ("Aurora", false),
            ("100% Cotton", false),
            ("{{", false),
            ("$", false),
            ("A$AP Store", false),
        ];
        for (text, want) in cases {
            assert_eq!(super::is_placeholder(text), want, "{text:?}");
        }
    }
}

use crate::platform::Platform;
use crate::price::{self, Price, PriceHint};

/// Bounds on what a snapshot may carry; the content script gets them with the
/// collect plan and the interpreter enforces them again, since a snapshot
/// crosses from an untrusted page.
pub const MAX_VALUES_PER_FIELD: usize = 8;
pub const MAX_VALUE_CHARS: usize = 1000;
pub const MAX_JSONLD_BLOCKS: usize = 8;
pub const MAX_JSONLD_BYTES: usize = 256 * 1024;
pub const MAX_META: usize = 32;
/// Walmart's `__NEXT_DATA__` runs to a megabyte; the seller is near its start.
pub const MAX_SCRIPT_BYTES: usize = 2 * 1024 * 1024;
/// Offers read from one offer list. Amazon's panel shows ten and loads more
/// as it scrolls; a hostile page may repeat a block a million times, and
/// each offer read is one more store to judge.
pub const MAX_OFFERS: usize = 20;
/// Values per field inside one offer: the first is nearly always it.
pub const MAX_OFFER_VALUES: usize = 2;

/// What a collector read off one page: raw texts, nothing interpreted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Snapshot {
    pub url: String,
    /// The profile that named the fields (`None`: the generic one).
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub jsonld: Vec<String>,
    #[serde(default)]
    pub meta: BTreeMap<String, String>,
    /// The profile's gate selector the page matched, if any (see
    /// [`SiteProfile::gates`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<String>,
    /// Per field whose selectors carry a `kind`, the kind of each value in
    /// `fields` (same order; "" where the selector names none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kinds: BTreeMap<String, Vec<String>>,
    /// The offer list's offers, featured first (see [`OfferList`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<OfferSnapshot>,
    /// Per field the profile names `labels` for, the texts the page prints
    /// beside one, in page order (see `label`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labelled: BTreeMap<String, Vec<String>>,
}

/// One offer's raw texts, read inside its block.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct OfferSnapshot {
    /// Read from a `featured` block.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub featured: bool,
    #[serde(default)]
    pub fields: BTreeMap<String, Vec<String>>,
}

/// One seller's offer on an offer list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Offer {
    /// The page's featured offer (the buy box's).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub featured: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// What a page says about its store, product and price: the input of a check.
///
/// Field names are those of `genuine check`'s JSON lines. Absent means the page
/// did not tell; nothing here is guessed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Signals {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    /// Decimal string, e.g. "1234.56".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// ISO 4217.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Which of the page's prices `price` is: the kind the profile gives its
    /// selector (`buy_box`, `sale`, `deal`, `used`, `add_to_cart`), `page`
    /// for a selector that names none, `featured_offer`, `meta`, `json_ld`,
    /// or `json_ld_low` (an `AggregateOffer`'s `lowPrice`: the lowest of a
    /// range). A list ("was") price or a per-unit price is never picked. The
    /// verdict judges no `used` or `json_ld_low` price against a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_source: Option<String>,
    /// The sellers of an offer list on the page (Amazon's "Other sellers"),
    /// the featured one first; at most [`MAX_OFFERS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<Offer>,
    /// The page could not be read: it is a sign-in or robot-check page (the
    /// gate selector it matched). Nothing else is set, and nothing is judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
}

/// The plan a content script follows on one page: which profile, and exactly
/// which elements, attributes, JSON-LD and meta tags to read.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CollectPlan<'a> {
    pub profile: &'a str,
    pub platform: Platform,
    pub fields: &'a BTreeMap<String, Vec<Selector>>,
    pub jsonld: bool,
    pub meta: &'a [String],
    pub wait_for: &'a [String],
    pub wait_ms: u32,
    pub max_values: usize,
    pub max_chars: usize,
    pub max_jsonld_blocks: usize,
    pub max_jsonld_bytes: usize,
    /// Inline-JSON keys per field, read after the selectors (optional: a
    /// collector that skips them only loses those fields).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub script_fields: &'a BTreeMap<String, Vec<ScriptKey>>,
    /// Bytes of one script's text searched for those keys.
    pub max_script_bytes: usize,
    /// Selectors of sign-in and robot-check pages: the collector reports
    /// the first that matches (`Snapshot::gate`). The profile's own, then
    /// [`common_gates`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<&'a Selector>,
    /// The offer list to read, and how many offers and values per field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offers: Option<&'a OfferList>,
    pub max_offers: usize,
    pub max_offer_values: usize,
    /// Labels per field, and where not to look for them (see `label`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: &'a BTreeMap<String, Vec<String>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub label_avoid: &'a [String],
    /// Text nodes looked at for a label, and how far from one its value is
    /// looked for: elements climbed, element siblings tried.
    pub max_label_nodes: usize,
    pub max_label_climb: usize,
    pub max_label_siblings: usize,
}

impl<'a> CollectPlan<'a> {
    pub fn for_profile(p: &'a SiteProfile) -> Self {
        CollectPlan {
            profile: &p.id,
            platform: p.platform,
            fields: &p.fields,
            jsonld: p.jsonld,
            meta: &p.meta,
            wait_for: &p.wait_for,
            wait_ms: p.wait_ms.min(15_000),
            max_values: MAX_VALUES_PER_FIELD,
            max_chars: MAX_VALUE_CHARS,
            max_jsonld_blocks: MAX_JSONLD_BLOCKS,
            max_jsonld_bytes: MAX_JSONLD_BYTES,
            script_fields: &p.script_fields,
            max_script_bytes: MAX_SCRIPT_BYTES,
            gates: p
                .gates
                .iter()
                .chain(common_gates().iter().filter(|g| !p.gates.contains(g)))
                .collect(),
            offers: p.offers.as_ref(),
            max_offers: MAX_OFFERS,
            max_offer_values: MAX_OFFER_VALUES,
            labels: &p.labels,
            label_avoid: &p.label_avoid,
            max_label_nodes: label::MAX_LABEL_NODES,
            max_label_climb: label::MAX_CLIMB,
            max_label_siblings: label::MAX_SIBLINGS,
        }
    }
}

/// Robot-check screens that are a vendor's, not a marketplace's
/// (`data/common_gates.json`: PerimeterX, DataDome, Cloudflare): any shop
/// may sit behind one, so every profile's plan carries them, a registry's
/// profiles included. A registry cannot drop one, and need not: a gate only
/// counts on a page that shows no store, no id and no price (`interpret`),
/// where there is nothing to judge anyway.
pub fn common_gates() -> &'static [Selector] {
    static GATES: OnceLock<Vec<Selector>> = OnceLock::new();
    GATES.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/common_gates.json")).unwrap_or_default()
    })
}

/// The site profiles built into this release (`data/profiles.json`); a
/// registry carries its own copy, which is what the extension uses.
pub fn builtin_profiles() -> Vec<SiteProfile> {
    serde_json::from_str(include_str!("../../data/profiles.json")).unwrap_or_default()
}

/// The profile for `url`: the first named one that matches, else the first
/// fallback (`hosts: ["*"]`) one.
pub fn profile_for<'a>(profiles: &'a [SiteProfile], url: &str) -> Option<&'a SiteProfile> {
    profile_for_url(profiles, &Url::parse(url)?)
}

fn profile_for_url<'a>(profiles: &'a [SiteProfile], url: &Url) -> Option<&'a SiteProfile> {
    let first = |fallback: bool| {
        profiles
            .iter()
            .find(|p| p.is_fallback() == fallback && p.matches(url))
    };
    first(false).or_else(|| first(true))
}

/// Turns a snapshot into signals. Never fails: what cannot be read is absent.
pub fn interpret(snap: &Snapshot, profiles: &[SiteProfile]) -> Signals {
    let url = Url::parse(&snap.url);
    let profile = snap
        .profile
        .as_deref()
        .and_then(|id| profiles.iter().find(|p| p.id == id))
        .filter(|p| url.as_ref().is_some_and(|u| p.matches(u)))
        .or_else(|| url.as_ref().and_then(|u| profile_for_url(profiles, u)));
    let field = |name: &str| {
        let cut = |v: String| match profile {
            Some(p) => p.cut_value(name, v),
            None => v,
        };
        first_text(snap.fields.get(name)).map(cut)
    };
    let ld = jsonld::read(&snap.jsonld);
    let meta = |name: &str| {
        snap.meta
            .get(name)
            .map(|v| clean(v))
            .filter(|v| !v.is_empty() && !is_placeholder(v))
    };
    // What the page prints beside the profile's labels for a field ("Sold
    // by", "Seller:", "Price:"), when the profile names labels for it.
    let labelled = |name: &str| {
        profile?.labels.get(name)?;
        snap.labelled.get(name)
    };
    // The seller so printed: the first value that reads as a name. On a
    // marketplace, words found anywhere on the page may be a seller's own
    // ("Fulfilled by Aurora Official Store" in a description): there they
    // name the store only beside an id the page's own fields gave, which
    // then decides (a page showing an id is proven by that id alone).
    let labelled_seller = |has_id: bool| {
        let p = profile?;
        if p.platform != Platform::Web && !has_id {
            return None;
        }
        let labels = label::Labels::new(p.labels.get("store_name")?);
        labelled("store_name")?
            .iter()
            .take(MAX_VALUES_PER_FIELD)
            .find_map(|v| label::value(&truncate(v), &labels))
    };
    // The profile's last resort for a field: a meta tag (og:site_name).
    let meta_field = |name: &str| {
        profile
            .and_then(|p| p.meta_fields.get(name))
            .into_iter()
            .flatten()
            .find_map(|m| meta(m))
    };

    let store_url = field("store_url").map(|u| absolute(&u, url.as_ref()));
    // The id sits in the page: in the store's link (JD's
    // mall.jd.com/index-{id}.html, Amazon's seller=), else in a field the
    // profile reads (a hidden form input such as the buy box's merchantID,
    // inline JSON), else in the page's own address (Amazon's smid=). The
    // link comes first: it is the page's visible claim of whose store this
    // is, and sits beside the seller's name, while a page's hidden fields
    // are many and not all the seller's. The address comes last: whoever
    // wrote the link chose it, and a marketplace ignores (or, like Amazon's
    // smid, only prefers) a store id that the page then does not show; an
    // id is proof of the store only if the page itself says so.
    let id_in = |u: Option<&Url>| u.zip(profile).and_then(|(u, p)| p.store_id_in(u));
    let store_id = id_in(store_url.as_deref().and_then(Url::parse).as_ref())
        .or_else(|| field("store_id"))
        .or_else(|| id_in(url.as_ref()));
    let default_currency = profile
        .zip(url.as_ref())
        .and_then(|(p, u)| p.currency_for(u));
    let currency_text = field("currency")
        .or_else(|| meta("product:price:currency"))
        .or_else(|| meta("og:price:currency"))
        .or(ld.currency.clone());
    let hint = PriceHint {
        currency: currency_text.as_deref().or(default_currency),
        decimal_separator: None,
    };
    // The page's product meta tags: a sale price is the one the shopper pays
    // (Leroy Merlin's product:price:amount is the price before its sale).
    // Facebook's older og:price:amount, as Shopify themes still print it,
    // stands in for product:price:amount.
    let meta_price = [
        "product:sale_price:amount",
        "product:price:amount",
        "og:price:amount",
    ]
    .iter()
    .find_map(|name| meta(name))
    .map(|t| (t, "meta"));
    let ld_price = ld.price.clone().map(|t| {
        (
            t,
            if ld.price_is_low {
                "json_ld_low"
            } else {
                "json_ld"
            },
        )
    });
    let structured_first = profile.is_some_and(|p| p.structured_first);
    // A product field from the profile's selectors or from JSON-LD, in the
    // order the profile asks for (see `SiteProfile::structured_first`).
    let product_field = |name: &str, from_ld: Option<String>| {
        if structured_first {
            from_ld.or_else(|| field(name))
        } else {
            field(name).or(from_ld)
        }
    };
    let (price, currency, price_source) = pick_price(
        snap,
        &hint,
        [meta_price, ld_price],
        structured_first,
        labelled("price"),
    );
    let offers: Vec<Offer> = snap
        .offers
        .iter()
        .take(MAX_OFFERS)
        .map(|o| read_offer(o, profile, url.as_ref(), &hint))
        .filter(|o| o.store_name.is_some() || o.store_id.is_some())
        .collect();
    let mut signals = Signals {
        url: (!snap.url.is_empty()).then(|| truncate(&snap.url)),
        platform: profile.map(|p| p.platform),
        // A sentence naming the seller ("Ships from and sold by
        // Amazon.com.", "Verkauf und Versand durch Amazon."): the marketplace
        // itself is a seller like any other.
        store_name: field("store_name")
            .or_else(|| {
                let values = snap.fields.get("store_line")?;
                let cleaned = values
                    .iter()
                    .take(MAX_VALUES_PER_FIELD)
                    .map(|v| clean_lines(v));
                profile?.cut_first("store_line", cleaned)
            })
            .or(ld.seller)
            .or_else(|| labelled_seller(store_id.is_some()))
            .or_else(|| meta_field("store_name"))
            .or_else(|| {
                let (p, u) = profile.zip(url.as_ref())?;
                p.store_for(u).map(str::to_string)
            }),
        store_id,
        store_url,
        title: if structured_first {
            ld.name
                .or_else(|| field("title"))
                .or_else(|| meta("og:title"))
        } else {
            field("title").or_else(|| meta("og:title")).or(ld.name)
        },
        brand: product_field("brand", ld.brand).or_else(|| meta_field("brand")),
        gtin: product_field("gtin", ld.gtin).and_then(|g| clean_gtin(&g)),
        price,
        currency,
        price_source,
        offers,
        unreadable: None,
    };
    featured_offer_as_store(&mut signals);
    // A sign-in or robot-check page with nothing to read: say so, judge nothing.
    if let Some(gate) = &snap.gate {
        if signals.store_name.is_none() && signals.store_id.is_none() && signals.price.is_none() {
            signals = Signals {
                url: signals.url,
                platform: signals.platform,
                unreadable: Some(truncate(gate)),
                ..Signals::default()
            };
        }
    }
    signals
}

/// The price the shopper would pay: the first of the profile's price values
/// that parses (the profile lists the buy box's first, and never a
/// struck-through or per-unit one), else the page's product meta tags, else
/// its JSON-LD offer, else the first value beside one of the profile's
/// price labels that reads as a price. With its currency, and which kind of
/// price it is. `structured_first` tries the JSON-LD offer first (see
/// [`SiteProfile::structured_first`]); the meta tags still come after
/// the profile's values, since shops print a price without tax there
/// (Almedina's 67.84 for a book sold at 71.91).
fn pick_price(
    snap: &Snapshot,
    hint: &PriceHint,
    [meta, ld]: [Option<(String, &str)>; 2],
    structured_first: bool,
    labelled: Option<&Vec<String>>,
) -> (Option<String>, Option<String>, Option<String>) {
    let kinds = snap.kinds.get("price");
    let read = |c: &Option<(String, &str)>| {
        c.as_ref()
            .map(|(t, source)| (shopper_price(t, hint), source.to_string()))
    };
    let from_fields = || {
        snap.fields
            .get("price")
            .into_iter()
            .flatten()
            .take(MAX_VALUES_PER_FIELD)
            .enumerate()
            .map(|(i, t)| {
                let kind = kinds.and_then(|k| k.get(i)).filter(|k| !k.is_empty());
                (shopper_price(t, hint), kind_name(kind))
            })
            .find(|(p, _)| p.amount.is_some())
    };
    let from_labels = || {
        labelled
            .into_iter()
            .flatten()
            .take(MAX_VALUES_PER_FIELD)
            .map(|t| (shopper_price(t, hint), "label".to_string()))
            .find(|(p, _)| p.amount.is_some())
    };
    let parses = |c: Option<(Price, String)>| c.filter(|(p, _)| p.amount.is_some());
    let structured = || parses(read(&meta)).or_else(|| parses(read(&ld)));
    let parsed = if structured_first {
        parses(read(&ld))
            .or_else(from_fields)
            .or_else(|| parses(read(&meta)))
    } else {
        from_fields().or_else(structured)
    }
    .or_else(from_labels)
    // Nothing reads as a price: a currency the page's tags state is kept.
    .or_else(|| read(&meta).or_else(|| read(&ld)));
    match parsed {
        Some((p, source)) => (
            p.amount.map(|a| a.to_string()),
            p.currency.map(str::to_string),
            p.amount.is_some().then_some(source),
        ),
        None => (None, None, None),
    }
}

/// An offer-listing page names no store of its own: its store is the
/// featured offer's seller, and its price that offer's.
fn featured_offer_as_store(signals: &mut Signals) {
    if signals.store_name.is_some() || signals.store_id.is_some() {
        return;
    }
    let Some(f) = signals.offers.iter().find(|o| o.featured).cloned() else {
        return;
    };
    signals.store_name = f.store_name;
    signals.store_id = f.store_id;
    signals.store_url = f.store_url;
    if signals.price.is_none() && f.price.is_some() {
        signals.price = f.price;
        signals.currency = f.currency;
        signals.price_source = Some("featured_offer".into());
    }
}

/// The kind of price a selector read (`page` when its selector names none),
/// bounded like any page text.
fn kind_name(kind: Option<&String>) -> String {
    kind.map_or_else(|| "page".to_string(), |k| k.chars().take(32).collect())
}

/// One offer's signals: its seller as the page shows it (cut with the
/// profile's `offer.store_name` patterns), the seller's id from the offer's
/// seller link, and its price in the page's currency.
fn read_offer(
    o: &OfferSnapshot,
    profile: Option<&SiteProfile>,
    page: Option<&Url>,
    hint: &PriceHint,
) -> Offer {
    let field = |name: &str| {
        let v = o.fields.get(name)?;
        let v = v
            .iter()
            .take(MAX_OFFER_VALUES)
            .map(|v| clean(v))
            .find(|v| !v.is_empty())?;
        Some(match profile {
            Some(p) => p.cut_value(&format!("offer.{name}"), v),
            None => v,
        })
    };
    let store_url = field("store_url").map(|u| absolute(&u, page));
    let id_in = |u: &str| {
        Url::parse(u)
            .zip(profile)
            .and_then(|(u, p)| p.store_id_in(&u))
    };
    let price = o
        .fields
        .get("price")
        .into_iter()
        .flatten()
        .take(MAX_OFFER_VALUES)
        .map(|t| shopper_price(t, hint))
        .find(|p| p.amount.is_some());
    Offer {
        featured: o.featured,
        store_name: field("store_name"),
        store_id: field("store_id").or_else(|| store_url.as_deref().and_then(id_in)),
        store_url,
        price: price.as_ref().and_then(|p| p.amount.map(|a| a.to_string())),
        currency: price.and_then(|p| p.currency.map(str::to_string)),
    }
}

/// A page's price text (bounded, as all page text) as the price a shopper
/// pays: a former or per-kilo price alone in the text is none
/// ([`Price::current`]). Every price a page gives is read through here.
fn shopper_price(text: &str, hint: &PriceHint) -> Price {
    price::parse(&truncate(text), hint).current()
}

/// Resolves protocol-relative (`//mall.jd.com/…`) and root-relative links
/// against the page; anything else is kept as the page wrote it.
fn absolute(link: &str, page: Option<&Url>) -> String {
    match page {
        Some(_) if link.starts_with("//") => format!("https:{link}"),
        Some(p) if link.starts_with('/') => format!("https://{}{link}", p.host),
        _ => link.to_string(),
    }
}

fn first_text(values: Option<&Vec<String>>) -> Option<String> {
    values?
        .iter()
        .take(MAX_VALUES_PER_FIELD)
        .map(|v| clean(v))
        .find(|v| !v.is_empty() && !is_placeholder(v))
}

/// A template's variable printed as it was written, unfilled: Kiabi's
/// `<span itemprop="brand">$metabrand</span>`, "{{ product.vendor }}",
/// "${brand}", "%BRAND%". It names nothing, and a brand or seller so read
/// would be matched against the registry as if it did.
pub(crate) fn is_placeholder(text: &str) -> bool {
    let ident = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
    };
    let t = text.trim();
    let inside = |open: &str, close: &str| {
        t.strip_prefix(open)
            .and_then(|r| r.strip_suffix(close))
            .is_some_and(|r| ident(r.trim()))
    };
    t.strip_prefix('$').is_some_and(ident)
        || inside("${", "}")
        || inside("{{", "}}")
        || inside("{%", "%}")
        || inside("<%=", "%>")
        || inside("[[", "]]")
        || inside("%", "%")
}

/// Collapses white space and bounds length: page text is untrusted.
fn clean(text: &str) -> String {
    truncate(&single_spaced(text))
}

/// [`clean`], line by line: a value read as lines keeps its breaks.
fn clean_lines(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(single_spaced)
        .filter(|l| !l.is_empty())
        .collect();
    truncate(&lines.join("\n"))
}

/// Words separated by one space, none around them.
pub(super) fn single_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(text: &str) -> String {
    text.chars().take(MAX_VALUE_CHARS).collect()
}

/// GTINs are 8, 12, 13 or 14 digits; anything else is not one.
fn clean_gtin(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (matches!(digits.len(), 8 | 12 | 13 | 14) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}
