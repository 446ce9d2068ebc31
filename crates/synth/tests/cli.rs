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
    // 8 exports, the key, the pipeline file and 6 truth files.
    assert_eq!(fa.len(), 16);
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
