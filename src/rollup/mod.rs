//! `coverage rollup`: the figures of many deployments (each city or district running
//! `coverage run` on its own exports) over a province or the country. It reads only what
//! each deployment published — unit_status and coverage_by_district Parquet and the
//! run manifest — never their exports, checks that no unit is counted by two of them,
//! and writes coverage_by_region and social_org_target_by_region (sql/rollup/) as
//! Parquet partitioned by period and into the roll-up folder's coverage.duckdb, with a
//! manifest naming each input's manifest hash.
//!
//! The counts and rates are those of sql/coverage_counts.sql and sql/coverage_rates.sql,
//! the monthly run's own definitions: a district of the roll-up equals that district in
//! its deployment's coverage_by_district.

use std::path::{Path, PathBuf};

use duckdb::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::aggregate::{Definition, Output};
use crate::database::literal;
use crate::error::{DbContext, Error, Result};
use crate::manifest::Manifest;
use crate::publish::{manifest_path, partition, Publication, Staging, PARQUET_FILE};

mod spark;

pub use spark::INSTALL as SPARK_INSTALL;

/// The roll-up's definitions (sql/rollup/, `-- output: rollup` or `rollup_view`), in
/// run order: written once, in DuckDB SQL, and run as they are by DuckDB or transpiled
/// for Spark.
fn definitions() -> impl Iterator<Item = &'static Definition> {
    crate::aggregate::definitions()
        .iter()
        .filter(|d| d.output.is_rollup())
}

/// The tables a roll-up publishes (`-- output: rollup`).
pub fn outputs() -> Vec<&'static str> {
    definitions()
        .filter(|d| d.output == Output::Rollup)
        .map(|d| d.name)
        .collect()
}

/// The tables the roll-up's definitions read that the binary makes: the deployments'
/// published tables as views, the `--allow-overlap` choice and the region names.
pub const INPUT_TABLES: [&str; 4] = [
    "deployment_units",
    "deployment_districts",
    "rollup_keep",
    "region_names",
];

/// The order a published table's rows are written in, whichever engine made them: a
/// region's code puts the country first, then each province with its cities and their
/// districts.
fn row_order(table: &str) -> &'static str {
    if table == "rollup_overlaps" {
        "key_kind, key"
    } else if table == "coverage_by_region" {
        "region_code, level, sector"
    } else {
        "region_code, level"
    }
}

/// The Spark driver the binary starts with spark-submit.
const SPARK_DRIVER: &str = include_str!("spark_driver.py");

/// Which engine computes the roll-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// In this process (the default): up to what one machine's disk and memory hold.
    DuckDb,
    /// A Spark cluster, or Spark in local mode (`local[N]`), started with spark-submit.
    Spark { master: String },
}

pub struct RollupOptions {
    /// The output folders of the deployments' runs.
    pub inputs: Vec<PathBuf>,
    pub period: String,
    pub out: PathBuf,
    /// Where the same unit is in scope in two deployments, the input (its folder) whose
    /// count stands; without it such a unit stops the roll-up.
    pub allow_overlap: Option<PathBuf>,
    /// A CSV file of `code,name` naming regions the manifests do not (cities of old
    /// manifests, provinces' own spelling).
    pub regions: Option<PathBuf>,
    pub engine: Engine,
}

/// One deployment as the roll-up manifest names it.
#[derive(Debug, Serialize)]
pub struct RollupInput {
    pub folder: String,
    pub manifest_sha256: String,
    pub city_code: String,
    pub city_name: String,
}

/// What `rollups/<period>/manifest.json` says.
#[derive(Debug, Serialize)]
pub struct RollupManifest {
    pub tool: &'static str,
    pub version: &'static str,
    pub period: String,
    pub engine: String,
    pub inputs: Vec<RollupInput>,
    /// Identifiers (unit_id or USCC) in scope in more than one deployment.
    pub overlaps: u64,
    pub outputs: std::collections::BTreeMap<String, u64>,
    pub seconds: f64,
}

/// A path as a SQL string literal.
fn path_literal(p: &Path) -> String {
    literal(&p.display().to_string())
}

fn input_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Input {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The deployment's manifest, read and hashed; an input without one for the period is
/// not a deployment that ran it.
fn read_manifest(folder: &Path, period: &str) -> Result<(Manifest, String)> {
    let Some((manifest, bytes)) = Manifest::read(folder, period)? else {
        return Err(input_error(
            &manifest_path(folder, period),
            format!("no run of {period} in this folder: run coverage run there first"),
        ));
    };
    Ok((manifest, hex::encode(&Sha256::digest(&bytes)[..])))
}

/// A published table of a deployment for the period, which must be there.
fn published_file(folder: &Path, table: &str, period: &str) -> Result<PathBuf> {
    let file = partition(folder, table, period).join(PARQUET_FILE);
    if file.exists() {
        Ok(file)
    } else {
        Err(input_error(
            &file,
            format!("missing: the folder has no published {table} for {period}"),
        ))
    }
}

/// The deployments: their manifests, and the rules every one of them must share.
fn read_inputs(opts: &RollupOptions) -> Result<(Vec<RollupInput>, (String, f64))> {
    let mut inputs = Vec::new();
    let mut rules: Vec<(String, f64)> = Vec::new();
    for folder in &opts.inputs {
        let (m, sha) = read_manifest(folder, &opts.period)?;
        for table in ["unit_status", "coverage_by_district"] {
            published_file(folder, table, &opts.period)?;
        }
        if m.pipeline.city_code.is_empty() {
            return Err(input_error(
                &manifest_path(folder, &opts.period),
                "the manifest names no city_code (written by a version before it was recorded), so its city-total rows cannot be told from its districts: rerun the period there",
            ));
        }
        inputs.push(RollupInput {
            folder: folder.display().to_string(),
            manifest_sha256: sha,
            city_code: m.pipeline.city_code.clone(),
            city_name: m.pipeline.city_name.clone(),
        });
        rules.push((
            m.rules.rate_denominator.as_str().to_string(),
            m.rules.social_org_target_rate,
        ));
    }
    let first = rules[0].clone();
    if let Some(i) = rules.iter().position(|r| *r != first) {
        return Err(input_error(
            &opts.inputs[i],
            format!(
                "its rules (rate_denominator {}, social_org_target_rate {}) differ from those of {} ({}, {}): rates of different definitions cannot be rolled up",
                rules[i].0, rules[i].1, opts.inputs[0].display(), first.0, first.1
            ),
        ));
    }
    Ok((inputs, first))
}

/// Rolls the deployments up; returns the manifest written.
pub fn rollup(opts: &RollupOptions) -> Result<RollupManifest> {
    let started = std::time::Instant::now();
    crate::config::check_period(&opts.period).map_err(|m| input_error(&opts.out, m))?;
    if opts.inputs.is_empty() {
        return Err(input_error(
            &opts.out,
            "no --input: name the output folder of every deployment",
        ));
    }
    let (inputs, rules) = read_inputs(opts)?;
    let _lock = crate::publish::OutputLock::acquire(&opts.out)?;
    crate::run::recover(&opts.out)?;
    let keep = match &opts.allow_overlap {
        None => -1,
        Some(folder) => opts
            .inputs
            .iter()
            .position(|i| same_folder(i, folder))
            .ok_or_else(|| {
                input_error(
                    folder,
                    "--allow-overlap names a folder that is not one of the --input folders",
                )
            })? as i64,
    };
    let mut statements = vec![
        format!(
            "CREATE TABLE settings AS SELECT {} AS period, {} AS rate_denominator, \
             CAST({} AS DECIMAL(9,4)) AS social_org_target_rate",
            literal(&opts.period),
            literal(&rules.0),
            rules.1
        ),
        format!("CREATE TABLE rollup_keep AS SELECT {keep} AS deployment"),
        region_names(&inputs, opts.regions.as_deref())?,
    ];
    statements.extend(definitions().map(|d| d.sql.trim().trim_end_matches(';').to_string()));
    let conn = crate::database::open(None)?;
    match &opts.engine {
        Engine::DuckDb => run_in_duckdb(&conn, opts, &inputs, &statements)?,
        Engine::Spark { master } => spark::run(&conn, opts, &inputs, master, &statements)?,
    }
    let published = definitions().filter(|d| d.output == Output::Rollup);
    crate::aggregate::comment_all(&conn, published.map(|d| (d.name, d)))?;
    let overlaps = check_overlaps(&conn, opts, keep)?;
    let mut manifest = RollupManifest {
        tool: env!("CARGO_PKG_NAME"),
        version: env!("CARGO_PKG_VERSION"),
        period: opts.period.clone(),
        engine: match &opts.engine {
            Engine::DuckDb => "duckdb".into(),
            Engine::Spark { master } => format!("spark ({master})"),
        },
        inputs,
        overlaps,
        outputs: Default::default(),
        seconds: 0.0,
    };
    publish(&conn, &opts.out, &opts.period, &mut manifest, started)?;
    Ok(manifest)
}

/// The columns of a deployment's unit_status the roll-up reads (deployment_units):
/// the unit's identity and place, and what the figures count (src/figures.rs).
fn deployment_unit_columns() -> Vec<&'static str> {
    let mut columns = vec!["unit_id", "uscc", "name", "district_code", "sector"];
    columns.extend(crate::figures::UNIT_COLUMNS);
    columns
}

/// `CREATE {kind} deployment_units AS …; CREATE {kind} deployment_districts AS …`: what
/// the roll-up reads of each deployment (its unit_status read from the first of each
/// triple, its coverage_by_district from the second, its city code the third), in
/// --input order from 0.
fn deployment_views(kind: &str, deployments: &[(String, String, &str)]) -> String {
    let mut units = Vec::new();
    let mut districts = Vec::new();
    for (i, (unit_status, coverage_by_district, city_code)) in deployments.iter().enumerate() {
        units.push(format!(
            "SELECT {i} AS deployment, {} FROM {unit_status} WHERE in_scope",
            deployment_unit_columns().join(", ")
        ));
        districts.push(format!(
            "SELECT {i} AS deployment, district_code, district_name, {} AS city_code FROM {coverage_by_district}",
            literal(city_code)
        ));
    }
    format!(
        "CREATE {kind} deployment_units AS {};\nCREATE {kind} deployment_districts AS {};",
        units.join(" UNION ALL "),
        districts.join(" UNION ALL ")
    )
}

/// The roll-up's input tables (INPUT_TABLES), empty, from a deployment's unit_status and
/// coverage_by_district in the same database, then the roll-up's definitions: the tables
/// of sql/rollup/ as a roll-up declares them, for the golden tests.
pub fn make_empty(conn: &Connection) -> Result<()> {
    let empty = (
        "(FROM unit_status LIMIT 0)".to_string(),
        "(FROM coverage_by_district LIMIT 0)".to_string(),
        "",
    );
    conn.execute_batch(&deployment_views("TABLE", &[empty]))
        .db("the roll-up's inputs from unit_status and coverage_by_district")?;
    conn.execute_batch(&format!(
        "CREATE TABLE rollup_keep AS SELECT -1 AS deployment;\n{};",
        region_names(&[], None)?.trim_end_matches(';')
    ))
    .db("rollup_keep and region_names")?;
    for d in definitions() {
        conn.execute_batch(d.sql).db(d.file)?;
    }
    crate::aggregate::comment_all(conn, definitions().map(|d| (d.name, d)))
}

/// The deployments' published tables as views (read where they are, not copied), then
/// every statement.
fn run_in_duckdb(
    conn: &Connection,
    opts: &RollupOptions,
    inputs: &[RollupInput],
    statements: &[String],
) -> Result<()> {
    let mut deployments = Vec::new();
    for (folder, input) in opts.inputs.iter().zip(inputs) {
        let u = published_file(folder, "unit_status", &opts.period)?;
        let d = published_file(folder, "coverage_by_district", &opts.period)?;
        deployments.push((
            format!("read_parquet({})", path_literal(&u)),
            format!("read_parquet({})", path_literal(&d)),
            input.city_code.as_str(),
        ));
    }
    conn.execute_batch(&deployment_views("VIEW", &deployments))
        .map_err(|e| {
            input_error(
                &opts.inputs[0],
                format!("cannot read the deployments' published tables: {e}"),
            )
        })?;
    // Beyond half the machine's memory DuckDB spills to the output folder; the tables
    // no one reads afterwards are views, streamed into the outputs rather than kept.
    let half = crate::process::total_memory_bytes().map_or(4 << 30, |m| m / 2);
    let _spill = crate::database::spill_into(conn, &opts.out, half)?;
    conn.execute_batch("SET preserve_insertion_order = false;")
        .db("let DuckDB aggregate in any order")?;
    for statement in statements {
        conn.execute_batch(&as_view_unless_output(statement))
            .db("a roll-up statement (sql/rollup/)")?;
    }
    Ok(())
}

/// `CREATE TABLE x AS …` as `CREATE VIEW x AS …` where x is not published.
fn as_view_unless_output(statement: &str) -> String {
    const CREATE: &str = "CREATE TABLE ";
    let Some(at) = statement.find(CREATE) else {
        return statement.to_string();
    };
    let name = statement[at + CREATE.len()..]
        .split_whitespace()
        .next()
        .unwrap_or("");
    if outputs().contains(&name) {
        statement.to_string()
    } else {
        format!(
            "{}CREATE VIEW {}",
            &statement[..at],
            &statement[at + CREATE.len()..]
        )
    }
}

/// Stops the roll-up when a unit is counted by two deployments and no `--allow-overlap`
/// says which one counts it; returns how many identifiers overlap.
fn check_overlaps(conn: &Connection, opts: &RollupOptions, keep: i64) -> Result<u64> {
    let (ids, usccs, example): (i64, i64, Option<String>) = conn
        .query_row(
            "SELECT count(*) FILTER (WHERE key_kind = 'unit_id'), count(*) FILTER (WHERE key_kind = 'uscc'), \
             min(format('{} {} ({}) in {} deployments, the first {}', key_kind, key, name, deployments, first_deployment)) \
             FROM rollup_overlaps",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .db("count the overlaps")?;
    if ids + usccs > 0 && keep < 0 {
        return Err(input_error(
            &opts.out,
            format!(
                "{ids} units (by unit_id) and {usccs} USCCs are in scope in two deployments and would be counted twice \
                 (e.g. {}; deployments numbered in --input order from 0; all in rollup_overlaps). \
                 Fix the deployments' districts, or say which one counts them with --allow-overlap FOLDER",
                example.unwrap_or_default()
            ),
        ));
    }
    Ok((ids + usccs) as u64)
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The statement making `region_names` (priority, code, name): the GB/T 2260 provinces,
/// the cities the deployments' manifests name, then the rows of a `--regions` file —
/// later rows win.
fn region_names(inputs: &[RollupInput], file: Option<&Path>) -> Result<String> {
    let mut names: Vec<(String, String)> = crate::regions::PROVINCES
        .iter()
        .map(|(code, name)| (format!("{code}0000"), name.to_string()))
        .collect();
    for input in inputs
        .iter()
        .filter(|i| i.city_code.len() == 6 && !i.city_name.is_empty())
    {
        // A municipality's code (110000) names the level of its districts (1101xx).
        let city = if input.city_code.ends_with("0000") {
            format!("{}0100", &input.city_code[..2])
        } else {
            input.city_code.clone()
        };
        names.push((city, input.city_name.clone()));
    }
    if let Some(path) = file {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(path)
            .map_err(|e| input_error(path, e.to_string()))?;
        for (row, record) in reader.records().enumerate() {
            let record = record.map_err(|e| input_error(path, format!("row {}: {e}", row + 1)))?;
            match (record.get(0).map(str::trim), record.get(1).map(str::trim)) {
                (Some(code), Some(name))
                    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    names.push((code.into(), name.into()))
                }
                (Some("code"), _) if row == 0 => {}
                _ => {
                    return Err(input_error(
                        path,
                        format!("row {}: expected a 6-digit code, then a name", row + 1),
                    ))
                }
            }
        }
    }
    let values: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, (c, n))| format!("({i}, {}, {})", literal(c), literal(n)))
        .collect();
    Ok(format!(
        "CREATE TABLE region_names AS SELECT * FROM (VALUES {}) AS v(priority, code, name)",
        values.join(", ")
    ))
}

/// The roll-up's tables as Parquet (`parquet/<table>/period=P/data.parquet`) and into
/// the folder's coverage.duckdb (the period's rows replaced), with the manifest, through
/// the publisher a monthly run uses (staging, journal, one commit); the manifest gets
/// their row counts.
fn publish(
    conn: &Connection,
    out: &Path,
    period: &str,
    manifest: &mut RollupManifest,
    started: std::time::Instant,
) -> Result<()> {
    let tables = outputs();
    // Each table in its published row order, whichever engine made it.
    conn.execute_batch("SET preserve_insertion_order = true;")
        .db("keep the published row order")?;
    for table in &tables {
        conn.execute_batch(&format!(
            "CREATE TABLE ordered AS SELECT * FROM {table} ORDER BY {};
             DROP TABLE {table};
             ALTER TABLE ordered RENAME TO {table};",
            row_order(table)
        ))
        .db(&format!("order {table}"))?;
    }
    let staging = Staging::open(out, period)?;
    manifest.outputs = staging.write_tables(conn, &tables)?;
    manifest.seconds = started.elapsed().as_secs_f64();
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::output(out, e))?;
    let publication = Publication {
        tables: &tables,
        key_column: "period",
        key: literal(period),
        probe: "coverage_by_region",
        id_registry: false,
        follow_up: false,
        manifest: Some((
            out.join("rollups").join(period).join("manifest.json"),
            bytes,
        )),
    };
    staging.commit(conn, &tables, publication)
}
