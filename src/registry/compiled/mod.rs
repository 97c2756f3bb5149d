//! The compiled registry: the form that ships to browsers and stays cached there.
//!
//! JSON (imported from CSV) is the authoring form: readable, diffable, easy to
//! produce. It is slow to make ready at scale, and not because of JSON: at
//! 10^5 accounts, four fifths of the time went into normalising every name
//! again on every load (NFKC, lower case, decoration words, skeletons) and
//! into a string-keyed hash map per lookup. The compiled form holds the same
//! registry plus what the matcher derives from each name — folded store
//! names, brand keys with their cores and skeletons, products' words —
//! as columns of little-endian integers over one string pool. Loading it is:
//! verify the signature, check this layout (bounds, UTF-8, references), and
//! hash the precomputed keys into lookup tables. No allocation per name, no
//! normalisation.
//!
//! Lookup tables are rebuilt at load rather than shipped: hash tables do not
//! compress, and rebuilding them from the keys costs about what hashing
//! their bytes for the signature would.
//!
//! The file is what browsers download, gzipped, so it is laid out for gzip
//! (layout 2): integer columns are delta-coded (see `ints`), and the pool
//! holds each column's strings together (all store ids, then all folded
//! names…), so that gzip finds its repeats close by and each column's
//! references mostly step by one.
//!
//! ```text
//! "genuine-compiled" 0x00 · layout u8 · section count u32
//! per section, in the order of `Col` (META and STRS first):
//!     tag [u8; 4] · byte length u32 · bytes
//! ```
//! META is JSON: `[registry, platforms]`, the registry without brands and
//! blocklist (publisher, version, dates, site profiles…) and the platform
//! names the platform bytes index. STRS is the UTF-8 string pool; a string
//! reference is an index into STRE (each string's end offset), `u32::MAX`
//! for none. Columns of 4-byte values (`Col::width`) are delta-coded; the
//! others (bytes, f64) are plain. Row counts are the number of values; a
//! brand's aliases, accounts and products, and a product's prices, are the
//! ranges between consecutive `…End` values.

mod check;
/// The integer columns' encoding; public so tests can write hostile
/// columns with the very encoding files use.
pub mod ints;
mod views;
mod write;

use std::ops::Range;

use crate::platform::Platform;
use crate::registry::Registry;

pub(crate) use views::{AccountRef, BrandRef, KeyRef, KeySource};
pub use write::compile;

/// The first bytes of a compiled registry (inside the signed envelope).
pub const MAGIC: &[u8] = b"genuine-compiled\0";
/// The layout this build reads and writes. Another layout is refused with a
/// message that says which, rather than misread.
pub const LAYOUT: u8 = 2;
/// A string reference that refers to nothing.
pub(crate) const NONE: u32 = u32::MAX;

/// Why compiled bytes cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CompiledError {
    /// The bytes end before the layout says they should.
    #[error("the compiled registry is cut short")]
    Truncated,
    /// Written in a layout this version of Genuine does not read: an older
    /// copy (cached before an update of Genuine) is downloaded again, a newer
    /// one needs a newer Genuine.
    #[error("the compiled registry uses layout {0}; this version of Genuine reads layout {LAYOUT} ({advice})", advice = layout_advice(*.0))]
    Layout(u8),
    /// A section is missing, out of order, or of a size its elements cannot have.
    #[error("the compiled registry's section {0} is missing or malformed")]
    Section(String),
    /// A reference points outside its table, a range runs backwards, or an
    /// enumeration byte is out of range.
    #[error("the compiled registry is inconsistent: {0}")]
    Inconsistent(String),
    /// The META section is not the expected JSON.
    #[error("the compiled registry's metadata is not valid: {0}")]
    Meta(#[from] serde_json::Error),
    /// The file names a marketplace this version of Genuine does not know.
    #[error("the compiled registry names platform '{0}', unknown to this version of Genuine")]
    UnknownPlatform(String),
}

fn layout_advice(layout: u8) -> &'static str {
    if layout < LAYOUT {
        "an older file: download or compile the registry again"
    } else {
        "update Genuine, or publish the registry in both layouts"
    }
}

/// The columns, in file order. Each is an array of fixed-width elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    StrEnd,
    BrandName,
    BrandEndpoint,
    BrandAliasEnd,
    BrandAccountEnd,
    BrandProductEnd,
    Alias,
    AcctPlatform,
    AcctKind,
    AcctName,
    AcctFolded,
    AcctId,
    AcctUrl,
    ProdName,
    ProdGtin,
    ProdMinRatio,
    ProdTokens,
    ProdPriceEnd,
    PriceAmount,
    PriceCurrency,
    BlkPlatform,
    BlkName,
    BlkFolded,
    BlkId,
    BlkUrl,
    BlkBrand,
    BlkReason,
    BlkReportedAt,
    KeyCore,
    KeySkeleton,
    KeyBrand,
    KeySource,
}

impl Col {
    pub(crate) const ALL: [Col; 32] = [
        Col::StrEnd,
        Col::BrandName,
        Col::BrandEndpoint,
        Col::BrandAliasEnd,
        Col::BrandAccountEnd,
        Col::BrandProductEnd,
        Col::Alias,
        Col::AcctPlatform,
        Col::AcctKind,
        Col::AcctName,
        Col::AcctFolded,
        Col::AcctId,
        Col::AcctUrl,
        Col::ProdName,
        Col::ProdGtin,
        Col::ProdMinRatio,
        Col::ProdTokens,
        Col::ProdPriceEnd,
        Col::PriceAmount,
        Col::PriceCurrency,
        Col::BlkPlatform,
        Col::BlkName,
        Col::BlkFolded,
        Col::BlkId,
        Col::BlkUrl,
        Col::BlkBrand,
        Col::BlkReason,
        Col::BlkReportedAt,
        Col::KeyCore,
        Col::KeySkeleton,
        Col::KeyBrand,
        Col::KeySource,
    ];

    /// Four ASCII letters, so a hex dump shows where each column starts.
    pub(crate) fn tag(self) -> [u8; 4] {
        const TAGS: [&[u8; 4]; 32] = [
            b"STRE", b"BNAM", b"BEND", b"BALI", b"BACC", b"BPRO", b"ALIA", b"APLT", b"AKND",
            b"ANAM", b"AFLD", b"AIDS", b"AURL", b"PNAM", b"PGTN", b"PMIN", b"PTOK", b"PPRI",
            b"RAMT", b"RCUR", b"XPLT", b"XNAM", b"XFLD", b"XIDS", b"XURL", b"XBRD", b"XRSN",
            b"XREP", b"KCOR", b"KSKL", b"KBRD", b"KSRC",
        ];
        *TAGS[self as usize]
    }

    pub(crate) fn width(self) -> usize {
        match self {
            Col::AcctPlatform | Col::AcctKind | Col::BlkPlatform => 1,
            Col::ProdMinRatio => 8,
            _ => 4,
        }
    }
}

/// Where a column's elements are in the bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: usize,
    rows: usize,
}

/// A compiled registry, opened: its bytes, where everything is in them, and
/// its integer columns decoded. Every reference was checked when it was
/// opened, so reading never fails; the readers still return defaults rather
/// than panic if one did.
pub struct Compiled {
    bytes: Vec<u8>,
    meta: Registry,
    platforms: Vec<Platform>,
    strs: Range<usize>,
    /// Where the columns of bytes and f64 are (unused for integer columns).
    cols: [Span; 32],
    /// The integer columns, decoded (empty for the others).
    ints: [Vec<u32>; 32],
}

/// The META section: the registry's own fields, and the platform names,
/// as a JSON array of the two (a flattened object would pull serde's
/// buffering deserializer into the wasm build).
#[derive(serde::Serialize, serde::Deserialize)]
struct Meta(Registry, Vec<String>);

/// Reads `len` bytes at `*at`, moving past them.
fn take(bytes: &[u8], at: &mut usize, len: usize) -> Result<Range<usize>, CompiledError> {
    let end = at.checked_add(len).ok_or(CompiledError::Truncated)?;
    if end > bytes.len() {
        return Err(CompiledError::Truncated);
    }
    let r = *at..end;
    *at = end;
    Ok(r)
}

fn take_u32(bytes: &[u8], at: &mut usize) -> Result<u32, CompiledError> {
    let r = take(bytes, at, 4)?;
    Ok(le32(&bytes[r]))
}

fn le32(b: &[u8]) -> u32 {
    match b {
        [a, b, c, d, ..] => u32::from_le_bytes([*a, *b, *c, *d]),
        _ => 0,
    }
}

/// True when a (verified) payload is in the compiled layout rather than JSON.
pub fn is_compiled(payload: &[u8]) -> bool {
    payload.starts_with(MAGIC)
}

impl Compiled {
    /// Opens compiled bytes that start at `start` in `bytes` (the signed file,
    /// whose header the caller has verified), checking the whole layout.
    pub fn open(bytes: Vec<u8>, start: usize) -> Result<Compiled, CompiledError> {
        let mut at = start;
        let magic = take(&bytes, &mut at, MAGIC.len())?;
        if &bytes[magic] != MAGIC {
            return Err(CompiledError::Section("magic".into()));
        }
        let layout = take(&bytes, &mut at, 1)?;
        match bytes[layout.start] {
            LAYOUT => {}
            other => return Err(CompiledError::Layout(other)),
        }
        let count = take_u32(&bytes, &mut at)? as usize;
        if count != Col::ALL.len() + 2 {
            return Err(CompiledError::Section(format!(
                "count ({count}, expected {})",
                Col::ALL.len() + 2
            )));
        }
        let mut section = |tag: &[u8; 4]| -> Result<Range<usize>, CompiledError> {
            let t = take(&bytes, &mut at, 4)?;
            if &bytes[t] != tag {
                return Err(CompiledError::Section(String::from_utf8_lossy(tag).into()));
            }
            let len = take_u32(&bytes, &mut at)? as usize;
            take(&bytes, &mut at, len)
        };
        let meta_range = section(b"META")?;
        let strs = section(b"STRS")?;
        let mut cols = [Span::default(); 32];
        let mut ints: [Vec<u32>; 32] = Default::default();
        for c in Col::ALL {
            let r = section(&c.tag())?;
            if c.width() == 4 {
                ints[c as usize] = ints::decode(&bytes[r], &String::from_utf8_lossy(&c.tag()))?;
                continue;
            }
            if r.len() % c.width() != 0 {
                return Err(CompiledError::Section(
                    String::from_utf8_lossy(&c.tag()).into(),
                ));
            }
            cols[c as usize] = Span {
                start: r.start,
                rows: r.len() / c.width(),
            };
        }
        if at != bytes.len() {
            return Err(CompiledError::Section(
                "end (bytes after the last section)".into(),
            ));
        }
        let Meta(registry, names) = serde_json::from_slice(&bytes[meta_range])?;
        let platforms = names
            .iter()
            .map(|p| {
                p.parse()
                    .map_err(|_| CompiledError::UnknownPlatform(p.clone()))
            })
            .collect::<Result<Vec<Platform>, _>>()?;
        let c = Compiled {
            bytes,
            meta: registry,
            platforms,
            strs,
            cols,
            ints,
        };
        c.check()?;
        Ok(c)
    }

    /// The registry's own fields and site profiles (brands and blocklist empty).
    pub fn meta(&self) -> &Registry {
        &self.meta
    }

    pub(crate) fn rows(&self, c: Col) -> usize {
        match c.width() {
            4 => self.ints[c as usize].len(),
            _ => self.cols[c as usize].rows,
        }
    }

    /// The `i`th element of a 4-byte column.
    pub(crate) fn u32(&self, c: Col, i: usize) -> u32 {
        self.ints[c as usize].get(i).copied().unwrap_or(NONE)
    }

    pub(crate) fn u8(&self, c: Col, i: usize) -> u8 {
        let s = self.cols[c as usize];
        if i >= s.rows {
            return u8::MAX;
        }
        self.bytes.get(s.start + i).copied().unwrap_or(u8::MAX)
    }

    pub(crate) fn f64(&self, c: Col, i: usize) -> f64 {
        let s = self.cols[c as usize];
        let at = s.start + i * 8;
        match (i < s.rows).then(|| self.bytes.get(at..at + 8)).flatten() {
            Some(b) => f64::from_le_bytes(std::array::from_fn(|k| b[k])),
            None => f64::NAN,
        }
    }

    /// String `i` of the pool; `None` for [`NONE`].
    pub(crate) fn string(&self, i: u32) -> Option<&str> {
        if i == NONE {
            return None;
        }
        let i = i as usize;
        let end = self.u32(Col::StrEnd, i) as usize;
        let start = if i == 0 {
            0
        } else {
            self.u32(Col::StrEnd, i - 1) as usize
        };
        let pool = self.bytes.get(self.strs.clone())?;
        std::str::from_utf8(pool.get(start..end)?).ok()
    }

    /// The string a column's row refers to, `""` when none.
    pub(crate) fn str_at(&self, c: Col, i: usize) -> &str {
        self.string(self.u32(c, i)).unwrap_or("")
    }

    pub(crate) fn opt_str_at(&self, c: Col, i: usize) -> Option<&str> {
        self.string(self.u32(c, i))
    }

    pub(crate) fn platform(&self, code: u8) -> Platform {
        self.platforms
            .get(code as usize)
            .copied()
            .unwrap_or(Platform::Web)
    }

    /// A range of a child table: from the previous row's end to this row's.
    pub(crate) fn range(&self, end_col: Col, i: usize) -> Range<usize> {
        let end = self.u32(end_col, i) as usize;
        let start = if i == 0 {
            0
        } else {
            self.u32(end_col, i - 1) as usize
        };
        start..end.max(start)
    }

    pub(crate) fn brand_count(&self) -> usize {
        self.rows(Col::BrandName)
    }

    pub(crate) fn account_count(&self) -> usize {
        self.rows(Col::AcctPlatform)
    }

    pub(crate) fn product_count(&self) -> usize {
        self.rows(Col::ProdName)
    }

    pub(crate) fn blocked_count(&self) -> usize {
        self.rows(Col::BlkPlatform)
    }

    pub(crate) fn key_count(&self) -> usize {
        self.rows(Col::KeyCore)
    }

    /// Bytes held: the compiled file as it came, and its integer columns decoded.
    pub fn byte_len(&self) -> usize {
        self.bytes.len() + self.ints.iter().map(|v| v.len() * 4).sum::<usize>()
    }
}
