//! The repository stands alone: nothing in it points at the design brief or the
//! policy folder outside it (what the project relies on is in docs/domain.md).

use crate::util::{files_under, repo};

#[test]
fn nothing_cites_files_outside_the_repository() {
    // Spelled in pieces, so this file does not cite them itself.
    let outside = [["DESIGN", ".md"].concat(), ["../", "shared"].concat()];
    let mut citing = Vec::new();
    for dir in ["src", "sql", "docs", "pipelines", "tests", "bench", ".ci"] {
        for path in files_under(&repo().join(dir)) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if outside.iter().any(|o| text.contains(o.as_str())) {
                citing.push(path.display().to_string());
            }
        }
    }
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    if outside.iter().any(|o| readme.contains(o.as_str())) {
        citing.push("README.md".into());
    }
    assert!(
        citing.is_empty(),
        "cite files outside the repository: {citing:?}"
    );
}

/// Every option of every command says what it is for (a line of `--help` that names an
/// option and nothing else is one without help), and `coverage --help` gives the exit
/// codes and the key variable.
#[test]
fn every_option_has_help_and_the_help_gives_exit_codes() {
    let help = |args: &[&str]| {
        let out = crate::util::coverage().args(args).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let top = help(&["--help"]);
    assert!(top.contains("Exit codes: 0 success"), "{top}");
    assert!(top.contains("COVERAGE_PSEUDONYM_KEY"), "{top}");
    for command in ["run", "rollup", "dashboard", "check", "appraise", "init"] {
        let text = help(&[command, "--help"]);
        let options = text.split("Options:").nth(1).unwrap();
        for line in options.lines().filter(|l| l.trim_start().starts_with('-')) {
            let flag_and_value = line.trim_start().split("  ").next().unwrap();
            let rest = line.trim_start()[flag_and_value.len()..].trim();
            assert!(
                !rest.is_empty(),
                "coverage {command}: `{}` has no help",
                line.trim()
            );
        }
        assert!(!text.contains("[default: 0]"), "coverage {command}: {text}");
    }
}

/// `coverage completions SHELL` prints a script that completes the commands and their
/// options (here: the `run` command and its `--memory-limit`), for each shell.
#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = crate::util::coverage()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("memory-limit"), "{shell}: {script}");
        assert!(script.contains("run"), "{shell}");
    }
    crate::util::coverage()
        .args(["completions", "cmd"])
        .assert()
        .code(2);
}
