//! Stage 3, link: party organizations → their host and covered units, members → the
//! unit they work in, ledger rows → units.
//!
//! Nothing is dropped: a member who cannot be placed stays in `members` with no unit
//! (and in `unmatched_members`), and a joint-coverage, host or ledger reference that
//! finds no unit goes to `link_issues` with the reason.

use std::collections::{HashMap, HashSet};

use crate::extract::Staged;
use crate::model::Lineage;
use crate::resolve::Resolved;

/// A party organization as the rulebook sees it.
#[derive(Debug, Clone)]
pub struct Org {
    pub org_id: String,
    pub name: String,
    pub level: String,
    pub formation: String,
    pub status: String,
    pub parent_id: Option<String>,
    pub host_unit: Option<usize>,
    pub host_rule: Option<&'static str>,
    /// Active and a real organization (a 党小组 is not one).
    pub counts: bool,
    pub lineage: Lineage,
}

/// An organization's relation to a unit.
#[derive(Debug, Clone)]
pub struct OrgUnit {
    pub org: usize,
    pub unit: usize,
    /// `host` (the unit the organization is set up in) or `covered` (joint list).
    pub role: &'static str,
    pub rule: &'static str,
    pub lineage: Lineage,
}

/// A member record with the unit it was placed in.
#[derive(Debug, Clone)]
pub struct MemberLink {
    pub record: usize,
    pub unit: Option<usize>,
    pub rule: &'static str,
    /// Counted for the unit: normal standing and the first record of the person.
    pub counted: bool,
    pub not_counted_reason: Option<String>,
}

/// A reference that found nothing to attach to.
#[derive(Debug, Clone)]
pub struct LinkIssue {
    pub lineage: Lineage,
    pub what: &'static str,
    pub reason: String,
    pub value: Option<String>,
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
    pub ledger: HashMap<usize, LedgerFacts>,
    pub issues: Vec<LinkIssue>,
}

pub fn link(staged: &Staged, resolved: &Resolved) -> Linked {
    let units = &resolved.units;
    let index = &resolved.index;
    let mut out = Linked::default();

    let mut org_of: HashMap<&str, usize> = HashMap::new();
    for rec in &staged.orgs {
        if org_of.contains_key(rec.org_id.as_str()) {
            out.issues.push(LinkIssue {
                lineage: rec.lineage.clone(),
                what: "party_org",
                reason: "organization id given twice; the first record is used".into(),
                value: Some(rec.org_id.clone()),
            });
            continue;
        }
        let host = if rec.host_uscc.is_some() || rec.host_name_key.is_some() {
            let found = index.find(
                units,
                rec.host_uscc.as_deref(),
                rec.host_name_key.as_deref(),
            );
            if found.is_none() {
                out.issues.push(LinkIssue {
                    lineage: rec.lineage.clone(),
                    what: "party_org_host",
                    reason: "host unit not found among the registry units".into(),
                    value: rec.host_uscc.clone().or_else(|| rec.host_name.clone()),
                });
            }
            found
        } else {
            None
        };
        org_of.insert(rec.org_id.as_str(), out.orgs.len());
        let org = out.orgs.len();
        if let Some((unit, rule)) = host {
            out.org_units.push(OrgUnit {
                org,
                unit,
                role: "host",
                rule,
                lineage: rec.lineage.clone(),
            });
        }
        out.orgs.push(Org {
            org_id: rec.org_id.clone(),
            name: rec.name.clone(),
            level: rec.level.clone(),
            formation: rec.formation.clone(),
            status: rec.status.clone(),
            parent_id: rec.parent_id.clone(),
            host_unit: host.map(|h| h.0),
            host_rule: host.map(|h| h.1),
            counts: rec.status == "active" && rec.level != "group",
            lineage: rec.lineage.clone(),
        });
    }

    let mut seen_pairs: HashSet<(usize, usize)> =
        out.org_units.iter().map(|l| (l.org, l.unit)).collect();
    for rec in &staged.joint {
        let Some(&org) = org_of.get(rec.org_id.as_str()) else {
            out.issues.push(LinkIssue {
                lineage: rec.lineage.clone(),
                what: "joint_coverage",
                reason: "names an organization that is not in the party-organization records"
                    .into(),
                value: Some(rec.org_id.clone()),
            });
            continue;
        };
        match index.find(
            units,
            rec.unit_uscc.as_deref(),
            rec.unit_name_key.as_deref(),
        ) {
            Some((unit, rule)) => {
                if seen_pairs.insert((org, unit)) {
                    out.org_units.push(OrgUnit {
                        org,
                        unit,
                        role: "covered",
                        rule,
                        lineage: rec.lineage.clone(),
                    });
                }
            }
            None => out.issues.push(LinkIssue {
                lineage: rec.lineage.clone(),
                what: "joint_coverage",
                reason: "covered unit not found among the registry units".into(),
                value: rec.unit_uscc.clone().or_else(|| rec.unit_name.clone()),
            }),
        }
    }

    let mut counted_people: HashSet<&str> = HashSet::new();
    for (i, m) in staged.members.iter().enumerate() {
        let own_host = m
            .org_id
            .as_deref()
            .and_then(|id| org_of.get(id))
            .map(|&o| &out.orgs[o])
            .filter(|o| o.formation == "single")
            .and_then(|o| o.host_unit);
        let (unit, rule) = match own_host {
            Some(u) => (Some(u), "own_org_host"),
            None => match index.find(
                units,
                m.employer_uscc.as_deref(),
                m.employer_name_key.as_deref(),
            ) {
                Some((u, "uscc")) => (Some(u), "employer_uscc"),
                Some((u, "org_code")) => (Some(u), "employer_org_code"),
                Some((u, _)) => (Some(u), "employer_name"),
                None => (None, "unmatched"),
            },
        };
        let not_counted_reason = if m.status != "normal" {
            Some(format!("status {}", m.status))
        } else if !counted_people.insert(m.member_key.as_str()) {
            Some("same person as an earlier record".to_string())
        } else {
            None
        };
        out.members.push(MemberLink {
            record: i,
            unit,
            rule,
            counted: not_counted_reason.is_none(),
            not_counted_reason,
        });
    }

    for rec in &staged.ledger {
        match index.find(units, rec.uscc.as_deref(), rec.name_key.as_deref()) {
            Some((unit, _)) => {
                let facts = out.ledger.entry(unit).or_default();
                facts.instructor |= rec.instructor;
                facts.union |= rec.union;
                facts.youth_league |= rec.youth_league;
                facts.employees = facts.employees.or(rec.employees);
                if facts.no_org_reason.is_none() {
                    facts.no_org_reason = rec.no_org_reason.clone();
                }
            }
            None => out.issues.push(LinkIssue {
                lineage: rec.lineage.clone(),
                what: "ledger",
                reason: "ledger row matches no registry unit".into(),
                value: rec.uscc.clone().or_else(|| rec.name.clone()),
            }),
        }
    }
    out
}
