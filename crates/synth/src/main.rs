//! The `coverage-synth` command line: writes synthetic months (`write`) and scores a
//! run of `coverage` against their truth (`evaluate`).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use coverage::process::peak_memory_text;
use coverage::say;
use coverage_synth::evaluate::{evaluate, EvalOptions};
use coverage_synth::{synth, SynthOptions};

#[derive(Parser)]
#[command(
    name = "coverage-synth",
    version,
    about = "Synthetic months of exports with their truth, and how far a coverage run is from it"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a synthetic month of exports, its truth and the pipeline file that reads
    /// them.
    Write(SynthOptions),
    /// Compare a run's outputs with the truth of a synthetic month.
    Evaluate {
        #[command(flatten)]
        opts: EvalOptions,
        /// Print one JSON object instead of tables.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    // A usage error exits 2 (exit::USAGE) and --help / --version exit 0, as clap does.
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Write(opts) => synth_command(opts),
        Command::Evaluate { opts, json } => evaluate_command(opts, json),
    };
    coverage::process::finish("coverage-synth", result)
}

fn synth_command(opts: SynthOptions) -> coverage::Result<()> {
    let started = std::time::Instant::now();
    let summary = synth(&opts)?;
    for (path, rows) in &summary.files {
        say!("  {:<60} {rows:>8} rows", path.display());
    }
    say!("pipeline file: {}", summary.pipeline.display());
    if opts.months > 1 {
        say!(
            "truth: {}",
            opts.out.join("<period>").join("truth").display()
        );
    } else {
        say!("truth: {}", opts.out.join("truth").display());
    }
    say!(
        "{} units, {} members in {:.1} s, peak memory {}",
        opts.units,
        summary.members,
        started.elapsed().as_secs_f64(),
        peak_memory_text()
    );
    Ok(())
}

/// What `evaluate` says of a month of `write --months`: its changes since the month
/// before, the districts' returned workbooks and the 销号 ledger.
fn print_months(e: &coverage_synth::evaluate::Evaluation) {
    if let Some(c) = &e.changes {
        say!("since {}:", c.previous_period);
        say!(
            "  unit_changes: {} district × sector × change cells, {} differ from truth (largest {}{})",
            c.unit_changes.cells,
            c.unit_changes.cells_differing,
            c.unit_changes.max_abs_diff,
            worst(&c.unit_changes)
        );
        say!(
            "  district_changes: {} figures, largest difference from the true change {:.4} {}",
            c.district_figures,
            c.district_max_abs_diff,
            c.district_worst
        );
        say!(
            "  unit ids: {} true units in both months, {} with a different unit_id",
            c.units_in_both,
            c.unit_id_changed
        );
        for (unit, old, new) in &c.unit_id_exceptions {
            say!("    {unit}: {old} → {new}");
        }
    }
    if let Some(f) = &e.feedback {
        say!(
            "returned workbooks: {}/{} rows applied, {}/{} bad rows rejected as expected ({} in the manifest), {} other rejects",
            f.rows_applied_found, f.rows_applied, f.rows_bad_rejected, f.rows_bad, f.manifest_rejected, f.rejects_unexpected
        );
        say!(
            "  reviewed texts: {} members, {} linked, {} to their unit; corrections shown {}/{}; plans {}/{}",
            f.reviewed_members, f.reviewed_linked, f.reviewed_correct, f.corrections_shown, f.corrections, f.plans_shown, f.plans
        );
        say!(
            "  reviewed joint-list names: {} decided; {} rows covered by them, {} on the unit decided",
            f.joint_names, f.joint_rows, f.joint_rows_right
        );
        for x in &f.exceptions {
            say!("    {x}");
        }
    }
    if let Some(l) = &e.ledger {
        say!(
            "list_items_by_district: {} district × list × count cells, {} differ from truth (largest {}{})",
            l.cells,
            l.cells_differing,
            l.max_abs_diff,
            worst(l)
        );
    }
}

fn worst(c: &coverage_synth::evaluate_months::CellScores) -> String {
    if c.worst.is_empty() {
        String::new()
    } else {
        format!(": {}", c.worst)
    }
}

fn evaluate_command(opts: EvalOptions, json: bool) -> coverage::Result<()> {
    let e = evaluate(&opts)?;
    if json {
        say!(
            "{}",
            serde_json::to_string_pretty(&e).expect("serializable")
        );
        return Ok(());
    }
    let u = &e.units;
    say!(
        "unit deduplication, pairwise over {} registry rows: precision {:.4}  recall {:.4}  F1 {:.4}",
        u.records, u.precision, u.recall, u.f1
    );
    say!(
        "  pairs: true {}, predicted {}, correct {}; rows lost (rejected but real) {}, broken rows accepted {}",
        u.true_pairs, u.predicted_pairs, u.correct_pairs, u.records_lost, u.broken_accepted
    );
    say!(
        "  units named otherwise than truth (a former name): {}",
        u.named_otherwise
    );
    let (m, f1) = (&e.members.all, e.members.f1);
    say!(
        "member links, {} members ({} with a registry employer): precision {:.4}  recall {:.4}  F1 {:.4}",
        m.members, m.with_true_unit, m.precision, m.recall, f1
    );
    say!("  linked {}, correct {}", m.linked, m.correct);
    say!(
        "  {:<24} {:>9} {:>9} {:>9} {:>10} {:>8}",
        "by rule",
        "members",
        "linked",
        "correct",
        "precision",
        "recall"
    );
    for r in &e.members.by_rule {
        say!(
            "  {:<24} {:>9} {:>9} {:>9} {:>10.4} {:>8.4}",
            r.rule,
            r.counts.members,
            r.counts.linked,
            r.counts.correct,
            r.counts.precision,
            r.counts.recall
        );
    }
    say!("largest difference from truth, by district and sector (absolute, and relative to the true value), and by whole district:");
    for d in &e.metrics {
        let value = if d.metric.ends_with("rate") {
            format!("{:.4}", d.max_abs_diff)
        } else {
            format!("{:.0}", d.max_abs_diff)
        };
        let district = d.district_rel_diff.map_or("-".to_string(), |r| {
            format!("{:.2}% {}", 100.0 * r, d.district_rel_at)
        });
        say!(
            "  {:<22} {:<24} {:>8}  {:<20} {:>7.2}%  {:<20} {district}",
            d.table,
            d.metric,
            value,
            d.at,
            100.0 * d.max_rel_diff,
            d.rel_at
        );
    }
    print_months(&e);
    Ok(())
}
