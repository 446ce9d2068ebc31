//! The monthly job, `coverage run`: extract → resolve → link → assess → aggregate →
//! publish → reports for one period, then the run manifest. Publish and reports write
//! into one staging folder that is swapped in whole, so a period's reports always agree
//! with its tables.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{check_period, Pipeline};
use crate::error::{DbContext, Error, Result};
use crate::extract::{self, pseudonym::PseudonymKey, Staged};
pub use crate::manifest::{Manifest, PipelineInfo};
use crate::process::cpu_seconds;
use crate::vocabulary::SourceKind;
use crate::{
    aggregate, assess, calendar, changes, dashboard, database, failpoint, feedback, identity, link,
    publish, reports, resolve, stage_tables,
};

pub struct RunOptions {
    pub pipeline: PathBuf,
    pub period: String,
    pub out: PathBuf,
    /// Threads for the parallel stages and for DuckDB; 0 for one per core.
    pub threads: usize,
    /// Memory the run may use, in bytes; None for 75% of this machine's memory.
    pub memory_limit: Option<u64>,
}

/// Peak memory of a run per byte its input files keep (`extract::kept_bytes`), in
/// tenths, and the memory before any is read: measured on synthetic months, with a margin
/// (docs/decisions.md has the figures).
const MEMORY_PER_KEPT_BYTE_TENTHS: u64 = 36;
const MEMORY_BASE: u64 = 768 << 20;

/// The run's memory limit, and a refusal before anything is read when the month's
/// estimated peak is above it.
fn check_memory(p: &Pipeline, period: &str, limit: Option<u64>) -> Result<u64> {
    let limit = limit
        .or_else(|| crate::process::total_memory_bytes().map(|m| m / 4 * 3))
        .unwrap_or(u64::MAX);
    // A file two sources read (two sheets of a workbook) counts once, as the one that
    // keeps more of it.
    let mut files = BTreeMap::new();
    for spec in &p.sources {
        for (_, path) in p.files_of(spec, period)? {
            let kept = extract::kept_bytes(spec, &path);
            let entry = files.entry(path).or_insert(0);
            *entry = kept.max(*entry);
        }
    }
    let inputs: u64 = files.values().sum();
    let needed = MEMORY_BASE + inputs.saturating_mul(MEMORY_PER_KEPT_BYTE_TENTHS) / 10;
    if needed > limit {
        return Err(Error::TooLarge {
            inputs: crate::process::gib(inputs),
            needed: crate::process::gib(needed),
            limit: crate::process::gib(limit),
        });
    }
    Ok(limit)
}

/// DuckDB's memory while the stage tables are loaded beside the row tables they are made
/// from (from the end of resolve on): the tables beyond it go to the spill folder (1M
/// units: 1.65 GB of tables, which set the run's peak while loaded in memory; with 512 MiB
/// load still raised it by 75 MiB; with resolve's tables loaded during link, 256 MiB
/// raised link's peak, 128 MiB does not).
const DUCKDB_WHILE_LOADING: u64 = 128 << 20;

/// DuckDB's memory while the stage tables are loaded, for a month of `units` units:
/// [`DUCKDB_WHILE_LOADING`], or 96 MiB a million units where that is more. Part of what
/// DuckDB holds of the tables loaded so far cannot go to the spill folder, and it grows
/// with them: at 1M units a load fails with 32 MiB (on `unit_assessment`) and passes
/// with 48; at 10M it failed with 128 MiB (on `members`).
fn duckdb_while_loading(units: usize) -> u64 {
    DUCKDB_WHILE_LOADING.max(units as u64 * (96 << 20) / 1_000_000)
}

/// DuckDB's memory while it only holds resolve's tables and the member records are read
/// and placed: the tables stay in the spill folder (1M units: 128 MiB there, with what
/// glibc kept of DuckDB's freed blocks, raised extract's peak by 136 MiB), as far as
/// DuckDB can come down to it (`database::lower_memory_limit`).
const DUCKDB_WHILE_HOLDING: u64 = 16 << 20;

/// DuckDB's memory once the row tables are freed: half of what the run has already
/// needed (its peak so far; the rest is for what DuckDB allocates beyond its limit and
/// for the report writers), so that the SQL stages, which otherwise took the tables back
/// into memory and set a new peak (1M units: 3.7 GB against link's 3.3), stay below it
/// (with three quarters, 1M units: 2,038 MiB in reports against assess's 1,985); at least
/// 1 GiB, at most half the run's limit.
fn duckdb_after_load(memory_limit: u64) -> u64 {
    let peak = crate::process::peak_memory_mib().map_or(0, |m| (m as u64) << 20);
    (peak / 2).clamp(1 << 30, (memory_limit / 2).max(1 << 30))
}

/// Runs one period end to end and writes its manifest, on `opts.threads` threads.
pub fn run(opts: &RunOptions) -> Result<Manifest> {
    crate::process::return_freed_memory_promptly();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| Error::Internal(format!("a pool of {} threads: {e}", opts.threads)))?;
    pool.install(|| run_period(opts, pool.current_num_threads()))
}

fn run_period(opts: &RunOptions, threads: usize) -> Result<Manifest> {
    check_period(&opts.period).map_err(|m| Error::config(&opts.pipeline, m))?;
    let started_at = calendar::utc_now();
    let mut timer = StageTimer::default();
    let p = Pipeline::load(&opts.pipeline)?;
    let memory_limit = check_memory(&p, &opts.period, opts.memory_limit)?;
    let key = PseudonymKey::from_pipeline(&p)?;
    let _lock = publish::OutputLock::acquire(&opts.out)?;
    recover(&opts.out)?;
    let registry = identity::IdRegistry::load(&opts.out)?;

    // The unit registries are read and resolved before the other exports are read: only
    // resolve reads the registry records, and they go once it has made the units, so
    // they never take memory beside the member records.
    let is_registry = |kind| kind == SourceKind::UnitRegistry;
    let mut registries = timer.time("extract", || {
        extract::extract_sources(&p, &opts.period, &key, is_registry)
    })?;
    let (mut resolved, mut identity) = timer.time("resolve", || {
        let this_month = crate::config::month_index(&opts.period).unwrap_or(0);
        let name_since = |key: &str| registry.name_known_since(key, this_month);
        let mut resolved =
            resolve::resolve_with_history(registries.take_units(), &p.matching, &name_since);
        let identity = identity::assign(&mut resolved, &registry);
        Ok((resolved, identity))
    })?;
    drop(registry);
    let conn = database::open(None)?;
    // While the row tables are held, DuckDB keeps little of the stage tables in memory
    // and moves the rest to its spill folder (see `duckdb_after_load` for the rest).
    let _spill = configure_duckdb(&conn, &opts.out, threads, DUCKDB_WHILE_LOADING)?;
    let resolve_tables = timer.time("load", || {
        stage_tables::load_resolve_tables(&conn, &opts.period, &mut resolved, &mut identity)
    })?;
    database::lower_memory_limit(&conn, DUCKDB_WHILE_LOADING, DUCKDB_WHILE_HOLDING);
    crate::process::release_freed_memory();
    let (mut staged, mut linked, feedback) =
        read_and_link(&p, opts, &key, registries, &resolved, &mut timer)?;
    // Nothing after link looks units up: its look-ups go before assess.
    resolved.index = Default::default();
    let status = timer.time("assess", || {
        Ok(assess::assess(&p, &staged, &resolved, &linked, &feedback))
    })?;
    // What the stage tables do not read goes before they are loaded: the organization
    // records (link freed the joint-coverage and ledger ones).
    staged.orgs = Default::default();

    database::set_memory_limit(&conn, duckdb_while_loading(resolved.units.len()))?;
    let stage_tables = timer.time("load", || {
        stage_tables::load_all(
            &conn,
            &p,
            &opts.period,
            &mut staged,
            &resolved,
            &mut linked,
            &status,
            &resolve_tables,
            &feedback,
        )
    })?;
    let mut manifest = Manifest::new(opts, &p, &key, started_at, &staged);
    // From here on DuckDB holds everything: the row tables are freed before it works.
    drop((status, linked, resolved, staged, identity, feedback));
    crate::process::release_freed_memory();
    database::set_memory_limit(&conn, duckdb_after_load(memory_limit))?;
    let (defined, definition_seconds) = timer.time("aggregate", || {
        changes::load_previous(&conn, &opts.out, &opts.period)?;
        aggregate::aggregate_timed(&conn)
    })?;
    manifest.definition_seconds = definition_seconds;
    // What is published: the tables sql/ defines, then the stage tables.
    let published: Vec<&str> = defined.into_iter().chain(stage_tables).collect();
    // The manifest is written with the outputs, so the two always agree; the stage
    // times cover writing the outputs, not the final renames.
    let staging = publish::Staging::open(&opts.out, &opts.period)?;
    let mut publication = publish::Publication::run(&opts.period, &published);
    let (merge, merge_seconds, outputs) =
        write_outputs(&conn, opts, &staging, &publication, &mut timer)?;
    manifest.outputs = outputs;
    manifest.merge_seconds = merge_seconds;
    timer.fill(&mut manifest);
    manifest.finished_at = calendar::utc_now();
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::output(&opts.out, e))?;
    let committing = Instant::now();
    publication.manifest = Some((publish::manifest_path(&opts.out, &opts.period), bytes));
    staging.commit_merge(merge, &published, publication)?;
    drop(conn);
    follow_up(&opts.out, &opts.period)?;
    manifest.commit_seconds = committing.elapsed().as_secs_f64();
    Ok(manifest)
}

/// The period's Parquet partitions and reports, into the staging folder, while the
/// publication's merge into coverage.duckdb is begun on a connection of its own (it
/// waits for them to commit): the merge, its seconds and the rows of each table.
fn write_outputs(
    conn: &duckdb::Connection,
    opts: &RunOptions,
    staging: &publish::Staging,
    publication: &publish::Publication,
    timer: &mut StageTimer,
) -> Result<(publish::Merge, f64, BTreeMap<String, u64>)> {
    let merging = conn.try_clone().db("a connection for the merge")?;
    let (merge, outputs) = std::thread::scope(|scope| {
        let merge = scope.spawn(|| {
            let started = Instant::now();
            let merge = publish::Merge::begin(merging, &opts.out, &opts.period, publication)?;
            Ok((merge, started.elapsed().as_secs_f64()))
        });
        let outputs = timer
            .time("publish", || staging.write_tables(conn, publication.tables))
            .and_then(|outputs| {
                timer.time("reports", || {
                    reports::write_reports(conn, &staging.reports_dir(), &opts.period)?;
                    reports::write_packs(conn, &staging.reports_dir(), &opts.period)
                })?;
                Ok(outputs)
            });
        let merge = merge
            .join()
            .unwrap_or_else(|_| Err(Error::Internal("the merge's thread panicked".into())));
        (merge, outputs)
    });
    let outputs = outputs?;
    let (merge, seconds) = merge?;
    Ok((merge, seconds, outputs))
}

/// Reads the exports beside the registries and links them to the units. The
/// organizations, joint-coverage and ledger rows are read and linked before the member
/// file is read, so that only the organizations' records are still held then (the
/// members' organizations are found among them).
fn read_and_link(
    p: &Pipeline,
    opts: &RunOptions,
    key: &PseudonymKey,
    registries: extract::Parts,
    resolved: &resolve::Resolved,
    timer: &mut StageTimer,
) -> Result<(Staged, link::Linked, feedback::Feedback)> {
    let is_members = |kind| kind == SourceKind::Members;
    let mut others = timer.time("extract", || {
        extract::extract_sources(p, &opts.period, key, |kind| {
            kind != SourceKind::UnitRegistry && !is_members(kind)
        })
    })?;
    let mut side = others.take_records();
    // The districts' returned work packs: read like the exports, their rejects and
    // flags with the exports'.
    let mut feedback = timer.time("feedback", || {
        feedback::load(p, &opts.out, &opts.period, resolved)
    })?;
    let units_side = timer.time("link", || {
        Ok(link::link_units_side(&mut side, resolved, &feedback))
    })?;
    let mut staged = timer
        .time("extract", || {
            extract::extract_sources(p, &opts.period, key, is_members)
        })
        .map(|members| registries.and(others).and(members).into_staged())?;
    staged.orgs = side.orgs;
    staged.files.append(&mut feedback.files);
    staged.rejects.append(&mut feedback.rejects);
    staged.flags.append(&mut feedback.flags);
    reconcile(&staged)?;
    let earlier = link::Published {
        out: &opts.out,
        period: &opts.period,
    };
    let linked = timer.time("link", || {
        link::link_members(
            &staged,
            resolved,
            &p.matching,
            &feedback,
            &earlier,
            units_side,
        )
    })?;
    Ok((staged, linked, feedback))
}

/// `coverage dashboard`: the dashboard of `period` drawn again, under the folder's lock
/// and after an interrupted publish is finished (so it never shows half a month).
pub fn redraw_dashboard(out: &Path, period: &str) -> Result<PathBuf> {
    let _lock = crate::publish::OutputLock::acquire(out)?;
    recover(out)?;
    crate::dashboard::write(out, period)
}

/// Puts an output folder back in order before anything publishes into it (a run, an
/// appraisal, a roll-up; the caller holds its lock): an interrupted publish is finished
/// ([`publish::recover`]) and so are its follow-ups.
pub fn recover(out: &Path) -> Result<()> {
    match publish::recover(out)? {
        Some(interrupted) => follow_up(out, &interrupted),
        None => Ok(()),
    }
}

/// What a publish of `period` leaves to do after its commit, under its journal (a run
/// killed here has it redone by the next one; every step may be repeated): a rerun of
/// an earlier month changes what the months after it compare with, so they are
/// recomputed; the dashboard is drawn from what was published, as `coverage report`
/// draws it, so that it shows the months before this one too, and later months'
/// dashboards are drawn again, their trend showing this month as it now is.
fn follow_up(out: &Path, period: &str) -> Result<()> {
    failpoint::hit("after_moves");
    changes::recompute_following(out, period)?;
    failpoint::hit("before_dashboards");
    dashboard::write_from(out, period)?;
    publish::follow_ups_done(out)
}

impl Manifest {
    /// What the manifest says before the outputs are written: the run, the pipeline, the
    /// key's fingerprint and the inputs with their row counts and reject reasons.
    fn new(
        opts: &RunOptions,
        p: &Pipeline,
        key: &PseudonymKey,
        started_at: String,
        staged: &Staged,
    ) -> Manifest {
        let mut reject_reasons = BTreeMap::new();
        for r in &staged.rejects {
            *reject_reasons.entry(r.summary()).or_insert(0) += 1;
        }
        let files = &staged.files;
        Manifest {
            tool: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            period: opts.period.clone(),
            started_at,
            finished_at: String::new(),
            pipeline: PipelineInfo {
                path: opts.pipeline.display().to_string(),
                name: p.pipeline.name.clone(),
                sha256: p.sha256.clone(),
                city_code: p.pipeline.city_code.clone(),
                city_name: p.pipeline.city_name.clone(),
            },
            key_origin: key.origin.clone(),
            key_fingerprint: key.fingerprint(),
            rows_read: files.iter().map(|f| f.rows_read).sum(),
            rows_accepted: files.iter().map(|f| f.rows_accepted).sum(),
            rows_rejected: files.iter().map(|f| f.rows_rejected).sum(),
            inputs: files.clone(),
            reject_reasons,
            outputs: BTreeMap::new(),
            stage_seconds: Vec::new(),
            stage_cpu_seconds: Vec::new(),
            commit_seconds: 0.0,
            merge_seconds: 0.0,
            stage_peak_mib: Vec::new(),
            definition_seconds: Vec::new(),
            rules: p.rules.clone(),
        }
    }
}

/// DuckDB works once the row tables are freed: the run's threads, half the memory limit,
/// and a spill folder in the output folder beyond it, removed when the returned guard
/// goes.
fn configure_duckdb(
    conn: &duckdb::Connection,
    out: &Path,
    threads: usize,
    memory_limit: u64,
) -> Result<crate::process::RemoveOnDrop> {
    conn.execute_batch(&format!("SET threads = {threads};"))
        .db("set DuckDB's threads")?;
    database::spill_into(conn, out, memory_limit)
}

/// Every row read is accepted as exactly one record or rejected: checked, not assumed.
fn reconcile(s: &Staged) -> Result<()> {
    for f in &s.files {
        if f.rows_read != f.rows_accepted + f.rows_rejected {
            return Err(Error::Internal(format!(
                "{}: {} rows read but {} accepted + {} rejected",
                f.path, f.rows_read, f.rows_accepted, f.rows_rejected
            )));
        }
    }
    Ok(())
}

#[derive(Default)]
struct StageTimer {
    stages: Vec<(String, f64)>,
    cpu: Vec<(String, f64)>,
    peak_mib: Vec<(String, f64)>,
}

impl StageTimer {
    /// The stages' wall and CPU times and peaks, into the manifest.
    fn fill(&self, m: &mut Manifest) {
        m.stage_seconds = self.stages.clone();
        m.stage_cpu_seconds = self.cpu.clone();
        m.stage_peak_mib = self.peak_mib.clone();
    }

    fn time<T>(&mut self, stage: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let (t, cpu) = (Instant::now(), cpu_seconds());
        let shown = crate::progress::stage(stage);
        let out = f();
        drop(shown);
        let peak = crate::process::peak_memory_mib().unwrap_or(0.0);
        record(
            &mut self.stages,
            stage,
            t.elapsed().as_secs_f64(),
            |a, b| a + b,
        );
        record(&mut self.cpu, stage, cpu_seconds() - cpu, |a, b| a + b);
        record(&mut self.peak_mib, stage, peak, f64::max);
        out
    }
}

/// A stage timed in parts (extract reads the registries, then the other exports) is one
/// stage, in its first place: its parts' times added up, the peak at its last part's end.
fn record(figures: &mut Vec<(String, f64)>, stage: &str, value: f64, join: fn(f64, f64) -> f64) {
    match figures.iter_mut().find(|(s, _)| s == stage) {
        Some(f) => f.1 = join(f.1, value),
        None => figures.push((stage.to_string(), value)),
    }
}

/// What `coverage run --json` prints: the manifest, the period's coverage_by_district
/// rows (rates as fractions) and where the reports are.
pub fn summary_json(out: &Path, m: &Manifest) -> Result<serde_json::Value> {
    let conn = database::open(Some(&out.join(publish::DATABASE_FILE)))?;
    let mut stmt = conn
        .prepare(
            "SELECT * EXCLUDE (period) FROM coverage_by_district WHERE period = ? \
             ORDER BY sector, is_city(district_code), district_code",
        )
        .db("read coverage_by_district")?;
    let mut rows = stmt.query([&m.period]).db("read coverage_by_district")?;
    let names: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    let mut districts = Vec::new();
    while let Some(row) = rows.next().db("read coverage_by_district")? {
        let mut object = serde_json::Map::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row
                .get::<_, duckdb::types::Value>(i)
                .db("read coverage_by_district")?
            {
                duckdb::types::Value::BigInt(n) => serde_json::json!(n),
                duckdb::types::Value::Double(f) => serde_json::json!(f),
                duckdb::types::Value::Text(t) => serde_json::json!(t),
                _ => serde_json::Value::Null,
            };
            object.insert(name.clone(), value);
        }
        districts.push(serde_json::Value::Object(object));
    }
    let reports = publish::reports_dir(out, &m.period);
    Ok(serde_json::json!({
        "manifest": m,
        "coverage_by_district": districts,
        "reports": reports,
        "dashboard": reports.join(dashboard::file_name(&m.period)),
    }))
}

/// One row of `coverage_by_district` as the run's printed summary shows it.
#[derive(Debug)]
pub struct DistrictSummary {
    pub sector: String,
    pub district_code: String,
    pub district_name: String,
    /// The headline counts (`figures::headline_counts`), in order.
    pub counts: Vec<i64>,
    /// Each rate of `figures::RATES` as a percentage with one decimal, `-` for none.
    pub rates: Vec<String>,
}

/// Rows of `coverage_by_district` for the period, for the run's printed summary.
pub fn district_summary(out: &Path, period: &str) -> Result<Vec<DistrictSummary>> {
    let conn = database::open(Some(&out.join(publish::DATABASE_FILE)))?;
    let counts: Vec<&str> = crate::figures::headline_counts().map(|c| c.name).collect();
    let rates: Vec<String> = crate::figures::RATES
        .iter()
        .map(|r| format!("coalesce(printf('%.1f%%', 100 * {}), '-')", r.name))
        .collect();
    let sql = format!(
        "SELECT sector, district_code, district_name, {}, {} FROM coverage_by_district \
         WHERE period = ? ORDER BY sector, is_city(district_code), district_code",
        counts.join(", "),
        rates.join(", ")
    );
    let what = "read coverage_by_district";
    let mut stmt = conn.prepare(&sql).db(what)?;
    let rows = stmt
        .query_map([period], |r| {
            Ok(DistrictSummary {
                sector: r.get(0)?,
                district_code: r.get(1)?,
                district_name: r.get(2)?,
                counts: (0..counts.len())
                    .map(|i| r.get(3 + i))
                    .collect::<duckdb::Result<_>>()?,
                rates: (0..rates.len())
                    .map(|i| r.get(3 + counts.len() + i))
                    .collect::<duckdb::Result<_>>()?,
            })
        })
        .db(what)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .db(what)?;
    Ok(rows)
}
