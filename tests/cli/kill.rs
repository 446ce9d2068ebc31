//! What keeps a publish safe beside the failpoints of tests/cli/failpoints.rs (which
//! stop a run at each step of its publish, as a kill would, and replaced a timing-based
//! SIGKILL loop): the output folder's lock, a database another program holds, one that
//! cannot be read or written, and an id registry of another version. `published` is
//! what the failpoint tests compare.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::util::*;

/// What was published: SHA-256 of every Parquet partition, manifest and report (publish
/// swaps reports/ too, so a kill must leave them as they were), and the content
/// of every table of the database (row count and a hash of every column). The database
/// is compared by content: it is merged in place, and a transaction that a kill
/// interrupted is rolled back by DuckDB, which may leave its file's bytes different.
pub fn published(out: &Path) -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> = files_under(out)
        .into_iter()
        .filter(|p| {
            let rel = p.strip_prefix(out).unwrap().to_string_lossy().into_owned();
            ["parquet/", "runs/", "rollups/", "reports/"]
                .iter()
                .any(|dir| rel.starts_with(dir))
        })
        .map(|p| {
            let rel = p.strip_prefix(out).unwrap().to_string_lossy().into_owned();
            (rel, hex::encode(Sha256::digest(std::fs::read(&p).unwrap())))
        })
        .collect();
    let db = out.join("coverage.duckdb");
    if db.exists() {
        let conn = coverage::database::open(Some(&db)).unwrap();
        let tables = lines(
            &db,
            "SELECT table_name FROM duckdb_tables() WHERE table_name <> 'publish_log' ORDER BY 1",
        );
        for table in tables {
            let sql = format!("SELECT count(*)::VARCHAR || ' ' || coalesce(sum(hash(COLUMNS(*)))::VARCHAR, '') FROM {table}");
            let mut stmt = conn.prepare(&sql).unwrap();
            let row: Vec<String> = stmt
                .query_map([], |r| {
                    let n = r.as_ref().column_count();
                    Ok((0..n)
                        .map(|i| r.get::<_, String>(i).unwrap_or_default())
                        .collect::<Vec<_>>())
                })
                .unwrap()
                .next()
                .unwrap()
                .unwrap();
            files.insert(format!("coverage.duckdb:{table}"), row.join(" "));
        }
    }
    files
}

#[test]
fn a_second_run_on_the_same_output_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // A live process (this test) holds the lock.
    std::fs::write(out.join(".lock"), std::process::id().to_string()).unwrap();
    coverage()
        .args(["run", "--pipeline"])
        .arg(fixture("small").join("pipeline.toml"))
        .args(["--period", "2026-11", "--out"])
        .arg(&out)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(6)
        .stderr(predicates::str::contains(
            "is in use by another coverage run",
        ));
    assert!(!out.join("coverage.duckdb").exists());
    // A lock whose process is gone is taken over.
    std::fs::write(out.join(".lock"), "999999999").unwrap();
    run_ok(&fixture("small").join("pipeline.toml"), "2026-11", &out);
    assert!(!out.join(".lock").exists());
}

#[test]
fn a_database_open_elsewhere_stops_the_publish_and_changes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let pipeline = fixture("small").join("pipeline.toml");
    run_ok(&pipeline, "2026-11", out.path());
    let before = published(out.path());
    // An analyst's read-only session holds the file (another process in real life).
    let config = duckdb::Config::default()
        .access_mode(duckdb::AccessMode::ReadOnly)
        .unwrap();
    let session =
        duckdb::Connection::open_with_flags(out.path().join("coverage.duckdb"), config).unwrap();
    run_cmd(&pipeline, "2026-12", out.path())
        .assert()
        .code(5)
        .stderr(predicates::str::contains(
            "another program has it open (close it there, or give --wait SECONDS",
        ));
    drop(session);
    assert_eq!(published(out.path()), before);
    assert!(!out.path().join("parquet/units/period=2026-12").exists());
    // Once it is closed, the run goes through.
    run_ok(&pipeline, "2026-12", out.path());
}

#[test]
fn a_database_that_cannot_be_read_or_written_is_an_output_error() {
    // Exit 5 (outputs), not 1 (a bug): here coverage.duckdb is a folder; a full or
    // read-only disk gives DuckDB the same kind of IO error.
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(out.path().join("coverage.duckdb")).unwrap();
    run_cmd(
        &fixture("small").join("pipeline.toml"),
        "2026-11",
        out.path(),
    )
    .assert()
    .code(5)
    .stderr(predicates::str::contains("coverage.duckdb: IO Error"));
    assert!(!out.path().join("parquet").exists());
}

/// An analyst's DuckDB session holding coverage.duckdb open (here a read-write
/// connection of this test process, as the duckdb CLI opens a file) keeps a run from
/// using it: without `--wait` the run stops with exit 5, saying what to do, and
/// publishes nothing; with `--wait 120` it waits, says so once, and completes once the
/// session is closed — with the same figures as the first run.
#[test]
fn a_run_waits_for_another_program_to_close_the_database() {
    let (out, db) = run_small();
    let figures = "SELECT sector, district_code, units_in_scope, units_org_covered \
                   FROM coverage_by_district ORDER BY ALL";
    let before = lines(&db, figures);
    let pipeline = fixture("small").join("pipeline.toml");
    let session = duckdb::Connection::open(&db).unwrap();
    let refused = run_cmd(&pipeline, "2026-11", out.path()).assert().code(5);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("--wait SECONDS"), "{stderr}");
    // Spawned, not waited for: the test closes the session while the run waits.
    let mut waiting = std::process::Command::new(assert_cmd::cargo::cargo_bin("coverage"))
        .args(["run", "--pipeline"])
        .arg(&pipeline)
        .args(["--period", "2026-11", "--out"])
        .arg(out.path())
        .args(["--wait", "120", "--quiet"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "the run waits while the session is open"
    );
    drop(session);
    let done = waiting.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{stderr}");
    assert_eq!(stderr.matches("waiting up to 120 s").count(), 1, "{stderr}");
    assert_eq!(lines(&db, figures), before);
}

/// An id registry row of a kind this version does not know (a file written by another
/// version) is not skipped, which would give the unit a new id in silence: the run
/// stops with exit 5 naming the table and the kind, and publishes nothing.
#[test]
fn an_id_registry_kind_this_version_does_not_know_stops_the_run() {
    let (out, db) = run_small();
    {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute_batch("UPDATE unit_id_registry SET kind = 'passport' WHERE kind = 'uscc'")
            .unwrap();
    }
    let before = published(out.path());
    run_cmd(
        &fixture("small").join("pipeline.toml"),
        "2026-12",
        out.path(),
    )
    .assert()
    .code(5)
    .stderr(predicates::str::contains(
        "unit_id_registry has an identifier of kind `passport`",
    ));
    assert_eq!(published(out.path()), before);
}
