//! Named failpoints of the publish: with `COVERAGE_FAILPOINT=<name>` in its environment a
//! run dies at that step as a killed process would (abort: no destructor runs, nothing is
//! flushed or removed), so that a test can show the next run recovering from each step.
//! Unset, a failpoint costs one read of the environment.

/// The variable that names the failpoint to die at.
pub const VARIABLE: &str = "COVERAGE_FAILPOINT";

/// Every failpoint, in the order a run passes them: before the publish journal is
/// written, after it (before the database commit), after the commit (before the file
/// moves), after the first move, after the moves (before the later months are
/// recomputed), after the first later month's tables are committed (before its Parquet
/// is rewritten), and before the dashboards are drawn. The first four are the
/// publisher's own, which an appraisal and a roll-up pass too.
pub const NAMES: &[&str] = &[
    "before_commit",
    "after_journal",
    "after_commit",
    "during_moves",
    "after_moves",
    "during_recompute",
    "before_dashboards",
];

/// Dies here if the environment names this failpoint.
pub fn hit(name: &str) {
    debug_assert!(NAMES.contains(&name), "unknown failpoint {name}");
    if std::env::var_os(VARIABLE).is_some_and(|v| v == name) {
        eprintln!("coverage: failpoint {name}: stopping as if killed");
        std::process::abort();
    }
}
