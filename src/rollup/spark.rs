//! `coverage rollup --engine spark`: the same statements run by Spark — a cluster
//! (`--spark-master spark://…`, `yarn`) or local mode (`local[N]`) — through the driver
//! `spark_driver.py`, which the binary writes beside the job and starts with
//! spark-submit. Spark reads the deployments' Parquet itself; only the output tables
//! (a row per region, or per overlapping identifier) come back, into the roll-up's
//! DuckDB connection, to be checked and published as the DuckDB engine's are.

use std::path::{Path, PathBuf};
use std::process::Command;

use duckdb::Connection;

use super::{outputs, path_literal, published_file, RollupInput, RollupOptions, SPARK_DRIVER};
use crate::error::{DbContext, Error, Result};
use crate::process::RemoveOnDrop;

/// How to get Spark where it is missing: pyspark carries spark-submit and Spark itself
/// (it needs Java 17 or newer); sqlglot transpiles the statements.
pub const INSTALL: &str = "python3 -m venv ~/.cache/coverage-spark && \
    ~/.cache/coverage-spark/bin/pip install pyspark sqlglot";

/// spark-submit: `COVERAGE_SPARK_SUBMIT`, else the first on PATH, else where `INSTALL`
/// (and .ci/setup) puts it, ~/.cache/coverage-spark/bin — so that Spark installed as
/// this tool says is found without changing PATH.
fn spark_submit() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("COVERAGE_SPARK_SUBMIT") {
        return Some(PathBuf::from(p));
    }
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("spark-submit"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let home = std::env::var_os("HOME")?;
        let installed = Path::new(&home).join(".cache/coverage-spark/bin/spark-submit");
        installed.is_file().then_some(installed)
    })
}

pub fn run(
    conn: &Connection,
    opts: &RollupOptions,
    deployments: &[RollupInput],
    master: &str,
    statements: &[String],
) -> Result<()> {
    let submit = spark_submit().ok_or_else(|| Error::Config {
        path: PathBuf::from("spark-submit"),
        message: format!(
            "--engine spark needs Spark, and spark-submit is not on PATH, in COVERAGE_SPARK_SUBMIT or in ~/.cache/coverage-spark/bin. Install it with:\n    {INSTALL}"
        ),
    })?;
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::output(&opts.out, e))?;
    let scratch = RemoveOnDrop(
        opts.out
            .join(format!(".rollup-spark-{}", std::process::id())),
    );
    std::fs::create_dir_all(&scratch.0).map_err(|e| Error::output(&scratch.0, e))?;
    let driver = scratch.0.join("spark_driver.py");
    std::fs::write(&driver, SPARK_DRIVER).map_err(|e| Error::output(&driver, e))?;
    let mut inputs = Vec::new();
    for (folder, deployment) in opts.inputs.iter().zip(deployments) {
        let absolute = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
        inputs.push(serde_json::json!({
            "unit_status": absolute(published_file(folder, "unit_status", &opts.period)?),
            "coverage_by_district": absolute(published_file(folder, "coverage_by_district", &opts.period)?),
            "city_code": deployment.city_code,
        }));
    }
    let results = std::path::absolute(scratch.0.join("out")).unwrap_or(scratch.0.join("out"));
    let job = serde_json::json!({
        "inputs": inputs,
        "unit_columns": super::deployment_unit_columns(),
        "statements": statements,
        "outputs": outputs(),
        "out": results,
    });
    let job_path = scratch.0.join("job.json");
    std::fs::write(&job_path, job.to_string()).map_err(|e| Error::output(&job_path, e))?;
    let mut cmd = Command::new(&submit);
    cmd.arg("--master").arg(master);
    // In local mode Spark's work is done in the driver's JVM, whose heap is 1 GB unless
    // told: it gets half of this machine's memory, as the DuckDB engine does.
    if master.starts_with("local") && std::env::var_os("SPARK_DRIVER_MEMORY").is_none() {
        let half = crate::process::total_memory_bytes().map_or(2 << 30, |m| m / 2);
        cmd.arg("--driver-memory").arg(format!("{}m", half >> 20));
    }
    // Spark's 200 shuffle partitions suit a cluster; on N local cores they are 200 tiny
    // tasks per aggregation (31 deployments of 20,000 units: 110 s with 200, 61 s with 4).
    if let Some(cores) = local_cores(master) {
        cmd.arg("--conf")
            .arg(format!("spark.sql.shuffle.partitions={}", 2 * cores));
    }
    cmd.arg(&driver).arg(&job_path);
    // The driver needs the Python that has pyspark and sqlglot: the one beside
    // spark-submit when it comes from a virtual environment.
    let python = submit.with_file_name("python3");
    if python.is_file() && std::env::var_os("PYSPARK_PYTHON").is_none() {
        cmd.env("PYSPARK_PYTHON", &python);
    }
    let output = cmd
        .output()
        .map_err(|e| Error::Internal(format!("start {}: {e}", submit.display())))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        return Err(Error::Internal(format!(
            "spark-submit --master {master} failed ({}):\n{}",
            output.status,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        )));
    }
    for table in outputs() {
        load(conn, table, &results.join(table))?;
    }
    Ok(())
}

/// The cores of a local master: `local[N]`, `local[*]` or `local` (one).
fn local_cores(master: &str) -> Option<usize> {
    let rest = master.strip_prefix("local")?;
    let all = || std::thread::available_parallelism().map_or(1, |n| n.get());
    Some(match rest.trim_start_matches('[').trim_end_matches(']') {
        "" => 1,
        "*" => all(),
        n => n
            .split(',')
            .next()?
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .unwrap_or_else(all),
    })
}

/// An output table of Spark (a folder of Parquet parts) into the connection.
fn load(conn: &Connection, table: &str, dir: &Path) -> Result<()> {
    conn.execute_batch(&format!(
        "CREATE TABLE {table} AS SELECT * FROM read_parquet({});",
        path_literal(&dir.join("*.parquet"))
    ))
    .db(&format!("read Spark's {table}"))
}

#[cfg(test)]
mod tests {
    use super::local_cores;

    #[test]
    fn local_masters_say_their_cores() {
        assert_eq!(local_cores("local[2]"), Some(2));
        assert_eq!(local_cores("local"), Some(1));
        assert_eq!(local_cores("local[4,3]"), Some(4));
        assert_eq!(local_cores("spark://host:7077"), None);
        assert_eq!(local_cores("yarn"), None);
        assert!(local_cores("local[*]").unwrap() >= 1);
    }
}
