//! Joint-coverage rows (联合党组织覆盖单位) → the units a joint organization covers: by
//! code or exact name; a name typed by hand by the one unit one edit away in the
//! organization's district or street; and, once the member file is read, rows still
//! open by what the organization covered last period or where its members work (an
//! organization named by a name several share likewise).

mod pending;

pub(super) use pending::cover_where_members_work;

use super::{
    named_org, sharing_the_name, LinkIssue, Linked, Org, OrgIds, OrgNames, OrgRole, OrgUnit,
};
use crate::feedback::Feedback;
use crate::matching::written_one_edit_apart;
use crate::model::{JointCoverageRecord, Lineage};
use crate::resolve::{Resolved, Unit};
use crate::vocabulary::{Formation, LinkIssueKind, UnitFoundBy};
use crate::{FastMap, FastSet};

/// A joint-coverage row that nothing read before the member file decides: a name typed
/// by hand one edit from several units, none alone in the organization's district or
/// street; a name that spells a unit of another district where several of the
/// district's are one edit away; an organization named by a name several share. Left
/// for last period and the members to decide (`cover_where_members_work`), else as
/// `otherwise` says.
pub(super) struct PendingCoverage {
    /// The organization, or those sharing the name the row gives it.
    orgs: Vec<usize>,
    /// The units the row may mean: those one edit from its name, or the one it names.
    candidates: Vec<usize>,
    /// How the one unit named was found; None where `candidates` are one edit from a
    /// name typed by hand (then only units no organization holds yet may be meant, and
    /// the rule is what decides among them).
    found_by: Option<UnitFoundBy>,
    /// The organization's district (`OrgAreas::of`): where the units offered to a person
    /// for a row left listed are looked for first.
    district: Option<String>,
    lineage: Lineage,
    otherwise: Otherwise,
}

/// Why a joint row naming exactly a unit of another district is listed: the unit named
/// is counted, and the district is asked (党组织覆盖单位待确认) whether the row means it or
/// one of its own units one edit away.
const COVERS_ANOTHER_DISTRICTS: &str = "names exactly a unit of another district, and \
     several units of the organization's district are one edit from the name: counted in \
     the unit named until the district confirms it or another";

/// What a joint row left for the members is where they do not tell.
enum Otherwise {
    /// A link issue, at its place among the link issues.
    Listed { issue: LinkIssue, at: usize },
    /// The unit of the organization's district its name spells exactly, which stands
    /// unless the organization did not cover it last period and covered exactly one of
    /// `candidates` (one edit away): a list retyped by hand each month that mistypes a
    /// 字号 may spell another unit's name (a 联合支部 covers 北京海泰咨询, this month's
    /// list says 北京海恒咨询, a company of the same street).
    Named(usize, UnitFoundBy),
    /// The unit of another district its name spells exactly, which stands; `issue` (at
    /// its place) asks the district which unit the row means, the one named or one of
    /// `candidates` (党组织覆盖单位待确认).
    Covers {
        unit: usize,
        rule: UnitFoundBy,
        issue: LinkIssue,
        at: usize,
    },
    /// The unit it names, with the first of the organizations sharing the name it
    /// gives (their coverage is the same; which of them holds it a person can tell),
    /// and the issue that says so, at its place.
    FirstOrg { issue: LinkIssue, at: usize },
}

impl Otherwise {
    /// `Otherwise::Covers` for row `rec` counted in `unit`, its issue to go at `at` among
    /// the link issues.
    fn covers(rec: &JointCoverageRecord, unit: usize, rule: UnitFoundBy, at: usize) -> Self {
        let issue = LinkIssue {
            unit: Some(unit),
            ..LinkIssue::unplaced(
                &rec.lineage,
                LinkIssueKind::JointCoverage,
                COVERS_ANOTHER_DISTRICTS,
                rec.unit.shown(),
            )
        };
        Otherwise::Covers {
            unit,
            rule,
            issue,
            at,
        }
    }
}

/// How many of each organization's units (its host, the units a list names exactly)
/// are in each district and street, where they say.
#[derive(Default)]
struct OrgAreas<'u> {
    counts: FastMap<usize, [FastMap<&'u str, usize>; 2]>,
}

impl<'u> OrgAreas<'u> {
    fn count(units: &'u [Unit], org_units: impl Iterator<Item = (usize, usize)>) -> Self {
        let mut areas = OrgAreas::default();
        for (org, unit) in org_units {
            let facts = &units[unit].facts;
            let [districts, streets] = areas.counts.entry(org).or_default();
            for (count, place) in [(districts, &facts.district_code), (streets, &facts.street)] {
                if let Some(place) = place.as_deref() {
                    *count.entry(place).or_default() += 1;
                }
            }
        }
        areas
    }

    /// The organization's district (its record's, else the one most of its units are
    /// in: a typo that spells another unit's name puts a unit of another district among
    /// them) and the street most of them are in.
    fn of(&self, org: usize, record: &Org) -> (Option<String>, Option<String>) {
        let most = |count: &FastMap<&str, usize>| -> Option<String> {
            let total: usize = count.values().sum();
            let (place, n) = count
                .iter()
                .max_by_key(|&(p, n)| (*n, std::cmp::Reverse(*p)))?;
            (n * 2 > total).then(|| place.to_string())
        };
        let [district, street] = self
            .counts
            .get(&org)
            .map_or([None, None], |[d, s]| [most(d), most(s)]);
        (record.district_code.clone().or(district), street)
    }
}

/// The units held before the names typed by hand are read: the hosts of organizations
/// that count (not a functional one), and the units rows name by a code, or by their
/// exact name in the organization's district. A unit is in one organization and a list
/// names a unit once, so a typed name means none of them (北京百兴科技 typed for 天兴 of
/// the organization's street, where 诚兴 of that street, one edit away too, has its own
/// 党支部) — but its own organization's host, which it means before any other (a
/// 联合支部's list names the unit it is based in among those it covers).
#[derive(Default)]
struct Held {
    hosts: FastMap<usize, Vec<usize>>,
    named: FastSet<usize>,
}

impl Held {
    /// `rows` with each one's organization's district and street (`OrgAreas::of`).
    fn of(rows: &[(CoverageRow, Area)], units: &[Unit], out: &Linked) -> Held {
        let mut held = Held::default();
        for l in &out.org_units {
            let org = &out.orgs[l.org];
            if l.role == OrgRole::Host && org.counts && org.formation != Formation::Functional {
                held.hosts.entry(l.unit).or_default().push(l.org);
            }
        }
        for (row, (district, _)) in rows {
            // A code finds the unit, or its exact name does in the district.
            let named = match row {
                Some((_, Some((u, UnitFoundBy::Name)))) => {
                    let theirs = units[*u].facts.district_code.as_deref();
                    district.is_none() || theirs == district.as_deref()
                }
                Some((_, found)) => found.is_some(),
                None => false,
            };
            if let (true, Some((_, Some((u, _))))) = (named, row) {
                held.named.insert(*u);
            }
        }
        held
    }

    /// Whether `org` is hosted by `unit`: a joint organization's list names its host
    /// among the units it covers.
    fn hosted_by(&self, org: usize, unit: usize) -> bool {
        self.hosts
            .get(&unit)
            .is_some_and(|orgs| orgs.contains(&org))
    }

    /// Whether a name typed in a row of `org` may mean `unit`.
    fn free_for(&self, org: usize, unit: usize) -> bool {
        !self.named.contains(&unit)
            && self
                .hosts
                .get(&unit)
                .is_none_or(|orgs| orgs.iter().all(|&o| o == org))
    }
}

/// A joint-coverage row's organization (None: the list names one the export lacks)
/// and the unit it covers with how it was found (None: no unit).
type CoverageRow = Option<(usize, Option<(usize, UnitFoundBy)>)>;

/// An organization's district and street (`OrgAreas::of`).
type Area = (Option<String>, Option<String>);

/// A joint-coverage row as `found_rows` reads it.
#[derive(Default)]
struct FoundRow<'f> {
    row: CoverageRow,
    /// The unit is a unit of another district its name spells, where several of the
    /// organization's district are one edit away: the members may tell.
    unsure: bool,
    /// The organization's district (`OrgAreas::of`).
    district: Option<String>,
    /// The units the districts rejected for the row's name as written.
    rejected: Option<&'f FastSet<usize>>,
    /// For a unit found by its name alone in the organization's district: the other
    /// units of the district one edit from the name (`Otherwise::Named`).
    neighbours: Vec<usize>,
}

/// Where a row's unit is looked for: its organization's district and street, less the
/// units a district rejected for the name as written (never taken for it).
struct RowArea<'u, 'f> {
    units: &'u [Unit],
    district: Option<String>,
    street: Option<String>,
    rejected: Option<&'f FastSet<usize>>,
}

impl RowArea<'_, '_> {
    fn in_district(&self, u: usize) -> bool {
        let district = self.units[u].facts.district_code.as_deref();
        !self.rejected.is_some_and(|r| r.contains(&u))
            && (self.district.is_none() || district == self.district.as_deref())
    }

    fn in_street(&self, u: usize) -> bool {
        let street = self.units[u].facts.street.as_deref();
        self.in_district(u) && self.street.is_some() && street == self.street.as_deref()
    }
}

/// A district's decision on a row's name as written, and the units it rejected for it:
/// the decision applies where no code finds the unit and the name is no exact name of
/// a unit of the organization's district (a text's key leaves the spelling of the legal
/// form aside, so a decision on a row's 润河餐饮有限公司 must not move a row naming
/// 润河餐饮有限责任公司).
fn decided<'f>(
    rec: &JointCoverageRecord,
    feedback: &'f Feedback,
) -> (Option<(usize, UnitFoundBy)>, Option<&'f FastSet<usize>>) {
    let name = rec.unit.name.as_deref();
    let (reviewed, rejected) = name.map_or((None, None), |n| feedback.on_joint_name(n));
    (reviewed.map(|u| (u, UnitFoundBy::Reviewed)), rejected)
}

/// Each row's organization and the unit its codes or exact name find, with the
/// organization's district and street (`OrgAreas`: from its host and those units).
fn rows_with_areas(
    joint: &[JointCoverageRecord],
    resolved: &Resolved,
    orgs: (&OrgIds, &OrgNames),
    out: &Linked,
) -> Vec<(CoverageRow, Area)> {
    let (units, index) = (&resolved.units, &resolved.index);
    let rows: Vec<CoverageRow> = joint
        .iter()
        .map(|rec| {
            let org = named_org(&rec.org_id, rec.org_name_key.as_deref(), orgs)?;
            Some((org, index.find(units, &rec.unit)))
        })
        .collect();
    let exact = rows.iter().flatten().filter_map(|&(o, f)| Some((o, f?.0)));
    let hosts = out.org_units.iter().map(|l| (l.org, l.unit));
    let areas = OrgAreas::count(units, hosts.chain(exact));
    rows.into_iter()
        .map(|row| {
            let area = row.map_or((None, None), |(org, _)| areas.of(org, &out.orgs[org]));
            (row, area)
        })
        .collect()
}

/// Each row's organization and unit, as `FoundRow` says.
fn found_rows<'f>(
    joint: &[JointCoverageRecord],
    resolved: &Resolved,
    orgs: (&OrgIds, &OrgNames),
    feedback: &'f Feedback,
    out: &Linked,
) -> Vec<FoundRow<'f>> {
    let (units, index) = (&resolved.units, &resolved.index);
    let rows = rows_with_areas(joint, resolved, orgs, out);
    let held = Held::of(&rows, units, out);
    rows.into_iter()
        .zip(joint)
        .map(|((row, (district, street)), rec)| {
            let Some((org, exact)) = row else {
                return FoundRow::default();
            };
            let (reviewed, rejected) = decided(rec, feedback);
            let area = RowArea {
                units,
                district,
                street,
                rejected,
            };
            // Where the organization's district is unknown, any unit of the city may be
            // meant: that the others one edit away are held says little (left to the
            // members, as before).
            let free = |u: usize| area.district.is_none() || held.free_for(org, u);
            let in_district = |u: usize| area.in_district(u);
            let in_street = |u: usize| area.in_street(u);
            // Where several of the district are one edit away, the street decides, else
            // the one whose registered name the row spells with one edit as written (a
            // list is copied from the registry: its brackets and legal form too).
            let as_written = |u: usize| {
                in_district(u)
                    && rec
                        .unit
                        .name
                        .as_deref()
                        .is_some_and(|n| written_one_edit_apart(n, &units[u].name))
            };
            let typed = || {
                let find = |keep: &dyn Fn(usize) -> bool| {
                    index.one_edit_from(units, &rec.unit, |u| free(u) && keep(u))
                };
                let unit = find(&|u| held.hosted_by(org, u))
                    .or_else(|| find(&in_district))
                    .or_else(|| find(&in_street))
                    .or_else(|| find(&as_written));
                unit.map(|u| (u, UnitFoundBy::NameTypo))
            };
            let mut neighbours = Vec::new();
            let (found, unsure) = match exact {
                // Found by its name alone outside the organization's district: a typo
                // of a unit of the district that spells another unit's name, where one
                // unit of the district is one edit away; where several are, the
                // members may tell (unsure).
                Some((u, UnitFoundBy::Name)) if area.district.is_some() && !in_district(u) => {
                    match reviewed {
                        Some(_) => (reviewed, false),
                        None => {
                            let typed = typed();
                            (typed.or(exact), typed.is_none())
                        }
                    }
                }
                Some((u, UnitFoundBy::Name)) => {
                    let street = area.street.as_deref();
                    let here = |u: usize| free(u) && in_street(u);
                    let (unit, rule, near) =
                        named_in_district(u, &rec.unit, resolved, street, &in_district, &here);
                    neighbours = near;
                    (Some((unit, rule)), false)
                }
                Some(_) => (exact, false),
                None => (reviewed.or_else(typed), false),
            };
            FoundRow {
                row: Some((org, found)),
                unsure,
                district: area.district,
                rejected: area.rejected,
                neighbours,
            }
        })
        .collect()
}

/// See `found_rows`: a unit `named` by a row's name alone in the organization's
/// district, with the other units of the district one edit from the name (for
/// `Otherwise::Named`). A 联合支部 joins the units of a street: a name that spells a unit
/// of another street (both known to be streets), where one unit of the organization's
/// street is one edit away, is that one's typo (and nothing is left open).
fn named_in_district(
    named: usize,
    written: &crate::model::UnitRef,
    resolved: &Resolved,
    street: Option<&str>,
    in_district: &dyn Fn(usize) -> bool,
    in_street: &dyn Fn(usize) -> bool,
) -> (usize, UnitFoundBy, Vec<usize>) {
    let units = &resolved.units;
    let mut neighbours = resolved.index.one_edit_candidates(units, written);
    neighbours.retain(|&n| n != named && in_district(n));
    let elsewhere = match (street, units[named].facts.street.as_deref()) {
        (Some(ours), Some(theirs)) => crate::names::other_street(ours, theirs),
        _ => false,
    };
    let mut here = neighbours.iter().filter(|&&n| in_street(n));
    match (elsewhere, here.next(), here.next()) {
        (true, Some(&n), None) => (n, UnitFoundBy::NameTypo, Vec::new()),
        _ => (named, UnitFoundBy::Name, neighbours),
    }
}

/// The joint-coverage list: a joint organization covers a unit. A list typed by hand
/// names some units with a typo: a row whose codes and exact name find no unit takes
/// its organization's host if one edit away, else the one unit one edit from the name
/// written, among those no other organization holds (`Held`), in the organization's
/// district — the one its record gives, else the one most of its host and the units the
/// list names exactly are in (`OrgAreas`; a 联合支部 joins the units of one street) — or,
/// where that district has several, in the street most of them are in. A unit of
/// another district found by its name alone gives way to the one such unit of the
/// district.
pub(super) fn link_joint_coverage(
    joint: &[JointCoverageRecord],
    resolved: &Resolved,
    orgs: (&OrgIds, &OrgNames),
    feedback: &Feedback,
    out: &mut Linked,
) -> Vec<PendingCoverage> {
    let (units, index) = (&resolved.units, &resolved.index);
    let rows = found_rows(joint, resolved, orgs, feedback, out);
    let mut seen_pairs: FastSet<(usize, usize)> =
        out.org_units.iter().map(|l| (l.org, l.unit)).collect();
    let mut pending = Vec::new();
    for (rec, found) in joint.iter().zip(rows) {
        let FoundRow {
            row,
            unsure,
            district,
            rejected,
            neighbours,
        } = found;
        let candidates = || {
            let mut near = index.one_edit_candidates(units, &rec.unit);
            near.retain(|u| !rejected.is_some_and(|r| r.contains(u)));
            near
        };
        let ask = |org, candidates, otherwise| PendingCoverage {
            orgs: vec![org],
            candidates,
            found_by: None,
            district: district.clone(),
            lineage: rec.lineage.clone(),
            otherwise,
        };
        let (issue, value) = match row {
            None => (
                "names an organization that is not in the party-organization records",
                Some(rec.org_id.clone()),
            ),
            Some((_, None)) => (
                "covered unit not found among the registry units",
                rec.unit.shown(),
            ),
            Some((org, Some((unit, rule)))) => {
                let near = if unsure { candidates() } else { Vec::new() };
                if !near.is_empty() {
                    let otherwise = Otherwise::covers(rec, unit, rule, out.issues.len());
                    pending.push(ask(org, near, otherwise));
                } else if !neighbours.is_empty() {
                    pending.push(ask(org, neighbours, Otherwise::Named(unit, rule)));
                } else if seen_pairs.insert((org, unit)) {
                    out.org_units.push(OrgUnit {
                        org,
                        unit,
                        role: OrgRole::Covered,
                        rule,
                        lineage: rec.lineage.clone(),
                    });
                }
                continue;
            }
        };
        let issue = LinkIssue::unplaced(&rec.lineage, LinkIssueKind::JointCoverage, issue, value);
        let issue = match row {
            None => match sharing_a_name(rec, resolved, orgs, out, issue) {
                Ok(shared) => {
                    pending.push(shared);
                    continue;
                }
                Err(issue) => issue,
            },
            Some(_) => issue,
        };
        let near = match row {
            Some((_, None)) => candidates(),
            _ => Vec::new(),
        };
        match row {
            Some((org, _)) if !near.is_empty() => {
                let at = out.issues.len();
                pending.push(ask(org, near, Otherwise::Listed { issue, at }));
            }
            _ => out.issues.push(issue),
        }
    }
    pending
}

/// A row whose organization no code finds, naming it by a name several organizations
/// share: the one whose members work in the unit the row names (or that covered it last
/// period) may tell, once the members are read; else it is counted with the first of
/// them and `issue` says so. The issue back where the row names no unit or the name is
/// no shared one.
fn sharing_a_name(
    rec: &JointCoverageRecord,
    resolved: &Resolved,
    orgs: (&OrgIds, &OrgNames),
    out: &Linked,
    issue: LinkIssue,
) -> std::result::Result<PendingCoverage, LinkIssue> {
    let sharing = sharing_the_name(&rec.org_id, rec.org_name_key.as_deref(), orgs);
    let unit = || resolved.index.find(&resolved.units, &rec.unit);
    let Some((orgs, (unit, rule))) = sharing.zip(unit()) else {
        return Err(issue);
    };
    let first = &out.orgs[orgs[0]].org_id;
    let reason = format!(
        "names its organization by a name {} organizations share, and no member of \
         theirs works in the unit: counted with the first of them, {first}",
        orgs.len()
    );
    let issue = LinkIssue {
        reason,
        unit: Some(unit),
        ..issue
    };
    let at = out.issues.len();
    Ok(PendingCoverage {
        orgs,
        candidates: vec![unit],
        found_by: Some(rule),
        district: None,
        lineage: rec.lineage.clone(),
        otherwise: Otherwise::FirstOrg { issue, at },
    })
}
