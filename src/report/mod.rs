//! A shopper's report about a store, as the extension sends it to a brand's
//! inbox, and the checks it must pass before anyone stores it.
//!
//! Reports come from strangers over the network, so [`Report::parse`] is the
//! one door: it turns a JSON body into a [`Report`] whose every string has a
//! known shape and a size limit, or names the first field that is wrong and
//! what to do about it. Pure code, no I/O: the same checks can run in the
//! extension (wasm) before sending and in the server on receipt.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

pub mod draft;
pub use draft::{draft, is_endpoint_url, Draft};

use crate::platform::Platform;
use crate::time::Timestamp;
use crate::verdict::Level;

/// Longest `note`, in characters: a paragraph, not a document.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Longest `screenshot` data URL, in bytes (about 1.1 MB of image). Keeps a
/// report with its screenshot inside the server's 2 MB body limit.
pub const MAX_SCREENSHOT_BYTES: usize = 1_500_000;
/// Most reasons kept from a verdict; a verdict has a handful in practice.
pub const MAX_REASONS: usize = 16;

/// Character limits per field, in one table so the docs and checks agree.
const LIMITS: &[(&str, usize)] = &[
    ("url", 2048),
    ("store_name", 200),
    ("store_id", 100),
    ("product_title", 500),
    ("price", 32),
    ("brand", 200),
    ("reason.code", 64),
    ("reason.text", 500),
];

/// What kind of wrong the shopper saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Counterfeit,
    Impersonation,
    PriceDumping,
    Defamation,
    Other,
}

impl Category {
    pub const NAMES: [&'static str; 5] = [
        "counterfeit",
        "impersonation",
        "price_dumping",
        "defamation",
        "other",
    ];
    const ALL: [Category; 5] = [
        Category::Counterfeit,
        Category::Impersonation,
        Category::PriceDumping,
        Category::Defamation,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    fn parse(s: &str) -> Option<Category> {
        Self::NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| Self::ALL[i])
    }
}

/// One reason the extension gave, as the shopper saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: String,
    pub text: String,
}

/// The verdict the shopper was shown when they reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportedVerdict {
    pub level: Level,
    pub brand: Option<String>,
    pub reasons: Vec<Reason>,
}

/// A validated report. Every field has passed [`Report::parse`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Made by the client (a UUID, say), so a retried send is recognised.
    pub id: String,
    pub url: String,
    pub platform: Platform,
    pub store_name: String,
    pub store_id: Option<String>,
    pub product_title: Option<String>,
    pub price: Option<String>,
    pub currency: Option<String>,
    pub verdict: ReportedVerdict,
    pub category: Category,
    pub note: String,
    /// When the shopper pressed "report", as they sent it (RFC 3339).
    pub created_at: String,
    /// The same instant, for sorting and dates.
    #[serde(skip)]
    pub created: Timestamp,
    /// `data:image/png;base64,…` or `data:image/jpeg;base64,…`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<String>,
}

/// Why a report was refused. Each message says which field and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The body is not JSON, or a field has the wrong JSON type.
    #[error("the body is not a report: {0}")]
    Json(String),
    /// A required field is absent or empty.
    #[error("'{0}' is required")]
    Missing(&'static str),
    /// A string is longer than its limit.
    #[error("'{field}' is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    /// A string holds a control character (other than newline and tab).
    #[error("'{0}' contains a control character; send plain text")]
    ControlCharacter(&'static str),
    /// The id is not 8–64 characters of letters, digits and '-'.
    #[error("'id' must be 8 to 64 characters of A-Z, a-z, 0-9 and '-' (a UUID works)")]
    BadId,
    /// The page address is not an absolute http(s) URL.
    #[error("'url' must be an absolute http:// or https:// address")]
    BadUrl,
    /// The platform is not one Genuine knows.
    #[error("'platform': {0}")]
    BadPlatform(String),
    /// The currency is not three capital letters.
    #[error("'currency' must be an ISO 4217 code like USD or CNY, not '{0}'")]
    BadCurrency(String),
    /// The verdict level is not one the extension shows.
    #[error("'verdict.level' must be one of official, caution, danger, none; not '{0}'")]
    BadLevel(String),
    /// More reasons than any verdict has.
    #[error("'verdict.reasons' has more than {MAX_REASONS} entries")]
    TooManyReasons,
    /// The category is not one of the five.
    #[error("'category' must be one of counterfeit, impersonation, price_dumping, defamation, other; not '{0}'")]
    BadCategory(String),
    /// `created_at` is not an RFC 3339 date-time.
    #[error("'created_at' must be an RFC 3339 time like 2026-01-31T12:00:00Z, not '{0}'")]
    BadTime(String),
    /// The screenshot is not a PNG or JPEG data URL whose bytes match its type.
    #[error("'screenshot' must be a data:image/png or data:image/jpeg base64 URL: {0}")]
    BadScreenshot(&'static str),
    /// The screenshot is larger than the limit.
    #[error(
        "'screenshot' is larger than {MAX_SCREENSHOT_BYTES} bytes; send a smaller or JPEG image"
    )]
    ScreenshotTooLarge,
}

impl ReportError {
    /// A stable short code for programs (the message is for people).
    pub fn code(&self) -> &'static str {
        match self {
            ReportError::Json(_) => "bad_json",
            ReportError::Missing(_) => "missing_field",
            ReportError::TooLong { .. } => "too_long",
            ReportError::ControlCharacter(_) => "control_character",
            ReportError::BadId => "bad_id",
            ReportError::BadUrl => "bad_url",
            ReportError::BadPlatform(_) => "bad_platform",
            ReportError::BadCurrency(_) => "bad_currency",
            ReportError::BadLevel(_) => "bad_level",
            ReportError::TooManyReasons => "too_many_reasons",
            ReportError::BadCategory(_) => "bad_category",
            ReportError::BadTime(_) => "bad_time",
            ReportError::BadScreenshot(_) | ReportError::ScreenshotTooLarge => "bad_screenshot",
        }
    }
}

/// The body as sent, before any check. Unknown fields are ignored so that a
/// newer extension can still report to an older server.
#[derive(Deserialize)]
struct Raw {
    id: Option<String>,
    url: Option<String>,
    platform: Option<String>,
    store_name: Option<String>,
    store_id: Option<String>,
    product_title: Option<String>,
    price: Option<String>,
    currency: Option<String>,
    verdict: Option<RawVerdict>,
    category: Option<String>,
    note: Option<String>,
    created_at: Option<String>,
    screenshot: Option<String>,
}

#[derive(Deserialize)]
struct RawVerdict {
    level: Option<String>,
    brand: Option<String>,
    #[serde(default)]
    reasons: Vec<Reason>,
}

impl Report {
    /// Parses and checks a JSON body.
    pub fn parse(body: &[u8]) -> Result<Report, ReportError> {
        let raw: Raw =
            serde_json::from_slice(body).map_err(|e| ReportError::Json(e.to_string()))?;
        Report::from_raw(raw)
    }

    fn from_raw(raw: Raw) -> Result<Report, ReportError> {
        let id = required("id", raw.id)?;
        if !is_valid_id(&id) {
            return Err(ReportError::BadId);
        }
        let url = limited("url", required("url", raw.url)?)?;
        if !is_http_url(&url) {
            return Err(ReportError::BadUrl);
        }
        let platform = required("platform", raw.platform)?
            .parse::<Platform>()
            .map_err(|e| ReportError::BadPlatform(e.to_string()))?;
        let currency = optional(raw.currency)
            .map(|c| {
                if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
                    Ok(c)
                } else {
                    Err(ReportError::BadCurrency(c.chars().take(12).collect()))
                }
            })
            .transpose()?;
        let category = required("category", raw.category)?;
        let category = Category::parse(&category)
            .ok_or_else(|| ReportError::BadCategory(category.chars().take(40).collect()))?;
        let note = raw.note.unwrap_or_default().trim().to_string();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(ReportError::TooLong {
                field: "note",
                max: MAX_NOTE_CHARS,
            });
        }
        // The same rule as every other text field (a note may keep its
        // line breaks and tabs; NUL, BEL, ESC… reached the CSV export before).
        if note
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(ReportError::ControlCharacter("note"));
        }
        let created_at = required("created_at", raw.created_at)?;
        let created = Timestamp::parse_rfc3339(&created_at)
            .ok_or_else(|| ReportError::BadTime(created_at.chars().take(40).collect()))?;
        let screenshot = optional(raw.screenshot).map(check_screenshot).transpose()?;
        Ok(Report {
            id,
            url,
            platform,
            store_name: limited("store_name", required("store_name", raw.store_name)?)?,
            store_id: optional(raw.store_id)
                .map(|s| limited("store_id", s))
                .transpose()?,
            product_title: optional(raw.product_title)
                .map(|s| limited("product_title", s))
                .transpose()?,
            price: optional(raw.price)
                .map(|s| limited("price", s))
                .transpose()?,
            currency,
            verdict: check_verdict(raw.verdict.ok_or(ReportError::Missing("verdict"))?)?,
            category,
            note,
            created_at,
            created,
            screenshot,
        })
    }
}

/// 8–64 characters of `[A-Za-z0-9-]`: a UUID, or anything as unguessable.
pub fn is_valid_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn check_verdict(raw: RawVerdict) -> Result<ReportedVerdict, ReportError> {
    let level = required("verdict.level", raw.level)?;
    let level = match level.as_str() {
        "official" => Level::Official,
        "caution" => Level::Caution,
        "danger" => Level::Danger,
        "none" => Level::None,
        _ => return Err(ReportError::BadLevel(level.chars().take(40).collect())),
    };
    if raw.reasons.len() > MAX_REASONS {
        return Err(ReportError::TooManyReasons);
    }
    let reasons = raw
        .reasons
        .into_iter()
        .map(|r| {
            Ok(Reason {
                code: limited("reason.code", r.code)?,
                text: limited("reason.text", r.text)?,
            })
        })
        .collect::<Result<_, ReportError>>()?;
    Ok(ReportedVerdict {
        level,
        brand: optional(raw.brand)
            .map(|b| limited("brand", b))
            .transpose()?,
        reasons,
    })
}

/// Trimmed, and `None` when empty: an empty string means "not given".
fn optional(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn required(field: &'static str, v: Option<String>) -> Result<String, ReportError> {
    optional(v).ok_or(ReportError::Missing(field))
}

fn limited(field: &'static str, v: String) -> Result<String, ReportError> {
    let max = LIMITS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(200, |(_, m)| *m);
    if v.chars().count() > max {
        return Err(ReportError::TooLong { field, max });
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        // Control characters have no business in a store name and can upset
        // terminals and spreadsheets the inbox exports go to.
        return Err(ReportError::ControlCharacter(field));
    }
    Ok(v)
}

fn is_http_url(u: &str) -> bool {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !u.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn check_screenshot(s: String) -> Result<String, ReportError> {
    if s.len() > MAX_SCREENSHOT_BYTES {
        return Err(ReportError::ScreenshotTooLarge);
    }
    let (magic, data): (&[u8], &str) = if let Some(d) = s.strip_prefix("data:image/png;base64,") {
        (b"\x89PNG\r\n\x1a\n", d)
    } else if let Some(d) = s.strip_prefix("data:image/jpeg;base64,") {
        (b"\xFF\xD8\xFF", d)
    } else {
        return Err(ReportError::BadScreenshot(
            "it must start with data:image/png;base64, or data:image/jpeg;base64,",
        ));
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| ReportError::BadScreenshot("the base64 data does not decode"))?;
    if !bytes.starts_with(magic) {
        return Err(ReportError::BadScreenshot(
            "the image bytes are not of the type the URL names",
        ));
    }
    Ok(s)
}
