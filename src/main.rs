//! `genuine`: the brand's tools. Build, sign, verify and publish registries,
//! check pages, and serve the site and report inbox.
//!
//! This binary only parses arguments and moves bytes between files and the
//! library; every decision is made in `genuine_core`. Errors end here, in
//! one place, as a message on stderr and a non-zero exit code.

// The CLI is native; a wasm build of the package (`cargo test --target
// wasm32-unknown-unknown`, which builds every binary) gets an empty one.
#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;

    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("genuine: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
