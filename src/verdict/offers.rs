//! The other sellers of an offer list (Amazon's "Other sellers on Amazon").
//!
//! The verdict is about the offer the page's buy button buys: the page's
//! store, or the featured offer's seller. A listed seller that is a
//! confirmed counterfeit or imitates an official store is worth telling the
//! shopper, who may pick that offer from the list, so it adds a reason, and
//! lifts a page with nothing else to say to `caution`; it never changes what
//! is said of the page's store, and a listed official seller never makes the
//! page `official`.

use super::{judge_store, words, Context, Evidence, Lang, Level, Reason, Verdict};
use crate::matcher::Index;
use crate::page::{Offer, Signals, MAX_OFFERS};

/// `v` (the page's store's verdict) with a reason for each listed seller
/// that is a known counterfeit or a look-alike.
pub(super) fn flag(ix: &Index, s: &Signals, lang: Lang, mut v: Verdict) -> Verdict {
    let mut found: Vec<(Evidence, Option<String>)> = Vec::new();
    for o in s.offers.iter().take(MAX_OFFERS) {
        if is_page_store(o, s) {
            continue;
        }
        let Some(ev) = listed_seller(ix, s, o, lang) else {
            continue;
        };
        if !found.iter().any(|(e, _)| *e == ev.0) {
            found.push(ev);
        }
    }
    let Some((_, first_brand)) = found.first() else {
        return v;
    };
    if v.level == Level::None {
        v.level = Level::Caution;
        v.brand = first_brand.clone();
    }
    for (ev, brand) in found {
        v.reasons.push(Reason {
            text: words::render(&ev, brand.as_deref(), lang),
            evidence: ev,
        });
    }
    v
}

/// What to say of one listed seller, and the brand concerned: judged as a
/// store selling the page's product (its title, brand and GTIN), only its
/// counterfeit listing or a look-alike sure enough for `danger` counts.
fn listed_seller(
    ix: &Index,
    s: &Signals,
    o: &Offer,
    lang: Lang,
) -> Option<(Evidence, Option<String>)> {
    let seller = Signals {
        url: s.url.clone(),
        platform: s.platform,
        store_name: o.store_name.clone(),
        store_id: o.store_id.clone(),
        title: s.title.clone(),
        brand: s.brand.clone(),
        gtin: s.gtin.clone(),
        ..Signals::default()
    };
    let v = judge_store(ix, &seller, lang, Context::Skipped);
    let shown = o.store_name.clone().or_else(|| o.store_id.clone())?;
    let ev = v.reasons.iter().find_map(|r| match &r.evidence {
        Evidence::KnownCounterfeit { reason, .. } => Some(Evidence::ListedOfferCounterfeit {
            store_name: shown.clone(),
            reason: reason.clone(),
        }),
        Evidence::LookalikeName { resembles, .. } if v.level == Level::Danger => {
            Some(Evidence::ListedOfferLookalike {
                store_name: shown.clone(),
                resembles: resembles.clone(),
            })
        }
        _ => None,
    })?;
    Some((ev, v.brand))
}

/// The offer is the page's own store's (the featured one, usually): judged
/// already. The same id when both show one, else the same name.
fn is_page_store(o: &Offer, s: &Signals) -> bool {
    match (&o.store_id, &s.store_id) {
        (Some(a), Some(b)) => a == b,
        _ => o.store_name.is_some() && o.store_name == s.store_name,
    }
}
