//! The work ledger (台账) linked to units: each row's unit, and what a unit's rows say
//! of it — its 党建工作指导员, 工会 and 团组织, its head count and why it has no
//! organization — where a unit has several rows, from the latest report.

use super::{LedgerFacts, LinkIssue, Linked};
use crate::model::LedgerRecord;
use crate::resolve::Resolved;
use crate::vocabulary::LinkIssueKind;
use crate::FastMap;

/// Ledger rows → per-unit facts (`out.ledger`); returns the rows that found no unit and
/// those a later report of their unit supersedes (listed after the other references'
/// issues).
///
/// A ledger is kept by hand and updated by adding a row as often as by editing one, so
/// a unit can have an old row beside its current one (an instructor since withdrawn, a
/// head count since grown). Where the rows give their 填报日期, a dated row is superseded
/// by a later-dated row of the unit: its facts are not used, and it is listed
/// (`ledger_superseded`, naming the row that supersedes it). The rows that stand are
/// read together: a yes in any of them is a yes, and the head count and the reason come
/// from the latest dated row, then the undated ones in file order (nothing in an
/// undated row tells which is newer).
pub(super) fn link_ledger(
    ledger: &[LedgerRecord],
    resolved: &Resolved,
    out: &mut Linked,
) -> Vec<LinkIssue> {
    let mut issues = Vec::new();
    // Each unit's rows, and where its first row is in the ledger.
    let mut rows_of: FastMap<usize, (usize, Vec<&LedgerRecord>)> = FastMap::default();
    for (i, rec) in ledger.iter().enumerate() {
        let found = resolved
            .index
            .find(&resolved.units, &rec.unit)
            .map(|(u, _)| u);
        let typed = || {
            resolved
                .index
                .one_edit_from(&resolved.units, &rec.unit, |_| true)
        };
        match found.or_else(typed) {
            Some(unit) => rows_of.entry(unit).or_insert((i, Vec::new())).1.push(rec),
            None => issues.push(LinkIssue::unplaced(
                &rec.lineage,
                LinkIssueKind::Ledger,
                "ledger row matches no registry unit",
                rec.unit.shown(),
            )),
        }
    }
    // Units in the order of their first row, so that the issues come in file order.
    let mut units: Vec<(usize, (usize, Vec<&LedgerRecord>))> = rows_of.into_iter().collect();
    units.sort_by_key(|(_, (first, _))| *first);
    for (unit, (_, mut rows)) in units {
        let latest = rows.iter().filter_map(|r| r.reported.clone()).max();
        if let Some(latest) = &latest {
            let newest = *rows
                .iter()
                .find(|r| r.reported.as_ref() == Some(latest))
                .expect("the latest date is a row's");
            rows.retain(|r| match &r.reported {
                Some(date) if date < latest => {
                    issues.push(superseded(r, newest, latest, unit));
                    false
                }
                _ => true,
            });
        }
        // The latest dated rows first, then the undated ones, each in file order.
        rows.sort_by_key(|r| r.reported.is_none());
        out.ledger.insert(unit, facts(&rows));
    }
    issues
}

/// What the standing rows of a unit say (`rows` latest first).
fn facts(rows: &[&LedgerRecord]) -> LedgerFacts {
    LedgerFacts {
        instructor: rows.iter().any(|r| r.instructor),
        union: rows.iter().any(|r| r.union),
        youth_league: rows.iter().any(|r| r.youth_league),
        employees: rows.iter().find_map(|r| r.employees),
        no_org_reason: rows.iter().find_map(|r| r.no_org_reason.clone()),
    }
}

fn superseded(old: &LedgerRecord, newest: &LedgerRecord, latest: &str, unit: usize) -> LinkIssue {
    let reason = format!(
        "a later report of the unit supersedes this row ({} row {}, 填报日期 {latest})",
        newest.lineage.file_name(),
        newest.lineage.row,
    );
    LinkIssue {
        unit: Some(unit),
        ..LinkIssue::unplaced(
            &old.lineage,
            LinkIssueKind::LedgerSuperseded,
            &reason,
            old.reported.clone(),
        )
    }
}
