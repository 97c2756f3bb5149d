//! `brand.toml`: what a brand changes in its own build of the extension.
//!
//! Read once, validated field by field, and turned into a [`Brand`] whose
//! files (key, bundled registry, icon) are already loaded and checked: the
//! packer never meets a half-valid brand. Every error names the field, so a
//! brand can fix its file without reading our code. The format is described
//! in docs/brands.md; www/demo/brand/brand.toml is the worked example.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::icon;
use crate::brandlink;
use crate::registry::{self, PublicKey, RegistryError, Trust};

/// The languages the extension speaks (`extension/_locales/`).
pub const LANGUAGES: [&str; 4] = ["en", "zh_CN", "fr", "de"];
/// Chrome Web Store and AMO limits on an extension's name.
const MAX_NAME: usize = 45;
/// Chrome shows at most 12 characters of `short_name`.
const MAX_SHORT_NAME: usize = 12;

/// A brand's build settings, validated, with its files read.
#[derive(Debug, Clone)]
pub struct Brand {
    /// The extension's name in every language.
    pub name: String,
    /// Where space is short (Chrome's app list).
    pub short_name: String,
    /// File names of the packages: `<slug>-chrome.zip`.
    pub slug: String,
    /// The manifest's `default_locale`: one of [`LANGUAGES`].
    pub default_language: String,
    /// Also pin the build's shared default registry next to the brand's.
    pub keep_default_registry: bool,
    /// The brand colour: icon, popup and options header, banner edge.
    pub accent: Color,
    /// A square PNG used at every icon size; `None` draws the check mark on `accent`.
    pub icon: Option<Vec<u8>>,
    /// The brand's own registry, always on.
    pub registry: PinnedRegistry,
    /// Where shoppers' reports go (config.json `inbox`).
    pub report_endpoint: String,
    /// Firefox's add-on id (`browser_specific_settings.gecko.id`).
    pub firefox_id: String,
}

/// A registry a build pins: where updates come from and the only key they may be signed with.
#[derive(Debug, Clone)]
pub struct PinnedRegistry {
    pub url: String,
    pub key: PublicKey,
    /// A verified copy shipped in the package, used until an update verifies.
    pub bundled: Option<Vec<u8>>,
}

/// An sRGB colour from `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub [u8; 3]);

/// Why a brand.toml cannot be packed. Field names are as written in the file.
#[derive(Debug, thiserror::Error)]
pub enum BrandError {
    /// The file itself could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not TOML, a field of the wrong type, or a field this version does not know.
    #[error("{0}")]
    Syntax(String),
    /// A field every brand must set is absent.
    #[error("{0}: missing (see docs/brands.md)")]
    Missing(&'static str),
    /// A field holds a value that cannot be used; `why` says what is expected.
    #[error("{field}: {why}")]
    Invalid { field: &'static str, why: String },
    /// A file the brand names (key, registry, icon) could not be read.
    #[error("{field}: cannot read {path}: {source}")]
    File {
        field: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// `registry.fingerprint` is not the fingerprint of `registry.public_key`.
    #[error("registry.fingerprint: the key file's fingerprint is {found}, not {expected}")]
    FingerprintMismatch { expected: String, found: String },
    /// The bundled copy does not verify with the brand's key, or is no registry.
    #[error("registry.bundled: {0}")]
    Bundled(RegistryError),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrand {
    name: Option<String>,
    short_name: Option<String>,
    slug: Option<String>,
    default_language: Option<String>,
    keep_default_registry: Option<bool>,
    icon: Option<PathBuf>,
    colors: Option<RawColors>,
    registry: Option<RawRegistry>,
    reports: Option<RawReports>,
    firefox: Option<RawFirefox>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColors {
    accent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    url: Option<String>,
    public_key: Option<PathBuf>,
    fingerprint: Option<String>,
    bundled: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReports {
    endpoint: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFirefox {
    id: Option<String>,
}

fn invalid(field: &'static str, why: impl Into<String>) -> BrandError {
    BrandError::Invalid {
        field,
        why: why.into(),
    }
}

fn read_file(field: &'static str, base: &Path, rel: &Path) -> Result<Vec<u8>, BrandError> {
    let path = base.join(rel);
    std::fs::read(&path).map_err(|source| BrandError::File {
        field,
        path,
        source,
    })
}

impl Brand {
    /// Reads and validates `path`; files it names are relative to its folder.
    pub fn load(path: &Path) -> Result<Brand, BrandError> {
        let text = std::fs::read_to_string(path).map_err(|source| BrandError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Brand::parse(&text, base)
    }

    /// Validates brand.toml text; `base` is the folder its file paths are relative to.
    pub fn parse(text: &str, base: &Path) -> Result<Brand, BrandError> {
        let raw: RawBrand =
            toml::from_str(text).map_err(|e| BrandError::Syntax(e.to_string().trim().into()))?;
        let name = text_field("name", raw.name, 2, MAX_NAME)?;
        let short_name = match raw.short_name {
            Some(s) => text_field("short_name", Some(s), 1, MAX_SHORT_NAME)?,
            None if name.chars().count() <= MAX_SHORT_NAME => name.clone(),
            None => {
                return Err(invalid(
                    "short_name",
                    format!("needed when name is longer than {MAX_SHORT_NAME} characters"),
                ))
            }
        };
        let slug = slug(raw.slug.ok_or(BrandError::Missing("slug"))?)?;
        let default_language = language(raw.default_language)?;
        let keep_default_registry = raw
            .keep_default_registry
            .ok_or(BrandError::Missing("keep_default_registry"))?;
        let accent = raw
            .colors
            .and_then(|c| c.accent)
            .ok_or(BrandError::Missing("colors.accent"))?;
        let accent = Color::parse(&accent)
            .ok_or_else(|| invalid("colors.accent", "a colour as #rrggbb, e.g. \"#0b6e4f\""))?;
        let icon = match raw.icon {
            Some(rel) => {
                let bytes = read_file("icon", base, &rel)?;
                icon::check_icon(&bytes).map_err(|why| invalid("icon", why))?;
                Some(bytes)
            }
            None => None,
        };
        let registry = pinned(
            raw.registry.ok_or(BrandError::Missing("registry.url"))?,
            base,
        )?;
        let endpoint = raw
            .reports
            .and_then(|r| r.endpoint)
            .ok_or(BrandError::Missing("reports.endpoint"))?;
        let report_endpoint = web_address("reports.endpoint", endpoint)?;
        let firefox_id = firefox_id(raw.firefox.and_then(|f| f.id))?;
        Ok(Brand {
            name,
            short_name,
            slug,
            default_language,
            keep_default_registry,
            accent,
            icon,
            registry,
            report_endpoint,
            firefox_id,
        })
    }
}

/// Names shown by the browser. `$` starts a placeholder in the browsers'
/// message files, so it cannot appear in a name that goes into them.
fn text_field(
    field: &'static str,
    value: Option<String>,
    min: usize,
    max: usize,
) -> Result<String, BrandError> {
    let v = value.ok_or(BrandError::Missing(field))?;
    let v = v.trim();
    let n = v.chars().count();
    if n < min || n > max {
        return Err(invalid(
            field,
            format!("{min} to {max} characters, this is {n}"),
        ));
    }
    if v.chars().any(|c| c.is_control() || c == '$') {
        return Err(invalid(field, "no control characters and no '$'"));
    }
    Ok(v.to_string())
}

fn slug(s: String) -> Result<String, BrandError> {
    let ok = (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-');
    if ok {
        Ok(s)
    } else {
        Err(invalid(
            "slug",
            "1 to 32 of a-z, 0-9 and '-' (it names the package files)",
        ))
    }
}

fn language(lang: Option<String>) -> Result<String, BrandError> {
    let lang = lang.unwrap_or_else(|| "en".into()).replace('-', "_");
    LANGUAGES
        .iter()
        .find(|l| l.eq_ignore_ascii_case(&lang))
        .map(|l| l.to_string())
        .ok_or_else(|| {
            invalid(
                "default_language",
                format!("one of {}", LANGUAGES.join(", ")),
            )
        })
}

/// An address the extension will fetch from: https, or http on this machine.
fn web_address(field: &'static str, url: String) -> Result<String, BrandError> {
    brandlink::check_fetch_url(&url).map_err(|why| invalid(field, why))?;
    Ok(url)
}

fn pinned(raw: RawRegistry, base: &Path) -> Result<PinnedRegistry, BrandError> {
    let url = web_address(
        "registry.url",
        raw.url.ok_or(BrandError::Missing("registry.url"))?,
    )?;
    let rel = raw
        .public_key
        .ok_or(BrandError::Missing("registry.public_key"))?;
    let text = read_file("registry.public_key", base, &rel)?;
    let key = std::str::from_utf8(&text)
        .ok()
        .and_then(|t| PublicKey::parse(t).ok())
        .ok_or_else(|| {
            invalid(
                "registry.public_key",
                "not a Genuine public key file (genuine registry keygen writes one)",
            )
        })?;
    if let Some(fp) = raw.fingerprint {
        let expected = brandlink::fingerprint(&fp)
            .ok_or_else(|| invalid("registry.fingerprint", "32 hex digits"))?;
        if expected != key.fingerprint() {
            return Err(BrandError::FingerprintMismatch {
                expected,
                found: key.fingerprint(),
            });
        }
    }
    let bundled = match raw.bundled {
        Some(rel) => {
            let bytes = read_file("registry.bundled", base, &rel)?;
            registry::load(&bytes, Trust::Key(&key)).map_err(BrandError::Bundled)?;
            Some(bytes)
        }
        None => None,
    };
    Ok(PinnedRegistry { url, key, bundled })
}

/// Firefox add-on ids are email-like (`name@domain`) or a `{GUID}`.
fn firefox_id(id: Option<String>) -> Result<String, BrandError> {
    let id = id.ok_or(BrandError::Missing("firefox.id"))?;
    let word = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'))
    };
    let email = id
        .split_once('@')
        .is_some_and(|(a, b)| word(a) && word(b) && !b.contains('+'));
    let guid = id.len() == 38
        && id.starts_with('{')
        && id.ends_with('}')
        && id[1..37]
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'-');
    if id.len() <= 80 && (email || guid) {
        Ok(id)
    } else {
        Err(invalid(
            "firefox.id",
            "an id like \"genuine@brand.example\" or a {GUID}",
        ))
    }
}

impl Color {
    pub fn parse(s: &str) -> Option<Color> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Color([byte(0)?, byte(2)?, byte(4)?]))
    }

    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// WCAG relative luminance.
    fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// White or near-black, whichever reads better on this colour.
    pub fn text_on(self) -> Color {
        let l = self.luminance();
        let on_white = 1.05 / (l + 0.05);
        let on_dark = (l + 0.05) / (Color([0x1f, 0x23, 0x28]).luminance() + 0.05);
        if on_white >= on_dark {
            Color([0xff, 0xff, 0xff])
        } else {
            Color([0x1f, 0x23, 0x28])
        }
    }
}
