//! `genuine pack`: the extension's packages, for Genuine itself or for a brand.
//!
//! One packer for every build: `make dist` is `genuine pack --out dist`, and a
//! brand's white-label build is the same run with `--brand brand.toml`. From
//! the one source tree (`extension/`) it writes, for each browser, a folder
//! and a zip: Chrome gets the module service worker and the managed-storage
//! schema, Firefox the module background script and its gecko settings. A
//! brand changes only data — names in the message files, the look, the
//! icons, the pinned registries and the report endpoint — never code.
//!
//! - `brand`: brand.toml, validated once.
//! - `tree`: what differs per build and browser (manifest, config.json,
//!   message files, look).
//! - `icon`: the toolbar icons, drawn or a brand's own, checked.
//!
//! PNG and zip are written by the `png` and `zip` crates: pure Rust, so a
//! brand needs no image or zip tools, and formats kept by people who keep them.
//!
//! Nothing is half-written: the packages are built in a sibling folder and
//! swapped into `--out` at the end; a failed run leaves `--out` as it was.

pub mod brand;
mod icon;
mod release;
mod tree;

use std::path::{Path, PathBuf};

pub use brand::{Brand, BrandError, Color};

use crate::registry::{self, PublicKey, Trust};

/// The browsers a build is made for.
pub const BROWSERS: [Browser; 2] = [Browser::Chrome, Browser::Firefox];
/// Genuine's own colour (the stock build's accent).
pub const GENUINE_GREEN: Color = Color([0x1a, 0x7f, 0x37]);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Chrome,
    Firefox,
}

impl Browser {
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Firefox => "firefox",
        }
    }
}

/// Where the sources are and where the packages go.
#[derive(Debug, Clone)]
pub struct PackOptions {
    /// The extension's source tree (`extension/`, with `pkg/` from `make wasm`).
    pub source: PathBuf,
    /// The site profiles whose hosts the content script runs on (`data/profiles.json`).
    pub profiles: PathBuf,
    /// Output folder: missing, empty, or an earlier `genuine pack` output.
    pub out: PathBuf,
    /// Where the shared default registry is downloaded from.
    pub default_registry_url: String,
    /// The report endpoint of a build without a brand.
    pub default_inbox: String,
    /// The demo build: pins the source tree's demo key and registry (their
    /// secrets are public), may fetch over http from this machine, and says
    /// DEMO in its popup and options. Without it, a release (`release.rs`).
    pub demo: bool,
    /// A release of Genuine's own build: the publisher's public key file for
    /// the shared default registry (the demo uses `keys/default.pub`).
    pub publisher_key: Option<PathBuf>,
    /// A release: a signed registry to bundle, verified with `publisher_key`
    /// (none: the extension downloads it at first start).
    pub bundle: Option<PathBuf>,
    /// The repository, searched for secret key files a release must not pin.
    pub repo: PathBuf,
}

/// Why the packages could not be made. Nothing was written to `--out`.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// A file the build needs is not in the source tree (e.g. before `make wasm`).
    #[error("{0} is missing; run `make wasm registry` first")]
    MissingSource(PathBuf),
    /// The source tree holds something malformed (manifest, message file, profiles).
    #[error("{path}: {why}")]
    Source { path: PathBuf, why: String },
    /// The shared default registry does not verify with its pinned key.
    #[error(
        "the default registry (registry/default.signed) does not verify with keys/default.pub: {0}"
    )]
    DefaultRegistry(registry::RegistryError),
    /// `--out` holds files that are not a pack output; it is not ours to replace.
    #[error("{0} holds {1}, which genuine pack did not write; choose an empty or new folder")]
    ForeignOutput(PathBuf, String),
    /// A release build would pin a public secret, fetch over plain http, or
    /// lacks its publisher key; the message says what to set.
    #[error("not a release build: {0}")]
    Release(String),
    /// A package could not be zipped (a file past what zip64 holds, or the
    /// deflater failed); nothing was written to `--out`.
    #[error("{path}: could not zip the package: {source}")]
    Zip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
    /// Reading or writing files failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PackError + '_ {
    move |source| PackError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A registry a build pins, ready to be written into the package.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Cache key in the extension, and the name of its key and bundled files.
    pub id: &'static str,
    pub name: String,
    pub url: String,
    pub key: PublicKey,
    pub bundled: Option<Vec<u8>>,
    /// The build's shared default registry (managed policy may turn it off).
    pub shared: bool,
}

/// Everything that differs between Genuine's build and a brand's.
#[derive(Debug, Clone)]
pub(crate) struct Build {
    pub slug: String,
    /// `None` keeps the message files' own name (Genuine).
    pub name: Option<(String, String)>,
    pub default_language: Option<String>,
    pub accent: Color,
    pub icon: Option<Vec<u8>>,
    pub sources: Vec<Source>,
    pub inbox: String,
    pub firefox_id: Option<String>,
    /// A demo build (`PackOptions::demo`).
    pub demo: bool,
}

/// What a run wrote, for the CLI to print.
#[derive(Debug)]
pub struct Packed {
    /// The folders and zips, one of each per browser.
    pub outputs: Vec<PathBuf>,
    /// Fingerprints of the pinned registries' keys, in config order.
    pub fingerprints: Vec<(String, String)>,
}

/// The shared default registry: the source tree's demo key and registry
/// (`make registry` puts them there) in a demo build; in a release, the
/// publisher's key and, if given, the registry to bundle.
fn default_source(opts: &PackOptions) -> Result<Source, PackError> {
    let (key_path, reg_path) = if opts.demo {
        let k = opts.source.join("keys/default.pub");
        let r = opts.source.join("registry/default.signed");
        for p in [&k, &r] {
            if !p.is_file() {
                return Err(PackError::MissingSource(p.clone()));
            }
        }
        (k, Some(r))
    } else {
        let k = release::publisher_key(opts.publisher_key.as_deref())?;
        (k.to_path_buf(), opts.bundle.clone())
    };
    let text = std::fs::read_to_string(&key_path).map_err(io(&key_path))?;
    let key = PublicKey::parse(&text).map_err(|e| PackError::Source {
        path: key_path.clone(),
        why: e.to_string(),
    })?;
    let (name, bundled) = match reg_path {
        Some(p) => {
            let bytes = std::fs::read(&p).map_err(io(&p))?;
            let reg =
                registry::load(&bytes, Trust::Key(&key)).map_err(PackError::DefaultRegistry)?;
            (reg.publisher, Some(bytes))
        }
        None => ("Genuine".to_string(), None),
    };
    Ok(Source {
        id: "default",
        name,
        url: opts.default_registry_url.clone(),
        key,
        bundled,
        shared: true,
    })
}

impl Build {
    fn genuine(opts: &PackOptions) -> Result<Build, PackError> {
        Ok(Build {
            slug: "genuine".into(),
            name: None,
            default_language: None,
            accent: GENUINE_GREEN,
            icon: None,
            sources: vec![default_source(opts)?],
            inbox: opts.default_inbox.clone(),
            firefox_id: None,
            demo: opts.demo,
        })
    }

    fn branded(brand: &Brand, opts: &PackOptions) -> Result<Build, PackError> {
        let mut sources = vec![Source {
            id: "brand",
            name: brand.name.clone(),
            url: brand.registry.url.clone(),
            key: brand.registry.key,
            bundled: brand.registry.bundled.clone(),
            shared: false,
        }];
        if brand.keep_default_registry {
            sources.push(default_source(opts)?);
        }
        Ok(Build {
            slug: brand.slug.clone(),
            name: Some((brand.name.clone(), brand.short_name.clone())),
            default_language: Some(brand.default_language.clone()),
            accent: brand.accent,
            icon: brand.icon.clone(),
            sources,
            inbox: brand.report_endpoint.clone(),
            firefox_id: Some(brand.firefox_id.clone()),
            demo: opts.demo,
        })
    }
}

/// Makes the packages for Genuine (`brand: None`) or for a brand.
pub fn pack(opts: &PackOptions, brand: Option<&Brand>) -> Result<Packed, PackError> {
    for need in ["manifest.json", "pkg/genuine_bg.wasm", "pkg/genuine.js"] {
        let p = opts.source.join(need);
        if !p.is_file() {
            return Err(PackError::MissingSource(p));
        }
    }
    let build = match brand {
        Some(b) => Build::branded(b, opts)?,
        None => Build::genuine(opts)?,
    };
    if !opts.demo {
        release::check(&build, &opts.repo)?;
    }
    check_out(&opts.out)?;
    let stage = sibling(&opts.out, "partial")?;
    let result = write_all(opts, &build, &stage);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&stage);
        return Err(e);
    }
    swap_into_place(&stage, &opts.out)?;
    let mut outputs = Vec::new();
    for b in BROWSERS {
        outputs.push(opts.out.join(b.name()));
        outputs.push(opts.out.join(zip_name(&build.slug, b)));
    }
    Ok(Packed {
        outputs,
        fingerprints: build
            .sources
            .iter()
            .map(|s| (s.url.clone(), s.key.fingerprint()))
            .collect(),
    })
}

fn zip_name(slug: &str, b: Browser) -> String {
    format!("{slug}-{}.zip", b.name())
}

fn write_all(opts: &PackOptions, build: &Build, stage: &Path) -> Result<(), PackError> {
    let matches = tree::Matches::new(&opts.profiles, &build.sources)?;
    for b in BROWSERS {
        let dir = stage.join(b.name());
        let files = tree::files(&opts.source, build, b, &matches)?;
        for (name, bytes) in &files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::write(&path, bytes).map_err(io(&path))?;
        }
        let zip_path = stage.join(zip_name(&build.slug, b));
        let bytes = zip_package(files).map_err(|e| PackError::Zip {
            path: zip_path.clone(),
            source: e,
        })?;
        std::fs::write(&zip_path, bytes).map_err(io(&zip_path))?;
    }
    Ok(())
}

/// `files` (names inside with `/` separators) as one zip, deflated. Entries
/// are sorted and all stamped 1980-01-01 00:00 (the zip crate's default
/// time), so the same inputs give the same bytes; zip64 only where a file
/// needs it.
fn zip_package(mut files: Vec<(String, Vec<u8>)>) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in &files {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9))
            .large_file(data.len() as u64 >= u64::from(u32::MAX));
        w.start_file(name.as_str(), options)?;
        w.write_all(data)?;
    }
    Ok(w.finish()?.into_inner())
}

/// `--out` may be missing, empty, or hold only what a pack writes (browser
/// folders and `*-chrome.zip` / `*-firefox.zip`): a typo must never wipe a folder.
fn check_out(out: &Path) -> Result<(), PackError> {
    if !out.exists() {
        return Ok(());
    }
    let entries = std::fs::read_dir(out).map_err(io(out))?;
    for entry in entries {
        let entry = entry.map_err(io(out))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = BROWSERS
            .iter()
            .any(|b| name == b.name() || name.ends_with(&format!("-{}.zip", b.name())));
        if !ours {
            return Err(PackError::ForeignOutput(out.to_path_buf(), name));
        }
    }
    Ok(())
}

/// A fresh folder next to `out` (same file system, so renames are atomic).
fn sibling(out: &Path, what: &str) -> Result<PathBuf, PackError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let base = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let path = parent.join(format!(".{base}.{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir(&path).map_err(io(&path))?;
    Ok(path)
}

/// Puts the finished packages in place: the old output is moved aside
/// first and removed only once the new one is there.
fn swap_into_place(stage: &Path, out: &Path) -> Result<(), PackError> {
    let old = if out.exists() {
        let old = sibling(out, "old")?;
        std::fs::remove_dir(&old).map_err(io(&old))?;
        std::fs::rename(out, &old).map_err(io(out))?;
        Some(old)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(stage, out) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, out);
        }
        let _ = std::fs::remove_dir_all(stage);
        return Err(io(out)(e));
    }
    if let Some(old) = old {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(())
}
