//! The party organizations of the world: the streets' committees, the units' own and
//! joint organizations.

use super::*;

/// The street working committees (街道工委) every district has, and its park's (园区工委):
/// the parents of unit organizations and the organizations of members with no
/// organization at work.
pub(super) fn community_orgs() -> Vec<TrueOrg> {
    let mut orgs = Vec::new();
    for (d, (_, dname, streets)) in region().districts.iter().enumerate() {
        for (s, street) in streets.iter().enumerate() {
            // A third are named as the district committee's (中共北京市朝阳区委望京街道
            // 工作委员会), as many are.
            let id = community_org_id(d, s);
            let of = match Rng::stable_chance(&id, "named as the district committee's", 0.3) {
                true => "委",
                false => "",
            };
            orgs.push(TrueOrg {
                name: format!("中共{}{dname}{of}{street}工作委员会", region().city),
                id,
                parent: String::new(),
                host: None,
                ..TrueOrg::new("党委", "单独组建")
            });
        }
        // Half the parks' committees are named without their district, as parks
        // across a district line are (中共北京经济技术开发区工作委员会).
        let district = match Rng::stable_chance(&park_org_id(d), "named with district", 0.5) {
            true => *dname,
            false => "",
        };
        orgs.push(TrueOrg {
            id: park_org_id(d),
            name: format!("中共{}{district}{}工作委员会", region().city, park_name(d)),
            ..TrueOrg::new("党委", "单独组建")
        });
    }
    orgs
}

/// The code of the 党小组 of a unit's own organization `org_id` (units with 15 formal
/// members or more have one).
pub(super) fn party_group_id(org_id: &str) -> String {
    format!("XG{}", org_id.trim_start_matches("DZ"))
}

/// Units joined by a street's joint organizations, by (district, street).
type JointCandidates = BTreeMap<(usize, usize), Vec<usize>>;

/// Each unit's own or functional organization, plus the 党小组 and dissolved
/// organizations that must not count; units planned for a joint organization are
/// gathered by street.
pub(super) fn organize_units(
    rng: &mut Rng,
    units: &[TrueUnit],
    orgs: &mut Vec<TrueOrg>,
) -> (Vec<Option<String>>, JointCandidates) {
    let mut org_of_unit: Vec<Option<String>> = vec![None; units.len()];
    let mut by_street = JointCandidates::new();
    for (i, u) in units.iter().enumerate() {
        let parent = if u.park {
            park_org_id(u.district)
        } else {
            community_org_id(u.district, u.street)
        };
        match u.org {
            OrgPlan::Own => {
                let (level, suffix) = match u.formal {
                    f if f >= 50 => ("党委", "委员会"),
                    f if f >= 15 => ("党总支", "总支部委员会"),
                    _ => ("党支部", "支部委员会"),
                };
                let id = format!("DZ{i:07}");
                orgs.push(TrueOrg {
                    id: id.clone(),
                    name: format!("中共{}{suffix}", u.name),
                    host: Some(i),
                    host_by_name: rng.chance(0.2),
                    parent,
                    ..TrueOrg::new(level, "单独组建")
                });
                // A 党委's or 党总支's 党小组, which some member records name (see
                // `members::draw_members`): part of the organization, never one.
                if u.formal >= 15 {
                    orgs.push(TrueOrg {
                        id: party_group_id(&id),
                        name: format!("{}第一党小组", u.name),
                        host: Some(i),
                        parent: id.clone(),
                        ..TrueOrg::new("党小组", "单独组建")
                    });
                }
                org_of_unit[i] = Some(id);
            }
            OrgPlan::Functional => {
                let id = format!("GN{i:07}");
                orgs.push(TrueOrg {
                    id: id.clone(),
                    name: format!("{}功能型党支部", u.name),
                    host: Some(i),
                    parent,
                    ..TrueOrg::new("党支部", "功能型")
                });
                org_of_unit[i] = Some(id);
            }
            OrgPlan::Joint => by_street.entry((u.district, u.street)).or_default().push(i),
            OrgPlan::None => {
                if u.formal > 0 && rng.chance(0.1) {
                    orgs.push(TrueOrg {
                        id: format!("XZ{i:07}"),
                        name: format!("{}党小组", u.name),
                        host: Some(i),
                        parent: parent.clone(),
                        ..TrueOrg::new("党小组", "单独组建")
                    });
                }
                if rng.chance(0.02) {
                    orgs.push(TrueOrg {
                        id: format!("CX{i:07}"),
                        name: format!("中共{}支部委员会", u.name),
                        host: Some(i),
                        parent,
                        status_raw: "已撤销",
                        ..TrueOrg::new("党支部", "单独组建")
                    });
                }
            }
        }
    }
    (org_of_unit, by_street)
}

/// Joint (联合) and affiliated (挂靠) organizations of 2 to 15 units of one street,
/// hosted by the street or by the group's first unit.
pub(super) fn organize_joint(
    rng: &mut Rng,
    by_street: &JointCandidates,
    orgs: &mut Vec<TrueOrg>,
    mut org_of_unit: Vec<Option<String>>,
) -> Vec<Option<String>> {
    let mut joint_no = 0;
    for ((d, s), group_units) in by_street {
        let (_, dname, streets) = region().districts[*d];
        let mut rest = group_units.as_slice();
        while !rest.is_empty() {
            let size = (2 + rng.below(14)).min(rest.len());
            let (group, tail) = rest.split_at(size);
            rest = tail;
            joint_no += 1;
            let id = format!("LH{joint_no:06}");
            let affiliated = rng.chance(0.1);
            let street_host = rng.chance(0.3);
            let formation = if affiliated {
                "挂靠组建"
            } else {
                "联合组建"
            };
            orgs.push(TrueOrg {
                id: id.clone(),
                name: format!(
                    "中共{dname}{}{}联合支部委员会",
                    streets[*s],
                    if affiliated { "挂靠" } else { "非公企业" }
                ),
                host: if street_host { None } else { Some(group[0]) },
                parent: community_org_id(*d, *s),
                covered: group.to_vec(),
                ..TrueOrg::new("联合党支部", formation)
            });
            for &i in group {
                org_of_unit[i] = Some(id.clone());
            }
        }
    }
    org_of_unit
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each district's park committee hosts and covers no unit; it holds members of park
    /// enterprises without an organization of their own (most of them, the same units
    /// every month), and a few of park enterprises with one; they are members whose
    /// relation is not where they work.
    #[test]
    fn a_park_committee_holds_members_of_park_units_without_an_organization() {
        let mut rng = Rng::new(5);
        let mut world = generate(&mut rng, 20_000, 1.0, false);
        let held = |world: &World| -> BTreeMap<String, Vec<usize>> {
            let mut held: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for m in world.members.iter().filter(|m| m.org_id.starts_with("YQ")) {
                held.entry(m.org_id.clone()).or_default().extend(m.employer);
            }
            held
        };
        let first = held(&world);
        assert_eq!(first.len(), region().districts.len(), "{:?}", first.keys());
        for (d, _) in region().districts.iter().enumerate() {
            let org = world.orgs.iter().find(|o| o.id == park_org_id(d));
            let org = org.expect("every district has its park committee");
            assert!(org.host.is_none() && org.covered.is_empty());
            assert!(org.name.ends_with("科技园区工作委员会"), "{}", org.name);
        }
        let in_park = |u: usize| {
            let unit = &world.units[u];
            unit.park && unit.registry == Registry::Enterprise
        };
        for (org, units) in &first {
            assert!(units.iter().all(|&u| in_park(u)), "{org}");
            let d = world.units[units[0]].district;
            assert!(units.iter().all(|&u| world.units[u].district == d), "{org}");
        }
        // Units without an organization, but for the few members of a unit with one
        // whose relation is still with the committee (`still_with_the_committee`).
        let all: Vec<usize> = first.values().flatten().copied().collect();
        let with_org = all.iter().filter(|&&u| world.units[u].org != OrgPlan::None);
        let with_org = with_org.count();
        assert!(
            with_org > 0 && with_org * 20 < all.len(),
            "{with_org} of {}",
            all.len()
        );
        let parked: Vec<usize> = first.values().flatten().copied().collect();
        next_month(&mut rng, &mut world);
        let again: Vec<usize> = held(&world).values().flatten().copied().collect();
        let kept = parked.iter().filter(|u| again.contains(u)).count();
        assert!(kept * 10 >= parked.len() * 9, "{kept} of {}", parked.len());
    }
}
