//! One character off: a 工作单位 one edit from the names of units — the one of them the
//! member's organization, its area, the spelling as registered or the colleagues tell,
//! else a question for a person.
use super::{in_members_district, review_candidates, NameLookups, OrgContext, Placement};
use crate::link::prefer;
use crate::matching::{legal_forms_differ, written_one_edit_apart, Candidate};
use crate::model::MemberRecord;
use crate::resolve::{Resolved, Unit};
use crate::vocabulary::MemberRule;

/// Units within one edit of the written name core (see `NameLookups::typo_near`), in
/// the member's district when the export says which.
fn typo_candidates(
    key: &str,
    m: &MemberRecord,
    resolved: &Resolved,
    lookups: &NameLookups,
) -> Vec<(usize, f64)> {
    in_members_district(lookups.typo_near(key, &resolved.units), m, resolved)
}

/// The one unit of `near` (within one edit of the written name core: a typo in the 字号)
/// unique there, or else unique among the units of the member's own organization, or
/// else (the export saying no district) unique in the district of a member's
/// organization that holds no unit. Two units within one edit are a question for a
/// person, not a match.
pub(super) fn one_typo_away(
    near: &[(usize, f64)],
    m: &MemberRecord,
    resolved: &Resolved,
    ctx: &OrgContext,
) -> Option<(usize, f64)> {
    let units = &resolved.units;
    the_one(near, |_| true)
        .or_else(|| the_one(near, |u| ctx.has(u)))
        .or_else(|| {
            ctx.area_agrees(m)
                .then(|| the_one_in_area(m, near, units, ctx))
                .flatten()
        })
}

/// For a member left for review: the one unit within one edit of the written name (in
/// the member's district where the export says which) that `keep` accepts, placed by
/// `employer_typo_colleagues` (see `members::place_reviews_where_colleagues_work`).
/// Where the written core is exactly that of some units (a short form two units share:
/// 顺科咨询 for a 有限公司 and a 股份有限公司), only those are asked: the text names them
/// with no edit, and a unit one edit away where colleagues work is another company
/// (顺卓咨询). Units of another district than that of the member's organization of an
/// area (`area`, a street's committee) do not count as exact: its members work in its
/// district, and there a unit one edit away is what the text most likely means. Of the
/// rest, only those the text spells as registered (`spells`; of the area's, for such an
/// organization) are asked where it spells any: a street committee's members work in
/// many units of its street, so a colleague at another unit one edit away
/// (北京宇通商贸有限责任公司 for 北京宇峰商贸有限公司, which spells 北京泰峰商贸有限公司 and
/// 北京宇安商贸有限公司 of the same street) is weaker evidence than the spelling.
pub(in crate::link) fn one_typo_among(
    m: &MemberRecord,
    resolved: &Resolved,
    area: Option<&str>,
    keep: impl Fn(usize) -> bool,
    lookups: &NameLookups,
) -> Option<Placement> {
    let key = m.employer.name_key.as_deref().filter(|k| !k.is_empty())?;
    let mut near = typo_candidates(key, m, resolved, lookups);
    let in_area = |u: usize| {
        let district = resolved.units[u].facts.district_code.as_deref();
        area.is_none_or(|a| district == Some(a))
    };
    prefer(&mut near, |(u, score)| score >= 1.0 && in_area(u));
    prefer(&mut near, |(u, _)| {
        in_area(u) && spells(m, &resolved.units[u])
    });
    let (unit, score) = the_one(&near, keep)?;
    Some(Placement::scored(
        unit,
        MemberRule::EmployerTypoColleagues,
        score,
    ))
}

/// Whether the member's 工作单位 as written is one edit from the unit's registered name
/// (its 北京市, brackets and legal form too): a name copied whole with one character
/// wrong.
fn spells(m: &MemberRecord, unit: &Unit) -> bool {
    m.employer
        .name
        .as_deref()
        .is_some_and(|written| written_one_edit_apart(written, &unit.name))
}

/// The candidate `c` of a member left for review (of `all` offered) is one the text
/// names closely: within one edit of the written name (a typo of the 字号), or with the
/// best score of them, alone or tied (a short form: 帆思文化传媒延庆分公司 for
/// 北京帆思文化传媒有限公司延庆分公司; 东鼎建筑工程 for a 有限责任公司 and a 股份有限公司).
pub(in crate::link) fn names_closely(
    m: &MemberRecord,
    resolved: &Resolved,
    lookups: &NameLookups,
    c: &Candidate,
    all: &[Candidate],
) -> bool {
    let Some(key) = m.employer.name_key.as_deref().filter(|k| !k.is_empty()) else {
        return false;
    };
    let best = all.iter().map(|o| o.score).fold(0.0, f64::max);
    best - c.score < crate::matching::MIN_LEAD
        || typo_candidates(key, m, resolved, lookups)
            .iter()
            .any(|&(u, _)| u == c.unit)
}

/// The written name is one edit (or none) from a unit of the member's own organization
/// (its host, or a unit it hosts or covers) other than `confirmed`, which is none of
/// them; or, for an organization of an area (a street's committee), it is the name of
/// a unit of the committee's district (no edit in the core) while `confirmed` is of
/// another district. A district's decision on the text, made for other members who
/// wrote it, does not outrank what the member's own organization says (see
/// `members::reviewed`): 润诚房地产经纪 confirmed for 华诚 (石景山) by the people of 石景山 who
/// mistype 华诚 that way is still 润诚 for a member of 润诚's own district (大兴), and
/// 百远物流 confirmed for 百越 is 百海 for a member of 百海's own organization. Only the
/// name itself counts for an area: a district's units are many, and one of them is often
/// one edit from a text. The unit of a functional organization one edit away in the
/// confirmed unit's own district does not outrank the decision: such an organization
/// holds members who work elsewhere, and that district reviewed the text with its units
/// among the candidates (航智科技 confirmed for 景智 by 怀柔 stays 景智 for a member of
/// 怀柔's 顺智 functional branch); one the text names as exactly as the confirmed unit (a
/// short form two units share) does.
pub(in crate::link) fn names_another_unit_of_the_org_or_area(
    m: &MemberRecord,
    resolved: &Resolved,
    ctx: &OrgContext,
    own_host: Option<usize>,
    confirmed: usize,
    lookups: &NameLookups,
) -> bool {
    let of_org = |u: usize| ctx.has(u) || own_host == Some(u);
    let in_area = |u: usize| ctx.in_district(&resolved.units[u]);
    let Some(key) = m.employer.name_key.as_deref().filter(|k| !k.is_empty()) else {
        return false;
    };
    let outranks = |&(u, score): &(usize, f64)| {
        u != confirmed
            && ((of_org(u)
                && !of_org(confirmed)
                && (!ctx.functional || may_outrank_a_decision(resolved, u, score, confirmed)))
                || (score == 1.0 && in_area(u) && !in_area(confirmed)))
    };
    typo_candidates(key, m, resolved, lookups)
        .iter()
        .any(outranks)
}

/// Whether unit `u`, which the text names at `score`, may outrank a district's decision
/// for `confirmed`: where the text names it as exactly (a short form both share), or it
/// is of another district. The deciding district reviewed the text with its own units
/// among the candidates, so one of them the text names only by a typo does not.
pub(in crate::link) fn may_outrank_a_decision(
    resolved: &Resolved,
    u: usize,
    score: f64,
    confirmed: usize,
) -> bool {
    let district = |u: usize| resolved.units[u].facts.district_code.as_deref();
    score == 1.0 || district(u) != district(confirmed)
}

/// The one candidate `keep` accepts, if exactly one: two are a question for a person.
pub(super) fn the_one(near: &[(usize, f64)], keep: impl Fn(usize) -> bool) -> Option<(usize, f64)> {
    let mut kept = near.iter().filter(|&&(u, _)| keep(u));
    match (kept.next(), kept.next()) {
        (Some(&one), None) => Some(one),
        _ => None,
    }
}

/// See `place_by_employer`: the one unit of the member's organization within one edit
/// of the written name, where the exact-name unit `found` is not one of its units. Where
/// the organization has several, the one in the written legal form, else the one whose
/// registered name the text spells with one edit as written (a 联合支部 covering
/// 北京盛恒物流有限公司 and 北京科恒物流股份有限公司, its member writing 北京达恒物流有限公司).
pub(super) fn covered_unit_one_edit_away(
    m: &MemberRecord,
    found: usize,
    units: &[Unit],
    ctx: &OrgContext,
    lookups: &NameLookups,
) -> Option<(usize, f64)> {
    if ctx.units().is_none() || ctx.has(found) {
        return None;
    }
    let key = m.employer.name_key.as_deref()?;
    let near = lookups.typo().within_one_edit(key);
    the_one_as_written(m, &near, units, |u| ctx.has(u))
}

/// For a member of an organization of an area (a street's or park's committee): the
/// one unit of `near` in its district, else in its street or park; where the street or
/// park holds several, the one of them as written (`the_one_as_written`): a committee
/// holds the members of its street's units, so a name copied whole with one character
/// wrong is the one of them it spells (北京瑞新物业管理有限责任公司 by a member of 泉河街道's
/// committee: 北京瑞东物业管理有限责任公司 of that street, not its
/// 北京市和新物业管理有限公司); where the street holds several either way, the one of
/// them no organization holds — the committee holds the members of the units without
/// one, while a unit with its own or a joint organization has its members there
/// (北京智帆税务师事务所 by a member of 永顺镇's committee: 智泰 of that street, which has no
/// organization, not 智顺, which has its own). A district's units are many: a tie among
/// them stays a question for a person.
fn the_one_in_area(
    m: &MemberRecord,
    near: &[(usize, f64)],
    units: &[Unit],
    ctx: &OrgContext,
) -> Option<(usize, f64)> {
    let in_area = |u: usize| ctx.in_street_or_park(&units[u]);
    ctx.the_one_in_area(near, units)
        .or_else(|| the_one_as_written(m, near, units, in_area))
        .or_else(|| the_one_as_written(m, near, units, |u| in_area(u) && !ctx.held.contains(&u)))
}

/// The one unit of `near` that `keep` accepts; where it accepts several, the one of
/// them in the legal form the member wrote, else the one whose registered name the text
/// spells with one edit as written (北京市峰丰咨询有限责任公司 → 北京市峰城咨询有限责任公司,
/// not 北京鼎丰咨询有限公司): a name copied whole with one character wrong keeps its form.
fn the_one_as_written(
    m: &MemberRecord,
    near: &[(usize, f64)],
    units: &[Unit],
    keep: impl Fn(usize) -> bool,
) -> Option<(usize, f64)> {
    let key = m.employer.name_key.as_deref()?;
    the_one(near, &keep)
        .or_else(|| {
            the_one(near, |u| {
                keep(u) && !legal_forms_differ(key, &units[u].name_key)
            })
        })
        .or_else(|| the_one(near, |u| keep(u) && spells(m, &units[u])))
}

/// See `place_by_employer`: for a member of an organization that hosts and covers no
/// unit but has a district (a street's committee holds the members of units in its
/// street), whose 工作单位 is exactly the name of a unit `found` of another district:
/// the one unit of the organization's district within one edit (or of its street,
/// where the district has several); where that leaves several, the evidence disagrees
/// and a person decides (review, with `found` among the candidates); where the district
/// has none, the exact name stands. A `found` of the organization's own district is
/// weighed by street (`street_unit_one_edit_away`).
pub(super) fn district_unit_one_edit_away(
    m: &MemberRecord,
    found: usize,
    resolved: &Resolved,
    ctx: &OrgContext,
    lookups: &NameLookups,
) -> Option<Placement> {
    let units = &resolved.units;
    if ctx.district.is_none() || !ctx.area_agrees(m) {
        return None;
    }
    let key = m.employer.name_key.as_deref()?;
    if ctx.in_district(&units[found]) {
        return street_unit_one_edit_away(key, found, units, ctx, lookups);
    }
    let mut near = lookups.typo_near(key, units);
    near.retain(|&(u, _)| ctx.in_district(&units[u]));
    // The same name but for the legal form, in the district (北京市航帆物流有限公司 of
    // 朝阳 written by a member of 顺义's park committee, 北京市航帆物流股份有限公司 of its
    // park registered): taken as `named_in_another_form` takes it, where it is alone in
    // the district or in the committee's street or park among the units a typo away.
    let mut other_form = lookups.same_core(key);
    other_form.retain(|&(u, _)| u != found && ctx.in_district(&units[u]));
    if let Some((u, _)) = the_one(&other_form, |_| true) {
        let in_area = |x: usize| ctx.in_street_or_park(&units[x]);
        if near.is_empty() || (in_area(u) && !near.iter().any(|&(n, _)| in_area(n))) {
            return Some(Placement::exact(u, MemberRule::EmployerOtherForm));
        }
    }
    if near.is_empty() {
        return None;
    }
    Some(match the_one_in_area(m, &near, units, ctx) {
        Some((t, score)) => Placement::scored(t, MemberRule::EmployerTypoDistrict, score),
        None => {
            let exact = Candidate {
                unit: found,
                score: 1.0,
            };
            let candidates = review_candidates(&other_form, &near, &[exact], resolved, ctx);
            Placement::review(1.0, candidates)
        }
    })
}

/// See `district_unit_one_edit_away`, where the exact name is a unit of the committee's
/// own district but of another street or park (both known): the one unit of the
/// committee's street or park one edit away (a street's committee holds the members of
/// its street's units); where there are several or none, the exact name stands.
fn street_unit_one_edit_away(
    key: &str,
    found: usize,
    units: &[Unit],
    ctx: &OrgContext,
    lookups: &NameLookups,
) -> Option<Placement> {
    // Only streets known to be two count (a street column written in another form
    // than the committees' names says nothing: on a month whose column wrote some
    // streets' offices, 望京街道办事处, read as other streets, 102 of 117 such links
    // were wrong).
    let facts = &units[found].facts;
    let other_street = match (ctx.street, facts.street.as_deref()) {
        (Some(ours), Some(theirs)) => crate::names::other_street(ours, theirs),
        _ => false,
    };
    let other_park = match (ctx.park, facts.park.as_deref()) {
        (Some(ours), Some(theirs)) => ours != theirs,
        _ => false,
    };
    let other_area = other_street || other_park;
    if !other_area || ctx.in_street_or_park(&units[found]) {
        return None;
    }
    let near = lookups.typo_near(key, units);
    let (t, score) = the_one(&near, |u| ctx.in_street_or_park(&units[u]))?;
    Some(Placement::scored(
        t,
        MemberRule::EmployerTypoDistrict,
        score,
    ))
}
