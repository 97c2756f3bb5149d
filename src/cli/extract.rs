//! `genuine extract`: a saved page in, one JSON object of signals out.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use genuine_core::page::{builtin_profiles, html};

pub fn extract(file: &Path, url: Option<&str>, snapshot: bool) -> anyhow::Result<ExitCode> {
    let bytes =
        std::fs::read(file).with_context(|| format!("cannot read page {}", file.display()))?;
    let page = html::extract(&bytes, url, &builtin_profiles())
        .with_context(|| file.display().to_string())?;
    if page.truncated {
        eprintln!(
            "genuine: {}: only the first {} bytes were read",
            file.display(),
            html::MAX_HTML_BYTES
        );
    }
    let json = if snapshot {
        serde_json::to_string(&page.snapshot)?
    } else {
        serde_json::to_string(&page.signals)?
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{json}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
