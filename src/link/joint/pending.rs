//! The joint-coverage rows left open before the member file is read
//! (`PendingCoverage`), decided once it is: by what the organization covered last
//! period, else where its members work, else as the row's `Otherwise` says.
use super::{Otherwise, PendingCoverage};
use crate::error::Result;
use crate::extract::Staged;
use crate::link::earlier::EarlierUnits;
use crate::link::{prefer, Linked, OrgRole, OrgUnit};
use crate::resolve::Resolved;
use crate::vocabulary::UnitFoundBy;
use crate::{FastMap, FastSet};

/// The rows left open (`PendingCoverage`), once the members are read: among the pairs of
/// organization and unit a row may mean — for a name typed by hand, only units no
/// organization holds yet (a unit is in one organization, and a list does not name a
/// unit twice) — the one pair where the organization covered the unit last period
/// (`name_typo_previous_period`: the list is retyped each month), if the organization of
/// that code then is the one of now (it covered then most of the units it holds now);
/// else the one pair where members of the organization work in the unit, by what their
/// 工作单位 says exactly (code or exact name) (`name_typo_members`: a joint organization's
/// members are the staff of the units it covers). A row naming its unit keeps the rule
/// that found the unit. Rows still undecided go as `otherwise` says, issues where they
/// were among the link issues.
pub(in crate::link) fn cover_where_members_work(
    staged: &Staged,
    resolved: &Resolved,
    org_of_member: &[Option<usize>],
    pending: Vec<PendingCoverage>,
    earlier: EarlierUnits,
    out: &mut Linked,
) -> Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let asked: FastSet<usize> = pending
        .iter()
        .flat_map(|p| p.orgs.iter().copied())
        .collect();
    let held_by = held_now(&pending, out);
    let before = covered_last_period(&asked, &held_by, earlier, resolved, out)?;
    let covered_before = |org: usize, unit: usize| {
        before
            .get(&org)
            .is_some_and(|units| units.contains(&resolved.units[unit].unit_id))
    };
    let worked_in: FastSet<(usize, usize)> = staged
        .members
        .iter()
        .zip(org_of_member)
        .filter_map(|(m, &org)| {
            let org = org.filter(|o| asked.contains(o))?;
            let (unit, _) = resolved.index.find(&resolved.units, &m.employer)?;
            Some((org, unit))
        })
        .collect();
    // A unit a row names exactly is held, whichever way its row goes: no other row's
    // typo is taken for it.
    let mut held: FastSet<usize> = held_by.values().flatten().copied().collect();
    let mut seen: FastSet<(usize, usize)> = out.org_units.iter().map(|l| (l.org, l.unit)).collect();
    let mut decided = Vec::new();
    let mut undecided = Vec::new();
    for p in pending {
        let pairs: Vec<(usize, usize)> = p
            .orgs
            .iter()
            .flat_map(|&o| p.candidates.iter().map(move |&u| (o, u)))
            .filter(|&(_, u)| p.found_by.is_some() || !held.contains(&u))
            .collect();
        let the_one = |keep: &dyn Fn(usize, usize) -> bool, rule: UnitFoundBy| {
            let mut kept = pairs.iter().filter(|&&(o, u)| keep(o, u));
            match (kept.next(), kept.next()) {
                (Some(&(o, u)), None) => Some((o, u, p.found_by.unwrap_or(rule))),
                _ => None,
            }
        };
        let works_there = |o, u| worked_in.contains(&(o, u));
        let found = match p.otherwise {
            // Members of the organization in a unit one edit from the one named are no
            // sign of a typo: members who changed jobs keep their relation (issue 19).
            Otherwise::Named(u, _) if !covered_before(p.orgs[0], u) => {
                the_one(&covered_before, UnitFoundBy::NameTypoPreviousPeriod)
            }
            Otherwise::Named(..) => None,
            _ => the_one(&covered_before, UnitFoundBy::NameTypoPreviousPeriod)
                .or_else(|| the_one(&works_there, UnitFoundBy::NameTypoMembers)),
        };
        let (org, unit, rule) = match (found, p.otherwise) {
            (Some(found), _) => found,
            (None, Otherwise::Named(unit, rule)) => (p.orgs[0], unit, rule),
            (
                None,
                Otherwise::Covers {
                    unit,
                    rule,
                    mut issue,
                    at,
                },
            ) => {
                let near = offered(&pairs, p.district.as_deref(), resolved);
                issue.other_units = std::iter::once(unit)
                    .chain(near.into_iter().filter(|&u| u != unit))
                    .collect();
                undecided.push((at, issue));
                (p.orgs[0], unit, rule)
            }
            (None, Otherwise::FirstOrg { issue, at }) => {
                undecided.push((at, issue));
                let rule = p.found_by.expect("a named unit");
                (p.orgs[0], p.candidates[0], rule)
            }
            (None, Otherwise::Listed { mut issue, at }) => {
                issue.other_units = offered(&pairs, p.district.as_deref(), resolved);
                undecided.push((at, issue));
                continue;
            }
        };
        held.insert(unit);
        if !seen.insert((org, unit)) {
            continue;
        }
        decided.push(OrgUnit {
            org,
            unit,
            role: OrgRole::Covered,
            rule,
            lineage: p.lineage,
        });
    }
    out.org_units.extend(decided);
    for (at, issue) in undecided.into_iter().rev() {
        out.issues.insert(at, issue);
    }
    Ok(())
}

/// What each organization holds now: its host, the units its rows name by code, and
/// those they name exactly (still open here when one edit from others).
fn held_now(pending: &[PendingCoverage], out: &Linked) -> FastMap<usize, FastSet<usize>> {
    let named = pending.iter().filter_map(|p| match p.otherwise {
        Otherwise::Named(unit, _) => Some((p.orgs[0], unit)),
        _ => None,
    });
    let mut held_by: FastMap<usize, FastSet<usize>> = FastMap::default();
    for (org, unit) in out.org_units.iter().map(|l| (l.org, l.unit)).chain(named) {
        held_by.entry(org).or_default().insert(unit);
    }
    held_by
}

/// Last period's units of each organization asked about (`same_organization_before`),
/// read for the organizations' codes and the units they hold now.
fn covered_last_period(
    asked: &FastSet<usize>,
    held_by: &FastMap<usize, FastSet<usize>>,
    earlier: EarlierUnits,
    resolved: &Resolved,
    out: &Linked,
) -> Result<FastMap<usize, FastSet<String>>> {
    let ids: Vec<&str> = asked.iter().map(|&o| out.orgs[o].org_id.as_str()).collect();
    let held: Vec<&str> = held_by
        .iter()
        .filter(|(org, _)| asked.contains(org))
        .flat_map(|(_, units)| units.iter().map(|&u| resolved.units[u].unit_id.as_str()))
        .collect();
    let then = earlier.covered(&ids, &held)?;
    Ok(same_organization_before(
        asked, then, held_by, resolved, out,
    ))
}

/// Last period's units of each organization asked about: those of the organization of
/// its code then, or else of the one that then held the most of the units it holds
/// now (an export may number its joint organizations anew each month), kept where that
/// organization held then most of the units it holds now.
fn same_organization_before(
    asked: &FastSet<usize>,
    covered: FastMap<String, FastSet<String>>,
    held_by: &FastMap<usize, FastSet<usize>>,
    resolved: &Resolved,
    out: &Linked,
) -> FastMap<usize, FastSet<String>> {
    let mut chosen: Vec<(usize, String)> = Vec::new();
    for &org in asked {
        let Some(now) = held_by.get(&org) else {
            continue;
        };
        let kept = |then: &str| {
            let units = &covered[then];
            now.iter()
                .filter(|&&u| units.contains(&resolved.units[u].unit_id))
                .count()
        };
        let code = out.orgs[org].org_id.as_str();
        // Every organization of then that held one of them (a unit may have been one
        // organization's host and another's covered unit): the most, the first code of
        // a tie, whatever order the map gives them in.
        let same = covered.contains_key(code).then_some(code);
        let most = covered
            .keys()
            .map(String::as_str)
            .filter(|&t| kept(t) > 0)
            .max_by_key(|&t| (kept(t), std::cmp::Reverse(t)));
        if let Some(then) = [same, most]
            .into_iter()
            .flatten()
            .find(|&t| 2 * kept(t) > now.len())
        {
            chosen.push((org, then.to_string()));
        }
    }
    // Two organizations of now may both be the one of then (a list split in two): each
    // gets its units, whichever is asked first.
    let mut before = FastMap::default();
    for (org, then) in chosen {
        if let Some(units) = covered.get(&then) {
            before.insert(org, units.clone());
        }
    }
    before
}

/// The units a row left open may mean, for a person to choose from (the work pack's
/// 党组织覆盖单位待确认): those of the organization's district where there are any (a
/// common 字号 is one edit from dozens of names city-wide), else all.
fn offered(pairs: &[(usize, usize)], district: Option<&str>, resolved: &Resolved) -> Vec<usize> {
    let mut units: Vec<usize> = pairs.iter().map(|&(_, u)| u).collect();
    units.sort_unstable();
    units.dedup();
    prefer(&mut units, |u| {
        district.is_some() && resolved.units[u].facts.district_code.as_deref() == district
    });
    units
}
