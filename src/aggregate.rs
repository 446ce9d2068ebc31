//! Stage 5, aggregate: the metric and list definitions of `sql/`, run by DuckDB over
//! the tables of `tables`. The SQL is compiled into the binary, so the files in `sql/`
//! are the one definition an auditor reads and the one the tool runs.

use duckdb::Connection;

use crate::error::{DbContext, Result};

/// Definitions in the order they run (later ones may read earlier ones).
pub const DEFINITIONS: &[(&str, &str)] = &[
    ("unit_status", include_str!("../sql/unit_status.sql")),
    (
        "coverage_by_district",
        include_str!("../sql/coverage_by_district.sql"),
    ),
    (
        "social_org_target",
        include_str!("../sql/social_org_target.sql"),
    ),
    (
        "unmatched_members",
        include_str!("../sql/unmatched_members.sql"),
    ),
    (
        "list_should_form_own",
        include_str!("../sql/list_should_form_own.sql"),
    ),
    (
        "list_enterprise_needs_members",
        include_str!("../sql/list_enterprise_needs_members.sql"),
    ),
    (
        "list_enterprise_needs_org",
        include_str!("../sql/list_enterprise_needs_org.sql"),
    ),
    (
        "list_municipal_group_needs_org",
        include_str!("../sql/list_municipal_group_needs_org.sql"),
    ),
    (
        "list_staff30_needs_org",
        include_str!("../sql/list_staff30_needs_org.sql"),
    ),
    (
        "list_joint_unit_can_form_own",
        include_str!("../sql/list_joint_unit_can_form_own.sql"),
    ),
    (
        "list_members_without_coverage",
        include_str!("../sql/list_members_without_coverage.sql"),
    ),
    (
        "list_joint_org_too_large",
        include_str!("../sql/list_joint_org_too_large.sql"),
    ),
    (
        "compliance_lists",
        include_str!("../sql/compliance_lists.sql"),
    ),
    ("action_plan", include_str!("../sql/action_plan.sql")),
    (
        "coverage_breakdown",
        include_str!("../sql/coverage_breakdown.sql"),
    ),
    (
        "attachment_summary",
        include_str!("../sql/attachment_summary.sql"),
    ),
    (
        "attachment_units",
        include_str!("../sql/attachment_units.sql"),
    ),
    // Month over month (need the previous-period tables of `changes::load_previous`).
    ("coverage_trend", include_str!("../sql/coverage_trend.sql")),
    ("unit_changes", include_str!("../sql/unit_changes.sql")),
    (
        "district_changes",
        include_str!("../sql/district_changes.sql"),
    ),
];

/// The SQL of one definition (also run on the published database, e.g. a view).
pub fn definition(name: &str) -> &'static str {
    DEFINITIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, sql)| *sql)
        .expect("a definition of sql/")
}

pub fn aggregate(conn: &Connection) -> Result<()> {
    for (name, sql) in DEFINITIONS {
        conn.execute_batch(sql).db(&format!("sql/{name}.sql"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of sql/ is run by something: a definition here, or one of the few run
    /// on their own (the long-form macro before the definitions, the appraisal by
    /// `coverage appraise`). A new file that nothing runs fails here.
    #[test]
    fn every_sql_file_is_registered() {
        let run_on_their_own = ["figures_long", "appraisal_scorecard"];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sql");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut registered: Vec<String> = DEFINITIONS
            .iter()
            .map(|(n, _)| n.to_string())
            .chain(run_on_their_own.iter().map(|n| n.to_string()))
            .collect();
        registered.sort();
        assert_eq!(files, registered);
        // Each definition's text is its file's (no stale copy).
        for (name, sql) in DEFINITIONS {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("sql")
                .join(format!("{name}.sql"));
            assert_eq!(std::fs::read_to_string(path).unwrap(), *sql, "{name}");
        }
    }

    /// A golden test of tests/sql/: the SQL in `given` makes the input tables, the
    /// definitions in `run` run in order, and `query` must give `expect` (columns joined
    /// by a space; NULL as NULL).
    #[derive(serde::Deserialize)]
    struct Golden {
        given: String,
        run: Vec<String>,
        query: String,
        expect: Vec<String>,
    }

    fn text(v: duckdb::types::Value) -> String {
        use duckdb::types::Value;
        match v {
            Value::Null => "NULL".into(),
            Value::Boolean(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::BigInt(i) => i.to_string(),
            Value::HugeInt(i) => i.to_string(),
            Value::Double(f) => format!("{f:.6}"),
            Value::Text(s) => s,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn every_golden_sql_test_gives_its_rows() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        names.sort();
        assert!(names.len() >= 2, "golden tests in {}", dir.display());
        for path in names {
            let golden: Golden = toml::from_str(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let conn = crate::database::open(None).unwrap();
            conn.execute_batch(crate::changes::FIGURES_LONG).unwrap();
            conn.execute_batch(&golden.given)
                .unwrap_or_else(|e| panic!("{}: given: {e}", path.display()));
            for name in &golden.run {
                conn.execute_batch(definition(name))
                    .unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display()));
            }
            let mut stmt = conn.prepare(&golden.query).unwrap();
            let n = stmt.column_count();
            let got: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| text(r.get(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join(" "))
                })
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            assert_eq!(got, golden.expect, "{}", path.display());
        }
    }
}
