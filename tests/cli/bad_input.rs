//! The catalogue of bad inputs (tests/fixtures/bad, listed in docs/bad-input.md): every
//! case gives its documented outcome — an error naming the file, a reject with its
//! reason, a flag, a link issue, or the value read as a person would read it.

use serde::Deserialize;

use crate::util::*;

#[derive(Deserialize)]
struct Case {
    description: String,
    outcome: String,
    #[serde(default)]
    patch: Vec<(String, String)>,
    exit_code: Option<i32>,
    #[serde(default)]
    stderr: Vec<String>,
    sql: Option<String>,
    #[serde(default)]
    expect: Vec<String>,
}

/// Runs one case; returns what went wrong, if anything.
fn check_case(name: &str, case: &Case) -> Result<(), String> {
    let dir = copy_fixture("small");
    for entry in std::fs::read_dir(fixture("bad").join(name)).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "case.toml" {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    let pipeline = dir.path().join("pipeline.toml");
    let mut text = std::fs::read_to_string(&pipeline).unwrap();
    for (from, to) in &case.patch {
        if !text.contains(from.as_str()) {
            return Err(format!("patch text not in the pipeline: {from}"));
        }
        text = text.replacen(from.as_str(), to, 1);
    }
    std::fs::write(&pipeline, text).unwrap();
    let out = dir.path().join("out");
    let output = run_cmd(&pipeline, "2026-11", &out).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    match case.exit_code {
        Some(code) => {
            if output.status.code() != Some(code) {
                return Err(format!(
                    "exit {:?}, expected {code}; stderr: {stderr}",
                    output.status.code()
                ));
            }
            for want in &case.stderr {
                if !stderr.contains(want.as_str()) {
                    return Err(format!("stderr lacks {want:?}: {stderr}"));
                }
            }
            if out.join("coverage.duckdb").exists() {
                return Err("a failed run wrote a database".into());
            }
        }
        None => {
            if !output.status.success() {
                return Err(format!("run failed: {stderr}"));
            }
            let got = lines(
                &out.join("coverage.duckdb"),
                case.sql.as_deref().expect("sql"),
            );
            if got != case.expect {
                return Err(format!("got {got:?}, expected {:?}", case.expect));
            }
        }
    }
    Ok(())
}

#[test]
fn every_bad_input_case_gives_its_documented_outcome() {
    let doc = std::fs::read_to_string(repo().join("docs").join("bad-input.md")).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(fixture("bad"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 20, "only {} cases", names.len());
    let mut failures = Vec::new();
    let mut outcomes = std::collections::BTreeSet::new();
    for name in &names {
        let text = std::fs::read_to_string(fixture("bad").join(name).join("case.toml")).unwrap();
        let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            doc.contains(&format!("| {name} | {} |", case.description)),
            "{name} is not in docs/bad-input.md"
        );
        outcomes.insert(case.outcome.clone());
        if let Err(e) = check_case(name, &case) {
            failures.push(format!("{name} ({}): {e}", case.description));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
    assert_eq!(
        outcomes.into_iter().collect::<Vec<_>>(),
        vec!["accept", "error", "flag", "link_issue", "reject"]
    );
}
