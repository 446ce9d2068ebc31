//! The returned workbooks part of `coverage-synth evaluate`, for a month of
//! `coverage-synth write --months` that has them (src/feedback.rs): every row applied or
//! rejected as its truth says, the rejected ones counted in the manifest; the members
//! who wrote a reviewed 工作单位 text linked to its unit; each correction in force in
//! `unit_status`; each plan in force in `feedback_decisions`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::feedback::{CorrectionTruth, PlanTruth, ReviewedText, RowTruth};
use crate::run_rows::{run_map, Key};
use crate::truth::read_csv;
use coverage::error::{DbContext, Result};

#[derive(Debug, Default, Serialize)]
pub struct FeedbackScores {
    /// Rows the truth says are applied, and of them those the run took (a decision, or
    /// a flag that it is in force already).
    pub rows_applied: u64,
    pub rows_applied_found: u64,
    /// Bad rows, and of them those rejected with the kind the truth names.
    pub rows_bad: u64,
    pub rows_bad_rejected: u64,
    /// Feedback rows rejected that the truth does not call bad.
    pub rejects_unexpected: u64,
    /// Rows rejected in the manifest's feedback inputs (= rows_bad when all is well).
    pub manifest_rejected: u64,
    /// Members who wrote a reviewed text: linked to a unit, and to its true unit.
    pub reviewed_members: u64,
    pub reviewed_linked: u64,
    pub reviewed_correct: u64,
    /// Joint lists' names a district decided (in force), the rows covered by those
    /// decisions (rule reviewed), and of them those on the unit decided for the name.
    pub joint_names: u64,
    pub joint_rows: u64,
    pub joint_rows_right: u64,
    /// Corrections in force, and those unit_status shows.
    pub corrections: u64,
    pub corrections_shown: u64,
    /// Plans in force, and those feedback_decisions holds as the truth says.
    pub plans: u64,
    pub plans_shown: u64,
    /// Up to 10 rows or units that differ, with why.
    pub exceptions: Vec<String>,
}

/// None for a month without returned workbooks.
pub fn evaluate_feedback(
    conn: &duckdb::Connection,
    truth_dir: &Path,
    run: &Path,
    period: &str,
    links: &Links,
) -> Result<Option<FeedbackScores>> {
    let file = truth_dir.join("feedback_rows.csv");
    if !file.exists() {
        return Ok(None);
    }
    let mut s = FeedbackScores::default();
    rows(conn, &read_csv(&file)?, period, &mut s)?;
    s.manifest_rejected = manifest_rejected(run, period);
    let texts: Vec<ReviewedText> = read_csv(&truth_dir.join("reviewed_texts.csv"))?;
    reviewed(conn, &texts, period, links, &mut s)?;
    let names = truth_dir.join("reviewed_joint_names.csv");
    if names.exists() {
        reviewed_joint_names(conn, &read_csv(&names)?, period, &mut s)?;
    }
    corrections(
        conn,
        &read_csv(&truth_dir.join("corrections.csv"))?,
        period,
        &mut s,
    )?;
    plans(
        conn,
        &read_csv(&truth_dir.join("plans.csv"))?,
        period,
        &mut s,
    )?;
    Ok(Some(s))
}

fn note(s: &mut FeedbackScores, what: String) {
    if s.exceptions.len() < 10 {
        s.exceptions.push(what);
    }
}

fn rows(
    conn: &duckdb::Connection,
    truth: &[RowTruth],
    period: &str,
    s: &mut FeedbackScores,
) -> Result<()> {
    let kind = |r: &duckdb::Row| r.get::<_, String>(2);
    let rejects = run_map(
        conn,
        "SELECT source_file, source_row, kind FROM rejects WHERE period = ? AND source = 'feedback'",
        period,
        kind,
    )?;
    let decisions = run_map(
        conn,
        "SELECT source_file, source_row, kind FROM feedback_decisions WHERE period_received = $1 \
         UNION ALL SELECT source_file, source_row, kind FROM flags \
         WHERE period = $1 AND source = 'feedback' AND kind = 'feedback_repeated'",
        period,
        kind,
    )?;
    let mut expected_bad = HashSet::new();
    for t in truth {
        let key = (format!("{}[{}]", t.file, t.sheet), t.row);
        if t.expected == "applied" {
            s.rows_applied += 1;
            if decisions.contains_key(&key) {
                s.rows_applied_found += 1;
            } else {
                note(
                    s,
                    format!("{}:{} not applied ({:?})", key.0, key.1, rejects.get(&key)),
                );
            }
        } else {
            s.rows_bad += 1;
            expected_bad.insert(key.clone());
            match rejects.get(&key) {
                Some(k) if *k == t.expected => s.rows_bad_rejected += 1,
                other => note(
                    s,
                    format!("{}:{} expected {}, got {other:?}", key.0, key.1, t.expected),
                ),
            }
        }
    }
    s.rejects_unexpected = rejects
        .keys()
        .filter(|k| !expected_bad.contains(*k))
        .count() as u64;
    Ok(())
}

fn manifest_rejected(run: &Path, period: &str) -> u64 {
    let path = coverage::publish::manifest_path(run, period);
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    let m: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    m["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["source"] == "feedback")
        .map(|i| i["rows_rejected"].as_u64().unwrap_or(0))
        .sum()
}

/// What judging a member's link takes: each member row's true unit ((file, row) → unit
/// label) and each run unit's true unit (run unit_id → label).
pub struct Links<'a> {
    pub member_truth: &'a HashMap<Key, String>,
    pub true_of_pred: &'a HashMap<String, String>,
}

/// The joint list's rows covered by a district's decision on their name: each on a unit
/// decided for one of the names (the generator types each unit's name its own way).
fn reviewed_joint_names(
    conn: &duckdb::Connection,
    truth: &[ReviewedText],
    period: &str,
    s: &mut FeedbackScores,
) -> Result<()> {
    s.joint_names = truth.len() as u64;
    let decided: HashSet<&str> = truth.iter().map(|t| t.unit_id.as_str()).collect();
    let run = run_map(
        conn,
        "SELECT source_file, source_row, unit_id FROM org_units \
         WHERE period = ? AND role = 'covered' AND rule = 'reviewed'",
        period,
        |r| r.get::<_, String>(2),
    )?;
    for unit in run.values() {
        s.joint_rows += 1;
        if decided.contains(unit.as_str()) {
            s.joint_rows_right += 1;
        } else {
            note(s, format!("a joint row covered by a decision on {unit}"));
        }
    }
    Ok(())
}

/// Members who wrote a reviewed text, each judged by its own true unit (a text confirmed
/// for one unit may be written by a member of another).
fn reviewed(
    conn: &duckdb::Connection,
    truth: &[ReviewedText],
    period: &str,
    links: &Links,
    s: &mut FeedbackScores,
) -> Result<()> {
    let texts: HashSet<&str> = truth.iter().map(|t| t.text.as_str()).collect();
    let run = run_map(
        conn,
        "SELECT source_file, source_row, employer_name, unit_id FROM members \
         WHERE period = ? AND employer_name IS NOT NULL",
        period,
        |r| Ok((r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?)),
    )?;
    for (key, (text, unit)) in &run {
        let Some(t) = links
            .member_truth
            .get(key)
            .filter(|_| texts.contains(text.as_str()))
        else {
            continue;
        };
        if !t.starts_with('T') {
            continue;
        }
        s.reviewed_members += 1;
        match unit {
            Some(u) => {
                s.reviewed_linked += 1;
                if links.true_of_pred.get(u) == Some(t) {
                    s.reviewed_correct += 1;
                } else {
                    note(s, format!("`{text}` ({t}) linked to {u}"));
                }
            }
            None => note(s, format!("`{text}` ({t}) not linked")),
        }
    }
    Ok(())
}

fn corrections(
    conn: &duckdb::Connection,
    truth: &[CorrectionTruth],
    period: &str,
    s: &mut FeedbackScores,
) -> Result<()> {
    let mut stmt = conn
        .prepare("SELECT unit_id, coalesce(employees::VARCHAR, ''), status FROM unit_status WHERE period = ?")
        .db("read unit_status")?;
    let shown: HashMap<String, (String, String)> = stmt
        .query_map([period], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .db("read unit_status")?
        .collect::<std::result::Result<_, _>>()
        .db("read unit_status")?;
    for c in truth {
        s.corrections += 1;
        let got = shown.get(&c.unit_id);
        let ok = got.is_some_and(|(employees, status)| match c.field.as_str() {
            "employees" => *employees == c.value,
            _ => *status == c.value,
        });
        if ok {
            s.corrections_shown += 1;
        } else {
            note(
                s,
                format!(
                    "{} {} = {}: unit_status has {got:?}",
                    c.unit_id, c.field, c.value
                ),
            );
        }
    }
    Ok(())
}

fn plans(
    conn: &duckdb::Connection,
    truth: &[PlanTruth],
    period: &str,
    s: &mut FeedbackScores,
) -> Result<()> {
    let mut stmt = conn
        .prepare(
            "SELECT unit_id, value FROM feedback_decisions WHERE period = ? AND kind = 'plan' \
             AND field = 'measures' AND superseded_by IS NULL",
        )
        .db("read feedback_decisions")?;
    let shown: HashMap<String, String> = stmt
        .query_map([period], |r| Ok((r.get(0)?, r.get(1)?)))
        .db("read feedback_decisions")?
        .collect::<std::result::Result<_, _>>()
        .db("read feedback_decisions")?;
    for p in truth {
        s.plans += 1;
        if shown.get(&p.unit_id) == Some(&p.measures) {
            s.plans_shown += 1;
        } else {
            note(
                s,
                format!("plan of {}: {:?}", p.unit_id, shown.get(&p.unit_id)),
            );
        }
    }
    Ok(())
}
