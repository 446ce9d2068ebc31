//! The campaign's loop, read back (between resolve and link): what the districts
//! decided in the work packs they returned (`反馈_<区名>_<period>.xlsx`, see
//! `reports::write_packs` and [`form`]) — 工作单位 texts confirmed, rejected or pointed to
//! another unit, registry facts corrected, 一企一策 plans — carried from month to month
//! in `feedback_decisions` and applied from the month they are received on.
//!
//! Each run starts from the decisions as the latest earlier period of the output
//! folder left them, reads the month's returned workbooks (`[feedback] files`), and
//! publishes the decisions as they now stand: a new decision on what an earlier one
//! decided replaces it (`superseded_by`, flagged), one already in force is not recorded
//! twice (flagged), and a row that cannot be applied is a reject with its file, sheet,
//! row and reason. Decisions are about units and written employer texts, never about a
//! person.

pub mod form;
mod read;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Pipeline;
use sha2::{Digest, Sha256};

use crate::error::{DbContext, Result};
use crate::extract::InputFile;
use crate::model::{Lineage, RowIssue};
use crate::names::employer_key;
use crate::resolve::{Resolved, Unit};
use crate::vocabulary::{FeedbackField, FeedbackKind, IssueKind, RegistryStatus, Vocabulary};
use crate::{FastMap, FastSet};

/// The `source` of a decision's lineage.
pub const SOURCE: &str = "feedback";

/// One decision of a district (a row of `feedback_decisions`).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// `<period received>/<file name>[<sheet>]/<row>/<field>`: unique, and says where the
    /// decision came from.
    pub id: String,
    pub kind: FeedbackKind,
    /// The district whose workbook it came from.
    pub district_code: String,
    /// The unit decided about: the candidate confirmed or rejected, the unit pointed to,
    /// the unit corrected or planned for.
    pub unit_id: String,
    /// 工作单位 as written (link decisions), and its normalized form that links match.
    pub employer_text: Option<String>,
    pub employer_key: Option<String>,
    pub field: Option<FeedbackField>,
    /// The corrected value (employees as a number, a status or district code) or the
    /// plan text; the USCC the district gave for a redirected link.
    pub value: Option<String>,
    /// What the pack showed for the corrected field (the registry's value then).
    pub registry_value: Option<String>,
    pub basis: Option<String>,
    pub lineage: Lineage,
    pub period_received: String,
    pub superseded_by: Option<String>,
}

/// What a decision on a name as written says: of which names (a joint list's, else
/// members' 工作单位) and whether it names the unit (confirmed, or another unit's USCC)
/// or rejects it. None for corrections and plans.
fn on_a_name(kind: FeedbackKind) -> Option<(bool, bool)> {
    use FeedbackKind::*;
    match kind {
        LinkConfirmed | LinkRedirected => Some((false, true)),
        LinkRejected => Some((false, false)),
        JointConfirmed | JointRedirected => Some((true, true)),
        JointRejected => Some((true, false)),
        Correction | Plan => None,
    }
}

impl Decision {
    /// What a decision decides: a later decision of the same slot replaces it.
    fn slot(&self) -> (FeedbackKind, String, Option<FeedbackField>) {
        let text = self.employer_key.as_deref().unwrap_or("");
        match on_a_name(self.kind) {
            Some((joint, true)) => {
                let confirmed = if joint {
                    FeedbackKind::JointConfirmed
                } else {
                    FeedbackKind::LinkConfirmed
                };
                (confirmed, text.to_string(), None)
            }
            Some((_, false)) => (self.kind, format!("{text}\u{1f}{}", self.unit_id), None),
            None => (self.kind, self.unit_id.clone(), self.field),
        }
    }

    /// Whether a confirmation and a rejection are about the same text and unit (of the
    /// same names): the later replaces the earlier.
    fn overturns(&self, earlier: &Decision) -> bool {
        let same = self.employer_key == earlier.employer_key && self.unit_id == earlier.unit_id;
        match (on_a_name(self.kind), on_a_name(earlier.kind)) {
            (Some((a, names_a)), Some((b, names_b))) => same && a == b && names_a != names_b,
            _ => false,
        }
    }

    fn same_decision(&self, other: &Decision) -> bool {
        self.kind == other.kind && self.unit_id == other.unit_id && self.value == other.value
    }

    pub fn in_force(&self) -> bool {
        self.superseded_by.is_none()
    }
}

/// A correction in force whose field the registry now says otherwise than when the
/// district corrected it (and otherwise than the correction): `feedback_conflicts`.
/// The correction still stands until the district withdraws it.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub unit: usize,
    pub field: FeedbackField,
    pub corrected_value: String,
    pub registry_value_then: String,
    pub registry_value_now: String,
    pub decision_id: String,
}

/// A unit's corrected facts.
#[derive(Debug, Clone, Default)]
pub struct Correction {
    pub employees: Option<i64>,
    pub status: Option<RegistryStatus>,
    pub district_code: Option<String>,
    /// The fields corrected, in FeedbackField order.
    pub fields: Vec<FeedbackField>,
}

/// The month's feedback: every decision as it now stands, what they do to links and
/// units, and what could not be applied.
#[derive(Debug, Default)]
pub struct Feedback {
    pub decisions: Vec<Decision>,
    /// Normalized 工作单位 text → the unit a district confirmed or pointed to.
    pub link_to: FastMap<String, usize>,
    /// Normalized text → the units a district rejected for it: never proposed, never
    /// linked.
    pub rejected: FastMap<String, FastSet<usize>>,
    /// The same for the names of joint lists (党组织覆盖单位待确认): kept apart from the
    /// members', as the same text may be one unit's typo in a list and another's in a
    /// member's 工作单位.
    pub joint_to: FastMap<String, usize>,
    pub joint_rejected: FastMap<String, FastSet<usize>>,
    pub corrections: FastMap<usize, Correction>,
    pub conflicts: Vec<Conflict>,
    pub rejects: Vec<RowIssue>,
    pub flags: Vec<RowIssue>,
    /// The workbooks read, as the manifest lists inputs.
    pub files: Vec<InputFile>,
    /// The city's name prefixes, which a written name's key leaves out (`employer_key`).
    pub name_prefixes: Vec<String>,
}

impl Feedback {
    /// What the districts decided for a joint list's name as written: the unit they
    /// confirmed or pointed to, and the units they rejected.
    pub fn on_joint_name(&self, written: &str) -> (Option<usize>, Option<&FastSet<usize>>) {
        if self.joint_to.is_empty() && self.joint_rejected.is_empty() {
            return (None, None);
        }
        let key = employer_key(written, &self.name_prefixes);
        (
            self.joint_to.get(&key).copied(),
            self.joint_rejected.get(&key),
        )
    }
}

/// Reads the decisions in force before `period` and the month's returned workbooks,
/// and works out what they do this month.
pub fn load(p: &Pipeline, out: &Path, period: &str, resolved: &Resolved) -> Result<Feedback> {
    let mut previous = previous_decisions(out, period)?;
    // A text's key as this version reads members' texts (a post after the name, an
    // organization's level): a decision made under an earlier reading still finds them.
    for d in &mut previous {
        if let Some(text) = &d.employer_text {
            d.employer_key = Some(employer_key(text, &p.pipeline.name_prefixes));
        }
    }
    let unit_of: FastMap<&str, usize> = resolved
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.unit_id.as_str(), i))
        .collect();
    let mut fb = Feedback {
        name_prefixes: p.pipeline.name_prefixes.clone(),
        ..Feedback::default()
    };
    let mut new = Vec::new();
    let files: Vec<PathBuf> = p
        .feedback_files(period)
        .into_iter()
        .filter(|f| sent_back(f))
        .collect();
    let patterns = p.feedback.files.join(", ");
    for path in files.iter().chain(&unread_files(p, period, &files)) {
        let bytes = std::fs::read(path).map_err(|e| crate::Error::Input {
            path: path.clone(),
            message: format!("cannot read the returned workbook: {e}"),
        })?;
        let got = if files.contains(path) {
            read::read_workbook(path, &bytes, p, resolved, &unit_of, period)
        } else {
            read::not_read(path, &patterns)
        };
        // Rows rejected as contradictions (below) are counted with the file's rejects.
        fb.files.push(InputFile {
            source: SOURCE.to_string(),
            kind: SOURCE.to_string(),
            pattern: patterns.clone(),
            path: path.display().to_string(),
            sha256: hex::encode(&Sha256::digest(&bytes)[..]),
            format: path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default(),
            rows_read: got.rows,
            rows_accepted: got.rows - got.rows_rejected,
            rows_rejected: got.rows_rejected,
            unknown_columns: Vec::new(),
        });
        new.extend(got.decisions);
        fb.rejects.extend(got.rejects);
        fb.flags.extend(got.flags);
    }
    let before = fb.rejects.len();
    let new = drop_contradictions(new, &mut fb.rejects);
    let rows: FastSet<(Arc<str>, u64)> = fb.rejects[before..]
        .iter()
        .map(|r| (r.lineage.file().clone(), r.lineage.row))
        .collect();
    for (file, _) in rows {
        if let Some(f) = fb
            .files
            .iter_mut()
            .find(|f| file.starts_with(f.path.as_str()))
        {
            f.rows_accepted -= 1;
            f.rows_rejected += 1;
        }
    }
    fb.decisions = merge(previous, new, &mut fb.flags);
    apply(&mut fb, resolved, &unit_of);
    Ok(fb)
}

/// The files beside the returned workbooks that no pattern reads: every file of the
/// patterns' folders that was sent back ([`sent_back`]).
fn unread_files(p: &Pipeline, period: &str, read: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = p
        .feedback_folders(period)
        .iter()
        .filter_map(|folder| std::fs::read_dir(folder).ok())
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && !read.contains(path) && sent_back(path))
        .collect();
    out.sort();
    out
}

/// Whether a file of the returned workbooks' folders is someone's: not a hidden file,
/// nor Office's lock file (~$…, held while a workbook is open), which the patterns may
/// match (~$反馈_东城区_2026-11.xlsx) but which is no workbook.
fn sent_back(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !name.starts_with('.') && !name.starts_with("~$")
}

/// The decisions as the latest period before `period` published them.
fn previous_decisions(out: &Path, period: &str) -> Result<Vec<Decision>> {
    let conn = crate::database::open(None)?;
    if !crate::database::attach_published(&conn, out, "prior", true)?
        || !crate::database::has_tables(&conn, "prior", &["feedback_decisions"])?
    {
        return Ok(Vec::new());
    }
    let mut stmt = conn
        .prepare(
            "SELECT id, kind, district_code, unit_id, employer_text, employer_key, field, value,
                registry_value, basis, source_file, source_row, period_received, superseded_by
             FROM prior.feedback_decisions
             WHERE period = (SELECT max(period) FROM prior.feedback_decisions WHERE period < ?)
             ORDER BY period_received, id",
        )
        .db("read feedback_decisions")?;
    let source: Arc<str> = Arc::from(SOURCE);
    let rows = stmt
        .query_map([period], |r| {
            let kind: String = r.get(1)?;
            let field: Option<String> = r.get(6)?;
            let file: String = r.get(10)?;
            Ok(Decision {
                id: r.get(0)?,
                kind: FeedbackKind::parse(&kind).unwrap_or(FeedbackKind::Plan),
                district_code: r.get(2)?,
                unit_id: r.get(3)?,
                employer_text: r.get(4)?,
                employer_key: r.get(5)?,
                field: field.as_deref().and_then(FeedbackField::parse),
                value: r.get(7)?,
                registry_value: r.get(8)?,
                basis: r.get(9)?,
                lineage: Lineage::new(source.clone(), file.as_str(), r.get::<_, i64>(11)? as u64),
                period_received: r.get(12)?,
                superseded_by: r.get(13)?,
            })
        })
        .db("read feedback_decisions")?;
    rows.collect::<std::result::Result<_, _>>()
        .db("read feedback_decisions")
}

fn issue(d: &Decision, kind: IssueKind, reason: String) -> RowIssue {
    RowIssue {
        lineage: d.lineage.clone(),
        field: d.field.map(|f| f.label()).unwrap_or("确认结果").to_string(),
        kind,
        reason,
        value: d.value.clone().or_else(|| Some(d.unit_id.clone())),
    }
}

/// Two rows of one month deciding one slot two ways: neither is applied.
fn drop_contradictions(new: Vec<Decision>, rejects: &mut Vec<RowIssue>) -> Vec<Decision> {
    let mut by_slot: FastMap<_, Vec<usize>> = FastMap::default();
    for (i, d) in new.iter().enumerate() {
        by_slot.entry(d.slot()).or_default().push(i);
    }
    let mut bad = vec![false; new.len()];
    for idx in by_slot.values() {
        if idx.iter().any(|&i| !new[i].same_decision(&new[idx[0]])) {
            idx.iter().for_each(|&i| bad[i] = true);
        }
    }
    for (i, d) in new.iter().enumerate() {
        let crossing = new.iter().any(|e| e.overturns(d));
        bad[i] |= crossing;
    }
    let mut kept = Vec::new();
    for (d, bad) in new.into_iter().zip(bad) {
        if bad {
            let reason =
                "another row of this month decides the same differently; neither is applied".into();
            rejects.push(issue(&d, IssueKind::FeedbackContradiction, reason));
        } else {
            kept.push(d);
        }
    }
    kept
}

/// The decisions as they stand after this month's: a decision already in force is not
/// added again; a different one on the same slot replaces it, as does a confirmation of
/// a text and unit a rejection was about (and the reverse). Decisions are looked up by
/// slot and by text and unit: a year of months holds tens of thousands, and each month
/// brings a few thousand more.
fn merge(mut all: Vec<Decision>, new: Vec<Decision>, flags: &mut Vec<RowIssue>) -> Vec<Decision> {
    let mut earlier = Earlier::default();
    for (i, d) in all.iter().enumerate().filter(|(_, d)| d.in_force()) {
        earlier.add(i, d);
    }
    'next: for d in new {
        let slot = d.slot();
        for &i in earlier.of_slot(&slot) {
            let e = &all[i];
            if e.in_force() && e.same_decision(&d) {
                let reason = format!("already in force since {} ({})", e.period_received, e.id);
                flags.push(issue(&d, IssueKind::FeedbackRepeated, reason));
                continue 'next;
            }
        }
        for i in earlier.about(&slot, &d) {
            let e = &mut all[i];
            if e.in_force() && (e.slot() == slot || d.overturns(e)) {
                let reason = format!("replaces the decision of {} ({})", e.period_received, e.id);
                flags.push(issue(&d, IssueKind::FeedbackSupersedes, reason));
                e.superseded_by = Some(d.id.clone());
            }
        }
        earlier.add(all.len(), &d);
        all.push(d);
    }
    all
}

type Slot = (FeedbackKind, String, Option<FeedbackField>);

/// The decisions of `merge` (their indexes, in order) by slot and by text and unit.
#[derive(Default)]
struct Earlier {
    by_slot: FastMap<Slot, Vec<usize>>,
    by_text_unit: FastMap<(Option<String>, String), Vec<usize>>,
}

impl Earlier {
    fn add(&mut self, i: usize, d: &Decision) {
        self.by_slot.entry(d.slot()).or_default().push(i);
        let text_unit = (d.employer_key.clone(), d.unit_id.clone());
        self.by_text_unit.entry(text_unit).or_default().push(i);
    }

    fn of_slot(&self, slot: &Slot) -> &[usize] {
        self.by_slot.get(slot).map_or(&[], Vec::as_slice)
    }

    /// Those of `slot` and those about the text and unit of `d`, in order.
    fn about(&self, slot: &Slot, d: &Decision) -> Vec<usize> {
        let text_unit = (d.employer_key.clone(), d.unit_id.clone());
        let mut found = self.of_slot(slot).to_vec();
        found.extend(self.by_text_unit.get(&text_unit).into_iter().flatten());
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// What the decisions in force do to this month's links and units.
fn apply(fb: &mut Feedback, resolved: &Resolved, unit_of: &FastMap<&str, usize>) {
    for d in fb.decisions.iter().filter(|d| d.in_force()) {
        let Some(&unit) = unit_of.get(d.unit_id.as_str()) else {
            continue;
        };
        let key = d.employer_key.clone().unwrap_or_default();
        match (d.kind, d.field) {
            (FeedbackKind::LinkConfirmed | FeedbackKind::LinkRedirected, _) => {
                fb.link_to.insert(key, unit);
            }
            (FeedbackKind::LinkRejected, _) => {
                fb.rejected.entry(key).or_default().insert(unit);
            }
            (FeedbackKind::JointConfirmed | FeedbackKind::JointRedirected, _) => {
                fb.joint_to.insert(key, unit);
            }
            (FeedbackKind::JointRejected, _) => {
                fb.joint_rejected.entry(key).or_default().insert(unit);
            }
            (FeedbackKind::Correction, Some(field)) => {
                let u = &resolved.units[unit];
                let c = fb.corrections.entry(unit).or_default();
                let value = d.value.clone().unwrap_or_default();
                match field {
                    FeedbackField::Employees => c.employees = value.parse().ok(),
                    FeedbackField::Status => c.status = RegistryStatus::parse(&value),
                    FeedbackField::District => c.district_code = Some(value.clone()),
                    _ => {}
                }
                if !c.fields.contains(&field) {
                    c.fields.push(field);
                    c.fields.sort();
                }
                if let Some(conflict) = conflict(d, field, unit, u) {
                    fb.conflicts.push(conflict);
                }
            }
            _ => {}
        }
    }
}

/// The registry's value of a corrected field, as the pack shows it.
pub fn registry_value(u: &Unit, field: FeedbackField) -> String {
    match field {
        FeedbackField::Employees => u.facts.employees.map(|e| e.to_string()).unwrap_or_default(),
        FeedbackField::Status => u.status.label().to_string(),
        FeedbackField::District => u
            .facts
            .district_code
            .as_deref()
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    }
}

fn conflict(d: &Decision, field: FeedbackField, unit: usize, u: &Unit) -> Option<Conflict> {
    let now = registry_value(u, field);
    let then = d.registry_value.clone().unwrap_or_default();
    let corrected = d.value.clone().unwrap_or_default();
    let agrees = match field {
        FeedbackField::Status => RegistryStatus::parse(&corrected).map(|s| s.label()) == Some(&now),
        _ => now == corrected,
    };
    (now != then && !agrees).then(|| Conflict {
        unit,
        field,
        corrected_value: corrected,
        registry_value_then: then,
        registry_value_now: now,
        decision_id: d.id.clone(),
    })
}
