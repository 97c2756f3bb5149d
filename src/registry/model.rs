//! The registry document as brands author it and as it travels, signed.
//!
//! Every field that comes from a file is checked once, in [`Registry::validate`],
//! so the rest of the crate can trust what it holds.

use serde::{Deserialize, Serialize};

use crate::page::SiteProfile;
use crate::platform::Platform;
use crate::time::Timestamp;

/// The registry format this build reads and writes. A document with a higher
/// major format is refused rather than half-understood.
pub const FORMAT: u32 = 1;

/// A brand publisher's list: who the real stores are, who the known fakes are,
/// what the products cost, and how to read the marketplaces' pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Registry {
    /// Format number; see [`FORMAT`].
    pub format: u32,
    /// Who publishes this registry (a brand, an association, Genuine itself).
    pub publisher: String,
    /// Monotonically increasing; a client never goes back to a lower one.
    pub version: u64,
    pub issued_at: Timestamp,
    /// After this moment the data still works but is shown as stale.
    pub expires_at: Timestamp,
    /// Where reports go when a brand names no endpoint of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_endpoint: Option<String>,
    /// True for the bundled demo registry of fictional brands.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
    #[serde(default)]
    pub brands: Vec<Brand>,
    /// Confirmed counterfeit stores.
    #[serde(default)]
    pub blocklist: Vec<BlockedStore>,
    /// How to read each marketplace's pages; shipped here so that a redesign is
    /// fixed by a registry update rather than an extension release. Read only
    /// from pinned registries (see `sources`).
    #[serde(default)]
    pub site_profiles: Vec<SiteProfile>,
    /// Brands of this registry that another publisher's key may speak for
    /// too, as in TUF's delegations: only meaningful in a registry a client
    /// pins (see `sources`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delegations: Vec<Delegation>,
    /// The name-matching rules ([`crate::normalize::rules`]) a compiled
    /// registry's derived columns (keys, folded names, product words) were
    /// made with. Written by `compile`; a build with other rules derives
    /// them again from the registry's own rows when it opens it, so a
    /// registry published with an older `genuine` is matched by today's
    /// rules. Meaningless in a JSON registry, which is compiled on load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compiled_with: Option<String>,
}

/// "Registries signed by `key` may speak for `brand` (on `platforms`)": a
/// pinned registry's signed word that a brand's own registry, added by a
/// shopper, is to be believed about that brand.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Delegation {
    /// A brand of this registry, as named in `brands`.
    pub brand: String,
    /// The delegated key's fingerprint, 32 hex digits as `genuine registry
    /// keygen` and `verify` print it.
    pub key: String,
    /// Only on these platforms; on all when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<Platform>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Brand {
    /// The brand's name exactly as the publisher writes it; verdicts quote it.
    pub name: String,
    /// Other names in any script (中文名, romanisations, former names).
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub products: Vec<Product>,
    /// The brand's own report inbox, if it runs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_endpoint: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    /// Run by the brand itself.
    Official,
    /// A reseller the brand has authorised.
    Authorized,
}

/// One store account on one marketplace.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Account {
    pub platform: Platform,
    pub store_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_url: Option<String>,
    pub kind: AccountKind,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Product {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    /// Reference prices, one per currency.
    #[serde(default)]
    pub prices: Vec<RefPrice>,
    /// Below this fraction of the reference price, a non-official offer is implausible.
    #[serde(default = "default_min_ratio")]
    pub min_ratio: f64,
}

pub(crate) fn default_min_ratio() -> f64 {
    0.5
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RefPrice {
    /// Decimal string, e.g. "299.00".
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
}

/// A store confirmed as counterfeit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BlockedStore {
    pub platform: Platform,
    pub store_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_url: Option<String>,
    /// The brand it imitates, as named in `brands`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<String>,
}
