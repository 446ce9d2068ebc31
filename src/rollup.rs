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

use crate::error::{DbContext, Error, Result};
use crate::publish::{manifest_path, DATABASE_FILE};

/// The roll-up's definitions, in run order.
const DEFINITIONS: [(&str, &str); 2] = [
    (
        "coverage_by_region",
        include_str!("../sql/rollup/coverage_by_region.sql"),
    ),
    (
        "social_org_target_by_region",
        include_str!("../sql/rollup/social_org_target_by_region.sql"),
    ),
];

/// GB/T 2260 provinces (first two digits of a code): the names of the province level.
const PROVINCES: [(&str, &str); 34] = [
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
    ("71", "台湾省"),
    ("81", "香港特别行政区"),
    ("82", "澳门特别行政区"),
];

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
}

/// One deployment as the roll-up manifest names it.
#[derive(Debug, Serialize)]
pub struct RollupInput {
    pub folder: String,
    pub manifest_sha256: String,
    pub city_code: String,
    pub city_name: String,
    pub units_in_scope: u64,
}

/// What `rollup/<period>/manifest.json` says.
#[derive(Debug, Serialize)]
pub struct RollupManifest {
    pub tool: &'static str,
    pub version: &'static str,
    pub period: String,
    pub inputs: Vec<RollupInput>,
    /// Units in scope in more than one deployment, and how many were dropped from the
    /// deployments that do not count them (`--allow-overlap`).
    pub overlaps: u64,
    pub outputs: std::collections::BTreeMap<String, u64>,
}

fn sql_text(p: &Path) -> String {
    p.display().to_string().replace('\'', "''")
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The deployment's manifest, read and hashed; an input without one for the period is
/// not a deployment that ran it.
fn read_input(folder: &Path, period: &str) -> Result<(serde_json::Value, String)> {
    let path = manifest_path(folder, period);
    let bytes = std::fs::read(&path).map_err(|e| Error::Input {
        path: path.clone(),
        message: format!("no run of {period} in this folder ({e}): run coverage run there first"),
    })?;
    let manifest = serde_json::from_slice(&bytes).map_err(|e| Error::Input {
        path: path.clone(),
        message: format!("not a run manifest: {e}"),
    })?;
    Ok((manifest, hex::encode(&Sha256::digest(&bytes)[..])))
}

/// Rolls the deployments up; returns the manifest written.
pub fn rollup(opts: &RollupOptions) -> Result<RollupManifest> {
    crate::config::check_period(&opts.period).map_err(|m| Error::Input {
        path: opts.out.clone(),
        message: m,
    })?;
    if opts.inputs.is_empty() {
        return Err(Error::Input {
            path: opts.out.clone(),
            message: "no --input: name the output folder of every deployment".into(),
        });
    }
    let conn = crate::database::open(None)?;
    let mut inputs = Vec::new();
    let mut settings = Vec::new();
    for (i, folder) in opts.inputs.iter().enumerate() {
        let (m, sha) = read_input(folder, &opts.period)?;
        load_input(&conn, i, folder, &opts.period)?;
        let city_code: String = conn
            .query_row(
                "SELECT district_code FROM deployment_districts WHERE deployment = ? AND district_name = '全市' LIMIT 1",
                [i as i64],
                |r| r.get(0),
            )
            .unwrap_or_default();
        let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
        inputs.push(RollupInput {
            folder: folder.display().to_string(),
            manifest_sha256: sha,
            city_code: m["pipeline"]["city_code"]
                .as_str()
                .map_or(city_code, str::to_string),
            city_name: text(&m["pipeline"]["city_name"]),
            units_in_scope: 0,
        });
        settings.push((
            m["rules"]["rate_denominator"]
                .as_str()
                .unwrap_or("in_scope")
                .to_string(),
            m["rules"]["social_org_target_rate"].as_f64().unwrap_or(0.4),
        ));
    }
    let first = settings[0].clone();
    if let Some(i) = settings.iter().position(|s| *s != first) {
        return Err(Error::Input {
            path: opts.inputs[i].clone(),
            message: format!(
                "its rules (rate_denominator {}, social_org_target_rate {}) differ from those of {} ({}, {}): rates of different definitions cannot be rolled up",
                settings[i].0, settings[i].1, opts.inputs[0].display(), first.0, first.1
            ),
        });
    }
    conn.execute_batch(&format!(
        "CREATE TABLE settings AS SELECT {} AS period, {} AS rate_denominator, {}::DECIMAL(9,4) AS social_org_target_rate;",
        quoted(&opts.period),
        quoted(&first.0),
        first.1
    ))
    .db("roll-up settings")?;
    let overlaps = resolve_overlaps(&conn, opts)?;
    for (i, input) in inputs.iter_mut().enumerate() {
        input.units_in_scope = conn
            .query_row(
                "SELECT count(*) FROM rollup_units WHERE deployment = ?",
                [i as i64],
                |r| r.get::<_, i64>(0),
            )
            .db("count a deployment's units")? as u64;
    }
    make_regions(&conn, &inputs, opts.regions.as_deref())?;
    for name in ["coverage_counts", "coverage_rates"] {
        conn.execute_batch(crate::aggregate::definition(name).sql)
            .db(&format!("sql/{name}.sql"))?;
    }
    for (name, sql) in DEFINITIONS {
        conn.execute_batch(sql)
            .db(&format!("sql/rollup/{name}.sql"))?;
    }
    let mut manifest = RollupManifest {
        tool: env!("CARGO_PKG_NAME"),
        version: env!("CARGO_PKG_VERSION"),
        period: opts.period.clone(),
        inputs,
        overlaps,
        outputs: Default::default(),
    };
    let mut tables: Vec<&str> = DEFINITIONS.iter().map(|d| d.0).collect();
    tables.push("rollup_overlaps");
    manifest.outputs = publish(&conn, &opts.out, &opts.period, &tables)?;
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::output(&opts.out, e))?;
    let path = opts
        .out
        .join("rollups")
        .join(&opts.period)
        .join("manifest.json");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| Error::output(&path, e))?;
    Ok(manifest)
}

/// One deployment's published rows of the period: its in-scope units (with the flags
/// the counts are made of) and its districts.
fn load_input(conn: &Connection, i: usize, folder: &Path, period: &str) -> Result<()> {
    let table = |name: &str| {
        let file = folder
            .join("parquet")
            .join(name)
            .join(format!("period={period}"))
            .join("data.parquet");
        if file.exists() {
            Ok(format!("read_parquet('{}')", sql_text(&file)))
        } else {
            Err(Error::Input {
                path: file,
                message: format!("missing: the folder has no published {name} for {period}"),
            })
        }
    };
    let units = table("unit_status")?;
    let districts = table("coverage_by_district")?;
    let create = if i == 0 {
        "CREATE TABLE deployment_units AS"
    } else {
        "INSERT INTO deployment_units BY NAME"
    };
    let create_d = if i == 0 {
        "CREATE TABLE deployment_districts AS"
    } else {
        "INSERT INTO deployment_districts BY NAME"
    };
    conn.execute_batch(&format!(
        "{create} SELECT {i} AS deployment, unit_id, uscc, name, district_code, sector, \
             has_members, formal_3plus, org_form, org_covered, work_covered \
         FROM {units} WHERE in_scope;\n\
         {create_d} SELECT {i} AS deployment, district_code, district_name FROM {districts};"
    ))
    .map_err(|e| Error::Input {
        path: folder.to_path_buf(),
        message: format!("cannot read its published tables of {period}: {e}"),
    })
}

/// Units in scope in more than one deployment (the same unit_id or USCC): listed in
/// rollup_overlaps; the roll-up stops on any unless `--allow-overlap` names the
/// deployment whose count stands, when they are dropped from the others. Returns how
/// many units overlap.
fn resolve_overlaps(conn: &Connection, opts: &RollupOptions) -> Result<u64> {
    conn.execute_batch(
        "CREATE TABLE rollup_overlaps AS \
         WITH keys AS ( \
             SELECT 'unit_id' AS key_kind, unit_id AS key, deployment, unit_id, name FROM deployment_units \
             UNION ALL \
             SELECT 'uscc', uscc, deployment, unit_id, name FROM deployment_units WHERE uscc IS NOT NULL) \
         SELECT key_kind, key, list(DISTINCT deployment ORDER BY deployment) AS deployments, \
                list(DISTINCT name ORDER BY name) AS names \
         FROM keys GROUP BY key_kind, key HAVING count(DISTINCT deployment) > 1 \
         ORDER BY key_kind, key;",
    )
    .db("look for units in two deployments")?;
    // Units, not keys: a unit whose unit_id and USCC both recur is one unit.
    let n: i64 = conn
        .query_row(
            "SELECT count(DISTINCT u.unit_id) FROM deployment_units u JOIN rollup_overlaps o \
             ON (o.key_kind = 'unit_id' AND o.key = u.unit_id) OR (o.key_kind = 'uscc' AND o.key = u.uscc)",
            [],
            |r| r.get(0),
        )
        .db("count overlaps")?;
    let keep = match (&opts.allow_overlap, n) {
        (_, 0) => None,
        (None, _) => {
            let example: String = conn
                .query_row(
                    "SELECT format('{} {} ({}) in deployments {}', key_kind, key, names[1], deployments::VARCHAR) FROM rollup_overlaps LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .db("describe an overlap")?;
            return Err(Error::Input {
                path: opts.out.clone(),
                message: format!(
                    "{n} units are in scope in two deployments (e.g. {example}; deployments numbered in --input order from 0); \
                     they would be counted twice. Fix the deployments' districts, or say which one counts with --allow-overlap FOLDER"
                ),
            });
        }
        (Some(folder), _) => Some(
            opts.inputs
                .iter()
                .position(|i| same_folder(i, folder))
                .ok_or_else(|| Error::Input {
                    path: folder.clone(),
                    message:
                        "--allow-overlap names a folder that is not one of the --input folders"
                            .into(),
                })?,
        ),
    };
    let drop = match keep {
        None => String::new(),
        Some(k) => format!(
            "WHERE NOT (u.deployment <> {k} AND EXISTS (SELECT 1 FROM rollup_overlaps o \
             WHERE list_contains(o.deployments, {k}) \
             AND ((o.key_kind = 'unit_id' AND o.key = u.unit_id) OR (o.key_kind = 'uscc' AND o.key = u.uscc))))"
        ),
    };
    conn.execute_batch(&format!(
        "CREATE TABLE rollup_units AS SELECT u.* FROM deployment_units u {drop};"
    ))
    .db("drop the overlapping units")?;
    conn.execute_batch(&format!(
        "ALTER TABLE rollup_overlaps ADD COLUMN period VARCHAR DEFAULT {};",
        quoted(&opts.period)
    ))
    .db("date the overlaps")?;
    Ok(n as u64)
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Every region of the roll-up with its name: the country, each province (GB/T 2260),
/// each city (named by its deployments' manifests or the region file) and each district
/// of a deployment's coverage_by_district.
fn make_regions(conn: &Connection, inputs: &[RollupInput], file: Option<&Path>) -> Result<()> {
    let mut names: Vec<(String, String)> = PROVINCES
        .iter()
        .map(|(code, name)| (format!("{code}0000"), name.to_string()))
        .collect();
    for input in inputs.iter().filter(|i| !i.city_name.is_empty()) {
        // A municipality's code (110000) names the level of its districts (1101xx).
        let city = if input.city_code.ends_with("0000") {
            format!("{}0100", &input.city_code[..2.min(input.city_code.len())])
        } else {
            input.city_code.clone()
        };
        names.push((city, input.city_name.clone()));
    }
    if let Some(path) = file {
        let mut reader = csv::Reader::from_path(path).map_err(|e| Error::Input {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        for (row, record) in reader.records().enumerate() {
            let record = record.map_err(|e| Error::Input {
                path: path.to_path_buf(),
                message: format!("row {}: {e}", row + 2),
            })?;
            match (record.get(0), record.get(1)) {
                (Some(code), Some(name)) => names.push((code.trim().into(), name.trim().into())),
                _ => {
                    return Err(Error::Input {
                        path: path.to_path_buf(),
                        message: format!("row {}: expected code,name", row + 2),
                    })
                }
            }
        }
    }
    let values: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, (c, n))| format!("({i}, {}, {})", quoted(c), quoted(n)))
        .collect();
    conn.execute_batch(&format!(
        "CREATE TABLE region_names AS SELECT * FROM (VALUES {}) v(priority, code, name);\n\
         CREATE TABLE rollup_regions AS \
         WITH districts AS ( \
             SELECT DISTINCT district_code, first(district_name ORDER BY deployment) OVER (PARTITION BY district_code) AS district_name \
             FROM deployment_districts WHERE district_name <> '全市'), \
         codes AS ( \
             SELECT 'national' AS level, '000000' AS region_code, '全国' AS fallback \
             UNION SELECT 'province', left(district_code, 2) || '0000', NULL FROM districts \
             UNION SELECT 'city', left(district_code, 4) || '00', NULL FROM districts \
             UNION SELECT 'district', district_code, district_name FROM districts) \
         SELECT c.level, c.region_code, \
             coalesce((SELECT n.name FROM region_names n WHERE n.code = c.region_code ORDER BY n.priority DESC LIMIT 1), \
                      c.fallback, c.region_code) AS region_name \
         FROM codes c ORDER BY 1, 2;",
        values.join(", ")
    ))
    .db("the regions of the roll-up")
}

/// The roll-up's tables as Parquet (`parquet/<table>/period=P/data.parquet`) and into
/// the folder's coverage.duckdb (the period's rows replaced); returns their row counts.
fn publish(
    conn: &Connection,
    out: &Path,
    period: &str,
    tables: &[&str],
) -> Result<std::collections::BTreeMap<String, u64>> {
    let mut rows = std::collections::BTreeMap::new();
    std::fs::create_dir_all(out).map_err(|e| Error::output(out, e))?;
    let db = out.join(DATABASE_FILE);
    let mut sql = format!(
        "ATTACH '{}' AS published;\nBEGIN TRANSACTION;\n",
        sql_text(&db)
    );
    for table in tables {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .db(&format!("count {table}"))?;
        rows.insert(table.to_string(), n as u64);
        let dir = out
            .join("parquet")
            .join(table)
            .join(format!("period={period}"));
        std::fs::create_dir_all(&dir).map_err(|e| Error::output(&dir, e))?;
        conn.execute_batch(&format!(
            "COPY (SELECT * EXCLUDE (period) FROM {table}) TO '{}' (FORMAT parquet, COMPRESSION zstd);",
            sql_text(&dir.join("data.parquet"))
        ))
        .map_err(|e| Error::output(&dir, e))?;
        sql.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS published.{table} AS SELECT * FROM {table} LIMIT 0;\n\
             DELETE FROM published.{table} WHERE period = {p};\n\
             INSERT INTO published.{table} BY NAME SELECT * FROM {table};\n",
            p = quoted(period)
        ));
    }
    sql.push_str("COMMIT;\nDETACH published;\n");
    conn.execute_batch(&sql)
        .map_err(|e| Error::output(&db, e))?;
    Ok(rows)
}
