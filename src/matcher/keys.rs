//! What the compiler derives from a brand for the matcher, once, when a
//! registry is published: its keys (the names that stand for it, with their
//! cores and skeletons) and its products' words.

use std::collections::HashSet;

use super::is_cjk;
use crate::normalize::{self, Name};
use crate::registry::compiled::KeySource;
use crate::registry::{AccountKind, Brand};

/// A brand key as the compiler derives it from a brand.
pub(crate) struct KeyDraft {
    pub core: String,
    pub skeleton: String,
    pub source: KeySource,
}

/// The names that stand for a brand: its name, its aliases, and the brand
/// part of each official store name; once per core, and only cores of two
/// characters or more (one character names nothing). `first_account` is the
/// global index of the brand's first account.
pub(crate) fn brand_keys(brand: &Brand, first_account: u32) -> Vec<KeyDraft> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut add = |text: &str, source| {
        let name = Name::parse(text);
        if name.core.chars().count() >= 2 && seen.insert(name.core.clone()) {
            out.push(KeyDraft {
                core: name.core,
                skeleton: name.skeleton,
                source,
            });
        }
    };
    add(&brand.name, KeySource::BrandName);
    for alias in &brand.aliases {
        add(alias, KeySource::Alias);
    }
    for (i, acct) in brand.accounts.iter().enumerate() {
        if acct.kind == AccountKind::Official {
            add(
                &acct.store_name,
                KeySource::Account(first_account + i as u32),
            );
        }
    }
    out
}

/// The words of a product name as titles are compared with it (script
/// tokens of the cleaned name, which hold no spaces), joined by spaces.
pub(crate) fn product_tokens(product_name: &str) -> String {
    script_tokens(&normalize::clean(product_name)).join(" ")
}

/// Alphanumeric runs, split again where CJK meets other scripts
/// ("奥罗拉深海鱼油omega" → "奥罗拉深海鱼油", "omega").
pub(super) fn script_tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last_cjk = None;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            last_cjk = None;
            continue;
        }
        let cjk = is_cjk(c);
        match out.last_mut() {
            Some(t) if last_cjk == Some(cjk) => t.push(c),
            _ => out.push(c.to_string()),
        }
        last_cjk = Some(cjk);
    }
    out.truncate(256);
    out
}
