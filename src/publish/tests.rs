//! The journal's recovery: rolled forward only when committed, applied twice safely,
//! kept until the follow-ups are done.

use super::*;

/// An output folder whose database committed the publish `t1`, with a journal that
/// moves `staged.txt` to `placed.txt` for the publish `token` and leaves the
/// follow-ups of `follow_up` to do.
fn folder_with_journal(token: &str, follow_up: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let conn = crate::database::open(Some(&out.join(DATABASE_FILE))).unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE {PUBLISH_LOG} (token VARCHAR, period VARCHAR, published_at TIMESTAMP);
         INSERT INTO {PUBLISH_LOG} VALUES ('t1', '2026-11', NULL);"
    ))
    .unwrap();
    drop(conn);
    std::fs::write(out.join("staged.txt"), "new").unwrap();
    let journal = Journal {
        moves: vec![(out.join("staged.txt"), out.join("placed.txt"))],
        trash: out.join(".trash"),
        token: Some(token.into()),
        follow_up: follow_up.map(String::from),
    };
    std::fs::write(
        out.join(JOURNAL_FILE),
        serde_json::to_string(&journal).unwrap(),
    )
    .unwrap();
    dir
}

#[test]
fn a_journal_applied_twice_keeps_the_new_partition() {
    // Killed after both moves of a partition: old set aside, new in place.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let (place, staged, trash) = (out.join("p"), out.join("staged"), out.join("trash"));
    std::fs::create_dir_all(&place).unwrap();
    std::fs::write(place.join("data"), "old").unwrap();
    std::fs::create_dir_all(&staged).unwrap();
    std::fs::write(staged.join("data"), "new").unwrap();
    let journal = Journal {
        moves: vec![
            (place.clone(), trash.join("p")),
            (staged.clone(), place.clone()),
        ],
        trash: trash.clone(),
        token: None,
        follow_up: None,
    };
    apply(&journal).unwrap();
    apply(&journal).unwrap();
    assert_eq!(std::fs::read_to_string(place.join("data")).unwrap(), "new");
    assert_eq!(
        std::fs::read_to_string(trash.join("p/data")).unwrap(),
        "old"
    );
}

#[test]
fn a_journal_is_rolled_forward_only_when_the_database_committed_its_publish() {
    // Committed (the database holds t1): the next run finishes the moves.
    let dir = folder_with_journal("t1", None);
    assert_eq!(recover(dir.path()).unwrap(), None);
    assert!(dir.path().join("placed.txt").exists());
    assert!(!dir.path().join(JOURNAL_FILE).exists());
    // Killed before the commit (t2 is not in the database): nothing is moved, and
    // its follow-ups are not for the next run to do.
    let dir = folder_with_journal("t2", Some("2026-11"));
    assert_eq!(recover(dir.path()).unwrap(), None);
    assert!(!dir.path().join("placed.txt").exists());
    assert!(dir.path().join("staged.txt").exists());
    assert!(!dir.path().join(JOURNAL_FILE).exists());
}

#[test]
fn a_committed_publish_keeps_its_journal_until_its_follow_ups_are_done() {
    let dir = folder_with_journal("t1", Some("2026-11"));
    assert_eq!(recover(dir.path()).unwrap().as_deref(), Some("2026-11"));
    assert!(dir.path().join("placed.txt").exists());
    // Killed again before they were done: the next run is told again.
    assert_eq!(recover(dir.path()).unwrap().as_deref(), Some("2026-11"));
    follow_ups_done(dir.path()).unwrap();
    assert!(!dir.path().join(JOURNAL_FILE).exists());
    assert_eq!(recover(dir.path()).unwrap(), None);
}
