//! Stage 6, publish: Parquet partitions, the analysts' DuckDB file and the run manifest.
//!
//! The period's Parquet partitions, reports and manifest are first written to a staging
//! folder beside the outputs. Then the period is merged into coverage.duckdb in place,
//! in one DuckDB transaction that also records a publish token — the commit point: no
//! earlier period is copied, and a run killed before the commit is rolled back by
//! DuckDB. Only then are the staged files moved into place, from a journal written
//! before the commit; a run killed during the moves is finished by the next run, which
//! rolls the journal forward only if the database holds its token. The journal stays
//! until the run's follow-ups after the commit (later months recomputed, dashboards) are
//! done, so that the next run redoes them if they were interrupted ([`recover`] says
//! which period). A rerun of a period replaces exactly that period; other periods stay.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use duckdb::Connection;
use serde::{Deserialize, Serialize};

use crate::aggregate::Output;
use crate::error::{DbContext, Error, Result};
use crate::FastMap;

mod comments;
mod lock;
pub use lock::OutputLock;

pub use crate::database::DATABASE_FILE;
/// The catalog name DuckDB gives coverage.duckdb when it is opened directly.
const DATABASE_NAME: &str = "coverage";

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

const MANIFEST_FILE: &str = "manifest.json";
const REPORTS_DIR: &str = "reports";

/// Where the XLSX and CSV reports of a period are.
pub fn reports_dir(out: &Path, period: &str) -> PathBuf {
    out.join(REPORTS_DIR).join(period)
}

/// The name (without .xlsx) of a period's compliance lists (合规清单), which the
/// dashboard links to.
pub fn compliance_book(period: &str) -> String {
    format!("合规清单_{period}")
}

/// The name (without .xlsx) of a period's 一企一策一社一策 workbook, which the
/// dashboard links to.
pub fn action_plan_book(period: &str) -> String {
    format!("一企一策一社一策_{period}")
}

/// Where the manifest of a period's run is.
pub fn manifest_path(out: &Path, period: &str) -> PathBuf {
    out.join("runs").join(period).join(MANIFEST_FILE)
}
const JOURNAL_FILE: &str = ".publish-journal.json";

pub(crate) fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// The renames that put a staged publish in place, written down before the first one,
/// so that a run killed half-way through them is finished by the next one.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    moves: Vec<(PathBuf, PathBuf)>,
    /// Folder of replaced partitions, removed once every move is done.
    trash: PathBuf,
    /// The token the database commit records; the moves belong to a publish only if the
    /// database holds it (journals of older versions have none: their database was
    /// already in place).
    #[serde(default)]
    token: Option<String>,
    /// The period whose follow-ups (the later months recomputed against it, the
    /// dashboards from it on) are still to be done: the journal stays after the moves
    /// until they are, so that a run killed there has them redone by the next one.
    #[serde(default)]
    follow_up: Option<String>,
}

/// The table of coverage.duckdb that records each committed publish.
const PUBLISH_LOG: &str = "publish_log";

/// Applies the journal's moves; safe to repeat after a kill part-way: a move whose source
/// is gone was done, and a partition already set aside (its place in the trash taken)
/// is not set aside again — its path now holds the new partition.
fn apply(journal: &Journal) -> Result<()> {
    for (i, (from, to)) in journal.moves.iter().enumerate() {
        if i == 1 {
            crate::failpoint::hit("during_moves");
        }
        let set_aside_already = to.starts_with(&journal.trash) && to.exists();
        if from.exists() && !set_aside_already {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::rename(from, to).map_err(io(to))?;
        }
    }
    Ok(())
}

/// Puts an output folder back in order before a run: finishes a publish whose renames
/// were interrupted, and removes staging folders of runs that no longer live. Returns
/// the period of a committed publish whose follow-ups did not finish: the caller redoes
/// them, then calls [`follow_ups_done`].
pub fn recover(out: &Path) -> Result<Option<String>> {
    let mut follow_up = None;
    let journal_path = out.join(JOURNAL_FILE);
    if journal_path.exists() {
        let text = std::fs::read_to_string(&journal_path).map_err(io(&journal_path))?;
        let journal: Journal =
            serde_json::from_str(&text).map_err(|e| Error::output(&journal_path, e))?;
        let committed = match &journal.token {
            None => true,
            Some(token) => committed(&out.join(DATABASE_FILE), token)?,
        };
        if committed {
            apply(&journal)?;
            create_latest_views(&out.join(DATABASE_FILE))?;
        }
        if let Some(period) = journal.follow_up.clone().filter(|_| committed) {
            moves_done(out, journal)?;
            follow_up = Some(period);
        } else {
            let _ = std::fs::remove_dir_all(&journal.trash);
            std::fs::remove_file(&journal_path).map_err(io(&journal_path))?;
        }
    }
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(follow_up);
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // A staging folder (`.staging-<period>-<pid>`) or DuckDB spill folder
        // (`.spill-<pid>`) of a run that died.
        let pid = name
            .strip_prefix(".staging-")
            .or_else(|| name.strip_prefix(".spill-"))
            .and_then(|rest| rest.rsplit('-').next())
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != std::process::id() && !pid_alive(pid) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    Ok(follow_up)
}

/// Ends a publish once its follow-ups are done: its journal goes.
pub fn follow_ups_done(out: &Path) -> Result<()> {
    let journal_path = out.join(JOURNAL_FILE);
    match std::fs::remove_file(&journal_path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&journal_path)(e)),
        _ => Ok(()),
    }
}

/// Whether the database records a publish token (a missing database records none).
fn committed(db: &Path, token: &str) -> Result<bool> {
    if !db.exists() {
        return Ok(false);
    }
    let conn = crate::database::open(Some(db))?;
    if !crate::database::has_tables(&conn, DATABASE_NAME, &[PUBLISH_LOG])? {
        return Ok(false);
    }
    let n: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM {PUBLISH_LOG} WHERE token = ?"),
            [token],
            |r| r.get(0),
        )
        .db("read the publish log")?;
    Ok(n > 0)
}

/// A period's outputs written beside the published ones, in a staging folder, until
/// `commit` swaps them in: everything lands, or nothing does. The reports stage writes
/// into `reports_dir()` before the commit, so that the reports always agree with the
/// tables published with them. Dropped without a commit, the folder goes and the
/// published outputs are untouched.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    period: String,
    /// Files staged with [`Staging::file`]: (staged path, place under the outputs).
    files: Vec<(PathBuf, PathBuf)>,
}

/// What a publish puts into coverage.duckdb: `tables` of the connection, each replacing
/// its rows whose `key_column` equals `key` (the period of a run or a roll-up, the year
/// of an appraisal), in the one transaction that records the publish token.
pub struct Publication<'a> {
    pub tables: &'a [&'a str],
    pub key_column: &'a str,
    /// The key as a SQL literal.
    pub key: String,
    /// A table of `tables` that has rows for every key published: whether it has some
    /// for `key` tells a rerun (rows to delete first) from a new key.
    pub probe: &'a str,
    /// Whether the run's identifiers (`run_unit_keys`) are merged into the id registry:
    /// a monthly run's.
    pub id_registry: bool,
    /// Whether the journal stays until the run's follow-ups are done ([`follow_ups_done`]):
    /// a monthly run's.
    pub follow_up: bool,
    /// Where the manifest goes (`manifest_path`, or the roll-up's), with its bytes.
    pub manifest: Option<(PathBuf, Vec<u8>)>,
}

impl<'a> Publication<'a> {
    /// A monthly run of `period` (its manifest set once written).
    pub fn run(period: &str, tables: &'a [&'a str]) -> Self {
        Publication {
            tables,
            key_column: "period",
            key: crate::database::literal(period),
            probe: "coverage_by_district",
            id_registry: true,
            follow_up: true,
            manifest: None,
        }
    }
}

impl Staging {
    /// An empty staging folder for `period` in `out`.
    pub fn open(out: &Path, period: &str) -> Result<Staging> {
        std::fs::create_dir_all(out).map_err(io(out))?;
        let dir = staging_dir(out, period);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            period: period.to_string(),
            files: Vec::new(),
        })
    }

    /// Where to write a file that the commit puts at `place` (a path under the outputs),
    /// replacing what is there: a path of the same file name in the staging folder.
    pub fn file(&mut self, place: PathBuf) -> Result<PathBuf> {
        let dir = self.dir.join("files").join(self.files.len().to_string());
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let staged = dir.join(place.file_name().unwrap_or(std::ffi::OsStr::new("file")));
        self.files.push((staged.clone(), place));
        Ok(staged)
    }

    /// Where the reports stage writes the period's reports.
    pub fn reports_dir(&self) -> PathBuf {
        self.dir.join(REPORTS_DIR)
    }

    /// Writes each table of `conn` as the period's Parquet partition; returns the rows
    /// of each.
    pub fn write_tables(
        &self,
        conn: &Connection,
        tables: &[&str],
    ) -> Result<BTreeMap<String, u64>> {
        let mut rows = BTreeMap::new();
        for table in tables {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .db(&format!("count {table}"))?;
            rows.insert(table.to_string(), n as u64);
            let dir = partition(&self.dir, table, &self.period);
            std::fs::create_dir_all(&dir).map_err(io(&dir))?;
            write_parquet(conn, table, &dir.join(PARQUET_FILE))?;
        }
        Ok(rows)
    }

    /// Puts the staged partitions (of `partitioned`: the tables [`Staging::write_tables`]
    /// wrote), the reports, the staged files and the manifest in place and the
    /// publication's tables into coverage.duckdb.
    pub fn commit(
        self,
        conn: &Connection,
        partitioned: &[&str],
        publication: Publication,
    ) -> Result<()> {
        let merge = Merge::begin(
            conn.try_clone().db("a connection for the merge")?,
            &self.out,
            &self.period,
            &publication,
        )?;
        self.commit_merge(merge, partitioned, publication)
    }

    /// [`Staging::commit`] with the publication's merge already begun ([`Merge::begin`],
    /// beside the writing of the staged outputs).
    pub fn commit_merge(
        mut self,
        merge: Merge,
        partitioned: &[&str],
        publication: Publication,
    ) -> Result<()> {
        crate::failpoint::hit("before_commit");
        if let Some((place, bytes)) = &publication.manifest {
            let staged = self.file(place.clone())?;
            std::fs::write(&staged, bytes).map_err(io(&staged))?;
        }
        swap(merge, &self, partitioned, &publication)
    }
}

/// A publication's merge into coverage.duckdb, begun but not committed: its tables'
/// rows are inserted in an open transaction on a connection of its own, so that it can
/// run while the Parquet partitions and reports are written (the inserts and their
/// compression took a quarter of a 200k month's run after the figures, one core busy).
/// [`Staging::commit_merge`] commits it after writing the journal; dropped uncommitted,
/// it is rolled back and nothing of it is in the database.
pub struct Merge {
    conn: Connection,
    token: String,
    db: PathBuf,
    /// Whether its transaction is open (rolled back when dropped so).
    open: bool,
    /// Whether coverage.duckdb is attached (detached when dropped so).
    attached: bool,
}

impl Merge {
    /// Attaches the folder's coverage.duckdb to `conn` (a connection to the run's
    /// database, which holds the publication's tables) and inserts the publication's
    /// rows, uncommitted.
    pub fn begin(
        conn: Connection,
        out: &Path,
        period: &str,
        publication: &Publication,
    ) -> Result<Merge> {
        let db = out.join(DATABASE_FILE);
        let token = format!(
            "{period}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        );
        crate::database::attach_database(&conn, &db, "published", false)?;
        let mut merge = Merge {
            conn,
            token,
            db,
            open: false,
            attached: true,
        };
        merge
            .conn
            .execute_batch("BEGIN TRANSACTION;")
            .db("begin the merge")?;
        merge.open = true;
        insert(&merge.conn, publication, &merge.token, &merge.db)?;
        // The views over the published tables, in the same transaction: their
        // definitions name the tables unqualified, as read from coverage.duckdb itself.
        let own: String = merge
            .conn
            .query_row("SELECT current_database()", [], |r| r.get(0))
            .db("name the run's database")?;
        merge
            .conn
            .execute_batch("USE published;")
            .db("describe the latest_ views")?;
        let described = latest_views(&merge.conn, "published");
        let back = merge.conn.execute_batch(&format!("USE {own};"));
        described?;
        back.db("describe the latest_ views")?;
        Ok(merge)
    }

    /// The commit point of a publish.
    fn commit(mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT;").map_err(|e| {
            let what = "merge the period into coverage.duckdb";
            crate::database::output_or_database(&self.db, what, e)
        })?;
        self.open = false;
        self.attached = false;
        self.conn
            .execute_batch("DETACH published;")
            .db("close coverage.duckdb")
    }
}

impl Drop for Merge {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK;");
        }
        if self.attached {
            let _ = self.conn.execute_batch("DETACH published;");
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where a table's Parquet of a period is under an output folder (hive style).
pub fn partition(root: &Path, table: &str, period: &str) -> PathBuf {
    root.join("parquet")
        .join(table)
        .join(format!("period={period}"))
}

pub const PARQUET_FILE: &str = "data.parquet";

/// Writes a table of the run's database as one Parquet file. The period is the
/// partition key (hive style): readers get it from the path.
fn write_parquet(conn: &Connection, table: &str, file: &Path) -> Result<()> {
    conn.execute_batch(&format!(
        "COPY (SELECT * EXCLUDE (period) FROM {table}) TO '{}' (FORMAT parquet, COMPRESSION zstd);",
        sql_path(file)
    ))
    .map_err(|e| crate::database::output_or_database(file, &format!("write parquet of {table}"), e))
}

/// Replaces one published partition with `table` of `conn` (a period's recomputed
/// changes): written beside it, then renamed over it.
pub fn rewrite_partition(conn: &Connection, out: &Path, table: &str, period: &str) -> Result<()> {
    let dir = partition(out, table, period);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let tmp = dir.join(format!(".{PARQUET_FILE}.{}", std::process::id()));
    write_parquet(conn, table, &tmp)?;
    let file = dir.join(PARQUET_FILE);
    std::fs::rename(&tmp, &file).map_err(io(&file))
}

/// Puts the staged outputs in place: the journal first, then the database commit (the
/// commit point), then the moves of each table's partition (the old one set aside
/// first), the reports, the staged files and the manifest.
fn swap(
    merge: Merge,
    staging: &Staging,
    partitioned: &[&str],
    publication: &Publication,
) -> Result<()> {
    let (out, period) = (&staging.out, &staging.period);
    let trash = staging.dir.join("replaced");
    let mut moves = Vec::new();
    let set_aside = |place: &Path, moves: &mut Vec<(PathBuf, PathBuf)>, name: String| {
        if place.exists() {
            moves.push((place.to_path_buf(), trash.join(name)));
        }
    };
    for table in partitioned {
        let old = partition(out, table, period);
        set_aside(&old, &mut moves, table.to_string());
        moves.push((partition(&staging.dir, table, period), old));
    }
    let reports = reports_dir(out, period);
    if staging.reports_dir().exists() {
        set_aside(&reports, &mut moves, REPORTS_DIR.to_string());
        moves.push((staging.reports_dir(), reports));
    }
    for (i, (staged, place)) in staging.files.iter().enumerate() {
        set_aside(place, &mut moves, format!("file-{i}"));
        moves.push((staged.clone(), place.clone()));
    }
    let journal = Journal {
        moves,
        trash,
        token: Some(merge.token.clone()),
        follow_up: publication.follow_up.then(|| period.to_string()),
    };
    let journal_path = write_journal(out, &journal)?;
    crate::failpoint::hit("after_journal");
    if let Err(e) = merge.commit() {
        // Not committed: the journal's moves must never be applied.
        let _ = std::fs::remove_file(&journal_path);
        return Err(e);
    }
    crate::failpoint::hit("after_commit");
    apply(&journal)?;
    if publication.follow_up {
        moves_done(out, journal)
    } else {
        let _ = std::fs::remove_dir_all(&journal.trash);
        follow_ups_done(out)
    }
}

/// Keeps the journal for the follow-ups with no moves left: the staging folder (the
/// trash in it) goes with the run, and a journal that still listed the moves would set
/// the new partitions aside on recovery.
fn moves_done(out: &Path, journal: Journal) -> Result<()> {
    let done = Journal {
        moves: Vec::new(),
        ..journal
    };
    write_journal(out, &done).map(drop)
}

/// Writes the journal in one rename, so that a kill leaves the old one or the new one.
fn write_journal(out: &Path, journal: &Journal) -> Result<PathBuf> {
    let journal_path = out.join(JOURNAL_FILE);
    let tmp = out.join(format!("{JOURNAL_FILE}.tmp"));
    let text = serde_json::to_string(journal).map_err(|e| Error::output(&journal_path, e))?;
    std::fs::write(&tmp, text).map_err(io(&tmp))?;
    std::fs::rename(&tmp, &journal_path).map_err(io(&journal_path))?;
    Ok(journal_path)
}

/// Replaces the key's rows in every table of the publication in the attached database,
/// merges a run's identifiers into the id registry (newest id and period range per
/// identifier) and records the publish token, in the open transaction of `conn`.
fn insert(conn: &Connection, publication: &Publication, token: &str, db: &Path) -> Result<()> {
    let key = &publication.key;
    let t = token.replace('\'', "''");
    let mut sql = String::new();
    sql.push_str(&format!(
        "CREATE TABLE IF NOT EXISTS published.{PUBLISH_LOG} (token VARCHAR, period VARCHAR, \
             published_at TIMESTAMP);\n\
         INSERT INTO published.{PUBLISH_LOG} VALUES ('{t}', {key}, current_timestamp::TIMESTAMP);\n"
    ));
    sql.push_str(&comments::publish_log(PUBLISH_LOG));
    if publication.id_registry {
        sql.push_str(&crate::identity::registry_merge_sql("published"));
    }
    // A new key (the usual case) has no rows to replace: the deletes, which scan every
    // earlier key, are left out.
    let probe = publication.probe;
    let column = publication.key_column;
    let rerun = crate::database::has_tables(conn, "published", &[probe])?
        && conn
            .query_row(
                &format!("SELECT count(*) > 0 FROM published.{probe} WHERE {column} = {key}"),
                [],
                |r| r.get::<_, bool>(0),
            )
            .db("look for the key in coverage.duckdb")?;
    let catalog: String = conn
        .query_row("SELECT current_database()", [], |r| r.get(0))
        .db("name the run's database")?;
    let own = comments::Comments::read(conn, &catalog)?;
    let added = new_columns(conn)?;
    for table in publication.tables {
        sql.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS published.{table} AS SELECT * FROM {table} LIMIT 0;\n"
        ));
        if let Some(lines) = added.get(*table) {
            sql.push_str(lines);
        }
        if rerun {
            sql.push_str(&format!(
                "DELETE FROM published.{table} WHERE {column} = {key};\n"
            ));
        }
        sql.push_str(&format!(
            "INSERT INTO published.{table} BY NAME SELECT * FROM {table};\n"
        ));
        sql.push_str(&own.copied(table, "TABLE", &format!("published.{table}"), None));
    }
    conn.execute_batch(&sql).map_err(|e| {
        crate::database::output_or_database(db, "merge the period into coverage.duckdb", e)
    })
}

/// The tables that gained columns since the folder's earlier periods (a newer version of
/// the tool) get them in coverage.duckdb too, NULL for those periods: `ALTER` lines by
/// table. One look at the catalogue for every table (one each cost 0.25 s a run).
fn new_columns(conn: &Connection) -> Result<FastMap<String, String>> {
    let mut stmt = conn
        .prepare(
            "SELECT n.table_name, n.column_name, n.data_type FROM duckdb_columns() n \
             WHERE n.database_name = 'memory' AND n.schema_name = 'main' \
             AND EXISTS (SELECT 1 FROM duckdb_tables() t WHERE t.database_name = 'published' \
                 AND t.table_name = n.table_name) \
             AND NOT EXISTS (SELECT 1 FROM duckdb_columns() o WHERE o.database_name = 'published' \
                 AND o.table_name = n.table_name AND o.column_name = n.column_name) \
             ORDER BY n.table_name, n.column_index",
        )
        .db("compare the tables' columns with coverage.duckdb")?;
    let added: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .db("compare the tables' columns with coverage.duckdb")?
        .collect::<std::result::Result<_, _>>()
        .db("compare the tables' columns with coverage.duckdb")?;
    let mut by_table: FastMap<String, String> = FastMap::default();
    for (table, column, data_type) in added {
        let lines = by_table.entry(table.clone()).or_default();
        lines.push_str(&format!(
            "ALTER TABLE published.{table} ADD COLUMN \"{column}\" {data_type};\n"
        ));
    }
    Ok(by_table)
}

/// `latest_<table>` views: the most recent period of each published table (every table
/// of the database with a period, but the publish log); the views and macros of sql/
/// (`coverage_trend` over every period). A publish makes them in its merge; recovery
/// makes them again after a publish of an older version, which made them after its moves.
fn create_latest_views(db: &Path) -> Result<()> {
    let conn = crate::database::open(Some(db))?;
    latest_views(&conn, DATABASE_NAME)?;
    conn.execute_batch("CHECKPOINT;")
        .db("describe the latest_ views")
}

/// [`create_latest_views`] in `catalog`, the current database of `conn`.
fn latest_views(conn: &Connection, catalog: &str) -> Result<()> {
    if !crate::database::has_tables(conn, catalog, &["coverage_by_district"])? {
        // Nothing published yet (a folder whose first publish never committed).
        return Ok(());
    }
    let tables: Vec<String> = conn
        .prepare(&format!(
            "SELECT t.table_name FROM duckdb_tables() t \
             WHERE t.database_name = '{catalog}' AND t.table_name <> '{PUBLISH_LOG}' \
             AND EXISTS (SELECT 1 FROM duckdb_columns() c \
                 WHERE c.table_oid = t.table_oid AND c.column_name = 'period') \
             ORDER BY 1"
        ))
        .and_then(|mut stmt| {
            stmt.query_map([], |r| r.get(0))?
                .collect::<std::result::Result<Vec<String>, _>>()
        })
        .db("list the published tables")?;
    let mut sql = String::new();
    for d in crate::aggregate::definitions() {
        if matches!(d.output, Output::View | Output::Macro) {
            sql.push_str(d.sql);
        }
    }
    for table in &tables {
        sql.push_str(&format!(
            "CREATE OR REPLACE VIEW latest_{table} AS \
             SELECT * FROM {table} WHERE period = (SELECT max(period) FROM {table});\n"
        ));
    }
    conn.execute_batch(&sql).db("create latest_ views")?;
    let views = crate::aggregate::definitions()
        .iter()
        .filter(|d| d.output == Output::View);
    crate::aggregate::comment_all(conn, views.map(|d| (d.name, d)))?;
    let mut described = String::new();
    let published = comments::Comments::read(conn, catalog)?;
    for table in &tables {
        let about = |t: &str| format!("最新一期: the rows of {table} of its latest period. {t}");
        described.push_str(&published.copied(
            table,
            "VIEW",
            &format!("latest_{table}"),
            Some(&about),
        ));
    }
    conn.execute_batch(&described)
        .db("describe the latest_ views")
}

#[cfg(test)]
mod tests;
