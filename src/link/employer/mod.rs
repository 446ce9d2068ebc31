//! Where 工作单位 places a member: codes, the exact normal name, then scored names and
//! one-character typos (`typo`), with what the member's organization adds (its units, or
//! the district of a street's committee).

use crate::config::Matching;
use crate::matching::{clear_winner, legal_forms_differ, Candidate, NameMatcher, TypoIndex};
use crate::model::MemberRecord;
use crate::resolve::{Resolved, Unit, UnitIndex};
use crate::vocabulary::{MemberRule, UnitFoundBy};
use crate::{FastMap, FastSet};
use std::sync::OnceLock;

mod typo;

use typo::{covered_unit_one_edit_away, district_unit_one_edit_away, one_typo_away, the_one};
pub(super) use typo::{
    may_outrank_a_decision, names_another_unit_of_the_org_or_area, names_closely, one_typo_among,
};

/// What a member's link is made of before counting.
pub(super) struct Placement {
    pub(super) unit: Option<usize>,
    pub(super) rule: MemberRule,
    pub(super) score: Option<f64>,
    pub(super) candidates: Vec<Candidate>,
}

impl Placement {
    pub(super) fn exact(unit: usize, rule: MemberRule) -> Self {
        Placement {
            unit: Some(unit),
            rule,
            score: Some(1.0),
            candidates: Vec::new(),
        }
    }

    pub(super) fn none(rule: MemberRule) -> Self {
        Placement {
            unit: None,
            rule,
            score: None,
            candidates: Vec::new(),
        }
    }

    /// A link by a scored or one-edit rule, with its score.
    pub(super) fn scored(unit: usize, rule: MemberRule, score: f64) -> Self {
        Placement {
            unit: Some(unit),
            rule,
            score: Some(score),
            candidates: Vec::new(),
        }
    }

    /// No link: `candidates` for a person to choose from.
    fn review(score: f64, candidates: Vec<Candidate>) -> Self {
        Placement {
            unit: None,
            rule: MemberRule::Review,
            score: Some(score),
            candidates,
        }
    }
}

/// What a member's organization says about where the member works.
pub(super) struct OrgContext<'a> {
    pub(super) org: Option<usize>,
    pub(super) units_of_org: &'a FastMap<usize, FastSet<usize>>,
    /// Units an organization that counts (not a functional one) hosts or covers.
    pub(super) held: &'a FastSet<usize>,
    /// The district of an organization that holds no unit (see `Org::district_code`).
    pub(super) district: Option<&'a str>,
    /// Its street, where its name says (a street's committee).
    pub(super) street: Option<&'a str>,
    /// Its park, where its name says (a park's committee).
    pub(super) park: Option<&'a str>,
    /// A 功能型 organization: it holds members whose relation cannot move to where they
    /// work, so its unit says less of a member's employer than an own or joint one's.
    pub(super) functional: bool,
}

impl OrgContext<'_> {
    /// The units the organization hosts or covers (none for a street's committee).
    pub(super) fn units(&self) -> Option<&FastSet<usize>> {
        self.org.and_then(|o| self.units_of_org.get(&o))
    }

    /// The organization hosts or covers the unit.
    pub(super) fn has(&self, unit: usize) -> bool {
        self.units().is_some_and(|s| s.contains(&unit))
    }

    /// The member's district, where the export or the 工作单位 text says, is the
    /// organization's (or unknown): only then does the organization's area place them.
    fn area_agrees(&self, m: &MemberRecord) -> bool {
        m.district_code.is_none() || m.district_code.as_deref() == self.district
    }

    /// The unit is in the district of an organization that holds no unit.
    fn in_district(&self, unit: &Unit) -> bool {
        self.district.is_some() && unit.facts.district_code.as_deref() == self.district
    }

    /// The unit is in that organization's district and in its street or park.
    fn in_street_or_park(&self, unit: &Unit) -> bool {
        let street = match (self.street, unit.facts.street.as_deref()) {
            (Some(ours), Some(theirs)) => crate::names::same_street(ours, theirs),
            _ => false,
        };
        let park = self.park.is_some() && unit.facts.park.as_deref() == self.park;
        self.in_district(unit) && (street || park)
    }

    /// Of the units in the organization's district, the one in its street or park, if
    /// exactly one: a street's or park's committee holds the members of the units of its
    /// street or park (属地).
    fn the_one_in_area(&self, near: &[(usize, f64)], units: &[Unit]) -> Option<(usize, f64)> {
        the_one(near, |u| self.in_district(&units[u]))
            .or_else(|| the_one(near, |u| self.in_street_or_park(&units[u])))
    }
}

/// Scored and one-edit name look-ups, built on first use (by whichever thread first
/// needs one; the others wait for it) and shared by the threads that place members.
pub(super) struct NameLookups<'a> {
    index: &'a UnitIndex,
    scored: OnceLock<NameMatcher>,
}

impl<'a> NameLookups<'a> {
    pub(super) fn new(index: &'a UnitIndex) -> Self {
        NameLookups {
            index,
            scored: OnceLock::new(),
        }
    }

    /// Builds both look-ups side by side (each is one thread's work): a month of any
    /// size has some member for each.
    pub(super) fn build(&self) {
        rayon::join(|| self.scored(), || self.typo());
    }

    fn scored(&self) -> &NameMatcher {
        self.scored
            .get_or_init(|| NameMatcher::new(self.index.names()))
    }

    fn typo(&self) -> &TypoIndex {
        self.index.typo()
    }

    /// Units whose name is the written one but for the legal form: the same core.
    fn same_core(&self, key: &str) -> Vec<(usize, f64)> {
        let mut same_core = self.typo().within_one_edit(key);
        same_core.retain(|&(_, score)| score == 1.0);
        same_core
    }

    /// Units one edit from the written name of its legal form (`UnitIndex::one_edit_in_form`).
    fn typo_near(&self, key: &str, units: &[Unit]) -> Vec<(usize, f64)> {
        self.index.one_edit_in_form(units, key)
    }
}

/// A member's unit from the 工作单位 columns: codes and exact name first, then a
/// scored name at the accept threshold, then a one-character typo of a unique unit,
/// then a scored name inside the member's organization; else review or unmatched.
pub(super) fn place_by_employer(
    m: &MemberRecord,
    resolved: &Resolved,
    matching: &Matching,
    ctx: &OrgContext,
    lookups: &NameLookups,
) -> Placement {
    let found = resolved.index.find(&resolved.units, &m.employer);
    // A unit found by its code may be a company whose branch the name says.
    let by_code = found.filter(|&(_, by)| by != UnitFoundBy::Name);
    if let Some(b) = by_code.and_then(|(u, _)| branch_named_beside_its_company(m, u, resolved)) {
        return Placement::exact(b, MemberRule::EmployerBranch);
    }
    match found {
        Some((u, UnitFoundBy::Uscc)) if m.employer.uscc_from_name => {
            return Placement::exact(u, MemberRule::EmployerUsccInName)
        }
        Some((u, UnitFoundBy::Uscc)) => return Placement::exact(u, MemberRule::EmployerUscc),
        Some((u, UnitFoundBy::OrgCode)) => return Placement::exact(u, MemberRule::EmployerOrgCode),
        Some((u, UnitFoundBy::RegNo)) => return Placement::exact(u, MemberRule::EmployerRegNo),
        Some((u, _)) => {
            // A member whose 工作单位 is exactly the name of a unit their organization
            // neither hosts nor covers, and one edit from exactly one unit it does (of
            // several, the one the text's form or spelling says), mistyped the 字号 into
            // another company's name.
            if let Some((t, score)) =
                covered_unit_one_edit_away(m, u, &resolved.units, ctx, lookups)
            {
                return Placement::scored(t, MemberRule::EmployerTypoOrg, score);
            }
            // The same for a member of an organization that holds no unit (a street's
            // committee): the one unit of its district one edit away, where the exact
            // name is a company of another district.
            if let Some(placed) = district_unit_one_edit_away(m, u, resolved, ctx, lookups) {
                return placed;
            }
            return Placement::exact(u, MemberRule::EmployerName);
        }
        None => {}
    }
    if let Some(u) = named_without_district(m, resolved) {
        return Placement::exact(u, MemberRule::EmployerName);
    }
    let Some(key) = m.employer.name_key.as_deref().filter(|k| !k.is_empty()) else {
        return Placement::none(MemberRule::Unmatched);
    };
    // A 股份公司 written where the registry has a 有限公司 of the same core is more often
    // a typo of another company's 字号 than the same company: such candidates are left
    // to the typo rule and to review.
    let units = &resolved.units;
    let mut near_anywhere = lookups.typo_near(key, units);
    near_anywhere.retain(|&(u, _)| code_allows(m, &units[u]));
    let mut best = lookups.scored().best(key, SCORED_CANDIDATES, |u| {
        !legal_forms_differ(key, &units[u].name_key) && code_allows(m, &units[u])
    });
    with_every_unit_of_the_same_core(&mut best, &near_anywhere);
    let winner = clear_winner(&best);
    if let Some(c) = winner.filter(|c| c.score >= matching.name_accept) {
        return Placement::scored(c.unit, MemberRule::EmployerFuzzy, c.score);
    }
    let near = in_members_district(near_anywhere, m, resolved);
    let other_form = in_another_form(key, m, resolved, lookups);
    if let Some(u) = named_in_another_form(&other_form, &near, m, units, ctx) {
        return Placement::exact(u, MemberRule::EmployerOtherForm);
    }
    if let Some((unit, score)) = one_typo_away(&near, m, resolved, ctx) {
        return Placement::scored(unit, MemberRule::EmployerTypo, score);
    }
    if let Some(u) = company_of_unregistered_branch(key, m, resolved) {
        return Placement::exact(u, MemberRule::EmployerBranchCompany);
    }
    if let Some(c) = tied_in_area(&best, matching, m, resolved, ctx) {
        return Placement::scored(c.unit, MemberRule::EmployerFuzzyDistrict, c.score);
    }
    let top = best.first().map(|c| c.score);
    match best.first() {
        Some(c) if c.score >= matching.name_review && winner.is_some() && ctx.has(c.unit) => {
            Placement::scored(c.unit, MemberRule::EmployerFuzzyOrg, c.score)
        }
        _ if top.is_some_and(|t| t >= matching.name_review) || near.len() > 1 => Placement::review(
            top.unwrap_or(0.0).max(near.first().map_or(0.0, |n| n.1)),
            review_candidates(&other_form, &near, &best, resolved, ctx),
        ),
        _ => Placement::none(MemberRule::Unmatched),
    }
}

/// 某某有限公司朝阳分公司 written with 某某有限公司's code (`company`, found by it): the
/// branch. A branch has a USCC of its own, but the company's is often copied for it —
/// the code names the legal person, the name the place the member works, where they
/// are counted. The branch is the one unit of the written name whose company the code
/// found, else the one of the company's branches named for the place the text ends
/// with (海科科技延庆分公司, 北京市东城区思新睿商贸有限公司东城分公司: the company's name
/// and 延庆分公司, 东城分公司), however the text writes the company.
fn branch_named_beside_its_company(
    m: &MemberRecord,
    company: usize,
    resolved: &Resolved,
) -> Option<usize> {
    let key = m.employer.name_key.as_deref()?;
    let index = &resolved.index;
    let is_branch_of_company = |b: usize| {
        let of = crate::matching::branch_company(&resolved.units[b].name_key);
        b != company && of.is_some_and(|of| index.units_named(of).contains(&company))
    };
    if let &[branch] = index.units_named(key) {
        return is_branch_of_company(branch).then_some(branch);
    }
    // The place before 分公司, one to eight characters, after the company's name.
    let head = key.strip_suffix("分公司")?;
    let company_key = &resolved.units[company].name_key;
    let mut found = head.char_indices().rev().take(8).filter_map(|(at, _)| {
        let name = format!("{company_key}{}分公司", &head[at..]);
        match index.units_named(&name) {
            &[b] if is_branch_of_company(b) => Some(b),
            _ => None,
        }
    });
    let branch = found.next()?;
    found.all(|b| b == branch).then_some(branch)
}

/// 北京市朝阳区某某科技有限公司 for 北京某某科技有限公司: the one unit of the district
/// the text names that the name without the district names, where the whole name names
/// none. A unit of that name in another district is not taken: a 字号 mistyped into
/// another company's name is the likelier story there, and the typo rules weigh it. A
/// name never overrides a USCC the member gives for another unit.
fn named_without_district(m: &MemberRecord, resolved: &Resolved) -> Option<usize> {
    let key = m.employer.name_key_without_district.as_deref()?;
    let district = m.district_code.as_deref()?;
    let mut inside = resolved
        .index
        .units_named(key)
        .iter()
        .filter(|&&u| resolved.units[u].facts.district_code.as_deref() == Some(district));
    let unit = *inside.next()?;
    if inside.next().is_some() {
        return None;
    }
    crate::resolve::name_may_find(m.employer.uscc.as_deref(), &resolved.units[unit]).then_some(unit)
}

/// 北京星河科技股份有限公司 written for the 北京星河科技有限公司 registered: the one unit
/// (in the member's district where the export says which) whose name is the written
/// one but for the legal form, where no unit of the written form is within one edit
/// (`near`), or where the member's organization (or a street committee's area) holds
/// that unit and none of those.
/// Otherwise the typo rules and review weigh the units of the written form: a mistyped
/// 字号 spells another company's core more often than people write the wrong form (see
/// `legal_forms_differ`).
fn named_in_another_form(
    other_form: &[(usize, f64)],
    near: &[(usize, f64)],
    m: &MemberRecord,
    units: &[Unit],
    ctx: &OrgContext,
) -> Option<usize> {
    let (unit, _) = the_one(other_form, |_| true)?;
    // The organization's units, or a street committee's district or street, hold it
    // and none of the units a typo away.
    let alone_in = |keep: &dyn Fn(usize) -> bool| keep(unit) && !near.iter().any(|&(u, _)| keep(u));
    // A street's or park's committee holds the members of the units of its area that
    // no organization holds: of the units of its district, the one of the written core
    // no organization holds, where every unit a typo away has one.
    let free_in_district = |u: usize| ctx.in_district(&units[u]) && !ctx.held.contains(&u);
    let in_area = ctx.area_agrees(m)
        && (alone_in(&|u| ctx.in_district(&units[u]))
            || alone_in(&|u| ctx.in_street_or_park(&units[u]))
            || alone_in(&free_in_district));
    (near.is_empty() || alone_in(&|u| ctx.has(u)) || in_area).then_some(unit)
}

/// The units (in the member's district where the export says which) whose name is the
/// written one but for the legal form: the same core, where no exact name was found.
fn in_another_form(
    key: &str,
    m: &MemberRecord,
    resolved: &Resolved,
    lookups: &NameLookups,
) -> Vec<(usize, f64)> {
    in_members_district(lookups.same_core(key), m, resolved)
}

/// 某某有限公司第一分公司 that no rule above finds (no branch of that name is registered,
/// none a typo away): the one unit named 某某有限公司, itself no branch. The member works
/// for that company; a branch the registry does not hold is no unit to count them in.
fn company_of_unregistered_branch(
    key: &str,
    m: &MemberRecord,
    resolved: &Resolved,
) -> Option<usize> {
    let company = crate::matching::branch_company(key)?;
    let &[unit] = resolved.index.units_named(company) else {
        return None;
    };
    let u = &resolved.units[unit];
    let is_branch = crate::matching::core(&u.name_key).1;
    (!is_branch && crate::resolve::name_may_find(m.employer.uscc.as_deref(), u)).then_some(unit)
}

/// How many scored names are weighed: enough to see every unit tied at the top score
/// for a short name (星河科技 for a 有限公司 here and a 股份公司 there).
const SCORED_CANDIDATES: usize = 8;

/// For a member of a street's committee (an organization of an area, see `OrgContext`)
/// and a 工作单位 that several units match equally well at the accept threshold: the one
/// of them in the committee's district, or its street. A tie that fills every scored
/// place may hide more units, so it decides nothing.
fn tied_in_area(
    best: &[Candidate],
    matching: &Matching,
    m: &MemberRecord,
    resolved: &Resolved,
    ctx: &OrgContext,
) -> Option<Candidate> {
    let top = best.first()?.score;
    if top < matching.name_accept || !ctx.area_agrees(m) {
        return None;
    }
    let tied: Vec<(usize, f64)> = best
        .iter()
        .filter(|c| top - c.score < crate::matching::MIN_LEAD)
        .map(|c| (c.unit, c.score))
        .collect();
    if tied.len() < 2 || tied.len() == SCORED_CANDIDATES {
        return None;
    }
    let (unit, score) = ctx.the_one_in_area(&tied, &resolved.units)?;
    Some(Candidate { unit, score })
}

/// At most this many candidates of one member go to review (link_review rows).
const REVIEW_CANDIDATES: usize = 8;

/// What a person reviewing an ambiguous 工作单位 is offered: the units named as written
/// but for the legal form (no character to change), then every unit one edit away (a
/// typo of the 字号 is one edit from the true unit, however many others are too), those
/// of the member's organization, of its street and of its district before the rest,
/// then the best scored names. The scored names alone often miss the true unit: several
/// one-edit names score alike and the top three are arbitrary among them.
fn review_candidates(
    other_form: &[(usize, f64)],
    near: &[(usize, f64)],
    best: &[Candidate],
    resolved: &Resolved,
    ctx: &OrgContext,
) -> Vec<Candidate> {
    let place = |u: usize| {
        let unit = &resolved.units[u];
        (
            ctx.has(u),
            ctx.in_street_or_park(unit),
            ctx.in_district(unit),
        )
    };
    let mut typos: Vec<(usize, f64)> = near.to_vec();
    typos.sort_by(|a, b| {
        place(b.0)
            .cmp(&place(a.0))
            .then(b.1.total_cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    let mut seen = FastSet::default();
    other_form
        .iter()
        .copied()
        .chain(typos)
        .map(|(unit, score)| Candidate { unit, score })
        .chain(best.iter().copied())
        .filter(|c| seen.insert(c.unit))
        .take(REVIEW_CANDIDATES)
        .collect()
}

/// Of `near`, the units in the member's district where the export says which, and
/// none with another USCC than the one the member gives (`code_allows`).
fn in_members_district(
    mut near: Vec<(usize, f64)>,
    m: &MemberRecord,
    resolved: &Resolved,
) -> Vec<(usize, f64)> {
    if let Some(district) = &m.district_code {
        near.retain(|(u, _)| resolved.units[*u].facts.district_code.as_deref() == Some(district));
    }
    near.retain(|&(u, _)| code_allows(m, &resolved.units[u]));
    near
}

/// A name never places a member in a unit whose USCC differs from the valid one the
/// member gives (a code no registry record carries, such as that of a unit registered
/// by its 注册号 alone): the code says which unit it is not.
fn code_allows(m: &MemberRecord, unit: &Unit) -> bool {
    crate::resolve::name_may_find(m.employer.uscc.as_deref(), unit)
}

/// Puts among the scored candidates, at the top score, every unit whose name has the
/// written core (`near`'s units at no edit: 信联物业管理 for a 有限公司 and a 股份公司 of
/// that 字号), so that two such units tie. The scored look-up may leave one out: its
/// votes count the rarer bigrams only, at a million units the 464 names with 信联 tie
/// on them, and which 20 of those are scored is down to their order.
fn with_every_unit_of_the_same_core(best: &mut Vec<Candidate>, near: &[(usize, f64)]) {
    let same_core = near
        .iter()
        .filter(|&&(u, score)| score == 1.0 && !best.iter().any(|c| c.unit == u))
        .map(|&(unit, score)| Candidate { unit, score });
    let mut all: Vec<Candidate> = same_core.chain(best.iter().copied()).collect();
    all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.unit.cmp(&b.unit)));
    all.truncate(SCORED_CANDIDATES);
    *best = all;
}
