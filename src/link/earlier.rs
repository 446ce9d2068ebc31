//! The same person last period: a member whose 工作单位 is ambiguous this period (left
//! for review) and was counted in one of its candidate units in the latest earlier
//! period of the output folder stays there (`previous_period`). Member registries keep
//! their people from month to month while a record's text is retyped, and a unit
//! registered this month one edit from the member's employer does not move them: a
//! district would otherwise see the unit's list items close and open again. Likewise a
//! joint organization's list, retyped each month: a row one edit from several units is
//! the one of them the organization covered last period (`name_typo_previous_period`).

use std::path::Path;

use super::employer::{may_outrank_a_decision, names_closely, NameLookups, Placement};
use super::{MemberLink, Org};
use crate::database;
use crate::error::{DbContext, Result};
use crate::extract::Staged;
use crate::model::{MemberKey, MemberRecord};
use crate::resolve::Resolved;
use crate::vocabulary::MemberRule;
use crate::{FastMap, FastSet};

/// Where a member was counted in the latest period before this one, and in which
/// organization (`members.unit_id`, `members.org_id`).
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    pub unit_id: String,
    pub org_id: Option<String>,
}

/// What the latest earlier period says (only about what is asked).
pub trait EarlierPeriod {
    /// Where each of `keys` was counted.
    fn units(&self, keys: &[MemberKey]) -> Result<FastMap<MemberKey, Earlier>>;

    /// Every unit (unit_id) each of `keys` had a record placed in, and whether they were
    /// counted there.
    fn listed(&self, _keys: &[MemberKey]) -> Result<FastMap<MemberKey, Vec<(String, bool)>>> {
        Ok(FastMap::default())
    }

    /// The units (unit_id) each joint organization covered or hosted: those with the
    /// codes `org_ids`, and those that held any of `unit_ids`.
    fn covered(
        &self,
        _org_ids: &[&str],
        _unit_ids: &[&str],
    ) -> Result<FastMap<String, FastSet<String>>> {
        Ok(FastMap::default())
    }
}

/// A function of the members asked about is an earlier period in which no organization
/// covered anything (a test's).
impl<F: Fn(&[MemberKey]) -> Result<FastMap<MemberKey, Earlier>>> EarlierPeriod for F {
    fn units(&self, keys: &[MemberKey]) -> Result<FastMap<MemberKey, Earlier>> {
        self(keys)
    }
}

pub type EarlierUnits<'a> = &'a dyn EarlierPeriod;

/// No earlier period (a first run, or a test).
pub fn no_earlier_period(_: &[MemberKey]) -> Result<FastMap<MemberKey, Earlier>> {
    Ok(FastMap::default())
}

/// The latest period before `period` that the output folder's coverage.duckdb holds.
pub struct Published<'a> {
    pub out: &'a Path,
    pub period: &'a str,
}

impl EarlierPeriod for Published<'_> {
    fn units(&self, keys: &[MemberKey]) -> Result<FastMap<MemberKey, Earlier>> {
        earlier_units(self.out, self.period, keys)
    }

    fn listed(&self, keys: &[MemberKey]) -> Result<FastMap<MemberKey, Vec<(String, bool)>>> {
        let mut found: FastMap<MemberKey, Vec<(String, bool)>> = FastMap::default();
        let context = "read the units the members were listed in the previous period";
        let wanted = keys.iter().map(|k| k.to_string());
        let Some(conn) = prior_asking(self.out, "members", wanted, context)? else {
            return Ok(found);
        };
        let mut stmt = conn
            .prepare(
                "SELECT m.member_key, m.unit_id, bool_or(m.counted) FROM prior.members m
                 JOIN wanted w ON w.key = m.member_key
                 WHERE m.period = (SELECT max(period) FROM prior.members WHERE period < ?)
                   AND m.unit_id IS NOT NULL
                 GROUP BY m.member_key, m.unit_id",
            )
            .db(context)?;
        let rows = stmt
            .query_map([self.period], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .db(context)?;
        let by_text: FastMap<String, MemberKey> =
            keys.iter().map(|k| (k.to_string(), *k)).collect();
        for row in rows {
            let (key, unit_id, counted) = row.db(context)?;
            if let Some(k) = by_text.get(&key) {
                found.entry(*k).or_default().push((unit_id, counted));
            }
        }
        Ok(found)
    }

    fn covered(
        &self,
        org_ids: &[&str],
        unit_ids: &[&str],
    ) -> Result<FastMap<String, FastSet<String>>> {
        let mut found: FastMap<String, FastSet<String>> = FastMap::default();
        let context = "read the joint organizations' units of the previous period";
        // Codes and unit ids in one list: an organization code is never a unit id.
        let wanted = org_ids.iter().chain(unit_ids).map(|id| id.to_string());
        let Some(conn) = prior_asking(self.out, "org_units", wanted, context)? else {
            return Ok(found);
        };
        let mut stmt = conn
            .prepare(
                "WITH before AS (SELECT o.org_id, o.unit_id FROM prior.org_units o
                     WHERE o.period = (SELECT max(period) FROM prior.org_units WHERE period < ?)
                       AND o.role IN ('covered', 'host'))
                 SELECT org_id, unit_id FROM before
                 WHERE org_id IN (SELECT key FROM wanted)
                    OR org_id IN (SELECT t.org_id FROM before t JOIN wanted w ON w.key = t.unit_id)",
            )
            .db(context)?;
        let rows = stmt
            .query_map([self.period], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))
            .db(context)?;
        for row in rows {
            let (org, unit) = row.db(context)?;
            found.entry(org).or_default().insert(unit);
        }
        Ok(found)
    }
}

/// The output folder's coverage.duckdb attached as `prior`, with the keys asked about in
/// a table `wanted (key)`; None where it does not hold `table` (a first run).
fn prior_asking(
    out: &Path,
    table: &str,
    keys: impl Iterator<Item = String>,
    context: &str,
) -> Result<Option<duckdb::Connection>> {
    let conn = database::open(None)?;
    if !database::attach_published(&conn, out, "prior", true)?
        || !database::has_tables(&conn, "prior", &[table])?
    {
        return Ok(None);
    }
    conn.execute_batch("CREATE TEMP TABLE wanted (key VARCHAR);")
        .db(context)?;
    {
        let mut appender = conn.appender("wanted").db(context)?;
        for key in keys {
            appender.append_row([key]).db(context)?;
        }
    }
    Ok(Some(conn))
}

/// The unit (and organization) each of `keys` was counted in by the latest period
/// before `period` that the output folder's coverage.duckdb holds; a person counted in
/// two units then (two records) is left out.
fn earlier_units(
    out: &Path,
    period: &str,
    keys: &[MemberKey],
) -> Result<FastMap<MemberKey, Earlier>> {
    let mut found = FastMap::default();
    if keys.is_empty() {
        return Ok(found);
    }
    let context = "read the members' units of the previous period";
    let wanted = keys.iter().map(|k| k.to_string());
    let Some(conn) = prior_asking(out, "members", wanted, context)? else {
        return Ok(found);
    };
    let mut stmt = conn
        .prepare(
            "SELECT m.member_key, any_value(m.unit_id), any_value(m.org_id) FROM prior.members m
             JOIN wanted w ON w.key = m.member_key
             WHERE m.period = (SELECT max(period) FROM prior.members WHERE period < ?)
               AND m.counted
             GROUP BY m.member_key
             HAVING count(DISTINCT m.unit_id) = 1 AND count(DISTINCT m.org_id) <= 1",
        )
        .db(context)?;
    let rows = stmt
        .query_map([period], |r| {
            let was = Earlier {
                unit_id: r.get(1)?,
                org_id: r.get(2)?,
            };
            Ok((r.get::<_, String>(0)?, was))
        })
        .db(context)?;
    let by_text: FastMap<String, MemberKey> = keys.iter().map(|k| (k.to_string(), *k)).collect();
    for row in rows {
        let (key, was) = row.db(context)?;
        if let Some(k) = by_text.get(&key) {
            found.insert(*k, was);
        }
    }
    Ok(found)
}

/// What the same-person rule needs of the link stage: the name look-ups, the
/// organizations, and the link rules without a district's decision (`members`).
pub(super) struct SamePerson<'a> {
    pub(super) lookups: &'a NameLookups<'a>,
    pub(super) orgs: &'a [Org],
    pub(super) by_rules: &'a (dyn Fn(&MemberRecord, Option<usize>) -> Placement + Sync),
}

/// A member with a district's decision on their text whose organization is another than
/// last period's may have moved with it (a job in a sister company, its 字号 one edit
/// from the old one's): where the rules alone, with the new organization's help, read
/// the text as another unit by a typo, that is the link — the decision was made on the
/// text for other people (`employer_typo`, `employer_typo_org`).
fn gives_way_to_the_new_organization(m: &MemberRecord, link: &mut MemberLink, same: &SamePerson) {
    let alone = (same.by_rules)(m, link.org());
    let by_typo = matches!(
        alone.rule,
        MemberRule::EmployerTypo | MemberRule::EmployerTypoOrg
    );
    if by_typo && alone.unit.is_some() && alone.unit != link.unit() {
        link.place(alone);
    }
}

/// Places a member in the unit they were counted in last period (see the module) where
/// this period's text leaves them for review, or where a district's decision on the
/// text (made for other people who wrote it) names another unit while the text alone
/// would place them where they were (by that rule) or leave them for review: among the
/// candidates, if the text names it closely (one edit away, or with the best score; a
/// weaker candidate may be a new employer), and only where their organization is the
/// same as then (one that changed says the member may have moved). Scored as that
/// candidate.
pub(super) fn place_where_they_were(
    staged: &Staged,
    resolved: &Resolved,
    same: &SamePerson,
    links: &mut [MemberLink],
    earlier: EarlierUnits,
) -> Result<()> {
    let asked = |l: &MemberLink| matches!(l.rule, MemberRule::Review | MemberRule::Reviewed);
    let keys: Vec<MemberKey> = links
        .iter()
        .filter(|l| asked(l))
        .map(|l| staged.members[l.record()].member_key)
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let was = earlier.units(&keys)?;
    for link in links.iter_mut().filter(|l| asked(l)) {
        let m = &staged.members[link.record()];
        let Some(then) = was.get(&m.member_key) else {
            continue;
        };
        let unit_id = |u: usize| resolved.units[u].unit_id.as_str();
        let moved_organization = link.org_id(m, same.orgs) != then.org_id.as_deref();
        if moved_organization && link.rule == MemberRule::Reviewed {
            gives_way_to_the_new_organization(m, link, same);
            continue;
        }
        if moved_organization || link.unit().is_some_and(|u| unit_id(u) == then.unit_id) {
            continue;
        }
        // A decided link: what the rules alone say of the text.
        let alone = (link.rule == MemberRule::Reviewed).then(|| (same.by_rules)(m, link.org()));
        let outranks_the_decision = |alone: &Placement, u: usize| {
            let score = alone.score.unwrap_or(0.0);
            link.unit()
                .is_some_and(|d| may_outrank_a_decision(resolved, u, score, d))
        };
        let candidates = match alone {
            // The rules alone place the member where they were: that is the link (a
            // decision on the text was made for other people, elsewhere).
            Some(alone)
                if alone.unit.is_some_and(|u| {
                    unit_id(u) == then.unit_id && outranks_the_decision(&alone, u)
                }) =>
            {
                link.place(alone);
                continue;
            }
            Some(alone) if alone.rule == MemberRule::Review => alone.candidates,
            Some(_) => continue,
            None => link.candidates.to_vec(),
        };
        let found = candidates
            .iter()
            .find(|c| unit_id(c.unit) == then.unit_id)
            .filter(|c| names_closely(m, resolved, same.lookups, c, &candidates))
            .copied();
        if let Some(c) = found {
            link.place(Placement::scored(
                c.unit,
                MemberRule::PreviousPeriod,
                c.score,
            ));
        }
    }
    Ok(())
}
