//! Command-line arguments, validated once, and the dispatch to each command.

mod check;
mod extract;
mod pack;
mod registry;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "genuine",
    version,
    about = "Is the store on this page a brand's real one?"
)]
pub struct Args {
    #[command(subcommand)]
    cmd: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build, sign, verify and compare registries.
    #[command(subcommand)]
    Registry(registry::RegistryCmd),
    /// Judge page signals (JSON lines on stdin) against a registry; one verdict line each.
    Check {
        /// A pinned registry (the root of trust); repeat for several, each
        /// followed by its --pubkey.
        #[arg(long, required = true)]
        registry: Vec<PathBuf>,
        /// The public key file of the --registry before it, in the same order.
        #[arg(long)]
        pubkey: Vec<PathBuf>,
        /// A registry a user added: it speaks only for brands no pinned
        /// registry lists, or that one delegates to its key. Repeatable.
        #[arg(long)]
        added: Vec<PathBuf>,
        /// The public key file of the --added before it, in the same order.
        #[arg(long)]
        added_pubkey: Vec<PathBuf>,
        /// Accept unsigned registries (local authoring and tests only).
        #[arg(long)]
        allow_unsigned: bool,
        /// Language of the reasons' texts: en, zh-CN, fr or de (others: English).
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Read a saved product page: print its signals as one JSON object (a
    /// line `genuine check` reads).
    Extract {
        /// The address the page was saved from; defaults to the page's canonical link.
        #[arg(long)]
        url: Option<String>,
        /// Print the collected snapshot instead of the signals (to debug a profile).
        #[arg(long)]
        snapshot: bool,
        /// The saved page (any encoding the page declares; only the first 8 MB are read).
        file: PathBuf,
    },
    /// Parse prices: JSON lines `{"text", "currency_hint"?, "decimal_separator"?}` on stdin;
    /// one line `{"amount", "currency"}` out per line in, with `"former": true` when the
    /// text's only price is a former or list one ("Was $59.99"), `"per_measure": true`
    /// when it is per kilo, litre or metre ("€12,99/kg").
    Price,
    /// Make the extension's packages: a folder and a zip per browser (Chrome,
    /// Firefox). With --brand, a brand's white-label build (docs/brands.md).
    Pack {
        /// The brand's settings; without it, Genuine's own build.
        #[arg(long)]
        brand: Option<PathBuf>,
        /// Output folder: new, empty, or an earlier pack output (replaced whole).
        #[arg(long)]
        out: PathBuf,
        /// The extension's source tree, with pkg/ from `make wasm`.
        #[arg(long, default_value = "extension")]
        source: PathBuf,
        /// Site profiles whose hosts the content script runs on.
        #[arg(long, default_value = "data/profiles.json")]
        profiles: PathBuf,
        /// Where the shared default registry is downloaded from (https; the
        /// demo's own server with --demo).
        #[arg(long, env = "GENUINE_REGISTRY_URL")]
        registry_url: Option<String>,
        /// Report endpoint of Genuine's own build (https; a brand's is in
        /// brand.toml; the demo's own server with --demo).
        #[arg(long, env = "GENUINE_INBOX_URL")]
        inbox: Option<String>,
        /// The demo build: pins the demo keys (whose secrets are in this
        /// repository) and local http addresses; marked DEMO. Never ship it.
        #[arg(long)]
        demo: bool,
        /// A release: the public key file of the default registry's publisher.
        #[arg(long, env = "GENUINE_PUBLISHER_KEY")]
        publisher_key: Option<PathBuf>,
        /// A release: a signed registry to bundle (verified with the publisher key).
        #[arg(long, env = "GENUINE_BUNDLED_REGISTRY")]
        bundle: Option<PathBuf>,
    },
    /// Print the brand link that offers a registry to people who run Genuine.
    Link {
        /// The site serving the link page (`genuine serve`'s www/add/), e.g. https://brand.example
        #[arg(long)]
        site: String,
        /// Where the signed registry is downloaded from.
        #[arg(long)]
        registry: String,
        /// The public key the registry is signed with.
        #[arg(long)]
        pubkey: PathBuf,
        /// The name the link shows (the publisher's name).
        #[arg(long)]
        name: String,
    },
    /// Serve www/ (the web checker, registry browser, demo shop pages) and the report inbox.
    Serve {
        /// Serve the demo: demo pages with a strict CSP, the demo registry.
        #[arg(long)]
        demo: bool,
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// 0 picks a free port (printed on start).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        #[arg(long, default_value = "www")]
        root: PathBuf,
        /// Where reports are kept: a SQLite file (created if missing), or a
        /// PostgreSQL database, postgres://user:password@host:port/dbname,
        /// for several instances sharing one inbox. An address holding a
        /// password is better given in GENUINE_DB (a command line shows in `ps`).
        #[arg(
            long,
            env = "GENUINE_DB",
            hide_env_values = true,
            default_value = "genuine.db"
        )]
        db: PathBuf,
        /// The inbox token (16+ characters); without one the inbox API is off.
        /// Prefer --token-file or GENUINE_INBOX_TOKEN: a command line is
        /// visible to every user of the machine (`ps`).
        #[arg(
            long,
            env = "GENUINE_INBOX_TOKEN",
            hide_env_values = true,
            conflicts_with = "token_file"
        )]
        token: Option<String>,
        /// A file holding the inbox token (its first line).
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// Reports accepted per minute from one client address (four times
        /// that from one /24 or /64 network); 0 for no limit.
        #[arg(long, default_value_t = 30)]
        rate_limit: u32,
        /// Seconds a report's body may take to arrive (then 408).
        #[arg(long, default_value_t = 20)]
        body_timeout_secs: u64,
        /// Seconds a request's headers may take to arrive, and a kept-alive
        /// connection may sit idle (then the connection is closed).
        #[arg(long, default_value_t = 10)]
        header_timeout_secs: u64,
        /// Connections open at once; more are closed as they arrive.
        #[arg(long, default_value_t = 1024)]
        max_connections: usize,
        /// Connections open at once from one client address.
        #[arg(long, default_value_t = 32)]
        max_connections_per_address: usize,
        /// Megabytes the reports may take in the database; a report that
        /// would pass it is refused (507) until space is made.
        #[arg(long, default_value_t = 2048)]
        max_storage_mb: u64,
        /// Days a report's screenshot is kept (the report stays); 0 keeps
        /// them for ever.
        #[arg(long, default_value_t = 90)]
        keep_days: u32,
    },
}

/// The first line of a token file, without its line end.
fn read_token(path: &std::path::Path) -> anyhow::Result<String> {
    use anyhow::Context;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the token file {}", path.display()))?;
    let token = text.lines().next().unwrap_or("").trim().to_string();
    if token.is_empty() {
        anyhow::bail!("the token file {} is empty", path.display());
    }
    Ok(token)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.cmd {
        Command::Registry(cmd) => registry::run(cmd),
        Command::Check {
            registry,
            pubkey,
            added,
            added_pubkey,
            allow_unsigned,
            lang,
        } => check::check(
            &check::Registries {
                pinned: &registry,
                pinned_keys: &pubkey,
                added: &added,
                added_keys: &added_pubkey,
                allow_unsigned,
            },
            genuine_core::verdict::Lang::from_tag(&lang),
        ),
        Command::Price => check::price(),
        Command::Extract {
            url,
            snapshot,
            file,
        } => extract::extract(&file, url.as_deref(), snapshot),
        Command::Pack {
            brand,
            out,
            source,
            profiles,
            registry_url,
            inbox,
            demo,
            publisher_key,
            bundle,
        } => pack::pack(pack::PackArgs {
            brand,
            out,
            source,
            profiles,
            registry_url,
            inbox,
            demo,
            publisher_key,
            bundle,
        }),
        Command::Link {
            site,
            registry,
            pubkey,
            name,
        } => pack::link(&site, &registry, &pubkey, &name),
        Command::Serve {
            demo,
            host,
            port,
            root,
            db,
            token,
            token_file,
            rate_limit,
            body_timeout_secs,
            header_timeout_secs,
            max_connections,
            max_connections_per_address,
            max_storage_mb,
            keep_days,
        } => {
            let token = match token_file {
                Some(path) => Some(read_token(&path)?),
                None => token,
            };
            let opts = genuine_core::serve::Options {
                addr: SocketAddr::new(host, port),
                root,
                demo,
                db: genuine_core::serve::Database::from_arg(db),
                token,
                rate_limit,
                body_timeout: std::time::Duration::from_secs(body_timeout_secs.max(1)),
                limits: genuine_core::serve::Limits {
                    header_timeout: std::time::Duration::from_secs(header_timeout_secs.max(1)),
                    max_connections: max_connections.max(1),
                    per_address: max_connections_per_address.max(1),
                },
                retention: genuine_core::serve::Retention {
                    max_bytes: max_storage_mb.saturating_mul(1 << 20),
                    keep_days,
                },
            };
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(genuine_core::serve::run(opts))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
