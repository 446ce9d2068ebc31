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
