//! Brands author registries as CSV; this turns the CSV into a registry
//! document, checking every row.
//!
//! A bad row is an error that names the file, line and column and what is
//! wrong, and nothing is produced: the caller writes output only on success.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::model::{
    default_min_ratio, Account, AccountKind, BlockedStore, Brand, Delegation, Product, RefPrice,
    Registry, FORMAT,
};
use crate::page::SiteProfile;
use crate::platform::Platform;
use crate::price::Amount;
use crate::time::Timestamp;

/// What went wrong reading the CSV (or profile) files.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read at all.
    #[error("{file}: {source}")]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    /// A row or header is wrong; `column` is 1-based, 0 when the whole row is meant.
    #[error("{file}:{line}:{column}: {message}")]
    Row {
        file: PathBuf,
        line: u64,
        column: usize,
        message: String,
    },
    /// A profile file is not valid.
    #[error("{file}: {message}")]
    Profiles { file: PathBuf, message: String },
}

/// Everything `genuine registry import` takes.
#[derive(Debug, Clone, Default)]
pub struct ImportSpec {
    pub accounts: PathBuf,
    pub products: Option<PathBuf>,
    pub blocklist: Option<PathBuf>,
    /// `brand,key,platforms`: brands whose own registries (signed by `key`)
    /// may speak for them in clients that pin this one.
    pub delegations: Option<PathBuf>,
    /// Site profile files (JSON arrays) added to the built-in ones; a profile
    /// replaces an earlier one with the same id.
    pub profiles: Vec<PathBuf>,
    /// JSON object `{profile id: [extra host patterns]}` (used for the local demo).
    pub profile_hosts: Option<PathBuf>,
    pub publisher: String,
    pub version: u64,
    pub issued_at: Timestamp,
    pub valid_days: u32,
    pub report_endpoint: Option<String>,
    pub demo: bool,
}

const ACCOUNT_COLS: [&str; 7] = [
    "brand",
    "brand_aliases",
    "platform",
    "store_name",
    "store_id",
    "store_url",
    "kind",
];
const DELEGATION_COLS: [&str; 3] = ["brand", "key", "platforms"];
const PRODUCT_COLS: [&str; 6] = ["brand", "product", "gtin", "price", "currency", "min_ratio"];
/// The header of a blocklist CSV (also what the inbox exports for the next registry).
pub const BLOCKLIST_COLS: [&str; 7] = [
    "platform",
    "store_name",
    "store_id",
    "store_url",
    "brand",
    "reason",
    "reported_at",
];

/// Builds a registry from CSV files.
pub fn import(spec: &ImportSpec) -> Result<Registry, ImportError> {
    let mut brands: BTreeMap<String, Brand> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    read_table(&spec.accounts, &ACCOUNT_COLS, |row| {
        let name = row.req("brand")?;
        let brand = brands.entry(name.clone()).or_insert_with(|| {
            order.push(name.clone());
            Brand {
                name: name.clone(),
                aliases: Vec::new(),
                accounts: Vec::new(),
                products: Vec::new(),
                report_endpoint: None,
            }
        });
        for alias in row
            .get("brand_aliases")
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            if !brand.aliases.iter().any(|a| a == alias) {
                brand.aliases.push(alias.to_string());
            }
        }
        let kind = match row.get("kind").trim() {
            "official" => AccountKind::Official,
            "authorized" | "authorised" => AccountKind::Authorized,
            other => {
                return row.fail(
                    "kind",
                    format!("kind must be 'official' or 'authorized', not '{other}'"),
                )
            }
        };
        let platform = row.platform("platform")?;
        let store_url = row.url("store_url")?;
        let mut store_id = row.opt("store_id");
        if platform == Platform::Web {
            // A web shop is proven only by its address (the verdict matches
            // the page's host against store_id): the domain, from store_url
            // when store_id is left out.
            let domain = store_id
                .or_else(|| {
                    store_url
                        .as_deref()
                        .and_then(crate::page::Url::parse)
                        .map(|u| u.host)
                })
                .map(|id| id.trim().trim_end_matches('.').to_ascii_lowercase());
            store_id = match domain {
                Some(id) if id.contains('.') => Some(id),
                // A single label ("com", "localhost") would prove every
                // host under it.
                Some(id) => {
                    return row.fail(
                        "store_id",
                        format!("'{id}' is not a web shop's domain (it has no dot)"),
                    )
                }
                None => {
                    return row.fail(
                        "store_id",
                        "a web shop is proven only by its address: give its domain as store_id, or its store_url".into(),
                    )
                }
            };
        }
        let account = Account {
            platform,
            store_name: row.req("store_name")?,
            store_id,
            store_url,
            kind,
        };
        brand.accounts.push(account);
        Ok(())
    })?;
    if let Some(path) = &spec.products {
        read_products(path, &mut brands)?;
    }
    let mut blocklist = Vec::new();
    if let Some(path) = &spec.blocklist {
        read_table(path, &BLOCKLIST_COLS, |row| {
            blocklist.push(BlockedStore {
                platform: row.platform("platform")?,
                store_name: row.req("store_name")?,
                store_id: row.opt("store_id"),
                store_url: row.url("store_url")?,
                brand: row.opt("brand"),
                reason: row.req("reason")?,
                reported_at: row.opt("reported_at"),
            });
            Ok(())
        })?;
    }
    let mut delegations = Vec::new();
    if let Some(path) = &spec.delegations {
        read_table(path, &DELEGATION_COLS, |row| {
            let brand = row.req("brand")?;
            if !brands.contains_key(&brand) {
                return row.fail(
                    "brand",
                    format!("brand '{brand}' has no row in the accounts file"),
                );
            }
            let key: String = row
                .req("key")?
                .chars()
                .filter(|c| c.is_ascii_hexdigit())
                .flat_map(|c| c.to_lowercase())
                .collect();
            if key.len() != 32 {
                return row.fail(
                    "key",
                    "key must be a key fingerprint, 32 hex digits as `genuine registry keygen` prints it".into(),
                );
            }
            let mut platforms = Vec::new();
            for p in row
                .get("platforms")
                .split('|')
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                match p.parse() {
                    Ok(p) => platforms.push(p),
                    Err(e) => return row.fail("platforms", format!("{e}")),
                }
            }
            delegations.push(Delegation {
                brand,
                key,
                platforms,
            });
            Ok(())
        })?;
    }
    let site_profiles = read_profiles(&spec.profiles, spec.profile_hosts.as_deref())?;
    Ok(Registry {
        format: FORMAT,
        publisher: spec.publisher.clone(),
        version: spec.version,
        issued_at: spec.issued_at,
        expires_at: Timestamp(spec.issued_at.0 + i64::from(spec.valid_days) * 86_400),
        report_endpoint: spec.report_endpoint.clone(),
        demo: spec.demo,
        brands: order
            .into_iter()
            .filter_map(|n| brands.remove(&n))
            .collect(),
        blocklist,
        site_profiles,
        delegations,
        compiled_with: None,
    })
}

fn read_products(path: &Path, brands: &mut BTreeMap<String, Brand>) -> Result<(), ImportError> {
    read_table(path, &PRODUCT_COLS, |row| {
        let brand_name = row.req("brand")?;
        let Some(brand) = brands.get_mut(&brand_name) else {
            return row.fail(
                "brand",
                format!("brand '{brand_name}' has no row in the accounts file"),
            );
        };
        let amount = row.req("price")?;
        if Amount::parse_decimal(&amount).is_none() {
            return row.fail(
                "price",
                format!("price '{amount}' is not a decimal number like 299.00"),
            );
        }
        let currency = row.req("currency")?.to_ascii_uppercase();
        if !super::is_currency_code(&currency) {
            return row.fail(
                "currency",
                format!("'{currency}' is not an ISO 4217 code like CNY or USD"),
            );
        }
        let min_ratio = match row.opt("min_ratio") {
            None => default_min_ratio(),
            Some(t) => match t.parse::<f64>() {
                Ok(r) if r > 0.0 && r <= 1.0 => r,
                _ => {
                    return row.fail(
                        "min_ratio",
                        format!("min_ratio '{t}' must be a number in (0, 1]"),
                    )
                }
            },
        };
        let gtin = row.opt("gtin");
        if let Some(g) = &gtin {
            if !matches!(g.len(), 8 | 12 | 13 | 14) || !g.bytes().all(|b| b.is_ascii_digit()) {
                return row.fail("gtin", format!("GTIN '{g}' must be 8, 12, 13 or 14 digits"));
            }
        }
        let name = row.req("product")?;
        let price = RefPrice { amount, currency };
        match brand.products.iter_mut().find(|p| p.name == name) {
            Some(p) if p.prices.iter().any(|q| q.currency == price.currency) => {
                return row.fail(
                    "currency",
                    format!("product '{name}' already has a {} price", price.currency),
                );
            }
            Some(p) => p.prices.push(price),
            None => brand.products.push(Product {
                name,
                gtin,
                prices: vec![price],
                min_ratio,
            }),
        }
        Ok(())
    })
}

fn read_profiles(
    files: &[PathBuf],
    extra_hosts: Option<&Path>,
) -> Result<Vec<SiteProfile>, ImportError> {
    let mut profiles: Vec<SiteProfile> = crate::page::builtin_profiles();
    for file in files {
        let text = std::fs::read(file).map_err(|source| ImportError::Io {
            file: file.clone(),
            source,
        })?;
        let list: Vec<SiteProfile> =
            serde_json::from_slice(&text).map_err(|e| ImportError::Profiles {
                file: file.clone(),
                message: e.to_string(),
            })?;
        for p in list {
            profiles.retain(|q| q.id != p.id);
            profiles.push(p);
        }
    }
    if let Some(file) = extra_hosts {
        let text = std::fs::read(file).map_err(|source| ImportError::Io {
            file: file.to_path_buf(),
            source,
        })?;
        let map: BTreeMap<String, Vec<String>> =
            serde_json::from_slice(&text).map_err(|e| ImportError::Profiles {
                file: file.to_path_buf(),
                message: e.to_string(),
            })?;
        for (id, hosts) in map {
            let Some(p) = profiles.iter_mut().find(|p| p.id == id) else {
                return Err(ImportError::Profiles {
                    file: file.to_path_buf(),
                    message: format!("no profile named '{id}'"),
                });
            };
            p.hosts.extend(hosts);
        }
    }
    Ok(profiles)
}

/// One CSV row with its position, for error messages.
struct Row<'a> {
    file: &'a Path,
    line: u64,
    header: &'a [String],
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or(usize::MAX)
    }
    fn get(&self, name: &str) -> &str {
        self.record.get(self.col(name)).unwrap_or("").trim()
    }
    fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name).to_string()).filter(|s| !s.is_empty())
    }
    fn req(&self, name: &str) -> Result<String, ImportError> {
        match self.opt(name) {
            Some(v) => Ok(v),
            None => self.fail(name, format!("{name} is empty")),
        }
    }
    fn platform(&self, name: &str) -> Result<Platform, ImportError> {
        self.get(name)
            .parse()
            .or_else(|e: crate::platform::UnknownPlatform| self.fail(name, e.to_string()))
    }
    fn url(&self, name: &str) -> Result<Option<String>, ImportError> {
        match self.opt(name) {
            Some(u) if crate::page::Url::parse(&u).is_none() => {
                self.fail(name, format!("'{u}' is not an http(s) URL"))
            }
            other => Ok(other),
        }
    }
    fn fail<T>(&self, name: &str, message: String) -> Result<T, ImportError> {
        Err(ImportError::Row {
            file: self.file.to_path_buf(),
            line: self.line,
            column: self.col(name).wrapping_add(1),
            message,
        })
    }
}

/// Reads a UTF-8 CSV with a header naming exactly `cols` (in any order).
fn read_table(
    path: &Path,
    cols: &[&str],
    mut each: impl FnMut(&Row) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    // Spreadsheet programs put a byte-order mark at the start of "CSV UTF-8".
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let row_err = |line: u64, column: usize, message: String| ImportError::Row {
        file: path.to_path_buf(),
        line,
        column,
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| row_err(1, 0, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    for want in cols {
        if !header.iter().any(|h| h == want) {
            return Err(row_err(
                1,
                0,
                format!(
                    "the header has no '{want}' column (expected: {})",
                    cols.join(",")
                ),
            ));
        }
    }
    if let Some((i, extra)) = header
        .iter()
        .enumerate()
        .find(|(_, h)| !cols.contains(&h.as_str()))
    {
        return Err(row_err(
            1,
            i + 1,
            format!("unknown column '{extra}' (expected: {})", cols.join(",")),
        ));
    }
    for rec in rdr.records() {
        let record = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            row_err(line, 0, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        each(&Row {
            file: path,
            line,
            header: &header,
            record: &record,
        })?;
    }
    Ok(())
}
