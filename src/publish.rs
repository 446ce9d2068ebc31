//! Stage 6, publish: Parquet partitions, the analysts' DuckDB file and the run manifest.
//!
//! Everything is first written to a staging folder beside the outputs, then moved into
//! place: the DuckDB file by one atomic rename, the Parquet partitions of the period one
//! table at a time. A run that fails before the swap leaves the previous outputs as they
//! were. A rerun of a period replaces exactly that period; other periods stay.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use duckdb::Connection;
use serde::{Deserialize, Serialize};

use crate::error::{DbContext, Error, Result};

/// Tables published for every period, in the order the manifest lists them.
pub const TABLES: &[&str] = &[
    "coverage_by_district",
    "social_org_target",
    "district_changes",
    "unit_changes",
    "unit_id_events",
    "coverage_breakdown",
    "compliance_lists",
    "list_should_form_own",
    "list_enterprise_needs_members",
    "list_enterprise_needs_org",
    "list_municipal_group_needs_org",
    "list_staff30_needs_org",
    "list_joint_unit_can_form_own",
    "list_members_without_coverage",
    "list_joint_org_too_large",
    "action_plan",
    "attachment_summary",
    "attachment_units",
    "unit_status",
    "units",
    "unit_sources",
    "party_orgs",
    "org_units",
    "members",
    "unmatched_members",
    "link_review",
    "link_issues",
    "rejects",
    "flags",
];

pub const DATABASE_FILE: &str = "coverage.duckdb";

fn sql_path(p: &Path) -> String {
    p.display().to_string().replace('\'', "''")
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::output(path, e)
}

/// The folder where a run of `period` prepares its outputs.
pub fn staging_dir(out: &Path, period: &str) -> PathBuf {
    out.join(format!(".staging-{period}-{}", std::process::id()))
}

const LOCK_FILE: &str = ".lock";
const MANIFEST_FILE: &str = "manifest.json";
const REPORTS_DIR: &str = "reports";

/// Where the XLSX and CSV reports of a period are.
pub fn reports_dir(out: &Path, period: &str) -> PathBuf {
    out.join(REPORTS_DIR).join(period)
}

/// Where the manifest of a period's run is.
pub fn manifest_path(out: &Path, period: &str) -> PathBuf {
    out.join("runs").join(period).join(MANIFEST_FILE)
}
const JOURNAL_FILE: &str = ".publish-journal.json";

fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Holds an output folder for one run; a second run on the same folder is refused
/// while the first one lives. A lock left by a killed run is taken over.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    pub fn acquire(out: &Path) -> Result<OutputLock> {
        std::fs::create_dir_all(out).map_err(io(out))?;
        let path = out.join(LOCK_FILE);
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    write!(f, "{}", std::process::id()).map_err(io(&path))?;
                    return Ok(OutputLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if pid != std::process::id() && pid_alive(pid) => {
                            return Err(Error::Locked {
                                path: out.to_path_buf(),
                                pid,
                            })
                        }
                        // The run that held it is gone: its lock is stale.
                        _ => std::fs::remove_file(&path).map_err(io(&path))?,
                    }
                }
                Err(e) => return Err(Error::output(&path, e)),
            }
        }
        Err(Error::output(&path, "could not take the lock"))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The renames that put a staged publish in place, written down before the first one,
/// so that a run killed half-way through them is finished by the next one.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    moves: Vec<(PathBuf, PathBuf)>,
    /// Folder of replaced partitions, removed once every move is done.
    trash: PathBuf,
}

fn apply(journal: &Journal) -> Result<()> {
    for (from, to) in &journal.moves {
        if from.exists() {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::rename(from, to).map_err(io(to))?;
        }
    }
    Ok(())
}

/// Puts an output folder back in order before a run: finishes a publish whose renames
/// were interrupted, and removes staging folders of runs that no longer live.
pub fn recover(out: &Path) -> Result<()> {
    let journal_path = out.join(JOURNAL_FILE);
    if journal_path.exists() {
        let text = std::fs::read_to_string(&journal_path).map_err(io(&journal_path))?;
        let journal: Journal =
            serde_json::from_str(&text).map_err(|e| Error::output(&journal_path, e))?;
        apply(&journal)?;
        let _ = std::fs::remove_dir_all(&journal.trash);
        std::fs::remove_file(&journal_path).map_err(io(&journal_path))?;
    }
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(".staging-")
            .and_then(|rest| rest.rsplit('-').next())
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != std::process::id() && !pid_alive(pid) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    Ok(())
}

/// Writes the period's tables from `conn` to `out` together with the run manifest that
/// `manifest` renders from the row counts; everything lands, or nothing does.
pub fn publish(
    conn: &Connection,
    out: &Path,
    period: &str,
    manifest: impl FnOnce(&BTreeMap<String, u64>) -> Result<Vec<u8>>,
) -> Result<BTreeMap<String, u64>> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let staging = staging_dir(out, period);
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    let result = stage(conn, out, &staging, period).and_then(|rows| {
        let staged_manifest = staging.join(MANIFEST_FILE);
        std::fs::write(&staged_manifest, manifest(&rows)?).map_err(io(&staged_manifest))?;
        swap(out, &staging, period)?;
        Ok(rows)
    });
    // The staging folder goes whether the run worked or not; outputs are untouched
    // unless the swap was reached.
    let _ = std::fs::remove_dir_all(&staging);
    result
}

fn partition(root: &Path, table: &str, period: &str) -> PathBuf {
    root.join("parquet")
        .join(table)
        .join(format!("period={period}"))
}

/// Writes Parquet and the updated database into the staging folder.
fn stage(
    conn: &Connection,
    out: &Path,
    staging: &Path,
    period: &str,
) -> Result<BTreeMap<String, u64>> {
    let mut rows = BTreeMap::new();
    for table in TABLES {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .db(&format!("count {table}"))?;
        rows.insert(table.to_string(), n as u64);
        let dir = partition(staging, table, period);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        // The period is the partition key (hive style): readers get it from the path.
        conn.execute_batch(&format!(
            "COPY (SELECT * EXCLUDE (period) FROM {table}) TO '{}' (FORMAT parquet, COMPRESSION zstd);",
            sql_path(&dir.join("data.parquet"))
        ))
        .db(&format!("write parquet of {table}"))?;
    }

    let db_final = out.join(DATABASE_FILE);
    let db_staged = staging.join(DATABASE_FILE);
    if db_final.exists() {
        std::fs::copy(&db_final, &db_staged).map_err(io(&db_final))?;
    }
    conn.execute_batch(&format!("ATTACH '{}' AS published;", sql_path(&db_staged)))
        .db("open the staged database")?;
    let merged = merge_period(conn, period);
    conn.execute_batch("DETACH published;")
        .db("close the staged database")?;
    merged?;
    create_latest_views(&db_staged)?;
    crate::reports::write_reports(conn, &staging.join(REPORTS_DIR), period)?;
    Ok(rows)
}

/// Moves the staged outputs into place: the journal first, then the database (one
/// atomic rename), then each table's partition (the old one set aside first).
fn swap(out: &Path, staging: &Path, period: &str) -> Result<()> {
    let trash = staging.join("replaced");
    let mut moves = vec![(staging.join(DATABASE_FILE), out.join(DATABASE_FILE))];
    for table in TABLES {
        let old = partition(out, table, period);
        if old.exists() {
            moves.push((old.clone(), trash.join(table)));
        }
        moves.push((partition(staging, table, period), old));
    }
    let reports = reports_dir(out, period);
    if reports.exists() {
        moves.push((reports.clone(), trash.join(REPORTS_DIR)));
    }
    moves.push((staging.join(REPORTS_DIR), reports));
    moves.push((staging.join(MANIFEST_FILE), manifest_path(out, period)));
    let journal = Journal { moves, trash };
    let journal_path = out.join(JOURNAL_FILE);
    let tmp = out.join(format!("{JOURNAL_FILE}.tmp"));
    let text = serde_json::to_string(&journal).map_err(|e| Error::output(&journal_path, e))?;
    std::fs::write(&tmp, text).map_err(io(&tmp))?;
    std::fs::rename(&tmp, &journal_path).map_err(io(&journal_path))?;
    apply(&journal)?;
    std::fs::remove_file(&journal_path).map_err(io(&journal_path))
}

/// Replaces the period's rows in every table of the attached database, and merges the
/// run's identifiers into the id registry (newest id and period range per identifier).
fn merge_period(conn: &Connection, period: &str) -> Result<()> {
    let p = period.replace('\'', "''");
    let mut sql = String::from("BEGIN TRANSACTION;\n");
    let registry = crate::identity::REGISTRY_TABLE;
    sql.push_str(&format!(
        "CREATE TABLE IF NOT EXISTS published.{registry} (kind VARCHAR, key VARCHAR, \
             unit_id VARCHAR, first_period VARCHAR, last_period VARCHAR);\n\
         CREATE TEMP TABLE merged_registry AS SELECT \
             coalesce(n.kind, o.kind) AS kind, coalesce(n.key, o.key) AS key, \
             coalesce(n.unit_id, o.unit_id) AS unit_id, \
             least(coalesce(o.first_period, n.period), coalesce(n.period, o.first_period)) AS first_period, \
             greatest(coalesce(o.last_period, n.period), coalesce(n.period, o.last_period)) AS last_period \
         FROM published.{registry} o FULL JOIN run_unit_keys n ON o.kind = n.kind AND o.key = n.key;\n\
         DELETE FROM published.{registry};\n\
         INSERT INTO published.{registry} SELECT * FROM merged_registry ORDER BY kind, key;\n\
         DROP TABLE merged_registry;\n"
    ));
    for table in TABLES {
        sql.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS published.{table} AS SELECT * FROM {table} LIMIT 0;\n\
             DELETE FROM published.{table} WHERE period = '{p}';\n\
             INSERT INTO published.{table} BY NAME SELECT * FROM {table};\n"
        ));
    }
    sql.push_str("COMMIT;\n");
    conn.execute_batch(&sql)
        .db("merge the period into coverage.duckdb")
}

/// `latest_<table>` views: the most recent period of each table; `coverage_trend` over
/// every period.
fn create_latest_views(db: &Path) -> Result<()> {
    let conn = crate::database::open(Some(db))?;
    let mut sql = String::from(crate::changes::FIGURES_LONG);
    sql.push_str(crate::aggregate::definition("coverage_trend"));
    for table in TABLES {
        sql.push_str(&format!(
            "CREATE OR REPLACE VIEW latest_{table} AS \
             SELECT * FROM {table} WHERE period = (SELECT max(period) FROM {table});\n"
        ));
    }
    sql.push_str("CHECKPOINT;\n");
    conn.execute_batch(&sql).db("create latest_ views")
}
