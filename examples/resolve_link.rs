//! Benchmark of resolve + link (release build; prints figures, asserts nothing):
//!
//!     cargo run --release --example resolve_link -- PIPELINE PERIOD
//!
//! Extracts the period's exports, then times deduplication and linking and prints the
//! process's peak memory. `bash bench/synth_and_run.sh` runs it on a synthetic month.

use std::path::PathBuf;
use std::time::Instant;

use coverage::config::Pipeline;
use coverage::extract::{self, pseudonym::PseudonymKey};
use coverage::process::peak_memory_mib;
use coverage::{link, resolve};

fn main() -> coverage::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(pipeline), Some(period)) = (args.next(), args.next()) else {
        eprintln!("usage: resolve_link PIPELINE PERIOD");
        std::process::exit(2);
    };
    let p = Pipeline::load(&PathBuf::from(pipeline))?;
    let key = PseudonymKey::from_pipeline(&p)?;
    let t = Instant::now();
    let mut staged = extract::extract(&p, &period, &key)?;
    let extract_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let records = staged.units.len();
    let resolved = resolve::resolve(std::mem::take(&mut staged.units), &p.matching);
    let resolve_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let linked = link::link(
        &mut staged,
        &resolved,
        &p.matching,
        &coverage::feedback::Feedback::default(),
    );
    let link_s = t.elapsed().as_secs_f64();
    let placed = linked.members.iter().filter(|m| m.unit().is_some()).count();
    println!(
        "records {}, units {}, members {} ({} placed)",
        records,
        resolved.units.len(),
        staged.members.len(),
        placed
    );
    println!(
        "extract {extract_s:.1} s; resolve {resolve_s:.1} s + link {link_s:.1} s = {:.1} s; peak memory {:.0} MiB",
        resolve_s + link_s,
        peak_memory_mib().unwrap_or(f64::NAN)
    );
    Ok(())
}
