//! The golden tests of sql/ (tests/sql/*.toml), one test per file, run as a test
//! harness of its own (sqllogictest's habit): the stage tables of `stage` are made empty
//! as a run declares them (NOT NULL and types included), the input rows of `include` and
//! `given` fill them and make the other tables, the definitions of `run` run in order, and `query` must give the
//! rows of `expect` (columns joined by a space; NULL as NULL; a double to 6 places)
//! and, where the file has `columns`, those column names.
//!
//!     cargo test --release --test golden [-- NAME …]   # the files whose name holds NAME
//!     COVERAGE_BLESS=1 cargo test --release --test golden -- NAME
//!
//! Bless mode rewrites the `expect` of each failing file with the rows the query gives,
//! for review in the diff: the hand-worked comment above it is still the reader's to
//! check. A file whose SQL fails is never blessed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use coverage::aggregate::{definition, definitions, Output};

/// One golden file.
#[derive(serde::Deserialize)]
struct Golden {
    #[serde(default)]
    include: Vec<String>,
    /// The run's `settings` table at the notice's numbers (city 110000 北京市), with these
    /// columns set otherwise; without it the golden has no settings table.
    #[serde(default)]
    settings: Option<toml::Table>,
    /// Tables the golden fills, made empty first exactly as a run declares them — stage
    /// tables (src/stage_tables.rs), the previous period's copies (src/changes.rs) and
    /// tables of sql/ that a later definition reads: `given` inserts into them by
    /// column name.
    #[serde(default)]
    stage: Vec<String>,
    #[serde(default)]
    given: String,
    run: Vec<String>,
    query: String,
    #[serde(default)]
    columns: Option<Vec<String>>,
    expect: Vec<String>,
}

/// Why a golden file failed.
enum Failure {
    /// The SQL of the file or of a definition did not run.
    Sql(String),
    /// The query ran and gave other rows (or columns).
    Rows {
        got: Vec<String>,
        columns: Vec<String>,
        message: String,
    },
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql")
}

#[path = "../common/cell.rs"]
mod cell;
use cell::cell as text;

/// Macros are definitions, not data: every golden has those its inputs allow (a macro
/// is bound to the tables it reads when it is made), as a run does. A macro that a
/// definition of `run` reads, directly or through others it makes (not through a table
/// the golden gives), must be made; another may not bind to this golden's smaller
/// tables, and is left out.
fn make_macros(conn: &duckdb::Connection, run: &[String]) -> Result<(), Failure> {
    let given = |name: &str| {
        conn.query_row(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .is_ok_and(|n| n > 0)
    };
    let mut needed: Vec<&str> = run.iter().map(String::as_str).collect();
    let mut i = 0;
    while i < needed.len() {
        // A table the golden gives is not made, so neither is what making it reads.
        let made = run.iter().any(|r| r == needed[i]) || !given(needed[i]);
        if let Some(d) = definitions().iter().find(|d| made && d.name == needed[i]) {
            for x in &d.depends {
                if !needed.contains(x) {
                    needed.push(x);
                }
            }
        }
        i += 1;
    }
    for d in definitions().iter().filter(|d| d.output == Output::Macro) {
        if let Err(e) = conn.execute_batch(d.sql) {
            if needed.contains(&d.name) {
                return Err(Failure::Sql(format!("macro {}: {e}", d.name)));
            }
        }
    }
    Ok(())
}

/// The settings of a real pipeline file with the notice's rules, then `values`.
fn make_settings(conn: &duckdb::Connection, values: &toml::Table) -> Result<(), Failure> {
    let fail = |e: String| Failure::Sql(format!("settings: {e}"));
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small/pipeline.toml");
    let mut p = coverage::config::Pipeline::load(&file).map_err(|e| fail(e.to_string()))?;
    p.rules = coverage::config::Rules::default();
    coverage::stage_tables::load_settings(conn, &p, "2026-11").map_err(|e| fail(e.to_string()))?;
    for (column, value) in values {
        let literal = match value {
            toml::Value::String(s) => coverage::database::literal(s),
            toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                value.to_string()
            }
            other => return Err(fail(format!("{column} = {other}: not a value"))),
        };
        conn.execute_batch(&format!("UPDATE settings SET {column} = {literal};"))
            .map_err(|e| fail(format!("{column}: {e}")))?;
    }
    Ok(())
}

/// The `CREATE TABLE` of every table a run declares, read back from DuckDB after an
/// empty month: the stage tables (src/stage_tables.rs), the previous period's copies
/// (src/changes.rs), every table the monthly definitions of sql/ make from them, and the
/// roll-up's inputs and tables (src/rollup/, sql/rollup/) and the appraisal's inputs.
fn stage_ddl() -> &'static std::collections::BTreeMap<String, String> {
    static DDL: std::sync::OnceLock<std::collections::BTreeMap<String, String>> =
        std::sync::OnceLock::new();
    DDL.get_or_init(|| {
        let conn = coverage::database::open(None).expect("DuckDB");
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small/pipeline.toml");
        let p = coverage::config::Pipeline::load(&file).expect("the small fixture's pipeline");
        coverage::stage_tables::load_empty(&conn, &p, "2026-11")
            .expect("the stage tables of an empty month");
        coverage::changes::load_previous(&conn, Path::new("/nonexistent"), "2026-11")
            .expect("the previous period's tables of a first month");
        coverage::aggregate::aggregate(&conn).expect("the definitions on an empty month");
        coverage::rollup::make_empty(&conn).expect("the roll-up's definitions on nothing");
        conn.execute_batch(coverage::appraise::INPUT_DDL)
            .expect("the appraisal's inputs");
        let mut stmt = conn
            .prepare("SELECT table_name, sql FROM duckdb_tables()")
            .expect("duckdb_tables");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("duckdb_tables")
            .map(|r| r.expect("a table"))
            .collect()
    })
}

fn make_stage_tables(conn: &duckdb::Connection, names: &[String]) -> Result<(), Failure> {
    for name in names {
        let ddl = stage_ddl()
            .get(name)
            .ok_or_else(|| Failure::Sql(format!("stage: {name} is no table a run declares")))?;
        conn.execute_batch(ddl)
            .map_err(|e| Failure::Sql(format!("stage {name}: {e}")))?;
    }
    Ok(())
}

fn run_golden(golden: &Golden) -> Result<(), Failure> {
    let sql = |what: &str, e: duckdb::Error| Failure::Sql(format!("{what}: {e}"));
    let conn = coverage::database::open(None).map_err(|e| Failure::Sql(e.to_string()))?;
    // The labels are declared in code, not data: loaded as a run loads them.
    let words = coverage::labels::labels();
    coverage::stage_tables::labels()
        .load(&conn, "2026-11", &words)
        .map_err(|e| Failure::Sql(format!("labels: {e}")))?;
    if let Some(values) = &golden.settings {
        make_settings(&conn, values)?;
    }
    make_stage_tables(&conn, &golden.stage)?;
    for file in &golden.include {
        let text = std::fs::read_to_string(golden_dir().join(file))
            .map_err(|e| Failure::Sql(format!("{file}: {e}")))?;
        conn.execute_batch(&text).map_err(|e| sql(file, e))?;
    }
    conn.execute_batch(&golden.given)
        .map_err(|e| sql("given", e))?;
    make_macros(&conn, &golden.run)?;
    for name in &golden.run {
        if !definitions().iter().any(|d| d.name == name) {
            return Err(Failure::Sql(format!("run: no definition sql/{name}.sql")));
        }
        conn.execute_batch(definition(name).sql)
            .map_err(|e| sql(name, e))?;
    }
    let mut stmt = conn.prepare(&golden.query).map_err(|e| sql("query", e))?;
    let mut rows = stmt.query([]).map_err(|e| sql("query", e))?;
    let columns: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    let mut got = Vec::new();
    while let Some(r) = rows.next().map_err(|e| sql("query", e))? {
        let cells: Vec<String> = (0..columns.len())
            .map(|i| r.get::<_, duckdb::types::Value>(i).map(text))
            .collect::<Result<_, _>>()
            .map_err(|e| sql("query", e))?;
        got.push(cells.join(" "));
    }
    let mut message = String::new();
    if let Some(want) = golden.columns.as_ref().filter(|w| **w != columns) {
        message.push_str(&format!("columns\n  want {want:?}\n  got  {columns:?}\n"));
    }
    if got != golden.expect {
        message.push_str("rows (want → got):\n");
        let n = got.len().max(golden.expect.len());
        for i in 0..n {
            let (w, g) = (golden.expect.get(i), got.get(i));
            let mark = if w == g { " " } else { "≠" };
            let show = |s: Option<&String>| s.map_or("(none)".to_string(), |s| format!("{s:?}"));
            message.push_str(&format!("  {mark} {} → {}\n", show(w), show(g)));
        }
    }
    if message.is_empty() {
        Ok(())
    } else {
        Err(Failure::Rows {
            got,
            columns,
            message,
        })
    }
}

/// The file with its `expect` (always the last key) replaced by `rows`, and its
/// `columns`, where it has them, by `columns`.
fn blessed(text: &str, rows: &[String], columns: &[String]) -> Option<String> {
    let quoted = |v: &[String]| {
        v.iter()
            .map(|r| toml::Value::String(r.clone()).to_string())
            .collect::<Vec<_>>()
    };
    let start = text.find("\nexpect = ")? + 1;
    let mut out = text[..start].to_string();
    if let Some(at) = out.find("\ncolumns = ") {
        let end = out[at + 1..].find('\n').map_or(out.len(), |e| at + 1 + e);
        let line = format!("columns = [{}]", quoted(columns).join(", "));
        out.replace_range(at + 1..end, &line);
    }
    out.push_str("expect = [\n");
    for r in quoted(rows) {
        out.push_str(&format!("    {r},\n"));
    }
    out.push_str("]\n");
    Some(out)
}

/// Every definition of sql/ has a golden test named after it (tests/sql/<name>.toml,
/// beside variants named <name>_<case>.toml) that runs it.
fn every_definition_has_a_golden_test() -> Result<(), String> {
    for d in definitions() {
        let path = golden_dir().join(format!("{}.toml", d.name));
        let text = std::fs::read_to_string(&path)
            .map_err(|_| format!("sql/{}.sql has no golden test {}", d.name, path.display()))?;
        let golden: Golden =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if !golden.run.iter().any(|r| r == d.name) {
            return Err(format!("{} does not run {}", path.display(), d.name));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let bless = std::env::var_os("COVERAGE_BLESS").is_some_and(|v| v != "0");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/sql")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let name = |p: &Path| p.file_stem().unwrap().to_string_lossy().into_owned();
    paths.retain(|p| filters.is_empty() || filters.iter().any(|f| name(p).contains(f)));
    println!("\nrunning {} golden tests", paths.len() + 1);
    let (mut passed, mut failed, mut rewritten) = (0, Vec::new(), 0);
    match every_definition_has_a_golden_test() {
        Ok(()) => {
            passed += 1;
            println!("test every_definition_has_a_golden_test ... ok");
        }
        Err(why) => {
            println!("test every_definition_has_a_golden_test ... FAILED");
            failed.push(format!(
                "---- every_definition_has_a_golden_test ----\n{why}"
            ));
        }
    }
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("a golden file");
        let outcome = toml::from_str::<Golden>(&text)
            .map_err(|e| Failure::Sql(format!("not a golden file: {e}")))
            .and_then(|g| run_golden(&g));
        match outcome {
            Ok(()) => {
                passed += 1;
                println!("test {} ... ok", name(path));
            }
            Err(Failure::Rows { got, columns, .. }) if bless => {
                let new = blessed(&text, &got, &columns).expect("expect is the last key");
                std::fs::write(path, new).expect("a golden file written");
                rewritten += 1;
                println!("test {} ... blessed", name(path));
            }
            Err(f) => {
                println!("test {} ... FAILED", name(path));
                let why = match f {
                    Failure::Sql(m) => m,
                    Failure::Rows { message, .. } => message,
                };
                failed.push(format!("---- {} ----\n{why}", path.display()));
            }
        }
    }
    for f in &failed {
        println!("\n{f}");
    }
    let result = if failed.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {result}. {passed} passed; {} failed; {rewritten} blessed\n",
        failed.len()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
