//! Products: found by GTIN, or by their words in a page's title.

use super::keys::script_tokens;
use super::table::{hash, Table};
use super::{is_cjk, Filing, Index};
use crate::normalize;
use crate::registry::compiled::Compiled;
use crate::registry::Product;
use crate::title;

/// Seeds that keep these tables' hashes apart from the others'.
const GTIN: u64 = 103;
const WORD: u64 = 104;
const BRAND_WORD: u64 = 1 << 32;

pub(super) struct ProductTables {
    pub gtins: Table,
    /// Products by the first word of their name, for finding them in titles.
    pub words: Table,
    /// The same, per brand.
    pub brand_words: Table,
}

impl ProductTables {
    pub fn build(data: &Compiled, f: &mut Filing) -> ProductTables {
        for p in 0..data.product_count() as u32 {
            if let Some(g) = data.product(p).gtin() {
                f.file(hash(GTIN, g.as_bytes()), p);
            }
        }
        let gtins = f.table();
        for p in 0..data.product_count() as u32 {
            if let Some(w) = data.product(p).tokens().next() {
                f.file(hash(WORD, w.as_bytes()), p);
            }
        }
        let words = f.table();
        for b in data.brands() {
            let seed = BRAND_WORD + u64::from(b.index());
            for p in b.products() {
                if let Some(w) = p.tokens().next() {
                    f.file(hash(seed, w.as_bytes()), p.index());
                }
            }
        }
        let brand_words = f.table();
        ProductTables {
            gtins,
            words,
            brand_words,
        }
    }
}

impl Index {
    /// The product a page offers, by GTIN or by its name in the title.
    pub fn product(&self, brand: u32, title: Option<&str>, gtin: Option<&str>) -> Option<Product> {
        if let Some(p) = gtin.and_then(|g| self.product_by_gtin(g)) {
            if self.data.product(p).brand() == brand {
                return Some(self.data.product(p).to_owned());
            }
        }
        let (_, p) = self.product_in(title?, Some(brand))?;
        Some(self.data.product(p).to_owned())
    }

    /// The product with this GTIN (the last one, if a registry lists a GTIN twice).
    fn product_by_gtin(&self, gtin: &str) -> Option<u32> {
        self.products
            .gtins
            .get(hash(GTIN, gtin.as_bytes()))
            .filter(|&p| self.data.product(p).gtin() == Some(gtin))
            .last()
    }

    /// A registered product named in a title: one whose first word is in the
    /// title and most of whose words (by length) are too; one of `brand`'s
    /// when a brand is given. Gives (brand, product), the product as a
    /// global index.
    ///
    /// Products are looked up by first word, per brand when the brand is
    /// known: a first word is often the brand's own name, shared by all its
    /// products, and across 10^5 brands short first words are shared by
    /// hundreds, each of which would be scored.
    pub fn product_in(&self, title: &str, brand: Option<u32>) -> Option<(u32, u32)> {
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
            let (table, seed) = match brand {
                Some(b) => (&self.products.brand_words, BRAND_WORD + u64::from(b)),
                None => (&self.products.words, WORD),
            };
            let candidates = table.get(hash(seed, w.as_bytes())).filter(|&p| {
                let product = self.data.product(p);
                product.tokens().next() == Some(w.as_str())
                    && brand.is_none_or(|b| product.brand() == b)
            });
            for p in candidates {
                let product = self.data.product(p);
                let b = product.brand();
                let parts: Vec<&str> = product.tokens().collect();
                // Bilingual names (兰蔻小黑瓶精华 Advanced Génifique 50ml) are
                // usually written in one language in a title: score each script
                // alone too, and keep the best.
                let score = [None, Some(true), Some(false)]
                    .into_iter()
                    .map(|script| {
                        // Model numbers (50ml, 470wghfd) count in every script.
                        let in_script = |t: &&&str| {
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
                            .filter(|t| folded.contains(**t))
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
        self.product_by_gtin(gtin)
            .map(|p| self.data.product(p).brand())
    }
}
