//! No raw ID number or member name reaches an output, and no key means no run.

use crate::util::*;

/// The raw ID numbers of the fixture's member export (second column).
fn raw_ids(members_csv: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(members_csv).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_raw_id_number_or_name_in_any_output() {
    let out = tempfile::tempdir().unwrap();
    let stdout = run_ok(
        &fixture("small").join("pipeline.toml"),
        "2026-11",
        out.path(),
    );
    let ids = raw_ids(&fixture("small").join("members.csv"));
    assert_eq!(ids.len(), 19);
    let files = files_under(out.path());
    assert!(files.len() > 10);
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for id in &ids {
            assert!(
                !contains(&bytes, id.as_bytes()),
                "{} holds an ID number",
                file.display()
            );
            // Nor its first 17 digits (a number stored without the check character).
            assert!(
                !contains(&bytes, &id.as_bytes()[..17]),
                "{} holds an ID prefix",
                file.display()
            );
        }
        assert!(
            !contains(&bytes, "测试党员".as_bytes()),
            "{} holds a member name",
            file.display()
        );
    }
    for id in &ids {
        assert!(!stdout.contains(id.as_str()));
    }
}

#[test]
fn a_run_without_a_key_stops_with_a_clear_error() {
    let dir = copy_fixture("small");
    let pipeline = dir.path().join("pipeline.toml");
    let text = std::fs::read_to_string(&pipeline)
        .unwrap()
        .replace("key_file = \"pseudonym.key\"", "");
    std::fs::write(&pipeline, text).unwrap();
    let out = dir.path().join("out");
    run_cmd(&pipeline, "2026-11", &out)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "no key: set the environment variable COVERAGE_PSEUDONYM_KEY",
        ));
    assert!(!out.join("coverage.duckdb").exists());
}

#[test]
fn the_key_from_the_environment_changes_every_pseudonym() {
    let out_file = tempfile::tempdir().unwrap();
    let out_env = tempfile::tempdir().unwrap();
    let pipeline = fixture("small").join("pipeline.toml");
    run_ok(&pipeline, "2026-11", out_file.path());
    coverage()
        .env("COVERAGE_PSEUDONYM_KEY", "another-key-from-the-environment")
        .args(["run", "--pipeline"])
        .arg(&pipeline)
        .args(["--period", "2026-11", "--out"])
        .arg(out_env.path())
        .assert()
        .success();
    let sql = "SELECT member_key FROM members ORDER BY source_row";
    let a = lines(&out_file.path().join("coverage.duckdb"), sql);
    let b = lines(&out_env.path().join("coverage.duckdb"), sql);
    // All 19 member rows are accepted (member 18's mistyped ID number is flagged).
    assert_eq!(a.len(), 19);
    assert!(a.iter().zip(&b).all(|(x, y)| x != y));
    assert_eq!(
        manifest(out_env.path(), "2026-11")["key_origin"],
        "environment variable COVERAGE_PSEUDONYM_KEY"
    );
}
