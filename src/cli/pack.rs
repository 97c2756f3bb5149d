//! `genuine pack` and `genuine link`: the extension's packages (Genuine's own
//! or a brand's) and the brand link that hands a registry to people who
//! already run Genuine. Both are thin: the library decides.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use genuine_core::brandlink::BrandLink;
use genuine_core::pack::{self, Brand, PackOptions};
use genuine_core::PublicKey;

pub struct PackArgs {
    pub brand: Option<PathBuf>,
    pub out: PathBuf,
    pub source: PathBuf,
    pub profiles: PathBuf,
    pub registry_url: String,
    pub inbox: String,
}

pub fn pack(args: PackArgs) -> anyhow::Result<ExitCode> {
    // brand.toml first: a bad file stops the run before anything is read or written.
    let brand = match &args.brand {
        Some(path) => Some(Brand::load(path).with_context(|| path.display().to_string())?),
        None => None,
    };
    let opts = PackOptions {
        source: args.source,
        profiles: args.profiles,
        out: args.out,
        default_registry_url: args.registry_url,
        default_inbox: args.inbox,
    };
    let packed = pack::pack(&opts, brand.as_ref())?;
    for p in &packed.outputs {
        println!("{}", p.display());
    }
    for (url, fp) in &packed.fingerprints {
        eprintln!("pinned {url} (key {fp})");
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the brand link for a registry, after checking every part the way
/// the extension will read it.
pub fn link(site: &str, registry: &str, pubkey: &Path, name: &str) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(pubkey)
        .with_context(|| format!("cannot read key {}", pubkey.display()))?;
    let key = PublicKey::parse(&text).with_context(|| pubkey.display().to_string())?;
    let offer = BrandLink {
        site: site.trim_end_matches('/').to_string(),
        registry: registry.to_string(),
        fingerprint: key.fingerprint(),
        name: name.to_string(),
    };
    let url = offer.to_url();
    let read = BrandLink::parse(&url)?;
    if read != offer {
        anyhow::bail!("the link would not say what you gave (name or address trimmed or changed)");
    }
    println!("{url}");
    Ok(ExitCode::SUCCESS)
}
