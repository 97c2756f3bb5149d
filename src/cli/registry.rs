//! `genuine registry …`: the publisher's workflow, keygen → import → sign → verify.
//! Every output is written to a temporary file and renamed into place, so a
//! failed run never leaves a half-written file behind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Subcommand;
use genuine_core::registry::{self, import, PublicKey, Registry, SecretKey, Trust};
use genuine_core::time::Timestamp;

#[derive(Subcommand)]
pub enum RegistryCmd {
    /// Make a new Ed25519 key pair for signing registries.
    Keygen {
        #[arg(long)]
        secret: PathBuf,
        #[arg(long)]
        public: PathBuf,
        /// Replace existing key files.
        #[arg(long)]
        force: bool,
    },
    /// Build a registry document from CSV files.
    Import {
        #[arg(long)]
        accounts: PathBuf,
        #[arg(long)]
        products: Option<PathBuf>,
        #[arg(long)]
        blocklist: Option<PathBuf>,
        /// CSV `brand,key,platforms`: let the registries signed by `key` (a
        /// fingerprint) speak for `brand` (on `platforms`, `|`-separated;
        /// all when empty) in clients that pin this registry.
        #[arg(long)]
        delegations: Option<PathBuf>,
        /// Site profile files (JSON); they replace built-in profiles of the same id.
        #[arg(long)]
        profiles: Vec<PathBuf>,
        /// JSON object {profile id: [extra host patterns]}.
        #[arg(long)]
        profile_hosts: Option<PathBuf>,
        #[arg(long, default_value = "Unnamed publisher")]
        publisher: String,
        /// Must grow with every release (default: now, in seconds since 1970).
        #[arg(long)]
        version: Option<u64>,
        /// Days until the data counts as stale.
        #[arg(long, default_value_t = 30)]
        valid_days: u32,
        #[arg(long)]
        report_endpoint: Option<String>,
        /// Mark the registry as demo data (fictional brands).
        #[arg(long)]
        demo: bool,
        #[arg(long)]
        out: PathBuf,
    },
    /// Compile and sign a registry document for browsers: the form the
    /// extension downloads and caches, ready without re-reading every name.
    /// Verify, stats and diff read it like the JSON; publish this file.
    Compile {
        #[arg(long)]
        key: PathBuf,
        /// The registry document (JSON, unsigned) from `import`.
        registry: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign a registry document with a secret key (the JSON as it is; see `compile`).
    Sign {
        #[arg(long)]
        key: PathBuf,
        registry: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Exit 0 only if the file is signed by this key and is a valid registry.
    Verify {
        #[arg(long)]
        pubkey: PathBuf,
        file: PathBuf,
    },
    /// Summarise a registry (signed or not).
    Stats { file: PathBuf },
    /// What changed between two registries.
    Diff { old: PathBuf, new: PathBuf },
    /// Make the signed update patch from one compiled registry to the next,
    /// for clients that hold the first: publish it beside the new file as
    /// `<file>.from-<old version>.patch`. Clients that find no patch for
    /// their version, or whose patched result does not verify, download
    /// the whole file.
    Patch {
        #[arg(long)]
        key: PathBuf,
        /// The file clients hold (signed, compiled).
        #[arg(long)]
        from: PathBuf,
        /// The new file (signed, compiled).
        #[arg(long)]
        to: PathBuf,
        /// Where to write it (default: beside `--to`, named as clients look for it).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub fn run(cmd: RegistryCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        RegistryCmd::Keygen {
            secret,
            public,
            force,
        } => {
            for p in [&secret, &public] {
                if p.exists() && !force {
                    bail!("{} exists; pass --force to replace it", p.display());
                }
            }
            let key =
                SecretKey::generate().map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
            write_atomic(&secret, key.to_file().as_bytes())?;
            write_atomic(&public, key.public().to_file().as_bytes())?;
            eprintln!("key fingerprint {}", key.public().fingerprint());
        }
        RegistryCmd::Import {
            accounts,
            products,
            blocklist,
            delegations,
            profiles,
            profile_hosts,
            publisher,
            version,
            valid_days,
            report_endpoint,
            demo,
            out,
        } => {
            let now = Timestamp::now();
            let spec = import::ImportSpec {
                accounts,
                products,
                blocklist,
                delegations,
                profiles,
                profile_hosts,
                publisher,
                version: version.unwrap_or(now.0.max(0) as u64),
                issued_at: now,
                valid_days,
                report_endpoint,
                demo,
            };
            let reg = import::import(&spec)?;
            let json = serde_json::to_vec_pretty(&reg)?;
            // Round-trip through the loader: never publish what clients would refuse.
            registry::parse(&json).context("the imported registry does not validate")?;
            write_atomic(&out, &json)?;
            eprintln!("{}", summary(&reg));
        }
        RegistryCmd::Compile {
            key,
            registry: input,
            out,
        } => {
            let (key, payload, reg) = unsigned_document(
                &key,
                &input,
                "is signed; compile the unsigned registry document",
            )?;
            let compiled = registry::compile(&reg);
            let signed = key.sign(&compiled);
            // Never publish what clients would refuse, nor what reads back differently.
            let back = registry::load(&signed, Trust::Key(&key.public()))
                .context("the compiled registry does not load")?;
            if back != reg {
                bail!(
                    "the compiled registry does not read back as {}",
                    input.display()
                );
            }
            write_atomic(&out, &signed)?;
            eprintln!(
                "compiled {} ({} bytes; the JSON was {}), signed with key {}",
                summary(&reg),
                signed.len(),
                payload.len(),
                key.public().fingerprint()
            );
        }
        RegistryCmd::Sign {
            key,
            registry: input,
            out,
        } => {
            let (key, payload, _) = unsigned_document(&key, &input, "is already signed")?;
            write_atomic(&out, &key.sign(&payload))?;
            eprintln!("signed with key {}", key.public().fingerprint());
        }
        RegistryCmd::Verify { pubkey, file } => {
            let key = PublicKey::parse(&read_text(&pubkey)?)
                .with_context(|| pubkey.display().to_string())?;
            let reg = registry::load(&read(&file)?, Trust::Key(&key))
                .with_context(|| file.display().to_string())?;
            println!("ok: signed by {} — {}", key.fingerprint(), summary(&reg));
        }
        RegistryCmd::Stats { file } => println!("{}", summary(&load_any(&file)?)),
        RegistryCmd::Diff { old, new } => diff(&load_any(&old)?, &load_any(&new)?),
        RegistryCmd::Patch { key, from, to, out } => {
            let key =
                SecretKey::parse(&read_text(&key)?).with_context(|| key.display().to_string())?;
            let (base, target) = (read(&from)?, read(&to)?);
            let old = registry::load(&base, Trust::Key(&key.public()))
                .with_context(|| from.display().to_string())?;
            let new = registry::load(&target, Trust::Key(&key.public()))
                .with_context(|| to.display().to_string())?;
            if new.version <= old.version {
                bail!(
                    "{} is version {}, not newer than {} (version {})",
                    to.display(),
                    new.version,
                    from.display(),
                    old.version
                );
            }
            let made = registry::patch::make(&base, &target, &key)?;
            let out = out.unwrap_or_else(|| {
                let name = to
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                to.with_file_name(format!("{name}.from-{}.patch", old.version))
            });
            write_atomic(&out, &made)?;
            eprintln!(
                "{}: {} bytes, from version {} to {} (the whole file is {} bytes)",
                out.display(),
                made.len(),
                old.version,
                new.version,
                target.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn load_any(path: &Path) -> anyhow::Result<Registry> {
    registry::load(&read(path)?, Trust::AllowUnsigned(None))
        .with_context(|| path.display().to_string())
}

fn summary(r: &Registry) -> String {
    let accounts: usize = r.brands.iter().map(|b| b.accounts.len()).sum();
    let products: usize = r.brands.iter().map(|b| b.products.len()).sum();
    format!(
        "{} v{} (issued {}, expires {}{}): {} brands, {} accounts, {} products, {} blocklisted, {} site profiles",
        r.publisher,
        r.version,
        r.issued_at,
        r.expires_at,
        if r.demo { ", DEMO" } else { "" },
        r.brands.len(),
        accounts,
        products,
        r.blocklist.len(),
        r.site_profiles.len()
    )
}

fn diff(old: &Registry, new: &Registry) {
    println!("version {} → {}", old.version, new.version);
    let accounts = |r: &Registry| -> BTreeSet<String> {
        r.brands
            .iter()
            .flat_map(|b| {
                b.accounts.iter().map(move |a| {
                    format!(
                        "{} {} {} [{}] {:?}",
                        b.name,
                        a.platform,
                        a.store_name,
                        a.store_id.as_deref().unwrap_or("-"),
                        a.kind
                    )
                })
            })
            .collect()
    };
    let blocked = |r: &Registry| -> BTreeSet<String> {
        r.blocklist
            .iter()
            .map(|b| {
                format!(
                    "{} {} [{}]",
                    b.platform,
                    b.store_name,
                    b.store_id.as_deref().unwrap_or("-")
                )
            })
            .collect()
    };
    for (what, a, b) in [
        ("account", accounts(old), accounts(new)),
        ("blocked", blocked(old), blocked(new)),
    ] {
        for x in b.difference(&a) {
            println!("+ {what} {x}");
        }
        for x in a.difference(&b) {
            println!("- {what} {x}");
        }
    }
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Writes next to the target, then renames: readers see the old file or the new one, never half.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().context("output path has no file name")?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// The secret key and the unsigned registry document `sign` and `compile`
/// start from: the document's bytes and what they parse to. A signed input is
/// refused (`signed` says why, after the file's name), since signing it again
/// would wrap one envelope in another.
fn unsigned_document(
    key: &Path,
    input: &Path,
    signed: &str,
) -> anyhow::Result<(SecretKey, Vec<u8>, Registry)> {
    let key = SecretKey::parse(&read_text(key)?).with_context(|| key.display().to_string())?;
    let payload = read(input)?;
    if registry::is_signed(&payload) {
        bail!("{} {signed}", input.display());
    }
    let reg = registry::parse(&payload).with_context(|| input.display().to_string())?;
    Ok((key, payload, reg))
}
