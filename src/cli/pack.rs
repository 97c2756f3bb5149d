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
    pub registry_url: Option<String>,
    pub inbox: Option<String>,
    pub demo: bool,
    pub publisher_key: Option<PathBuf>,
    pub bundle: Option<PathBuf>,
}

/// Where the demo build fetches its registry and sends reports: `make demo`'s server.
const DEMO_REGISTRY_URL: &str = "http://127.0.0.1:8080/registry/demo.signed";
const DEMO_INBOX: &str = "http://127.0.0.1:8080/api/reports";

pub fn pack(args: PackArgs) -> anyhow::Result<ExitCode> {
    // brand.toml first: a bad file stops the run before anything is read or written.
    let brand = match &args.brand {
        Some(path) => Some(Brand::load(path).with_context(|| path.display().to_string())?),
        None => None,
    };
    let demo_default = |v: Option<String>, demo: &str, what: &str| match v {
        Some(v) => Ok(v),
        None if args.demo => Ok(demo.to_string()),
        // A brand build takes its own registry and inbox from brand.toml.
        None if args.brand.is_some() => Ok(String::new()),
        None => {
            anyhow::bail!("not a release build: {what} is not set (or build the demo with --demo)")
        }
    };
    let default_registry_url = demo_default(
        args.registry_url,
        DEMO_REGISTRY_URL,
        "the registry's https:// address (GENUINE_REGISTRY_URL or --registry-url)",
    )?;
    let default_inbox = demo_default(
        args.inbox,
        DEMO_INBOX,
        "the report inbox's https:// address (GENUINE_INBOX_URL or --inbox)",
    )?;
    let opts = PackOptions {
        repo: std::env::current_dir()?,
        source: args.source,
        profiles: args.profiles,
        out: args.out,
        default_registry_url,
        default_inbox,
        demo: args.demo,
        publisher_key: args.publisher_key,
        bundle: args.bundle,
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
