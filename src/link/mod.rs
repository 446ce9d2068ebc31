//! Stage 3, link: party organizations → their host and covered units, members → the
//! unit they work in, ledger rows → units.
//!
//! A member is placed by what 工作单位 says; the host of the member's own organization
//! only where 工作单位 is blank or identifies no unit (`members`, `employer`). A member
//! placed in a unit their organization neither hosts nor covers is 组织关系未转入
//! (`MemberLink::relation_elsewhere`), and listed in `link_issues` where that
//! organization belongs to other units.
//!
//! A member whose 工作单位 is ambiguous this period stays in the unit they were counted
//! in last period where that unit is among the candidates (`earlier`).
//!
//! Nothing is dropped: a member who cannot be placed stays in `members` with no unit
//! (and in `unmatched_members`), and a joint-coverage, host or ledger reference that
//! finds no unit goes to `link_issues` with the reason.

mod earlier;
mod employer;
mod joint;
mod ledger;
mod members;
mod same_person;
#[cfg(test)]
mod tests;

pub use earlier::{no_earlier_period, Earlier, EarlierPeriod, EarlierUnits, Published};
use joint::{link_joint_coverage, PendingCoverage};
use ledger::link_ledger;

use std::collections::BTreeSet;

use crate::config::Matching;
use crate::error::Result;
use crate::extract::Staged;
use crate::feedback::Feedback;
use crate::matching::Candidate;
use crate::model::{Lineage, MemberRecord, PartyOrgRecord, UnitRef};
use crate::resolve::Resolved;
use crate::vocabulary::{
    Formation, LinkIssueKind, MemberRule, MemberStatus, OrgLevel, OrgRole, OrgStatus, UnitFoundBy,
};
use crate::FastMap;

/// A party organization as the rulebook sees it.
#[derive(Debug, Clone)]
pub struct Org {
    pub org_id: String,
    pub name: String,
    pub level: OrgLevel,
    pub formation: Formation,
    pub status: OrgStatus,
    pub parent_id: Option<String>,
    pub host_unit: Option<usize>,
    pub host_rule: Option<UnitFoundBy>,
    /// Active and a real organization (a 党小组 is not one).
    pub counts: bool,
    /// The district its record gives (a district column, or a district in its name), or
    /// else the one its park is in (see `park`), or where its members work
    /// (`members::districts_where_members_work`).
    /// Only an organization that hosts and covers no unit (a street's 工作委员会) lends
    /// it to its members' typos: it holds the members of its area's units (属地), while
    /// the district of an organization of units says nothing of where a member who
    /// changed jobs works.
    pub district_code: Option<String>,
    /// The street its name gives (…东华门街道工作委员会), lent like the district.
    pub street: Option<String>,
    /// The park (园区) its name gives, one that units of its district are in
    /// (…海淀科技园区工作委员会): a park's committee holds the members of the park's units
    /// as a street's does of its street's. Lent like the district.
    pub park: Option<String>,
    pub lineage: Lineage,
}

/// An organization's relation to a unit.
#[derive(Debug, Clone)]
pub struct OrgUnit {
    pub org: usize,
    pub unit: usize,
    pub role: OrgRole,
    pub rule: UnitFoundBy,
    pub lineage: Lineage,
}

/// A member record with the unit it was placed in. Indexes are 32-bit and the score's
/// absence a NaN: a 10M-unit month has 21M links (72 bytes each before, 40 now).
#[derive(Debug, Clone)]
pub struct MemberLink {
    record: u32,
    unit: Slot,
    /// The member's organization, by its code or (where the export names it) its name.
    org: Slot,
    /// 1 for exact rules; the name score for a scored match or a review; NaN for none.
    score: f64,
    pub rule: MemberRule,
    /// For a link sent to review: the best candidates with their scores.
    pub candidates: Candidates,
    /// Counted for the unit: normal standing, and the person's current record (the
    /// first, unless the months before say another is: `same_person`).
    pub counted: bool,
    pub not_counted_reason: Option<NotCounted>,
    /// 组织关系未转入: placed in a unit that the member's organization neither hosts nor
    /// covers (the relation stays with a former employer's, a group's or a street's
    /// organization), or the member's organization is unknown.
    pub relation_elsewhere: bool,
}

/// An index below 2³² − 1, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot(u32);

impl Slot {
    const NONE: Slot = Slot(u32::MAX);

    fn of(index: Option<usize>) -> Slot {
        index.map_or(Slot::NONE, |i| {
            Slot(
                u32::try_from(i)
                    .ok()
                    .filter(|&i| i != u32::MAX)
                    .expect("fewer than 4G"),
            )
        })
    }

    fn get(self) -> Option<usize> {
        (self != Slot::NONE).then_some(self.0 as usize)
    }
}

impl MemberLink {
    /// Record `record`'s link where it was placed, not yet counted.
    fn placed(record: usize, org: Option<usize>, placed: employer::Placement) -> MemberLink {
        MemberLink {
            record: u32::try_from(record).expect("fewer than 4G member records"),
            unit: Slot::of(placed.unit),
            org: Slot::of(org),
            score: placed.score.unwrap_or(f64::NAN),
            rule: placed.rule,
            candidates: placed.candidates.into(),
            counted: false,
            not_counted_reason: None,
            relation_elsewhere: false,
        }
    }

    /// Moves the link to where `placed` puts it.
    fn place(&mut self, placed: employer::Placement) {
        self.unit = Slot::of(placed.unit);
        self.rule = placed.rule;
        self.score = placed.score.unwrap_or(f64::NAN);
        self.candidates = placed.candidates.into();
    }

    /// The member's organization as `members.org_id` publishes it: the one found (by
    /// code, or by the name an export gives), else the code as written when it names no
    /// organization of the records.
    pub fn org_id<'a>(&self, record: &'a MemberRecord, orgs: &'a [Org]) -> Option<&'a str> {
        self.org()
            .map(|o| orgs[o].org_id.as_str())
            .or(record.org_id.as_deref())
    }

    /// The member record (its index in the staged members).
    pub fn record(&self) -> usize {
        self.record as usize
    }

    /// The unit the member was placed in.
    pub fn unit(&self) -> Option<usize> {
        self.unit.get()
    }

    /// The member's organization.
    pub fn org(&self) -> Option<usize> {
        self.org.get()
    }

    /// The member's organization, found after the member was placed (a name two
    /// organizations share, told apart by the unit).
    fn set_org(&mut self, org: usize) {
        self.org = Slot::of(Some(org));
    }

    /// 1 for exact rules; the name score for a scored match or a review.
    pub fn score(&self) -> Option<f64> {
        (!self.score.is_nan()).then_some(self.score)
    }
}

/// A review link's candidates, boxed: all but a few links have none, and a link holds
/// one pointer instead of a vector's three words (8.5M links at 4M units: 136 MB).
#[derive(Debug, Clone, Default)]
// The box is the point: a thin pointer in every link, an extra allocation only in the
// few review links (a boxed slice would be two words).
#[allow(clippy::box_collection)]
pub struct Candidates(Option<Box<Vec<Candidate>>>);

impl From<Vec<Candidate>> for Candidates {
    fn from(candidates: Vec<Candidate>) -> Self {
        Candidates((!candidates.is_empty()).then(|| Box::new(candidates)))
    }
}

impl std::ops::Deref for Candidates {
    type Target = [Candidate];

    fn deref(&self) -> &[Candidate] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

/// Why a member record is not counted for its unit: a value of a few bytes rather than
/// a text in each of millions of records; written as its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotCounted {
    Status(MemberStatus),
    NotPlaced(MemberRule),
    SamePerson,
    /// Another record of the person says they left the party (出党, 死亡).
    PersonLeft,
}

impl std::fmt::Display for NotCounted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotCounted::Status(status) => write!(f, "status {status}"),
            NotCounted::NotPlaced(rule) => write!(f, "not placed in a unit ({rule})"),
            NotCounted::SamePerson => f.write_str("the same person's other record counts"),
            NotCounted::PersonLeft => {
                f.write_str("another record of the person says they left the party (出党, 死亡)")
            }
        }
    }
}

/// A reference that found nothing to attach to, or a member whose organization is
/// not where they work.
#[derive(Debug, Clone)]
pub struct LinkIssue {
    pub lineage: Lineage,
    pub what: LinkIssueKind,
    pub reason: String,
    pub value: Option<String>,
    /// The unit the record was placed in (a member's employer), if any.
    pub unit: Option<usize>,
    /// The units the member's organization hosts or covers instead.
    pub other_units: Vec<usize>,
}

impl LinkIssue {
    /// A reference that found no unit.
    fn unplaced(
        lineage: &Lineage,
        what: LinkIssueKind,
        reason: &str,
        value: Option<String>,
    ) -> Self {
        LinkIssue {
            lineage: lineage.clone(),
            what,
            reason: reason.to_string(),
            value,
            unit: None,
            other_units: Vec::new(),
        }
    }
}

/// Per-unit facts from the ledger (台账).
#[derive(Debug, Clone, Default)]
pub struct LedgerFacts {
    pub instructor: bool,
    pub union: bool,
    pub youth_league: bool,
    pub employees: Option<i64>,
    pub no_org_reason: Option<String>,
}

#[derive(Debug, Default)]
pub struct Linked {
    pub orgs: Vec<Org>,
    pub org_units: Vec<OrgUnit>,
    pub members: Vec<MemberLink>,
    pub ledger: FastMap<usize, LedgerFacts>,
    pub issues: Vec<LinkIssue>,
}

/// Links organizations, joint-coverage rows, members and ledger rows to units; the
/// districts' decisions on written 工作单位 texts (`feedback`) come before any rule.
pub fn link(
    staged: &mut Staged,
    resolved: &Resolved,
    matching: &Matching,
    feedback: &Feedback,
) -> Linked {
    let units_side = link_units_side(staged, resolved, feedback);
    link_members(
        staged,
        resolved,
        matching,
        feedback,
        &no_earlier_period,
        units_side,
    )
    .expect("no earlier period is read")
}

/// What link makes of the organizations, joint-coverage and ledger rows, before the
/// members are placed: a run links them before it reads the member file, so that their
/// records are gone by then.
pub struct UnitsSide {
    linked: Linked,
    /// The ledger's unmatched rows, listed after the members' issues.
    ledger_issues: Vec<LinkIssue>,
    /// Joint-coverage rows whose name, typed by hand, no rule could place yet: the
    /// members' 工作单位 may tell which unit they mean.
    pending: Vec<PendingCoverage>,
}

/// The organizations as `link_orgs` numbered them, and the joint-coverage rows left for
/// their members to decide.
struct OrgsSide<'a> {
    org_of: &'a OrgIds<'a>,
    pending: Vec<PendingCoverage>,
}

/// Keeps of `items` those `keep` accepts, where it accepts any: evidence that narrows a
/// choice where it speaks and leaves it as it was where it does not.
pub(in crate::link) fn prefer<T: Copy>(items: &mut Vec<T>, keep: impl Fn(T) -> bool) {
    if items.iter().any(|&x| keep(x)) {
        items.retain(|&x| keep(x));
    }
}

/// Links the organizations, joint-coverage and ledger rows of `staged` to units, and
/// frees the joint-coverage and ledger records (what the rest of the run needs of them
/// is in the result; the organization records stay, for the members' organizations).
pub fn link_units_side(staged: &mut Staged, resolved: &Resolved, feedback: &Feedback) -> UnitsSide {
    let mut linked = Linked::default();
    let ledger_issues = link_ledger(&staged.ledger, resolved, &mut linked);
    let (org_of, org_names) = link_orgs(&staged.orgs, resolved, &mut linked);
    let orgs = (&org_of, &org_names);
    let pending = link_joint_coverage(&staged.joint, resolved, orgs, feedback, &mut linked);
    (staged.ledger, staged.joint) = Default::default();
    UnitsSide {
        linked,
        ledger_issues,
        pending,
    }
}

/// Places the members of `staged` (whose organization records are those `units_side`
/// was linked from) and finishes the link.
pub fn link_members(
    staged: &Staged,
    resolved: &Resolved,
    matching: &Matching,
    feedback: &Feedback,
    earlier: EarlierUnits,
    units_side: UnitsSide,
) -> Result<Linked> {
    let UnitsSide {
        linked: mut out,
        ledger_issues,
        pending,
    } = units_side;
    // Each organization id → its organization, the first record's (link_orgs numbered
    // the organizations so, passing over an id given twice).
    let mut org_of: OrgIds = FastMap::default();
    for rec in &staged.orgs {
        let next = org_of.len();
        org_of.entry(rec.org_id.as_str()).or_insert(next);
    }
    let orgs = OrgsSide {
        org_of: &org_of,
        pending,
    };
    members::link_members(
        staged, resolved, matching, feedback, orgs, earlier, &mut out,
    )?;
    out.issues.extend(ledger_issues);
    Ok(out)
}

/// Organization id → index in `out.orgs`.
type OrgIds<'a> = FastMap<&'a str, usize>;

/// Organization name key (`org_name_key`) → the organizations of that name (indexes in
/// `out.orgs`): how a list that names an organization (上级党组织, 联合党组织名称) rather
/// than gives its code finds it.
type OrgNames<'a> = FastMap<&'a str, Vec<usize>>;

/// The organization a reference names: by its code, else by its name where exactly one
/// organization has it.
fn named_org(
    id: &str,
    name_key: Option<&str>,
    (ids, names): (&OrgIds, &OrgNames),
) -> Option<usize> {
    ids.get(id)
        .copied()
        .or_else(|| only_named(names, name_key?))
}

/// The one organization named `key`, if exactly one has that name.
fn only_named(names: &OrgNames, key: &str) -> Option<usize> {
    match names.get(key)?[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// The organizations a reference without a known code names by a name several share.
fn sharing_the_name(
    id: &str,
    name_key: Option<&str>,
    (ids, names): (&OrgIds, &OrgNames),
) -> Option<Vec<usize>> {
    if ids.contains_key(id) {
        return None;
    }
    names.get(name_key?).filter(|orgs| orgs.len() > 1).cloned()
}

/// Party organizations and the units that host them.
fn link_orgs<'a>(
    orgs: &'a [PartyOrgRecord],
    resolved: &Resolved,
    out: &mut Linked,
) -> (OrgIds<'a>, OrgNames<'a>) {
    let mut org_of: OrgIds = FastMap::default();
    let mut first: FastMap<&str, &PartyOrgRecord> = FastMap::default();
    let parks = parks_of_units(resolved);
    let dissolved = dissolved_records(orgs);
    for written in orgs {
        if let Some(earlier) = first.get(written.org_id.as_str()) {
            // An export that repeats an organization's row for each unit it covers
            // (覆盖单位 one a row) gives the same organization again: no mistake.
            if !written_again(earlier, written) {
                out.issues.push(duplicate_org(written, earlier));
            }
            continue;
        }
        // The organization is numbered where its id first comes, with the record that
        // tells it (see `dissolved_records`).
        let rec = match dissolved.get(written.org_id.as_str()) {
            Some(&d) if written.status == OrgStatus::Active => {
                out.issues.push(duplicate_org(written, d));
                d
            }
            _ => written,
        };
        // An export without host columns (or with them empty) still names the unit of
        // an organization of its own in the organization's name.
        let host = if rec.host.is_empty() {
            host_named_in(rec, resolved)
        } else {
            let found = resolved
                .index
                .find(&resolved.units, &rec.host)
                .or_else(|| host_named_in(rec, resolved));
            if found.is_none() {
                out.issues.push(LinkIssue::unplaced(
                    &rec.lineage,
                    LinkIssueKind::OrgHost,
                    "host unit not found among the registry units",
                    rec.host.shown(),
                ));
            }
            found
        };
        first.insert(rec.org_id.as_str(), rec);
        let org = out.orgs.len();
        org_of.insert(rec.org_id.as_str(), org);
        if let Some((unit, rule)) = host {
            out.org_units.push(OrgUnit {
                org,
                unit,
                role: OrgRole::Host,
                rule,
                lineage: rec.lineage.clone(),
            });
        }
        let park = host.is_none().then(|| park_named_in(rec, &parks)).flatten();
        out.orgs.push(Org {
            org_id: rec.org_id.clone(),
            name: rec.name.clone(),
            level: rec.level,
            formation: rec.formation,
            status: rec.status,
            parent_id: rec.parent_id.clone(),
            host_unit: host.map(|h| h.0),
            host_rule: host.map(|h| h.1),
            counts: rec.status == OrgStatus::Active && rec.level != OrgLevel::Group,
            district_code: rec
                .district_code
                .clone()
                .or_else(|| park.and_then(|p| p.1).map(str::to_string)),
            street: rec.street.clone(),
            park: park.map(|p| p.0.to_string()),
            lineage: rec.lineage.clone(),
        });
    }
    let firsts: Vec<&PartyOrgRecord> = out.orgs.iter().map(|o| first[o.org_id.as_str()]).collect();
    let mut names: OrgNames = FastMap::default();
    for (org, rec) in firsts.iter().enumerate() {
        names.entry(rec.name_key.as_str()).or_default().push(org);
    }
    // A parent the export names (上级党组织: 中共北京星河科技有限公司委员会) rather than
    // gives by code: its code becomes the parent's (a 党小组's members are held by it).
    for (org, rec) in firsts.iter().enumerate() {
        let (Some(id), Some(key)) = (&rec.parent_id, &rec.parent_name_key) else {
            continue;
        };
        if org_of.contains_key(id.as_str()) {
            continue;
        }
        if let Some(parent) = only_named(&names, key).filter(|&p| p != org) {
            out.orgs[org].parent_id = Some(out.orgs[parent].org_id.clone());
        }
    }
    (org_of, names)
}

/// The parks (园区) units are in, where the registry says, each with the districts of
/// its units.
fn parks_of_units(resolved: &Resolved) -> FastMap<&str, BTreeSet<&str>> {
    let mut parks: FastMap<&str, BTreeSet<&str>> = FastMap::default();
    for facts in resolved.units.iter().map(|u| &u.facts) {
        if let (Some(park), Some(district)) = (&facts.park, &facts.district_code) {
            parks
                .entry(park.as_str())
                .or_default()
                .insert(district.as_str());
        }
    }
    parks
}

/// The park an organization's name names, of its district where its record gives one,
/// the longest where several do (中关村科技园区海淀园 before 中关村科技园区); with the
/// park's district where all its units are in one, which an organization whose name
/// names no district (中共北京经济技术开发区工作委员会) takes.
fn park_named_in<'p>(
    rec: &PartyOrgRecord,
    parks: &FastMap<&'p str, BTreeSet<&'p str>>,
) -> Option<(&'p str, Option<&'p str>)> {
    let (park, districts) = parks
        .iter()
        .filter(|(park, districts)| {
            park.chars().count() >= 2
                && rec.name.contains(**park)
                && rec
                    .district_code
                    .as_deref()
                    .is_none_or(|d| districts.contains(d))
        })
        .max_by_key(|(park, _)| (park.len(), **park))?;
    let only_district = match districts.len() {
        1 => districts.first().copied(),
        _ => None,
    };
    Some((*park, only_district))
}

/// Whether two records of one organization id say the same of it (but for the units it
/// covers, which are joint-coverage records).
/// The first 已撤销 record of each organization id: it tells the organization where
/// another record of the id says 正常. An organization is dissolved once and for all (one
/// formed again gets a new code), so 正常 beside 已撤销 is an export not yet updated, not
/// an organization formed again, whichever comes first in the files.
fn dissolved_records(orgs: &[PartyOrgRecord]) -> FastMap<&str, &PartyOrgRecord> {
    let mut dissolved: FastMap<&str, &PartyOrgRecord> = FastMap::default();
    for rec in orgs.iter().filter(|r| r.status == OrgStatus::Dissolved) {
        dissolved.entry(rec.org_id.as_str()).or_insert(rec);
    }
    dissolved
}

/// The issue of a record of an organization id that another record (`used`) tells.
fn duplicate_org(rec: &PartyOrgRecord, used: &PartyOrgRecord) -> LinkIssue {
    let file = used.lineage.file_name();
    let row = used.lineage.row;
    let why = match (rec.status, used.status) {
        (OrgStatus::Active, OrgStatus::Dissolved) => format!(
            "organization id given twice, 正常 here and 已撤销 in row {row} of {file}: an organization is dissolved once and for all, the 已撤销 record is used"
        ),
        _ => format!("organization id given twice; row {row} of {file} is used"),
    };
    LinkIssue::unplaced(
        &rec.lineage,
        LinkIssueKind::DuplicateOrg,
        &why,
        Some(rec.org_id.clone()),
    )
}

fn written_again(a: &PartyOrgRecord, b: &PartyOrgRecord) -> bool {
    (
        &a.name,
        a.level,
        a.formation,
        &a.host,
        &a.parent_id,
        a.status,
    ) == (
        &b.name,
        b.level,
        b.formation,
        &b.host,
        &b.parent_id,
        b.status,
    )
}

/// An organization of its own unit is named after it (中共北京星河科技有限公司支部委员会):
/// where the export gives no host, or its host's code finds no unit (the unit's only
/// record is an old-system one), the unit whose normalized name the organization's name
/// holds, if exactly one does.
fn host_named_in(rec: &PartyOrgRecord, resolved: &Resolved) -> Option<(usize, UnitFoundBy)> {
    if !matches!(rec.formation, Formation::Single | Formation::Functional) {
        return None;
    }
    // The name key has 中共 and 委员会 left out and its level in one form already
    // (names::org_name_key; a 党委's name key ends in its unit's name).
    const LEVELS: [&str; 4] = ["功能型支部", "总支部", "支部", "党小组"];
    let unit_name = LEVELS
        .iter()
        .find_map(|l| rec.name_key.strip_suffix(l))
        .unwrap_or(&rec.name_key);
    let by_name = UnitRef {
        name_key: Some(unit_name.into()),
        ..UnitRef::default()
    };
    resolved
        .index
        .find(&resolved.units, &by_name)
        .map(|(u, _)| (u, UnitFoundBy::OrgName))
}
