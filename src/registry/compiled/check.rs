//! The one check of a compiled registry's layout, when it is opened: after
//! it, nothing read can point outside its table or split a character, so
//! the readers trust what they read (and still return defaults rather than
//! panic, should this check ever miss something).

use super::{Col, Col::*, Compiled, CompiledError, NONE};

fn bad(what: String) -> Result<(), CompiledError> {
    Err(CompiledError::Inconsistent(what))
}

/// Rows of each table, and the columns that must have as many.
const TABLES: [(&str, Col, &[Col]); 6] = [
    (
        "brand",
        BrandName,
        &[
            BrandEndpoint,
            BrandAliasEnd,
            BrandAccountEnd,
            BrandProductEnd,
        ],
    ),
    (
        "account",
        AcctPlatform,
        &[AcctKind, AcctName, AcctFolded, AcctId, AcctUrl],
    ),
    (
        "product",
        ProdName,
        &[ProdGtin, ProdMinRatio, ProdTokens, ProdPriceEnd],
    ),
    ("price", PriceAmount, &[PriceCurrency]),
    (
        "blocklist",
        BlkPlatform,
        &[
            BlkName,
            BlkFolded,
            BlkId,
            BlkUrl,
            BlkBrand,
            BlkReason,
            BlkReportedAt,
        ],
    ),
    ("key", KeyCore, &[KeySkeleton, KeyBrand, KeySource]),
];

/// Columns of string references: always a string, and possibly none.
const REQUIRED: [Col; 13] = [
    BrandName,
    Alias,
    AcctName,
    AcctFolded,
    ProdName,
    ProdTokens,
    PriceAmount,
    PriceCurrency,
    BlkName,
    BlkFolded,
    BlkReason,
    KeyCore,
    KeySkeleton,
];
const OPTIONAL: [Col; 8] = [
    BrandEndpoint,
    AcctId,
    AcctUrl,
    ProdGtin,
    BlkId,
    BlkUrl,
    BlkBrand,
    BlkReportedAt,
];

impl Compiled {
    pub(super) fn check(&self) -> Result<(), CompiledError> {
        self.check_pool()?;
        self.check_tables()?;
        self.check_references()?;
        self.check_ranges_and_codes()
    }

    /// The pool is UTF-8 and every string ends in order, on a character boundary.
    fn check_pool(&self) -> Result<(), CompiledError> {
        let pool = match std::str::from_utf8(&self.bytes[self.strs.clone()]) {
            Ok(p) => p,
            Err(_) => return bad("the string pool is not UTF-8".into()),
        };
        let mut last = 0usize;
        for i in 0..self.rows(Col::StrEnd) {
            let end = self.u32(Col::StrEnd, i) as usize;
            if end < last || end > pool.len() || !pool.is_char_boundary(end) {
                return bad(format!("string {i} ends at {end}"));
            }
            last = end;
        }
        Ok(())
    }

    fn check_tables(&self) -> Result<(), CompiledError> {
        for (name, first, cols) in TABLES {
            let rows = self.rows(first);
            if let Some(c) = cols.iter().find(|c| self.rows(**c) != rows) {
                return bad(format!(
                    "{name} column {c:?} has {} rows, not {rows}",
                    self.rows(*c)
                ));
            }
        }
        Ok(())
    }

    fn check_references(&self) -> Result<(), CompiledError> {
        let strings = self.rows(Col::StrEnd) as u32;
        // What every reference reads, counted, because references may repeat:
        // a file of a few megabytes could otherwise point millions of rows at
        // one long string, and loading (hashing) or listing it would take
        // hours or all memory. Real registries stay far below the bound.
        let mut text = 0u64;
        for (cols, none_ok) in [(&REQUIRED[..], false), (&OPTIONAL[..], true)] {
            for &c in cols {
                for i in 0..self.rows(c) {
                    let s = self.u32(c, i);
                    if s >= strings && !(none_ok && s == NONE) {
                        return bad(format!("{c:?} row {i} refers to string {s} of {strings}"));
                    }
                    if s != NONE {
                        let start = match s {
                            0 => 0,
                            s => self.u32(Col::StrEnd, s as usize - 1),
                        };
                        text += u64::from(self.u32(Col::StrEnd, s as usize) - start);
                    }
                }
            }
        }
        let bound = 4 * self.bytes.len() as u64 + (1 << 20);
        if text > bound {
            return bad(format!(
                "its rows refer to {text} bytes of text, more than {bound} (four times the file)"
            ));
        }
        Ok(())
    }

    /// Child ranges run forwards and end at their table's end; enumeration
    /// bytes are known; keys name a brand and an account that exist.
    fn check_ranges_and_codes(&self) -> Result<(), CompiledError> {
        let brands = self.rows(Col::BrandName);
        for (end_col, child) in [
            (BrandAliasEnd, Alias),
            (BrandAccountEnd, AcctPlatform),
            (BrandProductEnd, ProdName),
            (ProdPriceEnd, PriceAmount),
        ] {
            let mut last = 0;
            for i in 0..self.rows(end_col) {
                let end = self.u32(end_col, i);
                if end < last {
                    return bad(format!("{end_col:?} runs backwards at row {i}"));
                }
                last = end;
            }
            if last as usize != self.rows(child) {
                return bad(format!(
                    "{end_col:?} ends at {last}, not {}",
                    self.rows(child)
                ));
            }
        }
        let platforms = self.platforms.len();
        for c in [AcctPlatform, BlkPlatform] {
            if let Some(i) = (0..self.rows(c)).find(|&i| usize::from(self.u8(c, i)) >= platforms) {
                return bad(format!("{c:?} row {i} is not a platform"));
            }
        }
        if let Some(i) = (0..self.rows(AcctKind)).find(|&i| self.u8(AcctKind, i) > 1) {
            return bad(format!("account {i} has no kind"));
        }
        let accounts = self.rows(AcctPlatform) as u32;
        for i in 0..self.rows(KeyCore) {
            let (b, src) = (self.u32(KeyBrand, i), self.u32(KeySource, i));
            if b as usize >= brands || (src >= 2 && src - 2 >= accounts) {
                return bad(format!("key {i} refers to brand {b}, source {src}"));
            }
        }
        Ok(())
    }
}
