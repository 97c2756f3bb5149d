//! The registry: the signed list of real stores, known fakes, reference
//! prices and site profiles that every verdict is judged against.
//!
//! Loading is the trust boundary. [`load`] verifies the signature (unless the
//! caller explicitly allows unsigned input), parses, and validates every
//! field once; afterwards the rest of the crate trusts what it holds.
//!
//! A registry travels in one of two payloads inside the same signed
//! envelope: the JSON document (the authoring form) or the [`compiled`] form
//! that browsers download and cache, which is ready without normalising a
//! single name. [`verify_owned`] + [`Verified::open`] take either to a
//! [`Compiled`] registry, the form the engine works on.

pub mod compiled;
#[cfg(not(target_arch = "wasm32"))]
pub mod import;
mod model;
pub mod patch;
pub(crate) mod sign;

pub use compiled::{compile, is_compiled, Compiled, CompiledError};

pub use model::{
    Account, AccountKind, BlockedStore, Brand, Delegation, Product, RefPrice, Registry, FORMAT,
};
pub use sign::{is_signed, PublicKey, SecretKey, SignError};

use crate::price::Amount;

/// The largest version any client holds exactly (JavaScript numbers are
/// doubles: 2^53 − 1).
pub const MAX_VERSION: u64 = (1 << 53) - 1;

/// How far a version may run ahead of its own `issued_at` (in seconds), and
/// how far `issued_at` may run ahead of a client's clock. Versions are
/// seconds since 1970 (what `registry import` writes by default) or any
/// smaller growing number; with both bounds, a file signed today can hold
/// back later updates by at most two days, never forever, even if the
/// signing key is misused.
pub const VERSION_SLACK_SECS: i64 = 86_400;

/// Registry documents larger than this are refused before parsing: a bound
/// on memory for a file that came over the network.
pub const MAX_REGISTRY_BYTES: usize = 256 * 1024 * 1024;

/// Why a registry cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Signature problems: unsigned, tampered, truncated, wrong key.
    #[error(transparent)]
    Signature(#[from] SignError),
    /// The file is larger than [`MAX_REGISTRY_BYTES`].
    #[error("the registry is {0} bytes, more than the {MAX_REGISTRY_BYTES} allowed")]
    TooLarge(usize),
    /// The payload is not a registry document.
    #[error("the registry is not valid JSON of the expected shape: {0}")]
    Json(#[from] serde_json::Error),
    /// The payload is a compiled registry that cannot be read.
    #[error(transparent)]
    Compiled(#[from] CompiledError),
    /// A copy verified earlier no longer matches the checksum taken then.
    #[error("the stored copy does not match its checksum (corrupted since it was verified)")]
    Checksum,
    /// Written for a newer Genuine than this one.
    #[error("the registry uses format {0}; this version of Genuine reads format {FORMAT}")]
    Format(u32),
    /// A field holds something it must not; the message says which and why.
    #[error("invalid registry: {0}")]
    Invalid(String),
}

/// How to treat a file without a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust<'a> {
    /// Only a file signed by this key is accepted.
    Key(&'a PublicKey),
    /// Signed files are still verified against the key if one is given; an
    /// unsigned file is accepted as it is (local authoring, tests).
    AllowUnsigned(Option<&'a PublicKey>),
}

/// Verifies, parses and validates a registry file (JSON or compiled payload).
pub fn load(file: &[u8], trust: Trust) -> Result<Registry, RegistryError> {
    if file.len() > MAX_REGISTRY_BYTES {
        return Err(RegistryError::TooLarge(file.len()));
    }
    let payload = match trust {
        Trust::Key(key) => sign::verify(file, key)?,
        Trust::AllowUnsigned(Some(key)) if sign::is_signed(file) => sign::verify(file, key)?,
        // Signed, but no key to check it with: the signature says nothing,
        // so the payload is read as unsigned input.
        Trust::AllowUnsigned(_) if sign::is_signed(file) => sign::payload_unverified(file)?,
        Trust::AllowUnsigned(_) => file,
    };
    if is_compiled(payload) {
        let reg = Compiled::open(payload.to_vec(), 0)?.to_registry();
        check_version(&reg, crate::time::Timestamp::now())?;
        return Ok(reg);
    }
    parse(payload)
}

/// A file whose signature held (or that was allowed unsigned): its bytes,
/// and where the payload starts in them.
pub struct Verified {
    bytes: Vec<u8>,
    start: usize,
}

/// Verifies a file it owns, without copying it: the engine keeps these very
/// bytes. Same checks as [`load`]; the header bytes are overwritten in the
/// process (see `sign::verify_in_place`), the payload is not.
pub fn verify_owned(mut file: Vec<u8>, trust: Trust) -> Result<Verified, RegistryError> {
    if file.len() > MAX_REGISTRY_BYTES {
        return Err(RegistryError::TooLarge(file.len()));
    }
    let start = match trust {
        Trust::Key(key) => sign::verify_in_place(&mut file, key)?,
        Trust::AllowUnsigned(Some(key)) if sign::is_signed(&file) => {
            sign::verify_in_place(&mut file, key)?
        }
        Trust::AllowUnsigned(_) if sign::is_signed(&file) => {
            file.len() - sign::payload_unverified(&file)?.len()
        }
        Trust::AllowUnsigned(_) => 0,
    };
    Ok(Verified { bytes: file, start })
}

/// A fast checksum of a whole file, 32 hex digits: what a client stores
/// next to a registry file it has verified, so that loading it again can
/// tell the same bytes from corrupted ones without verifying the signature
/// again (SHA-512 over every byte, most of a worker wake at 10^6 accounts).
/// It detects corruption, not forgery: it guards a client's own storage,
/// which anyone able to write could just as well change the client itself.
pub fn checksum(file: &[u8]) -> String {
    // Four independent lanes of 8 bytes keep a CPU's multipliers busy.
    const P: [u64; 4] = [
        0x9E37_79B9_7F4A_7C15,
        0xC2B2_AE3D_27D4_EB4F,
        0x1656_67B1_9E37_79F9,
        0x85EB_CA77_C2B2_AE63,
    ];
    let mut lanes = P;
    let mut blocks = file.chunks_exact(32);
    for block in &mut blocks {
        for (j, lane) in lanes.iter_mut().enumerate() {
            let w = u64::from_le_bytes(std::array::from_fn(|k| block[8 * j + k]));
            *lane = (*lane ^ w).wrapping_mul(P[j]).rotate_left(31);
        }
    }
    let mut tail = [0u8; 32];
    tail[..blocks.remainder().len()].copy_from_slice(blocks.remainder());
    for (j, lane) in lanes.iter_mut().enumerate() {
        let w = u64::from_le_bytes(std::array::from_fn(|k| tail[8 * j + k]));
        *lane = fmix((*lane ^ w ^ file.len() as u64).wrapping_mul(P[j]));
    }
    let hi = fmix(lanes[0] ^ lanes[1].rotate_left(17) ^ lanes[2].rotate_left(41));
    let lo = fmix(lanes[3] ^ lanes[2].rotate_left(23) ^ lanes[1].rotate_left(53));
    format!("{hi:016x}{lo:016x}")
}

fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// [`verify_owned`] for a file this client verified before and stored with
/// its [`checksum`]: the header must be well formed and name `key`, and the
/// whole file must match the checksum; the signature is not checked again.
pub fn verify_cached(file: Vec<u8>, key: &PublicKey, sum: &str) -> Result<Verified, RegistryError> {
    if file.len() > MAX_REGISTRY_BYTES {
        return Err(RegistryError::TooLarge(file.len()));
    }
    let start = sign::header_for(&file, key)?;
    if checksum(&file) != sum {
        return Err(RegistryError::Checksum);
    }
    Ok(Verified { bytes: file, start })
}

impl Verified {
    pub fn payload(&self) -> &[u8] {
        self.bytes.get(self.start..).unwrap_or_default()
    }

    /// The compiled registry: opened in place when the payload is compiled
    /// with this build's matching rules, compiled again from its own rows
    /// when it was compiled with other rules, else parsed, validated and
    /// compiled from JSON.
    pub fn open(self) -> Result<Compiled, RegistryError> {
        if is_compiled(self.payload()) {
            let c = Compiled::open(self.bytes, self.start)?;
            check_version(c.meta(), crate::time::Timestamp::now())?;
            if c.meta().compiled_with.as_deref() != Some(crate::normalize::rules()) {
                return Ok(Compiled::open(compile(&c.to_registry()), 0)?);
            }
            return Ok(c);
        }
        let reg = parse(self.payload())?;
        Ok(Compiled::open(compile(&reg), 0)?)
    }
}

/// Parses and validates an unsigned registry document.
pub fn parse(json: &[u8]) -> Result<Registry, RegistryError> {
    let reg: Registry = serde_json::from_slice(json)?;
    validate(&reg)?;
    Ok(reg)
}

fn validate(reg: &Registry) -> Result<(), RegistryError> {
    let bad = |m: String| Err(RegistryError::Invalid(m));
    if reg.format > FORMAT {
        return Err(RegistryError::Format(reg.format));
    }
    if reg.publisher.trim().is_empty() {
        return bad("publisher is empty".into());
    }
    check_version(reg, crate::time::Timestamp::now())?;
    if reg.expires_at < reg.issued_at {
        return bad(format!(
            "expires_at {} is before issued_at {}",
            reg.expires_at, reg.issued_at
        ));
    }
    for d in &reg.delegations {
        if !reg.brands.iter().any(|b| b.name == d.brand) {
            return bad(format!(
                "delegation to key {}: brand '{}' is not one of this registry's brands",
                d.key, d.brand
            ));
        }
        if d.key.len() != 32
            || !d
                .key
                .bytes()
                .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
        {
            return bad(format!(
                "delegation of '{}': key '{}' is not a fingerprint (32 lower-case hex digits)",
                d.brand, d.key
            ));
        }
    }
    for (i, b) in reg.brands.iter().enumerate() {
        if crate::normalize::fold(&b.name).is_empty() {
            return bad(format!("brand #{} has no name", i + 1));
        }
        for a in &b.accounts {
            if crate::normalize::fold(&a.store_name).is_empty() && a.store_id.is_none() {
                return bad(format!(
                    "brand '{}': an account has neither store name nor id",
                    b.name
                ));
            }
        }
        for p in &b.products {
            if !(p.min_ratio > 0.0 && p.min_ratio <= 1.0) {
                return bad(format!(
                    "brand '{}', product '{}': min_ratio {} is not in (0, 1]",
                    b.name, p.name, p.min_ratio
                ));
            }
            for rp in &p.prices {
                if Amount::parse_decimal(&rp.amount).is_none() || !is_currency_code(&rp.currency) {
                    return bad(format!(
                        "brand '{}', product '{}': price '{} {}' is not a decimal amount with an ISO 4217 code",
                        b.name, p.name, rp.amount, rp.currency
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The version rules (see [`VERSION_SLACK_SECS`]): no file may claim a
/// version that would lock out the updates after it, and every version is
/// exact in JavaScript.
pub fn check_version(reg: &Registry, now: crate::time::Timestamp) -> Result<(), RegistryError> {
    let bad = |m: String| Err(RegistryError::Invalid(m));
    if reg.version > MAX_VERSION {
        return bad(format!(
            "version {} is above 2^53 − 1, the largest number every client holds exactly",
            reg.version
        ));
    }
    let ahead = reg.issued_at.0.saturating_add(VERSION_SLACK_SECS);
    if i64::try_from(reg.version).map_or(true, |v| v > ahead) {
        return bad(format!(
            "version {} is ahead of its issue time {} (a version may be at most the issue time in              seconds since 1970 plus one day, so that no file can lock out the updates after it)",
            reg.version, reg.issued_at
        ));
    }
    if reg.issued_at.0 > now.0.saturating_add(VERSION_SLACK_SECS) {
        return bad(format!(
            "issued at {}, in the future (this device's clock says {now})",
            reg.issued_at
        ));
    }
    Ok(())
}

/// Three upper-case ASCII letters.
pub(crate) fn is_currency_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}
