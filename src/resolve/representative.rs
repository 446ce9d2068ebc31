//! Which of a unit's records represents it — gives its name, status and district, and
//! its other facts first: the record no other supersedes (a record can lag behind its
//! company, never run ahead of it: its status, 曾用名 and 核准日期 say so), then by
//! status (迁入, 存续, …, 注销), then one with a USCC, then the one under the name the
//! output folder saw last, then the first in file order.

use crate::matching::written_one_edit_apart;
use crate::model::{embedded_org_code, valid, IdKind, UnitRecord};
use crate::vocabulary::RegistryStatus;

/// The representative of the unit made of records `idx` (in file order); `name_age`
/// says how new each record's name is to the output folder (see `resolve::name_ages`):
/// where nothing else orders two records, the one under the name the unit took last —
/// a renamed unit's new name, beside an export not yet updated.
pub(super) fn of(records: &[UnitRecord], name_age: &[u32], idx: &[usize]) -> usize {
    // A superseded record does not represent the unit (some record always is not).
    *idx.iter()
        .min_by_key(|&&i| {
            (
                idx.len() > 1 && superseded(records, idx, i),
                status_rank(records[i].status),
                valid(&records[i].uscc).is_none(),
                std::cmp::Reverse(age_as_a_name(records, name_age, idx, i)),
                i,
            )
        })
        .expect("a component has a record")
}

/// How new record `i`'s name is to the output folder: the oldest age of the name among
/// the unit's records (the folder keys a name within a district, and a record of the
/// same name in another district is no new name: where a unit is, its status and
/// district cells tell), and a name one edit from an older name of the unit counts as
/// old as that (a record newly mistyped is no rename: a rename changes the 字号, not one
/// character of it).
fn age_as_a_name(records: &[UnitRecord], name_age: &[u32], idx: &[usize], i: usize) -> u32 {
    let key = &records[i].name_key;
    idx.iter()
        .filter(|&&j| {
            let other = &records[j].name_key;
            other == key || written_one_edit_apart(other, key)
        })
        .map(|&j| name_age[j])
        .min()
        .unwrap_or(name_age[i])
}

/// How far a legal entity's life has gone by a record's status: 存续, then 清算 or 停业,
/// then 吊销, then 注销. None for a move (迁出, 迁入), which says where the unit is, not
/// how far it has gone.
fn lifecycle_stage(status: RegistryStatus) -> Option<u8> {
    use RegistryStatus::*;
    match status {
        Active => Some(0),
        Liquidation | Suspended => Some(1),
        Revoked => Some(2),
        Deregistered => Some(3),
        MovedIn | MovedOut => None,
    }
}

/// The codes that name a record's legal entity: its USCC, its organization code (its
/// own or the one inside its USCC) and its 注册号. A name does not: a name freed by a
/// deregistered company can be registered by another.
fn entity_codes(r: &UnitRecord) -> impl Iterator<Item = (IdKind, &str)> {
    [
        (IdKind::Uscc, valid(&r.uscc)),
        (IdKind::OrgCode, embedded_org_code(r)),
        (IdKind::OrgCode, valid(&r.org_code)),
        (IdKind::RegNo, valid(&r.reg_no)),
    ]
    .into_iter()
    .filter_map(|(kind, code)| code.map(|c| (kind, c)))
}

/// Whether another of the unit's records says more recent things than record `i` does.
/// Where `i` says 迁出: a record that does not (the unit moved within the city). Else a
/// record of the same legal entity (see `same_entity`) whose status is further on in the
/// entity's life — an export or an old system's history file can lag behind the
/// entity, never run ahead of it, so 存续 beside 注销 is a record not yet updated — or
/// that gives `i`'s name as its 曾用名 (it was written after the rename), or that the
/// registry approved later (核准日期: the record of the entity's latest change), where
/// its status is not behind `i`'s (a status only moves on, whatever a date says).
fn superseded(records: &[UnitRecord], idx: &[usize], i: usize) -> bool {
    let r = &records[i];
    if r.status == RegistryStatus::MovedOut {
        return idx
            .iter()
            .any(|&j| records[j].status != RegistryStatus::MovedOut);
    }
    let stage = lifecycle_stage(r.status);
    idx.iter().any(|&j| {
        let other = &records[j];
        let (further, behind) = match (stage, lifecycle_stage(other.status)) {
            (Some(own), Some(theirs)) => (theirs > own, theirs < own),
            _ => (false, false),
        };
        let renamed_since =
            other.name_key != r.name_key && other.former_name_keys.contains(&r.name_key);
        let approved_later = !behind
            && matches!(
                (&other.facts.approved, &r.facts.approved),
                (Some(theirs), Some(own)) if theirs > own
            );
        (further || renamed_since || approved_later) && same_entity(other, r)
    })
}

/// Whether `other` is of `r`'s legal entity: a code in common, or a USCC where `r` has
/// none (the current system's record beside an old one joined by its name). Two records
/// joined by name alone with no USCC between them might be two companies that bore one
/// name (a name is free again once its company is deregistered): they are not compared,
/// the ranks decide (the active one first).
fn same_entity(other: &UnitRecord, r: &UnitRecord) -> bool {
    (valid(&other.uscc).is_some() && valid(&r.uscc).is_none())
        || entity_codes(other).any(|c| entity_codes(r).any(|own| own == c))
}

/// Lower is preferred as the unit's representative record. 迁入 before 存续: a unit that
/// moved is still 存续 in the export of the district it left until that is updated, and
/// the record saying 迁入 is where it is now.
fn status_rank(status: RegistryStatus) -> u8 {
    use RegistryStatus::*;
    match status {
        MovedIn => 0,
        Active => 1,
        Liquidation | Suspended => 2,
        MovedOut => 3,
        Revoked => 4,
        Deregistered => 5,
    }
}
