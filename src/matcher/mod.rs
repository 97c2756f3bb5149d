//! The registry compiled for lookups: exact accounts, blocklist, brand names,
//! and look-alike candidates.
//!
//! The index works on a [`Compiled`] registry, whose bytes already hold every
//! name folded and every brand key with its core and skeleton (see
//! `registry::compiled`); opening one only hashes those into [`Table`]s.
//! Look-alike search never scans all names: candidates come from an exact
//! table from skeleton to keys and from a one-edit index ([`near`]), and
//! only those are compared.

mod keys;
mod near;
mod products;
mod shape;
mod sound;
mod table;

use crate::normalize::{self, tricks_between, Name, Trick};
use crate::platform::Platform;
use crate::registry::compiled::{AccountRef, BrandRef, Compiled, KeyRef};
use crate::registry::BlockedStore;
use crate::title;
use keys::script_tokens;
pub(crate) use keys::{brand_keys, product_tokens};
pub(crate) use near::disguised_edit;
use products::ProductTables;
use table::{hash, Table};

/// At most this many one-edit candidates are compared per query: a bound
/// on the work a query can cause, far above what registries of 10^6
/// accounts gather (see `near`).
const MAX_CANDIDATES: usize = 1024;

/// A look-alike candidate and why it looks alike.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lookalike {
    pub key: u32,
    pub score: f64,
    pub tricks: Vec<Trick>,
}

/// Seeds that keep the tables' hashes apart from one another.
const CORE: u64 = 101;
const SKELETON: u64 = 102;
const BLOCKED: u64 = 200;

fn on(p: Platform, text: &str) -> u64 {
    hash(p as u64, text.as_bytes())
}

fn blocked_on(p: Platform, text: &str) -> u64 {
    hash(BLOCKED + p as u64, text.as_bytes())
}

/// Entries for the next table, kept between tables so their memory is reused.
#[derive(Default)]
pub(super) struct Filing {
    hashes: Vec<u64>,
    rows: Vec<u32>,
}

impl Filing {
    fn file(&mut self, h: u64, row: u32) {
        self.hashes.push(h);
        self.rows.push(row);
    }

    fn table(&mut self) -> Table {
        let t = Table::build(&self.hashes, &self.rows);
        self.hashes.clear();
        self.rows.clear();
        t
    }
}

pub(crate) struct Index {
    pub data: Compiled,
    by_id: Table,
    by_name: Table,
    blocked_by_id: Table,
    blocked_by_name: Table,
    by_core: Table,
    by_skeleton: Table,
    /// One-edit index over key skeletons; see [`near`].
    near: Table,
    /// Distinct lengths (in chars) of CJK keys, for scanning unspaced titles.
    cjk_lengths: Vec<usize>,
    products: ProductTables,
    /// Keys by sound (see [`sound`]), built when first needed.
    sounds: std::sync::OnceLock<Table>,
}

impl Index {
    /// Hashes the compiled registry's precomputed keys into lookup tables.
    pub fn build(data: Compiled) -> Index {
        let mut f = Filing::default();
        let [by_id, by_name, blocked_by_id, blocked_by_name] = store_tables(&data, &mut f);
        let (by_core, by_skeleton, near, cjk_lengths) = name_tables(&data, &mut f);
        let products = ProductTables::build(&data, &mut f);
        Index {
            by_id,
            by_name,
            blocked_by_id,
            blocked_by_name,
            by_core,
            by_skeleton,
            near,
            cjk_lengths,
            products,
            sounds: std::sync::OnceLock::new(),
            data,
        }
    }

    /// Heap bytes of the lookup tables (the compiled bytes not counted).
    pub fn table_bytes(&self) -> usize {
        [
            &self.by_id,
            &self.by_name,
            &self.blocked_by_id,
            &self.blocked_by_name,
            &self.by_core,
            &self.by_skeleton,
            &self.near,
            &self.products.gtins,
            &self.products.words,
            &self.products.brand_words,
        ]
        .iter()
        .map(|t| t.heap_bytes())
        .sum()
    }

    pub fn brand(&self, i: u32) -> BrandRef<'_> {
        self.data.brand(i)
    }

    pub fn key(&self, k: u32) -> KeyRef<'_> {
        self.data.key(k)
    }

    pub fn account(&self, r: u32) -> (BrandRef<'_>, AccountRef<'_>) {
        let a = self.data.account(r);
        (self.data.brand(a.brand()), a)
    }

    pub fn account_brand(&self, r: u32) -> u32 {
        self.data.account(r).brand()
    }

    /// The account listed with this id on this platform (the last one, if
    /// a registry lists an id twice).
    pub fn account_by_id(&self, p: Platform, id: &str) -> Option<u32> {
        self.by_id
            .get(on(p, id))
            .filter(|&r| {
                let a = self.data.account(r);
                a.platform() == p && a.store_id() == Some(id)
            })
            .last()
    }

    /// Accounts with this folded store name on this platform, in registry order.
    pub fn accounts_by_name(&self, p: Platform, folded: &str) -> Vec<u32> {
        self.by_name
            .get(on(p, folded))
            .filter(|&r| {
                let a = self.data.account(r);
                a.platform() == p && a.folded() == folded
            })
            .collect()
    }

    pub fn blocked(&self, p: Platform, id: Option<&str>, folded: &str) -> Option<BlockedStore> {
        let by_id = id.and_then(|id| {
            self.blocked_by_id
                .get(blocked_on(p, id))
                .filter(|&i| {
                    let b = self.data.blocked(i);
                    b.platform() == p && b.store_id() == Some(id)
                })
                .last()
        });
        let by_name = || {
            (!folded.is_empty())
                .then(|| {
                    self.blocked_by_name
                        .get(blocked_on(p, folded))
                        .filter(|&i| {
                            let b = self.data.blocked(i);
                            b.platform() == p && b.folded() == folded
                        })
                        .last()
                })
                .flatten()
        };
        let i = by_id.or_else(by_name)?;
        Some(self.data.blocked(i).to_owned())
    }

    /// Keys whose core is exactly `core`, in registry order.
    fn keys_with_core<'a>(&'a self, core: &'a str) -> impl Iterator<Item = u32> + 'a {
        self.by_core
            .get(hash(CORE, core.as_bytes()))
            .filter(move |&k| self.data.key(k).core() == core)
    }

    fn has_core(&self, core: &str) -> bool {
        self.keys_with_core(core).next().is_some()
    }

    /// Brands whose key is exactly this core (the store is named after them).
    pub fn brands_named(&self, core: &str) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .keys_with_core(core)
            .map(|k| self.data.key(k).brand())
            .collect();
        v.dedup();
        v
    }

    /// The brand key a store name imitates, if it looks like one without being it.
    pub fn lookalike(&self, name: &Name) -> Option<Lookalike> {
        if name.core.chars().count() < 2 {
            return None;
        }
        if let Some(k) = self.keys_with_core(&name.core).next() {
            // Its brand part is exactly a registered name: an imitation only
            // if it is disguised (full-width, hidden characters, spaced out).
            return (!name.tricks.is_empty()).then(|| Lookalike {
                key: k,
                score: 1.0,
                tricks: name.tricks.clone(),
            });
        }
        let same_skeleton = self
            .by_skeleton
            .get(hash(SKELETON, name.skeleton.as_bytes()))
            .find(|&k| self.data.key(k).skeleton() == name.skeleton);
        if let Some(k) = same_skeleton {
            let mut tricks = tricks_between(&name.core, self.data.key(k).core());
            tricks.extend(name.tricks.iter().copied());
            tricks.sort();
            tricks.dedup();
            return Some(Lookalike {
                key: k,
                score: 1.0,
                tricks,
            });
        }
        self.typo(name)
            .or_else(|| self.homophone(name))
            .or_else(|| self.similar_shape(name))
    }

    /// A CJK name one character of like shape away from a key (华伪 for 华为).
    fn similar_shape(&self, name: &Name) -> Option<Lookalike> {
        let q: Vec<char> = name.skeleton.chars().collect();
        if q.len() < 2 || !q.iter().all(|&c| is_cjk(c)) {
            return None;
        }
        let cands = self.near_candidates(&q);
        self.one_swap(name, &q, cands, shape::related, Trick::SimilarShape)
    }

    /// A CJK name one same-sounding character away from a key (安列 for 安利).
    fn homophone(&self, name: &Name) -> Option<Lookalike> {
        let q: Vec<char> = name.skeleton.chars().collect();
        if !q.iter().all(|&c| is_cjk(c)) {
            return None;
        }
        let table = self.sounds.get_or_init(|| sound::build(&self.data));
        let cands = sound::candidates(table, &q);
        self.one_swap(name, &q, cands, sound::related, Trick::Homophone)
    }

    /// The first candidate key one `related` character away from the query
    /// `q` (see [`one_char_apart`]), as a look-alike by `trick`.
    fn one_swap(
        &self,
        name: &Name,
        q: &[char],
        cands: Vec<u32>,
        related: fn(char, char) -> bool,
        trick: Trick,
    ) -> Option<Lookalike> {
        let mut key_chars = Vec::new();
        let k = cands.into_iter().take(MAX_CANDIDATES).find(|&k| {
            key_chars.clear();
            key_chars.extend(self.data.key(k).skeleton().chars());
            one_char_apart(q, &key_chars, related)
        })?;
        let mut tricks = name.tricks.clone();
        tricks.push(trick);
        Some(Lookalike {
            key: k,
            score: 1.0 - 1.0 / q.len() as f64,
            tricks,
        })
    }

    /// Keys one edit from `q` by the one-edit index (candidates: some are
    /// two edits away or hash collisions; the caller decides).
    fn near_candidates(&self, q: &[char]) -> Vec<u32> {
        let (mut hs, mut buf) = (Vec::new(), Vec::new());
        near::queries(q, &mut hs, &mut buf);
        let mut cands: Vec<u32> = hs.iter().flat_map(|&h| self.near.get(h)).collect();
        cands.sort_unstable();
        cands.dedup();
        cands
    }

    /// One edit away from a key long enough that one edit is rarely a
    /// different word (five letters, four CJK characters). Five-letter ones
    /// (Haier, Hair) are taken by the verdict only with a claim or the
    /// brand's goods.
    fn typo(&self, name: &Name) -> Option<Lookalike> {
        self.one_edit(name, |len, cjk| if cjk { len >= 4 } else { len >= 5 })
    }

    /// One edit away from a short key (Sonny for Sony, 美东家 for 美乐家). Short
    /// names one edit apart are often different businesses (Nixon, Nikon), so
    /// the caller accepts this only with more evidence.
    pub fn short_typo(&self, name: &Name) -> Option<Lookalike> {
        self.one_edit(name, |len, cjk| if cjk { len == 3 } else { len == 4 })
    }

    fn one_edit(
        &self,
        name: &Name,
        long_enough: impl Fn(usize, bool) -> bool,
    ) -> Option<Lookalike> {
        let q: Vec<char> = name.skeleton.chars().collect();
        let mut key_chars = Vec::new();
        self.near_candidates(&q)
            .into_iter()
            .take(MAX_CANDIDATES)
            .filter_map(|k| {
                let key = self.data.key(k);
                key_chars.clear();
                key_chars.extend(key.skeleton().chars());
                let len = key_chars.len();
                (near::one_edit(&q, &key_chars) && long_enough(len, key.core().chars().any(is_cjk)))
                    .then(|| {
                        let mut tricks = name.tricks.clone();
                        tricks.push(Trick::Typo);
                        // Among keys one edit away, the one that looks most
                        // alike: Jaro-Winkler weighs a shared beginning,
                        // which is what a shopper reads first.
                        Lookalike {
                            key: k,
                            score: strsim::jaro_winkler(&name.skeleton, key.skeleton()),
                            tricks,
                        }
                    })
            })
            .max_by(|a, b| a.score.total_cmp(&b.score))
    }

    /// Registered brands a product text names, longest mention first, leaving
    /// out the devices an accessory fits and everyday words (see `title`), and
    /// mentions that are part of the store's own, different name (完美 inside
    /// 完美日记, 索尼 inside 索尼娅).
    pub fn brands_in(&self, text: &str, own_core: &str) -> Vec<u32> {
        let cleaned = normalize::clean(text);
        let Some(own_part) = title::own_part(&cleaned) else {
            return Vec::new();
        };
        let folded: String = cleaned.chars().filter(|c| c.is_alphanumeric()).collect();
        let part_of_own_name = |core: &str| {
            own_core != core
                && own_core.find(core).is_some_and(|i| {
                    // The mention and the character after it, as the store's name has them.
                    let longer: String = own_core[i..]
                        .chars()
                        .take(core.chars().count() + 1)
                        .collect();
                    longer.chars().count() > core.chars().count() && folded.contains(&longer)
                        || folded.contains(own_core)
                })
        };
        let tokens = script_tokens(&own_part);
        let mut found: Vec<u32> = Vec::new();
        for core in title::mentions(&tokens, &self.cjk_lengths, |t| self.has_core(t)) {
            if part_of_own_name(&core) {
                continue;
            }
            for k in self.keys_with_core(&core) {
                let b = self.data.key(k).brand();
                if !found.contains(&b) {
                    found.push(b);
                }
            }
        }
        found
    }

    pub fn account_count(&self) -> usize {
        self.data.account_count()
    }
}

/// Accounts and blocked stores, by (platform, id) and (platform, folded name).
fn store_tables(data: &Compiled, f: &mut Filing) -> [Table; 4] {
    for r in 0..data.account_count() as u32 {
        let a = data.account(r);
        if let Some(id) = a.store_id() {
            f.file(on(a.platform(), id), r);
        }
    }
    let by_id = f.table();
    for r in 0..data.account_count() as u32 {
        let a = data.account(r);
        f.file(on(a.platform(), a.folded()), r);
    }
    let by_name = f.table();
    for i in 0..data.blocked_count() as u32 {
        let b = data.blocked(i);
        if let Some(id) = b.store_id() {
            f.file(blocked_on(b.platform(), id), i);
        }
    }
    let blocked_by_id = f.table();
    for i in 0..data.blocked_count() as u32 {
        let b = data.blocked(i);
        f.file(blocked_on(b.platform(), b.folded()), i);
    }
    let blocked_by_name = f.table();
    [by_id, by_name, blocked_by_id, blocked_by_name]
}

/// Brand keys by core and by skeleton, the one-edit index, and the lengths
/// of CJK keys.
fn name_tables(data: &Compiled, f: &mut Filing) -> (Table, Table, Table, Vec<usize>) {
    let keys = || (0..data.key_count() as u32).map(|k| (k, data.key(k)));
    for (k, key) in keys() {
        f.file(hash(CORE, key.core().as_bytes()), k);
    }
    let by_core = f.table();
    for (k, key) in keys() {
        f.file(hash(SKELETON, key.skeleton().as_bytes()), k);
    }
    let by_skeleton = f.table();
    let (mut hs, mut buf, mut chars) = (Vec::new(), Vec::new(), Vec::new());
    let mut cjk = [false; 256];
    for (k, key) in keys() {
        chars.clear();
        chars.extend(key.skeleton().chars());
        near::entries(&chars, &mut hs, &mut buf);
        for &h in &hs {
            f.file(h, k);
        }
        if key.core().chars().any(is_cjk) {
            cjk[key.core().chars().count().min(255)] = true;
        }
    }
    let near = f.table();
    // Cores are at most 200 characters (`Name::parse` cuts names there).
    let cjk_lengths = (2..256).filter(|&n| cjk[n]).collect();
    (by_core, by_skeleton, near, cjk_lengths)
}

/// True when `a` and `b` differ in exactly one character and those two are
/// `related` (same sound, like shape): the rest of the name must match.
pub(crate) fn one_char_apart(a: &[char], b: &[char], related: fn(char, char) -> bool) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = a.iter().zip(b).filter(|(x, y)| x != y);
    matches!((diff.next(), diff.next()), (Some((&x, &y)), None) if related(x, y))
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{3040}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}')
}
