//! Stage 3, link: party organizations → their host and covered units, members → the
//! unit they work in, ledger rows → units.
//!
//! Nothing is dropped: a member who cannot be placed stays in `members` with no unit
//! (and in `unmatched_members`), and a joint-coverage, host or ledger reference that
//! finds no unit goes to `link_issues` with the reason.

use std::collections::{HashMap, HashSet};

use crate::config::Matching;
use crate::extract::Staged;
use crate::matching::{clear_winner, Candidate, NameMatcher};
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
    /// 1 for exact rules; the name score for a scored match or a review.
    pub score: Option<f64>,
    /// For a link sent to review: the best candidates with their scores.
    pub candidates: Vec<Candidate>,
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

pub fn link(staged: &Staged, resolved: &Resolved, matching: &Matching) -> Linked {
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

    // Units each organization hosts or covers: a scored employer name that points to
    // one of them is taken at the review threshold already.
    let mut units_of_org: HashMap<usize, HashSet<usize>> = HashMap::new();
    for l in &out.org_units {
        units_of_org.entry(l.org).or_default().insert(l.unit);
    }
    let mut matcher: Option<NameMatcher> = None;
    let mut counted_people: HashSet<&str> = HashSet::new();
    for (i, m) in staged.members.iter().enumerate() {
        let org = m.org_id.as_deref().and_then(|id| org_of.get(id)).copied();
        let own_host = org
            .map(|o| &out.orgs[o])
            .filter(|o| o.formation == "single")
            .and_then(|o| o.host_unit);
        let mut candidates = Vec::new();
        let (unit, rule, score) = match own_host {
            Some(u) => (Some(u), "own_org_host", Some(1.0)),
            None => match index.find(
                units,
                m.employer_uscc.as_deref(),
                m.employer_name_key.as_deref(),
            ) {
                Some((u, "uscc")) => (Some(u), "employer_uscc", Some(1.0)),
                Some((u, "org_code")) => (Some(u), "employer_org_code", Some(1.0)),
                Some((u, _)) => (Some(u), "employer_name", Some(1.0)),
                None => match m.employer_name_key.as_deref().filter(|k| !k.is_empty()) {
                    None => (None, "unmatched", None),
                    Some(key) => {
                        let matcher =
                            matcher.get_or_insert_with(|| NameMatcher::new(index.names()));
                        let best = matcher.best(key, 3, |_| true);
                        let in_org = |u: usize| {
                            org.and_then(|o| units_of_org.get(&o))
                                .is_some_and(|s| s.contains(&u))
                        };
                        let winner = clear_winner(&best);
                        match best.first().copied() {
                            Some(c) if c.score >= matching.name_accept && winner.is_some() => {
                                (Some(c.unit), "employer_fuzzy", Some(c.score))
                            }
                            Some(c)
                                if c.score >= matching.name_review
                                    && winner.is_some()
                                    && in_org(c.unit) =>
                            {
                                (Some(c.unit), "employer_fuzzy_org", Some(c.score))
                            }
                            Some(c) if c.score >= matching.name_review => {
                                candidates = best;
                                (None, "review", Some(c.score))
                            }
                            _ => (None, "unmatched", None),
                        }
                    }
                },
            },
        };
        let not_counted_reason = if m.status != "normal" {
            Some(format!("status {}", m.status))
        } else if unit.is_none() {
            Some(format!("not placed in a unit ({rule})"))
        } else if !counted_people.insert(m.member_key.as_str()) {
            Some("same person as an earlier record".to_string())
        } else {
            None
        };
        out.members.push(MemberLink {
            record: i,
            unit,
            rule,
            score,
            candidates,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Matching;
    use crate::model::fixtures::unit_record;
    use crate::model::{Lineage, MemberRecord, PartyOrgRecord, UnitRecord};
    use crate::names::normalize_name;
    use crate::resolve::resolve;

    fn lineage(row: u64) -> Lineage {
        Lineage {
            source: "t".into(),
            file: "t.csv".into(),
            row,
        }
    }

    fn key(name: &str) -> String {
        normalize_name(name, &["北京市".into(), "北京".into()])
    }

    fn unit(row: u64, name: &str, uscc: &str) -> UnitRecord {
        unit_record(row, name, Some(uscc), "110105")
    }

    fn member(row: u64, org: Option<&str>, employer: &str) -> MemberRecord {
        MemberRecord {
            lineage: lineage(row),
            member_key: format!("m{row}"),
            category: "formal".into(),
            status: "normal".into(),
            org_id: org.map(str::to_string),
            employer_name: Some(employer.into()),
            employer_name_key: Some(key(employer)),
            employer_uscc: None,
        }
    }

    fn joint_org(id: &str) -> PartyOrgRecord {
        PartyOrgRecord {
            lineage: lineage(1),
            org_id: id.into(),
            name: "联合支部".into(),
            level: "branch".into(),
            formation: "joint".into(),
            host_uscc: Some("91110105100000091K".into()),
            host_name_key: None,
            host_name: None,
            parent_id: None,
            status: "active".into(),
        }
    }

    #[test]
    fn scored_links_accept_review_and_use_the_organization() {
        let staged = Staged {
            units: vec![
                unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
                unit(3, "北京智联网络科技股份有限公司", "91110105100000091K"),
                unit(4, "北京云帆远航商贸有限公司", "911101011000000161"),
            ],
            orgs: vec![joint_org("J1")],
            members: vec![
                // Abbreviated: the core 星河远航科技 is the whole name → 1.0, accepted.
                member(2, None, "星河远航科技"),
                // One character of the 字号 wrong: between review and accept.
                member(3, None, "北京星河远帆科技有限公司"),
                // The same typo, but the member's joint organization is hosted by 智联:
                // still no: the candidate 星河远航 is not one of J1's units.
                member(4, Some("J1"), "北京星河远帆科技有限公司"),
                // A typo of 智联's name, and J1 covers 智联: taken.
                member(5, Some("J1"), "北京智联网路科技股份有限公司"),
                // Nothing like any unit.
                member(6, None, "天津某某贸易有限公司"),
            ],
            ..Staged::default()
        };
        let resolved = resolve(&staged.units, &Matching::default());
        let linked = link(&staged, &resolved, &Matching::default());
        let got: Vec<(&str, Option<&str>)> = linked
            .members
            .iter()
            .map(|m| (m.rule, m.unit.map(|u| resolved.units[u].name.as_str())))
            .collect();
        assert_eq!(
            got,
            vec![
                ("employer_fuzzy", Some("北京星河远航科技有限公司")),
                ("review", None),
                ("review", None),
                ("employer_fuzzy_org", Some("北京智联网络科技股份有限公司")),
                ("unmatched", None),
            ]
        );
        // A review keeps its candidates, best first, and is not counted.
        assert_eq!(
            resolved.units[linked.members[1].candidates[0].unit].name,
            "北京星河远航科技有限公司"
        );
        assert!(!linked.members[1].counted);
        assert_eq!(linked.members[0].score, Some(1.0));
    }

    #[test]
    fn members_of_a_units_own_organization_link_to_it_first() {
        let mut own = joint_org("O1");
        own.formation = "single".into();
        let staged = Staged {
            units: vec![
                unit(2, "北京智联网络科技股份有限公司", "91110105100000091K"),
                unit(3, "北京星河科技有限公司", "91350100M000100Y43"),
            ],
            orgs: vec![own],
            // The employer text names another unit; the organization decides.
            members: vec![member(2, Some("O1"), "北京星河科技有限公司")],
            ..Staged::default()
        };
        let resolved = resolve(&staged.units, &Matching::default());
        let linked = link(&staged, &resolved, &Matching::default());
        assert_eq!(linked.members[0].rule, "own_org_host");
        assert_eq!(
            resolved.units[linked.members[0].unit.unwrap()].name,
            "北京智联网络科技股份有限公司"
        );
    }
}
