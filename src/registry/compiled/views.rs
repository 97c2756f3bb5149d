//! Rows of a compiled registry, read in place: a brand, an account, a
//! product, a blocked store, a brand key. Each borrows the bytes; `to_owned`
//! gives the authoring type for the few that leave the engine.

use super::{Col, Compiled};
use crate::platform::Platform;
use crate::registry::{Account, AccountKind, BlockedStore, Brand, Product, RefPrice, Registry};

/// Where a brand key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeySource {
    BrandName,
    Alias,
    /// The brand part of this official account's store name (global account index).
    Account(u32),
}

impl KeySource {
    pub(crate) fn code(self) -> u32 {
        match self {
            KeySource::BrandName => 0,
            KeySource::Alias => 1,
            KeySource::Account(r) => r + 2,
        }
    }

    fn from_code(c: u32) -> KeySource {
        match c {
            0 => KeySource::BrandName,
            1 => KeySource::Alias,
            r => KeySource::Account(r - 2),
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct BrandRef<'a> {
    c: &'a Compiled,
    i: usize,
}

#[derive(Clone, Copy)]
pub(crate) struct AccountRef<'a> {
    c: &'a Compiled,
    i: usize,
}

#[derive(Clone, Copy)]
pub(crate) struct ProductRef<'a> {
    c: &'a Compiled,
    i: usize,
}

#[derive(Clone, Copy)]
pub(crate) struct BlockedRef<'a> {
    c: &'a Compiled,
    i: usize,
}

/// A name that stands for a brand: its name, an alias, or the brand part of
/// an official store's name, with the core and skeleton the matcher compares.
#[derive(Clone, Copy)]
pub(crate) struct KeyRef<'a> {
    c: &'a Compiled,
    i: usize,
}

impl Compiled {
    pub(crate) fn brand(&self, i: u32) -> BrandRef<'_> {
        BrandRef {
            c: self,
            i: i as usize,
        }
    }

    pub(crate) fn account(&self, r: u32) -> AccountRef<'_> {
        AccountRef {
            c: self,
            i: r as usize,
        }
    }

    pub(crate) fn product(&self, p: u32) -> ProductRef<'_> {
        ProductRef {
            c: self,
            i: p as usize,
        }
    }

    pub(crate) fn blocked(&self, i: u32) -> BlockedRef<'_> {
        BlockedRef {
            c: self,
            i: i as usize,
        }
    }

    pub(crate) fn key(&self, k: u32) -> KeyRef<'_> {
        KeyRef {
            c: self,
            i: k as usize,
        }
    }

    pub(crate) fn brands(&self) -> impl Iterator<Item = BrandRef<'_>> {
        (0..self.brand_count() as u32).map(|i| self.brand(i))
    }

    pub(crate) fn blocklist(&self) -> impl Iterator<Item = BlockedRef<'_>> {
        (0..self.blocked_count() as u32).map(|i| self.blocked(i))
    }

    /// The whole registry as the authoring type (CLI `stats`, `diff`, tests).
    pub fn to_registry(&self) -> Registry {
        Registry {
            brands: self.brands().map(|b| b.to_owned()).collect(),
            blocklist: self.blocklist().map(|b| b.to_owned()).collect(),
            // A property of these bytes, not of the registry.
            compiled_with: None,
            ..self.meta.clone()
        }
    }
}

impl<'a> BrandRef<'a> {
    pub fn index(self) -> u32 {
        self.i as u32
    }

    pub fn name(self) -> &'a str {
        self.c.str_at(Col::BrandName, self.i)
    }

    pub fn report_endpoint(self) -> Option<&'a str> {
        self.c.opt_str_at(Col::BrandEndpoint, self.i)
    }

    pub fn aliases(self) -> impl Iterator<Item = &'a str> {
        let c = self.c;
        c.range(Col::BrandAliasEnd, self.i)
            .map(move |a| c.str_at(Col::Alias, a))
    }

    pub fn accounts(self) -> impl Iterator<Item = AccountRef<'a>> {
        let c = self.c;
        c.range(Col::BrandAccountEnd, self.i)
            .map(move |i| AccountRef { c, i })
    }

    pub fn products(self) -> impl Iterator<Item = ProductRef<'a>> {
        let c = self.c;
        c.range(Col::BrandProductEnd, self.i)
            .map(move |i| ProductRef { c, i })
    }

    pub fn to_owned(self) -> Brand {
        Brand {
            name: self.name().to_string(),
            aliases: self.aliases().map(str::to_string).collect(),
            accounts: self.accounts().map(AccountRef::to_owned).collect(),
            products: self.products().map(ProductRef::to_owned).collect(),
            report_endpoint: self.report_endpoint().map(str::to_string),
        }
    }
}

/// The row of `end_col` whose range holds `child`: the owner of a child row.
fn owner(c: &Compiled, end_col: Col, child: usize) -> u32 {
    let (mut lo, mut hi) = (0usize, c.rows(end_col));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if (c.u32(end_col, mid) as usize) <= child {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo as u32
}

impl<'a> AccountRef<'a> {
    /// The brand that lists this account.
    pub fn brand(self) -> u32 {
        owner(self.c, Col::BrandAccountEnd, self.i)
    }

    pub fn platform(self) -> Platform {
        self.c.platform(self.c.u8(Col::AcctPlatform, self.i))
    }

    pub fn kind(self) -> AccountKind {
        match self.c.u8(Col::AcctKind, self.i) {
            0 => AccountKind::Official,
            _ => AccountKind::Authorized,
        }
    }

    pub fn store_name(self) -> &'a str {
        self.c.str_at(Col::AcctName, self.i)
    }

    /// The store name folded (see `normalize::fold`), as exact lookups compare it.
    pub fn folded(self) -> &'a str {
        self.c.str_at(Col::AcctFolded, self.i)
    }

    pub fn store_id(self) -> Option<&'a str> {
        self.c.opt_str_at(Col::AcctId, self.i)
    }

    pub fn store_url(self) -> Option<&'a str> {
        self.c.opt_str_at(Col::AcctUrl, self.i)
    }

    pub fn to_owned(self) -> Account {
        Account {
            platform: self.platform(),
            store_name: self.store_name().to_string(),
            store_id: self.store_id().map(str::to_string),
            store_url: self.store_url().map(str::to_string),
            kind: self.kind(),
        }
    }
}

impl<'a> ProductRef<'a> {
    pub fn index(self) -> u32 {
        self.i as u32
    }

    /// The brand that sells this product.
    pub fn brand(self) -> u32 {
        owner(self.c, Col::BrandProductEnd, self.i)
    }

    pub fn name(self) -> &'a str {
        self.c.str_at(Col::ProdName, self.i)
    }

    pub fn gtin(self) -> Option<&'a str> {
        self.c.opt_str_at(Col::ProdGtin, self.i)
    }

    /// The words of the cleaned name (see `matcher::product_tokens`),
    /// separated by single spaces; titles are searched by the first.
    pub fn tokens(self) -> impl Iterator<Item = &'a str> {
        self.c
            .str_at(Col::ProdTokens, self.i)
            .split(' ')
            .filter(|t| !t.is_empty())
    }

    pub fn to_owned(self) -> Product {
        let c = self.c;
        Product {
            name: self.name().to_string(),
            gtin: self.gtin().map(str::to_string),
            prices: c
                .range(Col::ProdPriceEnd, self.i)
                .map(|p| RefPrice {
                    amount: c.str_at(Col::PriceAmount, p).to_string(),
                    currency: c.str_at(Col::PriceCurrency, p).to_string(),
                })
                .collect(),
            min_ratio: c.f64(Col::ProdMinRatio, self.i),
        }
    }
}

impl<'a> BlockedRef<'a> {
    pub fn platform(self) -> Platform {
        self.c.platform(self.c.u8(Col::BlkPlatform, self.i))
    }

    pub fn store_id(self) -> Option<&'a str> {
        self.c.opt_str_at(Col::BlkId, self.i)
    }

    pub fn folded(self) -> &'a str {
        self.c.str_at(Col::BlkFolded, self.i)
    }

    /// The brand it imitates, as the publisher named it.
    pub fn brand(self) -> Option<&'a str> {
        self.c.opt_str_at(Col::BlkBrand, self.i)
    }

    pub fn to_owned(self) -> BlockedStore {
        let c = self.c;
        BlockedStore {
            platform: self.platform(),
            store_name: c.str_at(Col::BlkName, self.i).to_string(),
            store_id: self.store_id().map(str::to_string),
            store_url: c.opt_str_at(Col::BlkUrl, self.i).map(str::to_string),
            brand: self.brand().map(str::to_string),
            reason: c.str_at(Col::BlkReason, self.i).to_string(),
            reported_at: c.opt_str_at(Col::BlkReportedAt, self.i).map(str::to_string),
        }
    }
}

impl<'a> KeyRef<'a> {
    pub fn core(self) -> &'a str {
        self.c.str_at(Col::KeyCore, self.i)
    }

    pub fn skeleton(self) -> &'a str {
        self.c.str_at(Col::KeySkeleton, self.i)
    }

    pub fn brand(self) -> u32 {
        self.c.u32(Col::KeyBrand, self.i)
    }

    pub fn source(self) -> KeySource {
        KeySource::from_code(self.c.u32(Col::KeySource, self.i))
    }
}
