//! Stage 5, aggregate: the metric and list definitions of `sql/`, run by DuckDB over
//! the tables of `tables`. The SQL is compiled into the binary, so the files in `sql/`
//! are the one definition an auditor reads and the one the tool runs.

use duckdb::Connection;

use crate::error::{DbContext, Result};

/// Definitions in the order they run (later ones may read earlier ones).
pub const DEFINITIONS: &[(&str, &str)] = &[
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
}
