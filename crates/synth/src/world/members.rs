//! The members of the world: who works where and whose organization holds them.

use super::*;

/// Every unit's members in its organization (or its street's committee), the members
/// not in normal standing that never count, members whose employer is in no registry (a
/// unit of another city, a public body), and members of a unit's own organization who
/// work nowhere (retired, between jobs). Where the month is messy, some
/// members' 组织关系 is not where they work (see `organization_of_member`).
pub(super) fn draw_members(
    rng: &mut Rng,
    world: &mut World,
    org_of_unit: &[Option<String>],
) -> Vec<TrueMember> {
    let mut members = Vec::new();
    let groups: HashSet<String> = world
        .orgs
        .iter()
        .filter(|o| o.level_raw == "党小组")
        .map(|o| o.id.clone())
        .collect();
    let own_units: Vec<usize> = (0..world.units.len())
        .filter(|&j| world.units[j].org == OrgPlan::Own)
        .collect();
    // A job changer's former employer had an organization of its own or was joined to a
    // 联合党支部: the relation stays there either way.
    let with_org: Vec<usize> = (0..world.units.len())
        .filter(|&j| matches!(world.units[j].org, OrgPlan::Own | OrgPlan::Joint))
        .collect();
    for (i, u) in world.units.iter().enumerate() {
        let home = home_org(world, i, org_of_unit);
        let group_org = group_organization(world, i, org_of_unit);
        let extra = u32::from(u.formal > 0 && rng.chance(0.05));
        for k in 0..(u.formal + u.probationary + extra) {
            let category_raw = if k >= u.formal && k < u.formal + u.probationary {
                "预备党员"
            } else {
                "正式党员"
            };
            let id = member_id(world, i, k);
            let status_raw = if k >= u.formal + u.probationary {
                let not_normal = *rng.pick(&["停止党籍", "失联"]);
                // Of these, two in five died or left the party (by the ID number: the
                // month's other draws stay).
                match Rng::stable_unit(&id, "left the party") {
                    h if h < 0.2 => "死亡",
                    h if h < 0.4 => "出党",
                    _ => not_normal,
                }
            } else {
                "正常"
            };
            let moved = moved_in(world, i, k);
            // Half of the movers' 组织关系 stays with the unit they left.
            let left_behind = moved
                .filter(|_| rng.chance(0.5))
                .map(|&(from, _)| home_org(world, from, org_of_unit));
            let org_id = left_behind
                .or_else(|| organization_of_member(world, i, &id, &with_org, org_of_unit))
                .or_else(|| still_with_the_committee(world, i, &id))
                .or_else(|| group_org.clone())
                .unwrap_or_else(|| home.clone());
            let relation_here = org_of_unit[i].as_deref() == Some(org_id.as_str());
            // A fifth (times the mess factor) of the members of a 党委 or 党总支 with a
            // 党小组 are recorded in the group: their relation is the organization's.
            let group = party_group_id(&org_id);
            let in_group = relation_here
                && groups.contains(&group)
                && Rng::stable_chance(&id, "party group", 0.2 * world.messiness);
            members.push(TrueMember {
                id_number: id,
                category_raw,
                status_raw,
                relation_here,
                org_id: if in_group { group } else { org_id },
                employer: Some(i),
                elsewhere: None,
                writes: moved.and_then(|m| m.1.clone()),
            });
        }
    }
    let elsewhere = (members.len() as f64 * 0.01 * world.messiness).round() as usize;
    for j in 0..elsewhere {
        let d = rng.below(region().districts.len());
        let (name, _) = world.names.draw(rng, |t, _| format!("天津{t}贸易有限公司"));
        members.push(TrueMember {
            id_number: id_number("98", j as u64),
            category_raw: "正式党员",
            status_raw: "正常",
            org_id: community_org_id(d, rng.below(3)),
            employer: None,
            elsewhere: Some(name),
            relation_here: false,
            writes: None,
        });
    }
    let idle = (members.len() as f64 * 0.003 * world.messiness).round() as usize;
    members.extend(idle_members(world, idle, &own_units, org_of_unit));
    members
}

/// Members a unit's own organization keeps who work nowhere: retirees a company's 党委
/// keeps, members between jobs or self-employed, members who left the unit
/// (某公司（已离职）). 工作单位 says so; the host must not place them (drawn from stable
/// hashes: the other draws of the month stay).
fn idle_members(
    world: &World,
    idle: usize,
    own_units: &[usize],
    org_of_unit: &[Option<String>],
) -> Vec<TrueMember> {
    const NOWHERE: [&str; 8] = [
        "退休",
        "已退休",
        "退休人员",
        "自由职业",
        "待业",
        "灵活就业",
        "无固定工作",
        "务农",
    ];
    const WRAPPED: [(&str, &str); 5] = [
        ("待业", "待业中"),
        ("自由职业", "自由职业者（兼职）"),
        ("灵活就业", "灵活就业人员"),
        ("无固定工作", "暂无固定工作"),
        ("务农", "在家务农"),
    ];
    let mut members = Vec::new();
    for j in 0..idle.min(own_units.len()) {
        let key = format!("idle member {j}");
        let pick = |n: usize| ((Rng::stable_unit(&key, "which") * n as f64) as usize).min(n - 1);
        let unit = own_units[pick(own_units.len())];
        let Some(org_id) = org_of_unit[unit].clone() else {
            continue;
        };
        members.push(TrueMember {
            id_number: id_number("97", j as u64),
            category_raw: "正式党员",
            status_raw: "正常",
            org_id,
            employer: None,
            elsewhere: Some(
                match NOWHERE.get((Rng::stable_unit(&key, "text") * 9.0) as usize % 9) {
                    // A third with what people write around the word (待业中, 在家务农).
                    Some(text) if Rng::stable_chance(&key, "wrapped", 0.3) => WRAPPED
                        .iter()
                        .find(|(word, _)| word == text)
                        .map_or(*text, |(_, wrapped)| wrapped)
                        .to_string(),
                    Some(text) => text.to_string(),
                    None => format!("{}（已离职）", world.units[unit].name),
                },
            ),
            relation_here: false,
            writes: None,
        });
    }
    members
}

/// A job changer (2% of members, times the mess factor): their 组织关系 stays with the
/// organization of a former employer (its own, or the 联合党支部 it is joined to), another
/// unit, while 工作单位 names the new one.
/// Who they are and which former employer is a property of the person (their ID number),
/// the same every month while that unit keeps its organization: a 组织关系 does not move
/// between months by chance.
pub(super) fn organization_of_member(
    world: &World,
    unit: usize,
    id_number: &str,
    with_org: &[usize],
    org_of_unit: &[Option<String>],
) -> Option<String> {
    let p = 0.02 * world.messiness;
    if p == 0.0 || with_org.is_empty() || !Rng::stable_chance(id_number, "job changer", p) {
        return None;
    }
    // The first unit with an organization from a point of the units drawn for the
    // person (with_org is in unit order): the same unit from month to month.
    let at = (Rng::stable_unit(id_number, "former employer") * world.units.len() as f64) as usize;
    let k = with_org.partition_point(|&u| u < at) % with_org.len();
    let former = with_org[k];
    (former != unit)
        .then(|| org_of_unit[former].clone())
        .flatten()
}

/// A branch (分公司) without an organization of its own whose company has one: in most
/// such groups (7 in 10) the company's organization holds the branch's members.
pub(super) fn group_organization(
    world: &World,
    unit: usize,
    org_of_unit: &[Option<String>],
) -> Option<String> {
    let u = &world.units[unit];
    let parent = u.parent?;
    if world.messiness == 0.0 || u.org != OrgPlan::None || world.units[parent].org != OrgPlan::Own {
        return None;
    }
    // Which groups do so is a property of the branch, the same every month.
    Rng::stable_chance(&u.uscc, "group organization", 0.7)
        .then(|| org_of_unit[parent].clone())
        .flatten()
}

/// The organization that holds a unit's members: its own or joint one, else its area's
/// committee (`area_committee`).
fn home_org(world: &World, unit: usize, org_of_unit: &[Option<String>]) -> String {
    org_of_unit[unit]
        .clone()
        .unwrap_or_else(|| area_committee(&world.units[unit]))
}

/// The committee of a unit's area, which holds the members of its units without an
/// organization: for most units of a park (a property of the unit, the same every
/// month) the park's working committee, else its street's.
fn area_committee(u: &TrueUnit) -> String {
    if u.park && Rng::stable_chance(&u.uscc, "park committee holds", 0.7) {
        park_org_id(u.district)
    } else {
        community_org_id(u.district, u.street)
    }
}

/// A member of a unit with an organization (its own or a joint one) whose 组织关系 is
/// still with the committee of the unit's area (1% of them, times the mess factor; a
/// property of the person): it held them before the unit had its organization, or
/// before they joined it, and the transfer has not been made. The rules that read a
/// committee's member as working in one of its area's units without an organization
/// must meet them.
fn still_with_the_committee(world: &World, unit: usize, id_number: &str) -> Option<String> {
    let u = &world.units[unit];
    let p = 0.01 * world.messiness;
    let held = matches!(u.org, OrgPlan::Own | OrgPlan::Joint);
    (held && p > 0.0 && Rng::stable_chance(id_number, "relation still with the committee", p))
        .then(|| area_committee(u))
}

/// The member rows lists not yet updated still hold (see [`StaleListing`]): this month's
/// movers still listed where they left, a copy of a formal member's row from before
/// their 转正 (3 in 1,000, times the mess factor), and the row of a member who died or
/// left the party as it was before, 正常 (half of them, times the mess factor); each half before every other
/// row. A person counts once, formal, and not at all once they left.
pub fn stale_listings(world: &World) -> Vec<StaleListing> {
    let mut stale = moves::still_listed_where_they_left(world);
    for m in &world.members {
        let Some(unit) = m.employer else {
            continue;
        };
        let id = m.id_number.as_str();
        let copy = match (m.category_raw, m.status_raw) {
            ("正式党员", "正常")
                if Rng::stable_chance(id, "listed before 转正", 0.003 * world.messiness) =>
            {
                Some(("预备党员", "正常"))
            }
            (category, "死亡" | "出党")
                if Rng::stable_chance(id, "listed as before", 0.5 * world.messiness) =>
            {
                Some((category, "正常"))
            }
            _ => None,
        };
        if let Some((category_raw, status_raw)) = copy {
            stale.push(StaleListing {
                id_number: m.id_number.clone(),
                unit,
                org_id: m.org_id.clone(),
                category_raw,
                status_raw,
                at: moves::stale_row_at(id),
            });
        }
    }
    stale
}

/// The people with a stale row: their current row is kept whole — were it broken, the
/// stale row would be all the export shows of them, and truth would not be its count.
pub fn with_stale_rows(stale: &[StaleListing]) -> HashSet<&str> {
    stale.iter().map(|s| s.id_number.as_str()).collect()
}
