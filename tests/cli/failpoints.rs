//! A run killed at each named failpoint of its publish (`COVERAGE_FAILPOINT`, see
//! src/failpoint.rs) leaves a folder that the next run puts in the state a run never
//! interrupted would have left: before the commit, as if the killed run had not
//! happened; from the commit on, as if it had finished — the months after it
//! recomputed against it and their dashboards redrawn.
//!
//! The scenario is the rerun of run_periods.rs: November and December of the small
//! fixture, then November rerun with December's exports (so that December no longer
//! differs from it: 0 unit changes), then January, the next run, which recovers.
//!
//! `coverage appraise` and `coverage rollup` publish through the same publisher: killed
//! at each of its failpoints, the folder recovers (as every command first does) to the
//! state before the killed command, or after it from the commit on.

use std::collections::BTreeMap;
use std::path::Path;

use crate::kill::published;
use crate::rollup::{deployment, rollup};
use crate::run_periods::{december, two_months};
use crate::util::*;

/// What a folder holds, compared across separate runs in separate folders: every table
/// of the database by content (row count and a hash of every column but the input
/// file's path, which names the folder) and the output files by name (manifests and
/// reports carry the time of their run).
fn state(out: &Path) -> BTreeMap<String, String> {
    let mut state: BTreeMap<String, String> = published(out)
        .into_keys()
        .filter(|k| !k.starts_with("coverage.duckdb:"))
        .map(|k| (k, String::new()))
        .collect();
    let db = out.join("coverage.duckdb");
    for table in lines(
        &db,
        "SELECT table_name FROM duckdb_tables() WHERE table_name <> 'publish_log' ORDER BY 1",
    ) {
        let content = lines(
            &db,
            &format!(
                "SELECT count(*)::VARCHAR || ' ' || coalesce(list_sum([sum(hash(COLUMNS(lambda c: c <> 'source_file')))])::VARCHAR, '') FROM {table}"
            ),
        );
        state.insert(format!("coverage.duckdb:{table}"), content.join(" "));
    }
    state
}

/// Runs `cmd` with the failpoint `name` set: it must stop there, saying so.
fn kill_at(mut cmd: assert_cmd::Command, name: &str) {
    let killed = cmd
        .env(coverage::failpoint::VARIABLE, name)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&killed.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!("failpoint {name}")),
        "{name}: {stderr}"
    );
}

#[test]
fn a_run_killed_at_any_failpoint_is_recovered_by_the_next_run() {
    // The uninterrupted references: with the rerun, and without it.
    let (done_dir, _) = two_months();
    let pipeline = |dir: &tempfile::TempDir| dir.path().join("pipeline.toml");
    let done_out = done_dir.path().join("out");
    run_ok(&pipeline(&done_dir), "2026-11", &done_out);
    run_ok(&pipeline(&done_dir), "2027-01", &done_out);
    let (never_dir, _) = two_months();
    let never_out = never_dir.path().join("out");
    let december_before = december(&never_out);
    run_ok(&pipeline(&never_dir), "2027-01", &never_out);
    let (done, never) = (state(&done_out), state(&never_out));
    assert_ne!(done, never, "the rerun changes what is published");
    // Rerun, December's changes against it are 0, in both stores, and its dashboard shows it.
    assert_eq!(december(&done_out), ("0".to_string(), 0, true));
    assert_ne!(december_before.0, "0");

    for (i, name) in coverage::failpoint::NAMES.iter().enumerate() {
        let (dir, _) = two_months();
        let out = dir.path().join("out");
        kill_at(run_cmd(&pipeline(&dir), "2026-11", &out), name);
        run_ok(&pipeline(&dir), "2027-01", &out);
        let committed = i >= 2; // after_commit and every later failpoint
        let expected = if committed { &done } else { &never };
        let now = state(&out);
        let differ: Vec<&String> = expected
            .keys()
            .chain(now.keys())
            .filter(|k| expected.get(*k) != now.get(*k))
            .collect();
        assert!(differ.is_empty(), "{name}: {differ:?}");
        if committed {
            assert_eq!(december(&out), ("0".to_string(), 0, true), "{name}");
        }
        let leftovers = dot_files(&out);
        assert!(leftovers.is_empty(), "{name}: {leftovers:?}");
    }
}

/// The failpoints of the publisher itself, which the appraisal and the roll-up pass too
/// (the others are a monthly run's follow-ups).
const PUBLISHER: [&str; 4] = [
    "before_commit",
    "after_journal",
    "after_commit",
    "during_moves",
];

/// Kills `second` at each failpoint of the publisher in a folder where `first` has run
/// (made by `folder`), recovers the folder as the next command would, and compares it
/// with `first` alone (killed before the commit) or `first` then `second` (after it).
fn killed_and_recovered(
    folder: &dyn Fn() -> (tempfile::TempDir, std::path::PathBuf),
    first: &dyn Fn(&Path) -> assert_cmd::Command,
    second: &dyn Fn(&Path) -> assert_cmd::Command,
) {
    let (_once_dir, once) = folder();
    first(&once).assert().success();
    let (_twice_dir, twice) = folder();
    first(&twice).assert().success();
    second(&twice).assert().success();
    let after = state(&twice);
    assert_ne!(
        state(&once),
        after,
        "the second command changes what is published"
    );
    for (i, name) in PUBLISHER.iter().enumerate() {
        let (_dir, out) = folder();
        first(&out).assert().success();
        let before = published(&out);
        kill_at(second(&out), name);
        coverage::run::recover(&out).unwrap();
        if i >= 2 {
            // From the commit on: as if the killed command had finished.
            assert_eq!(state(&out), after, "{name}");
        } else {
            // Before it: byte for byte as before the killed command.
            assert_eq!(published(&out), before, "{name}");
        }
        // The next command takes over the killed one's lock and leaves nothing behind.
        second(&out).assert().success();
        assert_eq!(state(&out), after, "{name}: the command again");
        let leftovers = dot_files(&out);
        assert!(leftovers.is_empty(), "{name}: {leftovers:?}");
    }
}

#[test]
fn an_appraisal_killed_at_any_failpoint_is_recovered() {
    // The small fixture's month; appraised with the notice's targets, then with a
    // social-organization target of 90% (another scorecard).
    let folder = || {
        let (dir, _) = run_small();
        let out = dir.path().to_path_buf();
        let text = std::fs::read_to_string(fixture("small").join("pipeline.toml")).unwrap();
        let pipeline = out.join("targets.toml");
        std::fs::write(
            &pipeline,
            text + "\n[campaign]\ntargets = { social_org_coverage = 0.9 }\n",
        )
        .unwrap();
        (dir, out)
    };
    let appraise = |out: &Path| {
        let mut cmd = coverage();
        cmd.args(["appraise", "--year", "2026", "--out"]).arg(out);
        cmd
    };
    let with_targets = |out: &Path| {
        let mut cmd = appraise(out);
        cmd.arg("--pipeline").arg(out.join("targets.toml"));
        cmd
    };
    killed_and_recovered(&folder, &appraise, &with_targets);
}

#[test]
fn a_rollup_killed_at_any_failpoint_is_recovered() {
    // The sample as three district deployments: rolled up whole, then without the third.
    let deployments = tempfile::tempdir().unwrap();
    let d = deployments.path();
    let (a, b, c) = (
        deployment(d, "a", 0..5),
        deployment(d, "b", 5..10),
        deployment(d, "c", 10..16),
    );
    let folder = || {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("province");
        (dir, out)
    };
    let all = |out: &Path| rollup(&[&a, &b, &c], out);
    let two = |out: &Path| rollup(&[&a, &b], out);
    killed_and_recovered(&folder, &all, &two);
}
