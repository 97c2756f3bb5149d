//! The registry compiled for lookups: exact accounts, blocklist, brand names,
//! and look-alike candidates.
//!
//! Look-alike search never scans all names. Candidates come from two indexes
//! over the *brand keys* (brand names, aliases, and the brand part of each
//! official store name): an exact map from skeleton to keys, and a one-edit
//! index for names that differ by a typo. The one-edit index rests on a
//! pigeonhole argument: one substitution, insertion or deletion leaves either
//! the first half or the second half of a key intact, so each key is filed
//! under its two halves (and, for a transposition across the middle, under
//! itself with the middle pair swapped). A query makes six exact lookups,
//! whatever the registry's size, and only those candidates are scored with
//! Damerau-Levenshtein.

use std::collections::HashMap;

use crate::normalize::{self, tricks_between, Name, Trick};
use crate::platform::Platform;
use crate::registry::{Account, AccountKind, BlockedStore, Brand, Product, Registry};
use crate::title;

/// At most this many candidates are scored per query.
const MAX_CANDIDATES: usize = 64;

/// Where a brand key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeySource {
    BrandName,
    Alias,
    /// The brand part of this official account's store name (index into `accounts`).
    Account(u32),
}

#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub core: String,
    pub skeleton: String,
    pub brand: u32,
    pub source: KeySource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AccountRef {
    pub brand: u32,
    pub account: u32,
}

/// A look-alike candidate and why it looks alike.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lookalike {
    pub key: u32,
    pub score: f64,
    pub tricks: Vec<Trick>,
}

pub(crate) struct Index {
    pub reg: Registry,
    accounts: Vec<AccountRef>,
    by_id: HashMap<(Platform, String), u32>,
    by_name: HashMap<(Platform, String), Vec<u32>>,
    blocked_by_id: HashMap<(Platform, String), u32>,
    blocked_by_name: HashMap<(Platform, String), u32>,
    pub keys: Vec<Key>,
    by_skeleton: HashMap<String, Vec<u32>>,
    by_core: HashMap<String, Vec<u32>>,
    /// One-edit index: hash of (length, part, chars) → keys; see the module docs.
    near: HashMap<u64, Vec<u32>>,
    /// Distinct lengths (in chars) of CJK keys, for scanning unspaced titles.
    cjk_lengths: Vec<usize>,
    gtins: HashMap<String, (u32, u32)>,
    /// Products by the first word of their name, for finding them in titles.
    product_words: HashMap<String, Vec<(u32, u32)>>,
}

impl Index {
    pub fn build(reg: Registry) -> Index {
        let mut ix = Index {
            reg: Registry::default(),
            accounts: Vec::new(),
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            blocked_by_id: HashMap::new(),
            blocked_by_name: HashMap::new(),
            keys: Vec::new(),
            by_skeleton: HashMap::new(),
            by_core: HashMap::new(),
            near: HashMap::new(),
            cjk_lengths: Vec::new(),
            gtins: HashMap::new(),
            product_words: HashMap::new(),
        };
        for (bi, brand) in reg.brands.iter().enumerate() {
            ix.add_brand(bi as u32, brand);
        }
        for (i, b) in reg.blocklist.iter().enumerate() {
            if let Some(id) = &b.store_id {
                ix.blocked_by_id.insert((b.platform, id.clone()), i as u32);
            }
            ix.blocked_by_name
                .insert((b.platform, normalize::fold(&b.store_name)), i as u32);
        }
        ix.cjk_lengths.sort_unstable();
        ix.cjk_lengths.dedup();
        ix.reg = reg;
        ix
    }

    fn add_brand(&mut self, bi: u32, brand: &Brand) {
        self.add_key(bi, &brand.name, KeySource::BrandName);
        for alias in &brand.aliases {
            self.add_key(bi, alias, KeySource::Alias);
        }
        for (ai, acct) in brand.accounts.iter().enumerate() {
            let r = self.accounts.len() as u32;
            self.accounts.push(AccountRef {
                brand: bi,
                account: ai as u32,
            });
            if let Some(id) = &acct.store_id {
                self.by_id.insert((acct.platform, id.clone()), r);
            }
            self.by_name
                .entry((acct.platform, normalize::fold(&acct.store_name)))
                .or_default()
                .push(r);
            if acct.kind == AccountKind::Official {
                self.add_key(bi, &acct.store_name, KeySource::Account(r));
            }
        }
        for (pi, p) in brand.products.iter().enumerate() {
            if let Some(g) = &p.gtin {
                self.gtins.insert(g.clone(), (bi, pi as u32));
            }
            if let Some(first) = script_tokens(&normalize::clean(&p.name)).into_iter().next() {
                self.product_words
                    .entry(first)
                    .or_default()
                    .push((bi, pi as u32));
            }
        }
    }

    fn add_key(&mut self, brand: u32, text: &str, source: KeySource) {
        let name = Name::parse(text);
        if name.core.chars().count() < 2 {
            return;
        }
        let dup = self
            .by_core
            .get(&name.core)
            .is_some_and(|ks| ks.iter().any(|&k| self.keys[k as usize].brand == brand));
        if dup {
            return;
        }
        let k = self.keys.len() as u32;
        for h in near_entries(&name.skeleton.chars().collect::<Vec<_>>()) {
            self.near.entry(h).or_default().push(k);
        }
        if name.core.chars().any(is_cjk) {
            self.cjk_lengths.push(name.core.chars().count());
        }
        self.by_skeleton
            .entry(name.skeleton.clone())
            .or_default()
            .push(k);
        self.by_core.entry(name.core.clone()).or_default().push(k);
        self.keys.push(Key {
            core: name.core,
            skeleton: name.skeleton,
            brand,
            source,
        });
    }

    pub fn brand(&self, i: u32) -> &Brand {
        &self.reg.brands[i as usize]
    }

    pub fn account(&self, r: u32) -> (&Brand, &Account) {
        let a = self.accounts[r as usize];
        let b = self.brand(a.brand);
        (b, &b.accounts[a.account as usize])
    }

    pub fn account_brand(&self, r: u32) -> u32 {
        self.accounts[r as usize].brand
    }

    pub fn account_by_id(&self, p: Platform, id: &str) -> Option<u32> {
        self.by_id.get(&(p, id.to_string())).copied()
    }

    pub fn accounts_by_name(&self, p: Platform, folded: &str) -> &[u32] {
        self.by_name
            .get(&(p, folded.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    pub fn blocked(&self, p: Platform, id: Option<&str>, folded: &str) -> Option<&BlockedStore> {
        let i = id
            .and_then(|id| self.blocked_by_id.get(&(p, id.to_string())))
            .or_else(|| {
                (!folded.is_empty())
                    .then(|| self.blocked_by_name.get(&(p, folded.to_string())))
                    .flatten()
            })?;
        self.reg.blocklist.get(*i as usize)
    }

    /// Brands whose key is exactly this core (the store is named after them).
    pub fn brands_named(&self, core: &str) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .by_core
            .get(core)
            .into_iter()
            .flatten()
            .map(|&k| self.keys[k as usize].brand)
            .collect();
        v.dedup();
        v
    }

    /// The brand key a store name imitates, if it looks like one without being it.
    pub fn lookalike(&self, name: &Name) -> Option<Lookalike> {
        if name.core.chars().count() < 2 {
            return None;
        }
        if let Some(&k) = self.by_core.get(&name.core).and_then(|ks| ks.first()) {
            // Its brand part is exactly a registered name: an imitation only
            // if it is disguised (full-width, hidden characters, spaced out).
            return (!name.tricks.is_empty()).then(|| Lookalike {
                key: k,
                score: 1.0,
                tricks: name.tricks.clone(),
            });
        }
        if let Some(keys) = self.by_skeleton.get(&name.skeleton) {
            let k = keys[0];
            let mut tricks = tricks_between(&name.core, &self.keys[k as usize].core);
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
    }

    /// One edit away from a key long enough that one edit is not a different word.
    fn typo(&self, name: &Name) -> Option<Lookalike> {
        self.one_edit(name, |len, cjk| if cjk { len >= 4 } else { len >= 6 })
    }

    /// One edit away from a short key (Sonny for Sony, 美东家 for 美乐家). Short
    /// names one edit apart are often different businesses (Nixon, Nikon), so
    /// the caller accepts this only with more evidence.
    pub fn short_typo(&self, name: &Name) -> Option<Lookalike> {
        self.one_edit(
            name,
            |len, cjk| if cjk { len == 3 } else { (4..6).contains(&len) },
        )
    }

    fn one_edit(
        &self,
        name: &Name,
        long_enough: impl Fn(usize, bool) -> bool,
    ) -> Option<Lookalike> {
        let q: Vec<char> = name.skeleton.chars().collect();
        let mut cands: Vec<u32> = near_queries(&q)
            .iter()
            .filter_map(|h| self.near.get(h))
            .flatten()
            .copied()
            .collect();
        cands.sort_unstable();
        cands.dedup();
        cands
            .into_iter()
            .take(MAX_CANDIDATES)
            .filter_map(|k| {
                let key = &self.keys[k as usize];
                let d = strsim::damerau_levenshtein(&name.skeleton, &key.skeleton);
                let len = key.skeleton.chars().count();
                (d == 1 && long_enough(len, key.core.chars().any(is_cjk))).then(|| {
                    let mut tricks = name.tricks.clone();
                    tricks.push(Trick::Typo);
                    Lookalike {
                        key: k,
                        score: 1.0 - d as f64 / len.max(1) as f64,
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
        for core in title::mentions(&tokens, &self.cjk_lengths, |t| self.by_core.contains_key(t)) {
            if part_of_own_name(&core) {
                continue;
            }
            for &k in self.by_core.get(&core).into_iter().flatten() {
                let b = self.keys[k as usize].brand;
                if !found.contains(&b) {
                    found.push(b);
                }
            }
        }
        found
    }

    /// The product a page offers, by GTIN or by its name in the title.
    pub fn product(&self, brand: u32, title: Option<&str>, gtin: Option<&str>) -> Option<&Product> {
        if let Some(&(b, p)) = gtin.and_then(|g| self.gtins.get(g)) {
            if b == brand {
                return self.brand(b).products.get(p as usize);
            }
        }
        let (b, p) = self.product_in(title?).filter(|(b, _)| *b == brand)?;
        self.brand(b).products.get(p as usize)
    }

    /// A registered product named in a title: one whose first word is in the
    /// title and most of whose words (by length) are too.
    pub fn product_in(&self, title: &str) -> Option<(u32, u32)> {
        // Not the product an accessory fits, nor one named after "for".
        let own = title::own_part(&normalize::clean(title))?;
        let words = script_tokens(&own);
        let folded: String = words.concat();
        let mut best: Option<((u32, u32), f64)> = None;
        // A CJK title runs words together (雅诗兰黛小棕瓶精华液50ml): look up
        // every prefix of a CJK run, not only the whole run.
        let lookups: Vec<String> = words
            .iter()
            .flat_map(|w| {
                let chars: Vec<char> = w.chars().collect();
                let shortest = if chars.iter().any(|c| is_cjk(*c)) {
                    2
                } else {
                    chars.len()
                };
                (shortest..=chars.len()).map(move |n| chars[..n].iter().collect::<String>())
            })
            .collect();
        for w in &lookups {
            for &(b, p) in self.product_words.get(w).into_iter().flatten() {
                let name = &self.brand(b).products[p as usize].name;
                let parts = script_tokens(&normalize::clean(name));
                // Bilingual names (兰蔻小黑瓶精华 Advanced Génifique 50ml) are
                // usually written in one language in a title: score each script
                // alone too, and keep the best.
                let score = [None, Some(true), Some(false)]
                    .into_iter()
                    .map(|script| {
                        // Model numbers (50ml, 470wghfd) count in every script.
                        let in_script = |t: &&String| {
                            t.chars().any(|c| c.is_ascii_digit())
                                || script.is_none_or(|cjk| t.chars().any(is_cjk) == cjk)
                        };
                        let total: usize = parts
                            .iter()
                            .filter(in_script)
                            .map(|t| t.chars().count())
                            .sum();
                        let found: usize = parts
                            .iter()
                            .filter(in_script)
                            .filter(|t| folded.contains(t.as_str()))
                            .map(|t| t.chars().count())
                            .sum();
                        if total == 0 {
                            0.0
                        } else {
                            found as f64 / total as f64
                        }
                    })
                    .fold(0.0, f64::max);
                if score >= 0.6 && best.is_none_or(|(_, s)| score > s) {
                    best = Some(((b, p), score));
                }
            }
        }
        best.map(|(bp, _)| bp)
    }

    pub fn brand_of_gtin(&self, gtin: &str) -> Option<u32> {
        self.gtins.get(gtin).map(|&(b, _)| b)
    }

    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{3040}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}')
}

/// Where a key is filed in the one-edit index.
fn near_entries(key: &[char]) -> Vec<u64> {
    let l = key.len();
    let mut out = vec![
        part_hash(l, 0, &key[..l / 2]),
        part_hash(l, 1, &key[l / 2..]),
    ];
    if l >= 2 && l / 2 >= 1 {
        let mut swapped = key.to_vec();
        swapped.swap(l / 2 - 1, l / 2);
        out.push(part_hash(l, 2, &swapped));
    }
    out
}

/// Where to look for keys one edit away from `q`: for each key length
/// n-1, n, n+1, the query's prefix and suffix of that key's half lengths.
fn near_queries(q: &[char]) -> Vec<u64> {
    let n = q.len();
    let mut out = vec![part_hash(n, 2, q)];
    for l in n.saturating_sub(1)..=n + 1 {
        let (head, tail) = (l / 2, l - l / 2);
        if head <= n {
            out.push(part_hash(l, 0, &q[..head]));
        }
        if tail <= n {
            out.push(part_hash(l, 1, &q[n - tail..]));
        }
    }
    out
}

fn part_hash(len: usize, part: u8, chars: &[char]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (len, part, chars).hash(&mut h);
    h.finish()
}

/// Alphanumeric runs, split again where CJK meets other scripts
/// ("奥罗拉深海鱼油omega" → "奥罗拉深海鱼油", "omega").
fn script_tokens(text: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant one edit away from a key, at every position.
    fn one_edit_variants(key: &[char]) -> Vec<Vec<char>> {
        let mut out = Vec::new();
        for i in 0..=key.len() {
            let mut ins = key.to_vec();
            ins.insert(i, '※');
            out.push(ins);
            if i < key.len() {
                let mut sub = key.to_vec();
                sub[i] = '※';
                out.push(sub);
                let mut del = key.to_vec();
                del.remove(i);
                out.push(del);
            }
            if i + 1 < key.len() {
                let mut tr = key.to_vec();
                tr.swap(i, i + 1);
                out.push(tr);
            }
        }
        out
    }

    #[test]
    fn one_edit_index_finds_every_single_edit() {
        for key in ["kestrelaudio", "奥罗拉健康", "amway", "abcdefg", "ab"] {
            let key: Vec<char> = key.chars().collect();
            let filed = near_entries(&key);
            for v in one_edit_variants(&key) {
                assert!(
                    near_queries(&v).iter().any(|h| filed.contains(h)),
                    "{key:?} not found from {v:?}"
                );
            }
        }
    }
}
