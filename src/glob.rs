//! File-name patterns of the pipeline file: `*` (any run of characters), `?` (one
//! character) and `[…]` (one of a set or range, `[!…]` none of it) in any part of a
//! path, matched one path component at a time, so that a `*` never crosses a folder.
//! Monthly exports are named by the office that writes them
//! (`市场监管_企业登记信息_东城_202611.csv`); one pattern reads them all every month.

use std::path::{Component, Path, PathBuf};

/// Every file under a folder, at any depth, sorted by path (none for a folder that is
/// not there): what the tests, the benchmarks and the checks of an output folder walk.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Whether a path pattern has any wildcard.
pub fn has_wildcards(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// Every existing file matching the pattern, in name order.
pub fn matches(pattern: &Path) -> Vec<PathBuf> {
    let mut current = vec![PathBuf::new()];
    for component in pattern.components() {
        let part = component.as_os_str().to_string_lossy();
        let wild = matches!(component, Component::Normal(_)) && has_wildcards(&part);
        if !wild {
            for p in &mut current {
                p.push(component.as_os_str());
            }
            continue;
        }
        let glob: Vec<char> = part.chars().collect();
        let mut next = Vec::new();
        for dir in &current {
            let listed = if dir.as_os_str().is_empty() {
                std::fs::read_dir(".")
            } else {
                std::fs::read_dir(dir)
            };
            let Ok(entries) = listed else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if fits(&glob, &name.chars().collect::<Vec<_>>()) {
                    next.push(dir.join(&name));
                }
            }
        }
        current = next;
    }
    current.retain(|p| p.is_file());
    current.sort();
    current
}

/// Whether a name fits a one-component pattern.
fn fits(pattern: &[char], name: &[char]) -> bool {
    match pattern.first() {
        None => name.is_empty(),
        Some('*') => (0..=name.len()).any(|k| fits(&pattern[1..], &name[k..])),
        Some('?') => !name.is_empty() && fits(&pattern[1..], &name[1..]),
        Some('[') => match (class(&pattern[1..]), name.first()) {
            (Some((set_len, negated, set)), Some(&c)) => {
                let inside = in_set(set, c);
                inside != negated && fits(&pattern[2 + set_len..], &name[1..])
            }
            // An unclosed bracket is a plain character.
            (None, Some(&c)) => c == '[' && fits(&pattern[1..], &name[1..]),
            (_, None) => false,
        },
        Some(&p) => name.first() == Some(&p) && fits(&pattern[1..], &name[1..]),
    }
}

/// The body of a `[…]` class after its `[`: its length up to the `]`, whether it is
/// negated, and the set itself.
fn class(rest: &[char]) -> Option<(usize, bool, &[char])> {
    let close = rest.iter().skip(1).position(|&c| c == ']')? + 1;
    let body = &rest[..close];
    match body.first() {
        Some('!') | Some('^') => Some((close, true, &body[1..])),
        _ => Some((close, false, body)),
    }
}

fn in_set(set: &[char], c: char) -> bool {
    let mut i = 0;
    while i < set.len() {
        if i + 2 < set.len() && set[i + 1] == '-' {
            if set[i] <= c && c <= set[i + 2] {
                return true;
            }
            i += 3;
        } else {
            if set[i] == c {
                return true;
            }
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(p: &str, n: &str) -> bool {
        fits(
            &p.chars().collect::<Vec<_>>(),
            &n.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn wildcards_in_one_component() {
        assert!(fit(
            "市场监管_*_202611.csv",
            "市场监管_企业登记信息_东城_202611.csv"
        ));
        assert!(!fit("市场监管_*_202611.csv", "市场监管_东城_202610.csv"));
        assert!(fit("a?c", "abc"));
        assert!(!fit("a?c", "ac"));
        assert!(fit("[ab]x", "bx"));
        assert!(fit("[0-9]x", "7x"));
        assert!(!fit("[!0-9]x", "7x"));
        assert!(fit("*", ""));
    }

    #[test]
    fn matches_walk_folders_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "2026-11/e_b_202611.csv",
            "2026-11/e_a_202611.csv",
            "2026-10/e_a_202610.csv",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let found = matches(&dir.path().join("*/e_*_202611.csv"));
        let names: Vec<_> = found
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["2026-11/e_a_202611.csv", "2026-11/e_b_202611.csv"]);
        assert!(matches(&dir.path().join("*/nothing_*.csv")).is_empty());
    }
}
