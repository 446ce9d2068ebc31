//! The `coverage` command line: parses arguments, calls the library, renders errors
//! for people and maps them to the exit codes documented in README.md.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use coverage::appraise::{appraise, AppraiseOptions};
use coverage::error::exit;
use coverage::evaluate::{evaluate, EvalOptions};
use coverage::process::peak_memory_mib;
use coverage::run::{district_summary, run, RunOptions};
use coverage::synth::{synth, Layout, Messiness, SynthOptions};

#[derive(Parser)]
#[command(
    name = "coverage",
    version,
    about = "两个覆盖 statistics: party organization and party work coverage of non-public enterprises and social organizations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one period: exports in, Parquet + coverage.duckdb + manifest out.
    Run {
        /// Pipeline file describing the exports (pipelines/<name>.toml).
        #[arg(long)]
        pipeline: PathBuf,
        /// Period of the run, YYYY-MM; or a backfill, YYYY-MM..YYYY-MM, run month by
        /// month in order into the same output folder.
        #[arg(long, value_parser = periods)]
        period: Periods,
        /// Output folder (holds coverage.duckdb, parquet/ and runs/).
        #[arg(long)]
        out: PathBuf,
    },
    /// Read and validate every input of a period; print what would be accepted and
    /// rejected. Writes nothing.
    Check {
        #[arg(long)]
        pipeline: PathBuf,
        #[arg(long, value_parser = period)]
        period: String,
    },
    /// Write a synthetic month of exports and the pipeline file that reads them.
    Synth {
        /// Folder for the exports.
        #[arg(long)]
        out: PathBuf,
        /// Number of units to draw (at most coverage::synth::MAX_UNITS).
        #[arg(long, default_value_t = 400, value_parser = unit_count)]
        units: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Period the exports are for, YYYY-MM.
        #[arg(long, value_parser = period)]
        period: String,
        /// How messy the exports are.
        #[arg(long, value_enum, default_value_t = Messiness::Default)]
        messiness: Messiness,
        /// Where to write the pipeline file (default: OUT/pipeline.toml).
        #[arg(long)]
        pipeline: Option<PathBuf>,
        /// Export layout: `standard` (district exports, fixed names) or `samr`
        /// (市场监管 monthly files named by YYYYMM, an old-system history file, a
        /// two-sheet 民政 workbook, E-coded law firms, members naming their organization).
        #[arg(long, value_enum, default_value_t = Layout::Standard)]
        layout: Layout,
        /// Consecutive months of one world, from --period on: each month in
        /// OUT/<period>/ with its truth and the truth of its changes; one pipeline file.
        #[arg(long, default_value_t = 1)]
        months: usize,
    },
    /// Year-end appraisal (述职评议考核): the year's targets per district from the months
    /// in an output folder, into coverage.duckdb and reports/appraisal/.
    Appraise {
        /// The year, e.g. 2026.
        #[arg(long)]
        year: i32,
        /// Output folder of the monthly runs.
        #[arg(long)]
        out: PathBuf,
        /// Pipeline file whose [appraisal] targets and [rules] head counts apply (the
        /// notice's figures when not given).
        #[arg(long)]
        pipeline: Option<PathBuf>,
    },
    /// Compare a run's outputs with the truth of a synthetic month.
    Evaluate {
        /// Folder written by `coverage synth` (holds truth/).
        #[arg(long)]
        truth: PathBuf,
        /// Output folder of `coverage run` (holds coverage.duckdb).
        #[arg(long)]
        run: PathBuf,
        #[arg(long, value_parser = period)]
        period: String,
        /// Print one JSON object instead of tables.
        #[arg(long)]
        json: bool,
    },
}

/// Prints a line to stdout; a closed pipe (e.g. `coverage … | head`) ends the program
/// quietly instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(exit::OK);
            }
        }
    }};
}

fn period(s: &str) -> Result<String, String> {
    coverage::config::check_period(s).map(|()| s.to_string())
}

fn unit_count(s: &str) -> Result<usize, String> {
    coverage::synth::check_unit_count(s)
}

/// The months of `--period`: one, or a backfill range.
#[derive(Clone)]
struct Periods(Vec<String>);

fn periods(s: &str) -> Result<Periods, String> {
    coverage::config::period_range(s).map(Periods)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE as u8 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Run {
            pipeline,
            period,
            out,
        } => period.0.into_iter().try_for_each(|period| {
            run_command(RunOptions {
                pipeline: pipeline.clone(),
                period,
                out: out.clone(),
            })
        }),
        Command::Check { pipeline, period } => check_command(&pipeline, &period),
        Command::Appraise {
            year,
            out,
            pipeline,
        } => appraise_command(AppraiseOptions {
            year,
            out,
            pipeline,
        }),
        Command::Synth {
            out,
            units,
            seed,
            period,
            messiness,
            pipeline,
            layout,
            months,
        } => synth_command(SynthOptions {
            out,
            units,
            seed,
            period,
            messiness,
            pipeline,
            layout,
            months,
        }),
        Command::Evaluate {
            truth,
            run,
            period,
            json,
        } => evaluate_command(EvalOptions { truth, run, period }, json),
    };
    match result {
        Ok(()) => ExitCode::from(exit::OK as u8),
        Err(e) => {
            eprintln!("coverage: error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run_command(opts: RunOptions) -> coverage::Result<()> {
    let m = run(&opts)?;
    say!(
        "coverage {} — period {} — pipeline {}",
        m.version,
        m.period,
        m.pipeline.name
    );
    say!("inputs:");
    for f in &m.inputs {
        say!(
            "  {:<60} read {:>7}  accepted {:>7}  rejected {:>5}  ({})",
            f.path,
            f.rows_read,
            f.rows_accepted,
            f.rows_rejected,
            f.format
        );
    }
    say!(
        "rows: read {}, accepted {}, rejected {}",
        m.rows_read,
        m.rows_accepted,
        m.rows_rejected
    );
    for (reason, n) in &m.reject_reasons {
        say!("  rejected {n:>5} × {reason}");
    }
    say!("outputs:");
    for (table, n) in &m.outputs {
        say!("  {table:<22} {n:>8} rows");
    }
    say!("coverage_by_district:");
    say!(
        "  {:<10} {:<8} {:>6} {:>7} {:>6} {:>6} {:>7} {:>7} {:>7}  district",
        "sector",
        "code",
        "scope",
        "org",
        "single",
        "work",
        "org%",
        "single%",
        "work%"
    );
    for r in district_summary(&opts.out, &m.period)? {
        say!(
            "  {:<10} {:<8} {:>6} {:>7} {:>6} {:>6} {:>7} {:>7} {:>7}  {}",
            r[0],
            r[1],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            r[2]
        );
    }
    let stages: Vec<String> = m
        .stage_seconds
        .iter()
        .map(|(s, t)| format!("{s} {t:.2} s"))
        .collect();
    say!("stages: {}; peak memory {}", stages.join(", "), memory());
    say!("written to {}", opts.out.display());
    Ok(())
}

fn appraise_command(opts: AppraiseOptions) -> coverage::Result<()> {
    let a = appraise(&opts)?;
    say!(
        "appraisal {}: year-end period {}, first period {}, previous year-end {}",
        opts.year,
        a.year_end_period,
        a.first_period,
        a.previous_year_end_period.as_deref().unwrap_or("none")
    );
    if !a.missing_months.is_empty() {
        say!(
            "months of {} with no run in {}: {}",
            opts.year,
            opts.out.display(),
            a.missing_months.join(", ")
        );
    }
    say!(
        "appraisal_scorecard: {} rows; workbook {}",
        a.rows,
        a.workbook.display()
    );
    Ok(())
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
        memory()
    );
    Ok(())
}

fn check_command(pipeline: &std::path::Path, period: &str) -> coverage::Result<()> {
    let files = coverage::check::check(pipeline, period)?;
    let (mut read, mut rejected) = (0, 0);
    for f in &files {
        let i = &f.file;
        say!(
            "{}\n  {} ({}): read {}, accepted {}, rejected {}",
            i.path,
            i.source,
            i.format,
            i.rows_read,
            i.rows_accepted,
            i.rows_rejected
        );
        for (reason, n) in f.reasons.iter().take(5) {
            say!("    {n:>6} × {reason}");
        }
        if !i.unknown_columns.is_empty() {
            say!("  columns not used: {}", i.unknown_columns.join(", "));
        }
        read += i.rows_read;
        rejected += i.rows_rejected;
    }
    say!(
        "{} files, {read} rows read, {rejected} rejected; nothing written",
        files.len()
    );
    Ok(())
}

fn memory() -> String {
    peak_memory_mib().map_or("unknown".into(), |m| format!("{m:.0} MiB"))
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
    let m = &e.members;
    say!(
        "member links, {} members ({} with a registry employer): precision {:.4}  recall {:.4}  F1 {:.4}",
        m.members, m.with_true_unit, m.precision, m.recall, m.f1
    );
    say!("  linked {}, correct {}", m.linked, m.correct);
    say!("largest difference from truth, by district:");
    for d in &e.metrics {
        let value = if d.metric.ends_with("rate") {
            format!("{:.4}", d.max_abs_diff)
        } else {
            format!("{:.0}", d.max_abs_diff)
        };
        say!("  {:<22} {:<22} {:>8}  {}", d.table, d.metric, value, d.at);
    }
    if let Some(c) = &e.changes {
        say!("since {}:", c.previous_period);
        say!(
            "  unit_changes: {} district × sector × change cells, {} differ from truth (largest {}{})",
            c.change_cells,
            c.change_cells_differing,
            c.change_max_abs_diff,
            if c.change_worst.is_empty() { String::new() } else { format!(": {}", c.change_worst) }
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
    Ok(())
}
