//! `genuine`: the brand's tools. Build, sign, verify and publish registries,
//! check pages, and serve the site and report inbox.
//!
//! This binary only parses arguments and moves bytes between files and the
//! library; every decision is made in `genuine_core`. Errors end here, in
//! one place, as a message on stderr and a non-zero exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("genuine: {e:#}");
            ExitCode::from(2)
        }
    }
}
