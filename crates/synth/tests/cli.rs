//! `coverage-synth` driven as a user drives it: what it refuses and what it repeats.
//! (The pipeline's runs on synthetic months are tested with the pipeline, in tests/cli.)

use assert_cmd::Command;
use coverage::glob::files_under;

fn coverage_synth() -> Command {
    Command::cargo_bin("coverage-synth").expect("binary built")
}

/// Issue 11: `--units 90000000` ran out of memory drawing the world (an abort, not an
/// error). A count beyond what synth can hold is refused as a usage error (exit 2)
/// before anything is drawn or written.
#[test]
fn synth_refuses_more_units_than_it_can_hold() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("month");
    for units in ["90000000", "0"] {
        coverage_synth()
            .args(["write", "--units", units, "--period", "2026-11", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "a synthetic month has 1 to 20000000 units",
            ));
    }
    assert!(!out.exists());
}

#[test]
fn synth_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        coverage_synth()
            .args([
                "write", "--units", "300", "--seed", "7", "--period", "2026-11", "--out",
            ])
            .arg(dir.path())
            .assert()
            .success();
    }
    let fa = files_under(a.path());
    let fb = files_under(b.path());
    // 8 exports, the key, the pipeline file and 8 truth files (list_items.csv too).
    assert_eq!(fa.len(), 18);
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.file_name(), y.file_name());
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
    // A different seed gives a different month.
    let c = tempfile::tempdir().unwrap();
    coverage_synth()
        .args([
            "write", "--units", "300", "--seed", "8", "--period", "2026-11", "--out",
        ])
        .arg(c.path())
        .assert()
        .success();
    assert_ne!(
        std::fs::read(a.path().join("members.csv")).unwrap(),
        std::fs::read(c.path().join("members.csv")).unwrap()
    );
}

/// Truth counts what the exports show: a unit's true formal and probationary members
/// are the member rows truth gives it, less rows the run must reject (too few
/// columns), less members not in normal standing or listed as dead or left anywhere,
/// each person once and formal if a row of theirs there says so — on a messy month where
/// a few hundred rows are broken and some people are listed twice.
#[test]
fn truth_counts_the_members_the_exports_show() {
    let dir = tempfile::tempdir().unwrap();
    coverage_synth()
        .args([
            "write",
            "--units",
            "3000",
            "--seed",
            "5",
            "--period",
            "2026-11",
            "--messiness",
            "high",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let read = |name: &str| {
        csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(dir.path().join(name))
            .unwrap()
            .into_records()
            .map(|r| r.unwrap())
            .collect::<Vec<_>>()
    };
    let rows = read("members.csv");
    let truth = read("truth/member_rows.csv");
    assert_eq!(rows.len(), truth.len());
    let mut shown: std::collections::HashMap<String, (u32, u32)> = Default::default();
    let mut people: std::collections::HashMap<String, (String, bool)> = Default::default();
    let mut left = std::collections::HashSet::new();
    let mut broken = 0;
    for (row, t) in rows.iter().zip(&truth) {
        let unit = &t[2];
        if unit == "broken" {
            assert!(row.len() < 7, "a broken row has too few columns");
            broken += 1;
            continue;
        }
        if &row[6] == "死亡" || &row[6] == "出党" {
            left.insert(row[1].to_string());
        }
        if unit == "none" || &row[6] != "正常" {
            continue;
        }
        // A person's first row in normal standing places them; formal if any of their
        // rows in that unit says so (a 预备 copy predates the 转正).
        let (at, formal) = people
            .entry(row[1].to_string())
            .or_insert((unit.to_string(), false));
        *formal |= at == unit && &row[2] != "预备党员";
    }
    for (person, (unit, formal)) in &people {
        if left.contains(person) {
            continue;
        }
        let e = shown.entry(unit.clone()).or_default();
        match formal {
            true => e.0 += 1,
            false => e.1 += 1,
        }
    }
    assert!(broken > 0, "a high-messiness month has broken member rows");
    let header = csv::Reader::from_path(dir.path().join("truth/units.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (f, p) = (column("formal_members"), column("probationary_members"));
    for u in &read("truth/units.csv") {
        let (formal, probationary): (u32, u32) = (u[f].parse().unwrap(), u[p].parse().unwrap());
        let seen = shown.get(&u[0]).copied().unwrap_or_default();
        assert_eq!((formal, probationary), seen, "unit {}", &u[0]);
    }
}
