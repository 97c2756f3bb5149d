//! Registry → compiled bytes. Runs where registries are published (`genuine
//! registry compile`) and wherever a JSON registry is loaded, so the engine
//! has one form to work on.

use std::collections::HashMap;

use super::{ints, Col, Meta, LAYOUT, MAGIC, NONE};
use crate::matcher;
use crate::normalize;
use crate::platform::Platform;
use crate::registry::{AccountKind, Registry};

/// The columns being written, and the string pool with its index.
struct Writer {
    /// Columns of bytes and f64, as they will be written.
    raw: Vec<Vec<u8>>,
    /// Integer columns, string references included.
    ints: Vec<Vec<u32>>,
    pool: String,
    interned: HashMap<String, u32>,
}

impl Writer {
    fn u32(&mut self, c: Col, v: u32) {
        self.ints[c as usize].push(v);
    }

    fn u8(&mut self, c: Col, v: u8) {
        self.raw[c as usize].push(v);
    }

    /// Each distinct string is stored once: store names repeat across
    /// marketplaces, amounts and currencies across products. The pool keeps
    /// the order in which rows name them, so a brand's names, store names,
    /// folded names and keys sit together: gzip finds in each the one
    /// before it. (Grouping the pool by column, all ids then all folded
    /// names, was measured worse: 1.00 MB of gzip for the pool at 10^5
    /// accounts, against 0.84 MB in row order.)
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.interned.get(s) {
            return i;
        }
        let i = self.interned.len() as u32;
        self.pool.push_str(s);
        let end = self.pool.len() as u32;
        self.u32(Col::StrEnd, end);
        self.interned.insert(s.to_string(), i);
        i
    }

    fn str(&mut self, c: Col, s: &str) {
        let i = self.intern(s);
        self.u32(c, i);
    }

    fn opt(&mut self, c: Col, s: Option<&str>) {
        let i = s.map_or(NONE, |s| self.intern(s));
        self.u32(c, i);
    }

    fn end(&mut self, c: Col, child: Col) {
        let i = child as usize;
        let rows = self.raw[i].len() / child.width() + self.ints[i].len();
        self.u32(c, rows as u32);
    }
}

fn platform_code(p: Platform) -> u8 {
    Platform::ALL.iter().position(|&q| q == p).unwrap_or(0) as u8
}

/// Compiles a validated registry. The same registry always gives the same bytes.
pub fn compile(reg: &Registry) -> Vec<u8> {
    let mut w = Writer {
        raw: vec![Vec::new(); Col::ALL.len()],
        ints: vec![Vec::new(); Col::ALL.len()],
        pool: String::new(),
        interned: HashMap::new(),
    };
    let mut account = 0u32;
    for (bi, b) in reg.brands.iter().enumerate() {
        for k in matcher::brand_keys(b, account) {
            w.str(Col::KeyCore, &k.core);
            w.str(Col::KeySkeleton, &k.skeleton);
            w.u32(Col::KeyBrand, bi as u32);
            w.u32(Col::KeySource, k.source.code());
        }
        account += b.accounts.len() as u32;
        w.str(Col::BrandName, &b.name);
        w.opt(Col::BrandEndpoint, b.report_endpoint.as_deref());
        for a in &b.aliases {
            w.str(Col::Alias, a);
        }
        w.end(Col::BrandAliasEnd, Col::Alias);
        for a in &b.accounts {
            w.u8(Col::AcctPlatform, platform_code(a.platform));
            w.u8(
                Col::AcctKind,
                match a.kind {
                    AccountKind::Official => 0,
                    AccountKind::Authorized => 1,
                },
            );
            w.str(Col::AcctName, &a.store_name);
            w.str(Col::AcctFolded, &normalize::fold(&a.store_name));
            w.opt(Col::AcctId, a.store_id.as_deref());
            w.opt(Col::AcctUrl, a.store_url.as_deref());
        }
        w.end(Col::BrandAccountEnd, Col::AcctPlatform);
        for p in &b.products {
            w.str(Col::ProdName, &p.name);
            w.opt(Col::ProdGtin, p.gtin.as_deref());
            w.raw[Col::ProdMinRatio as usize].extend_from_slice(&p.min_ratio.to_le_bytes());
            w.str(Col::ProdTokens, &matcher::product_tokens(&p.name));
            for rp in &p.prices {
                w.str(Col::PriceAmount, &rp.amount);
                w.str(Col::PriceCurrency, &rp.currency);
            }
            w.end(Col::ProdPriceEnd, Col::PriceAmount);
        }
        w.end(Col::BrandProductEnd, Col::ProdName);
    }
    for b in &reg.blocklist {
        w.u8(Col::BlkPlatform, platform_code(b.platform));
        w.str(Col::BlkName, &b.store_name);
        w.str(Col::BlkFolded, &normalize::fold(&b.store_name));
        w.opt(Col::BlkId, b.store_id.as_deref());
        w.opt(Col::BlkUrl, b.store_url.as_deref());
        w.opt(Col::BlkBrand, b.brand.as_deref());
        w.str(Col::BlkReason, &b.reason);
        w.opt(Col::BlkReportedAt, b.reported_at.as_deref());
    }
    let meta = Meta(
        reg.clone_without_lists(),
        Platform::NAMES.iter().map(|s| s.to_string()).collect(),
    );
    // Serialising plain data with string keys cannot fail.
    let meta = serde_json::to_vec(&meta).unwrap_or_default();
    let Writer {
        raw, ints, pool, ..
    } = w;
    let mut out = Vec::with_capacity(
        64 + meta.len() + pool.len() + 4 * ints.iter().map(Vec::len).sum::<usize>(),
    );
    out.extend_from_slice(MAGIC);
    out.push(LAYOUT);
    out.extend_from_slice(&((Col::ALL.len() + 2) as u32).to_le_bytes());
    let mut section = |tag: &[u8; 4], bytes: &[u8]| {
        out.extend_from_slice(tag);
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    };
    section(b"META", &meta);
    section(b"STRS", pool.as_bytes());
    let mut coded = Vec::new();
    for c in Col::ALL {
        let bytes = match c.width() {
            4 => {
                coded.clear();
                ints::encode(&ints[c as usize], &mut coded);
                &coded
            }
            _ => &raw[c as usize],
        };
        section(&c.tag(), bytes);
    }
    out
}

impl Registry {
    /// The registry's own fields, without the (possibly huge) lists.
    fn clone_without_lists(&self) -> Registry {
        Registry {
            format: self.format,
            publisher: self.publisher.clone(),
            version: self.version,
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            report_endpoint: self.report_endpoint.clone(),
            demo: self.demo,
            brands: Vec::new(),
            blocklist: Vec::new(),
            site_profiles: self.site_profiles.clone(),
            delegations: self.delegations.clone(),
            compiled_with: Some(normalize::rules().to_string()),
        }
    }
}
