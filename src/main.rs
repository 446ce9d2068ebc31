//! The `coverage` command line: parses arguments, calls the library, renders errors
//! for people and maps them to the exit codes documented in README.md.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use coverage::appraise::{appraise, AppraiseOptions};
use coverage::process::peak_memory_text;
use coverage::run::{district_summary, run, RunOptions};
use coverage::say;

/// The roll-up's engine as the command line names it (`--engine duckdb|spark`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum EngineArg {
    Duckdb,
    Spark,
}

#[derive(Parser)]
#[command(
    name = "coverage",
    version,
    about = "两个覆盖 statistics: party organization and party work coverage of non-public enterprises and social organizations",
    after_help = "Exit codes: 0 success; 1 internal error (a bug); 2 command-line error; 3 pipeline file or key problem; \
4 bad input file; 5 outputs could not be read or written (coverage.duckdb open in another program: see --wait); \
6 another run is using the output folder; 7 the month's estimated memory is above --memory-limit.\n\n\
COVERAGE_PSEUDONYM_KEY: the key member ID numbers are pseudonymized with (at least 16 characters; \
or privacy.key_file in the pipeline file). Keep it outside the repository and the outputs, the same every month."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print nothing but errors: no summary, no progress.
    #[arg(long, global = true)]
    quiet: bool,
    /// Wait up to SECONDS for another program (the duckdb CLI, DBeaver, a notebook) to
    /// close coverage.duckdb instead of stopping with exit 5 (default 0: do not wait).
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        default_value_t = 0,
        hide_default_value = true
    )]
    wait: u64,
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
        /// Threads for the parallel stages and for DuckDB (default: one per core).
        #[arg(long, default_value_t = 0, hide_default_value = true)]
        threads: usize,
        /// Memory the run may use, e.g. 16GB (default: 75% of this machine's memory).
        #[arg(long, value_parser = coverage::process::parse_size)]
        memory_limit: Option<u64>,
        /// Print the run's summary as JSON (manifest, coverage_by_district, report
        /// paths) instead of text, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Roll the published figures of many deployments (each one's `run` output folder)
    /// up to district, city, province and national level: coverage_by_region and
    /// social_org_target_by_region into OUT (Parquet + coverage.duckdb + manifest).
    Rollup {
        /// A deployment's output folder; give one --input per deployment.
        #[arg(long = "input", required = true)]
        inputs: Vec<PathBuf>,
        /// Period to roll up, YYYY-MM (every --input must have published it).
        #[arg(long, value_parser = period)]
        period: String,
        /// Folder of the roll-up's outputs.
        #[arg(long)]
        out: PathBuf,
        /// Where a unit is in scope in two deployments, the --input folder whose count
        /// stands (the others drop it); without it such units stop the roll-up.
        #[arg(long)]
        allow_overlap: Option<PathBuf>,
        /// CSV of code,name naming regions (cities, provinces) in your own words.
        #[arg(long)]
        regions: Option<PathBuf>,
        /// duckdb (in this process, the default) or spark (spark-submit; see README).
        #[arg(long, value_enum, default_value_t = EngineArg::Duckdb)]
        engine: EngineArg,
        /// Where Spark runs: local[N] (this machine, N cores), spark://HOST:7077, yarn.
        #[arg(long, default_value = "local[2]")]
        spark_master: String,
    },
    /// Draw a period's HTML dashboard again from an output folder (run writes it too):
    /// reports/<period>/两个覆盖报告_<period>.html, one file that works offline. The
    /// workbooks are the run's (rerun the period to write them again).
    #[command(alias = "report")]
    Dashboard {
        /// Period whose dashboard to draw, YYYY-MM.
        #[arg(long, value_parser = period)]
        period: String,
        /// Output folder of the runs.
        #[arg(long)]
        out: PathBuf,
    },
    /// Read and validate every input of a period; print what would be accepted and
    /// rejected. Writes nothing.
    Check {
        /// Pipeline file describing the exports (pipelines/<name>.toml).
        #[arg(long)]
        pipeline: PathBuf,
        /// Period to check, YYYY-MM.
        #[arg(long, value_parser = period)]
        period: String,
    },
    /// Draft a pipeline file from a month's exports: every file under the folder read,
    /// its kind, header row and columns found, value maps drafted from the values, the
    /// districts read from the data; then prints what is left to decide.
    Init {
        /// The folder of one month's exports (every CSV and workbook under it).
        #[arg(long)]
        exports: PathBuf,
        /// The pipeline file to write, e.g. pipelines/<city>.toml.
        #[arg(long)]
        out: PathBuf,
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
    /// Print a completion script for a shell, e.g.
    /// `coverage completions bash > ~/.local/share/bash-completion/completions/coverage`.
    Completions {
        /// The shell the script is for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

fn period(s: &str) -> Result<String, String> {
    coverage::config::check_period(s).map(|()| s.to_string())
}

/// The months of `--period`: one, or a backfill range.
#[derive(Clone)]
struct Periods(Vec<String>);

fn periods(s: &str) -> Result<Periods, String> {
    coverage::config::period_range(s).map(Periods)
}

fn main() -> ExitCode {
    // A usage error exits 2 (exit::USAGE) and --help / --version exit 0, as clap does.
    let cli = Cli::parse();
    coverage::process::set_quiet(cli.quiet);
    coverage::database::set_lock_wait(cli.wait);
    let result = match cli.command {
        Command::Run {
            pipeline,
            period,
            out,
            threads,
            memory_limit,
            json,
        } => {
            // Progress is for a person at a terminal, never for logs, pipes or --json.
            let watched = std::io::stderr().is_terminal() && !cli.quiet && !json;
            coverage::progress::enable(watched);
            period.0.into_iter().try_for_each(|period| {
                let opts = RunOptions {
                    pipeline: pipeline.clone(),
                    period,
                    out: out.clone(),
                    threads,
                    memory_limit,
                };
                if json {
                    json_command(opts)
                } else {
                    run_command(opts)
                }
            })
        }
        Command::Rollup {
            inputs,
            period,
            out,
            allow_overlap,
            regions,
            engine,
            spark_master,
        } => rollup_command(coverage::rollup::RollupOptions {
            inputs,
            period,
            out,
            allow_overlap,
            regions,
            engine: match engine {
                EngineArg::Spark => coverage::rollup::Engine::Spark {
                    master: spark_master,
                },
                EngineArg::Duckdb => coverage::rollup::Engine::DuckDb,
            },
        }),
        Command::Dashboard { period, out } => {
            coverage::run::redraw_dashboard(&out, &period).map(|path| {
                say!("{}", path.display());
            })
        }
        Command::Check { pipeline, period } => check_command(&pipeline, &period),
        Command::Init { exports, out } => init_command(&exports, &out),
        Command::Appraise {
            year,
            out,
            pipeline,
        } => appraise_command(AppraiseOptions {
            year,
            out,
            pipeline,
        }),
        Command::Completions { shell } => {
            let mut cli = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cli, "coverage", &mut std::io::stdout());
            Ok(())
        }
    };
    coverage::process::finish("coverage", result)
}

/// A run whose summary is one JSON document on stdout (one per month of a backfill).
fn json_command(opts: RunOptions) -> coverage::Result<()> {
    let m = run(&opts)?;
    let summary = coverage::run::summary_json(&opts.out, &m)?;
    say!("{summary}");
    Ok(())
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
        let counts: Vec<String> = r.counts.iter().map(i64::to_string).collect();
        say!(
            "  {:<10} {:<8} {:>6} {:>7} {:>6} {:>6} {:>7} {:>7} {:>7}  {}",
            r.sector,
            r.district_code,
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            r.rates[0],
            r.rates[1],
            r.rates[2],
            r.district_name
        );
    }
    let stages: Vec<String> = m
        .stage_seconds
        .iter()
        .zip(&m.stage_cpu_seconds)
        .map(|((s, t), (_, cpu))| format!("{s} {t:.2} s (cpu {cpu:.2})"))
        .collect();
    say!(
        "stages: {}; merge {:.2} s (beside publish and reports); commit {:.2} s; peak memory {}",
        stages.join(", "),
        m.merge_seconds,
        m.commit_seconds,
        peak_memory_text()
    );
    let peaks: Vec<String> = m
        .stage_peak_mib
        .iter()
        .map(|(s, mib)| format!("{s} {mib:.0}"))
        .collect();
    say!(
        "peak memory (MiB) when each stage ended: {}",
        peaks.join(", ")
    );
    say!("written to {}", opts.out.display());
    say!(
        "dashboard: {}",
        coverage::publish::reports_dir(&opts.out, &m.period)
            .join(coverage::dashboard::file_name(&m.period))
            .display()
    );
    Ok(())
}

fn rollup_command(opts: coverage::rollup::RollupOptions) -> coverage::Result<()> {
    let m = coverage::rollup::rollup(&opts)?;
    say!(
        "coverage rollup {} — period {} — engine {} — {:.2} s",
        m.version,
        m.period,
        m.engine,
        m.seconds
    );
    for (i, input) in m.inputs.iter().enumerate() {
        say!(
            "  {i}: {} ({} {}), manifest {}",
            input.folder,
            input.city_code,
            input.city_name,
            &input.manifest_sha256[..12]
        );
    }
    if m.overlaps > 0 {
        say!(
            "identifiers in scope in two deployments: {} (see rollup_overlaps)",
            m.overlaps
        );
    }
    for (table, n) in &m.outputs {
        say!("  {table:<28} {n:>8} rows");
    }
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
    say!(
        "明显提升 (org_coverage_rate, single_rate up by {:.1} points or more since the baseline {}): {}",
        100.0 * a.marked_improvement,
        a.baseline_period,
        if a.marked.is_empty() {
            "none".to_string()
        } else {
            a.marked
                .iter()
                .map(|(d, sector, rate)| format!("{d} {sector} {rate}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
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

/// `coverage init`: the draft written, then the check of it on the month its files
/// carry, then what is left to decide.
fn init_command(exports: &std::path::Path, out: &std::path::Path) -> coverage::Result<()> {
    let report = coverage::init::init(&coverage::init::InitOptions {
        exports: exports.to_path_buf(),
        out: out.to_path_buf(),
    })?;
    say!(
        "wrote {} with {} sources:",
        report.pipeline.display(),
        report.sources.len()
    );
    for s in &report.sources {
        say!("  {s}");
    }
    for u in &report.unplaced {
        say!("not placed: {u}");
    }
    match &report.period {
        Some(period)
            if report
                .decisions
                .iter()
                .all(|d| !d.contains("COVERAGE_PSEUDONYM_KEY"))
                || std::env::var_os("COVERAGE_PSEUDONYM_KEY").is_some() =>
        {
            say!("checking it on {period}:");
            check_command(&report.pipeline, period)?;
        }
        Some(period) => say!(
            "then: coverage check --pipeline {} --period {period}",
            report.pipeline.display()
        ),
        None => say!(
            "then: coverage check --pipeline {} --period YYYY-MM",
            report.pipeline.display()
        ),
    }
    if report.decisions.is_empty() {
        say!("nothing left to decide");
    } else {
        say!(
            "{} left to decide (marked TO DECIDE in the file):",
            report.decisions.len()
        );
        for d in &report.decisions {
            say!("  - {d}");
        }
    }
    Ok(())
}
