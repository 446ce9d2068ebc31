//! Links of small hand-made months, worked out in each test's comment.
use super::*;
use crate::config::Matching;
use crate::feedback::Feedback;
use crate::model::fixtures::unit_record;
use crate::model::{Lineage, MemberKey, MemberRecord, PartyOrgRecord, UnitRecord, UnitRef};
use crate::names::normalize_name;
use crate::resolve::resolve;
use crate::vocabulary::{MemberCategory, MemberStatus};
use crate::FastSet;

mod earlier;
mod streets;

fn lineage(row: u64) -> Lineage {
    Lineage::new("t", "t.csv", row)
}

fn key(name: &str) -> String {
    normalize_name(name, &["北京市".into(), "北京".into()])
}

fn unit(row: u64, name: &str, uscc: &str) -> UnitRecord {
    unit_record(row, name, Some(uscc), "110105")
}

/// A unit of 朝阳 whose only record is an old-system one: its 注册号, no USCC.
fn by_reg_no_only(row: u64, name: &str, reg_no: &str) -> UnitRecord {
    let mut old = unit_record(row, name, None, "110105");
    old.reg_no = Some(crate::model::Code {
        value: reg_no.into(),
        valid: true,
    });
    old
}

fn member(row: u64, org: Option<&str>, employer: &str) -> MemberRecord {
    MemberRecord {
        lineage: lineage(row),
        member_key: member_key(row),
        category: MemberCategory::Formal,
        status: MemberStatus::Normal,
        org_id: org.map(Into::into),
        org_name_key: None,
        district_code: None,
        employer: std::sync::Arc::new(UnitRef {
            name: Some(employer.into()),
            name_key: Some(key(employer).into()),
            ..UnitRef::default()
        }),
    }
}

/// The member key of `member(row, …)`.
fn member_key(row: u64) -> MemberKey {
    let mut key = [0; 16];
    key[..8].copy_from_slice(&row.to_le_bytes());
    MemberKey(key)
}

/// The unit_id resolve gave the unit named `name`.
fn unit_id_of(resolved: &Resolved, name: &str) -> String {
    let u = resolved.units.iter().find(|u| u.name.as_str() == name);
    u.expect("unit").unit_id.clone()
}

/// A district's decision: the written `text` confirmed for the unit named `unit`.
fn confirmed<'a>(text: &'a str, unit: &'a str) -> impl Fn(&Resolved) -> Feedback + 'a {
    move |r: &Resolved| {
        let u = r.units.iter().position(|u| u.name.as_str() == unit);
        let mut fb = Feedback::default();
        fb.link_to.insert(key(text), u.expect("unit"));
        fb
    }
}

/// Where members were counted in an earlier period: (member row, unit_id, organization).
fn counted_before(was: &[(u64, &str, Option<&str>)]) -> FastMap<MemberKey, crate::link::Earlier> {
    was.iter()
        .map(|&(row, unit_id, org)| {
            let then = crate::link::Earlier {
                unit_id: unit_id.to_string(),
                org_id: org.map(String::from),
            };
            (member_key(row), then)
        })
        .collect()
}

/// A joint-coverage row: `org` covers the unit of `uscc`.
fn covered_by(org: &str, uscc: &str) -> crate::model::JointCoverageRecord {
    crate::model::JointCoverageRecord {
        lineage: lineage(2),
        org_id: org.into(),
        org_name_key: None,
        unit: UnitRef {
            uscc: Some(uscc.into()),
            ..UnitRef::default()
        },
    }
}

/// Each member's rule and the name of the unit it was placed in (`None`: not placed).
fn placed<'a>(resolved: &'a Resolved, linked: &Linked) -> Vec<(MemberRule, Option<&'a str>)> {
    linked
        .members
        .iter()
        .map(|m| (m.rule, m.unit().map(|u| resolved.units[u].name.as_str())))
        .collect()
}

/// Resolve and link a staged month with the default matching settings.
fn run_link(staged: &Staged) -> (Resolved, Linked) {
    run_link_with(
        staged,
        |_| Feedback::default(),
        &crate::link::no_earlier_period,
    )
}

/// `run_link` with the districts' decisions `feedback` makes of the resolved units, and
/// where members were counted in an earlier period.
fn run_link_with(
    staged: &Staged,
    feedback: impl Fn(&Resolved) -> Feedback,
    earlier: crate::link::EarlierUnits,
) -> (Resolved, Linked) {
    let resolved = resolve(staged.units.clone(), &Matching::default());
    let mut staged = staged.clone();
    let feedback = feedback(&resolved);
    let side = link_units_side(&mut staged, &resolved, &feedback);
    let linked = link_members(
        &staged,
        &resolved,
        &Matching::default(),
        &feedback,
        earlier,
        side,
    )
    .expect("link");
    (resolved, linked)
}

fn joint_org(id: &str) -> PartyOrgRecord {
    PartyOrgRecord {
        lineage: lineage(1),
        org_id: id.into(),
        name: "联合支部".into(),
        name_key: format!("{id}联合支部"),
        level: OrgLevel::Branch,
        formation: Formation::Joint,
        host: UnitRef {
            uscc: Some("91110105100000091K".into()),
            ..UnitRef::default()
        },
        parent_id: None,
        parent_name_key: None,
        status: OrgStatus::Active,
        district_code: None,
        street: None,
    }
}

/// A unit's own organization (单独组建 支部), hosted by the unit of `host_uscc`.
fn own_org(id: &str, host_uscc: &str) -> PartyOrgRecord {
    let mut o = joint_org(id);
    o.formation = Formation::Single;
    o.name_key = format!("{id}支部");
    o.host.uscc = Some(host_uscc.into());
    o
}

/// A street's working committee (工作委员会) of 朝阳 (110105): a committee-level single
/// organization that hosts no unit, with the street its name would give.
fn street_committee(id: &str, street: Option<&str>) -> PartyOrgRecord {
    let mut c = joint_org(id);
    c.formation = Formation::Single;
    c.level = OrgLevel::Committee;
    c.host = UnitRef::default();
    c.district_code = Some("110105".into());
    c.street = street.map(str::to_string);
    c
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
            // One character of the 字号 wrong (远航 → 远帆): the core 星河远帆科技 is
            // one edit from 星河远航科技 and two or more from every other core, so
            // it is taken as a typo, score 1 − 1/6.
            member(3, None, "北京星河远帆科技有限公司"),
            // Two characters added (星河远航信息科技): between review and accept, no
            // unit within one edit, and no organization to decide: review.
            member(4, None, "北京星河远航信息科技有限公司"),
            // The same, but J1 (hosted by 智联) does not cover 星河远航: review.
            member(5, Some("J1"), "北京星河远航信息科技有限公司"),
            // Two characters added to 智联's name (信息), and J1 hosts 智联: the
            // scored candidate is one of J1's units, taken.
            member(6, Some("J1"), "北京智联网络信息科技股份有限公司"),
            // Nothing like any unit.
            member(7, None, "天津某某贸易有限公司"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let got: Vec<(&str, Option<&str>)> = linked
        .members
        .iter()
        .map(|m| {
            (
                m.rule.as_str(),
                m.unit().map(|u| resolved.units[u].name.as_str()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("employer_fuzzy", Some("北京星河远航科技有限公司")),
            ("employer_typo", Some("北京星河远航科技有限公司")),
            ("review", None),
            ("review", None),
            ("employer_fuzzy_org", Some("北京智联网络科技股份有限公司")),
            ("unmatched", None),
        ]
    );
    // A review keeps its candidates, best first, and is not counted.
    assert_eq!(
        resolved.units[linked.members[2].candidates[0].unit].name,
        "北京星河远航科技有限公司"
    );
    assert!(!linked.members[2].counted);
    assert_eq!(linked.members[0].score(), Some(1.0));
    assert!((linked.members[1].score().unwrap() - 5.0 / 6.0).abs() < 1e-9);
}

#[test]
fn a_name_in_another_legal_form_is_its_unit_where_no_typo_competes() {
    let staged = Staged {
        units: vec![
            unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
            unit(3, "北京云帆远航商贸股份有限公司", "91110105100000091K"),
            unit(4, "北京云海远航商贸有限公司", "911101011000000161"),
            unit(5, "北京青松远航物流股份有限公司", "91110105100000032G"),
            unit_record(
                6,
                "北京青柏远航物流有限公司",
                Some("91110108100000067E"),
                "110108",
            ),
        ],
        members: vec![
            // 星河远航科技 is registered as a 有限公司 only, and no 股份公司 is within one
            // edit of the core: the 有限公司, employer_other_form.
            member(2, None, "北京星河远航科技股份有限公司"),
            // 云帆远航商贸 is registered as a 股份公司, and 云海远航商贸有限公司 is one
            // edit away in the written form: a mistyped 字号 is the likelier story, so
            // the typo rule takes 云海.
            member(3, None, "北京云帆远航商贸有限公司"),
            // The same text from a member of J1, which 云帆远航商贸股份 hosts and which
            // holds no 云海: the organization's unit, employer_other_form.
            member(4, Some("J1"), "北京云帆远航商贸有限公司"),
            // 青松远航物流 is a 股份公司 of 朝阳, 青柏远航物流有限公司 (one edit) is of 海淀:
            // a member of 朝阳's street committee S1 is placed in the one of its
            // district; a member of no organization by the typo.
            member(5, Some("S1"), "北京青松远航物流有限公司"),
            member(6, None, "北京青松远航物流有限公司"),
        ],
        orgs: vec![joint_org("J1"), street_committee("S1", None)],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (
                MemberRule::EmployerOtherForm,
                Some("北京星河远航科技有限公司")
            ),
            (MemberRule::EmployerTypo, Some("北京云海远航商贸有限公司")),
            (
                MemberRule::EmployerOtherForm,
                Some("北京云帆远航商贸股份有限公司")
            ),
            (
                MemberRule::EmployerOtherForm,
                Some("北京青松远航物流股份有限公司")
            ),
            (MemberRule::EmployerTypo, Some("北京青柏远航物流有限公司")),
        ]
    );
}

#[test]
fn a_code_no_record_carries_still_says_which_unit_it_is_not() {
    // 河星远航 is registered by its 注册号 alone (no USCC). Its member gives the unit's
    // USCC, which no registry record carries, and swaps 河星 into 星河: 星河远航, a
    // unit with a USCC of its own. The name would find 星河远航 (exactly), the code says
    // it is not that unit, and the swap is one edit from 河星远航, which has no USCC to
    // contradict: employer_typo. The same text without the code is 星河远航's.
    let by_reg_no = by_reg_no_only(3, "北京河星远航科技有限公司", "110105000000031");
    let staged = Staged {
        units: vec![
            unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
            by_reg_no,
        ],
        members: vec![
            {
                let mut m = member(2, None, "北京星河远航科技有限公司");
                std::sync::Arc::make_mut(&mut m.employer).uscc = Some("91110105100000032G".into());
                m
            },
            member(3, None, "北京星河远航科技有限公司"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (MemberRule::EmployerTypo, Some("北京河星远航科技有限公司")),
            (MemberRule::EmployerName, Some("北京星河远航科技有限公司")),
        ]
    );
}

#[test]
fn a_branch_the_registry_does_not_hold_is_its_company() {
    let staged = Staged {
        units: vec![
            unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
            unit(
                3,
                "北京星河远航科技有限公司朝阳分公司",
                "91110105100000091K",
            ),
            unit(4, "北京云帆远航商贸有限公司", "911101011000000161"),
        ],
        members: vec![
            // A registered branch, exactly: the branch.
            member(2, None, "北京星河远航科技有限公司朝阳分公司"),
            // 第一分公司 is registered nowhere; no branch is one edit away (朝阳 and 第一
            // are two characters apart) and no name scores near it: the company, 星河远航.
            member(3, None, "北京星河远航科技有限公司第一分公司"),
            // 云帆远航 holds no branch: its 销售分公司 is 云帆远航 itself.
            member(4, None, "北京云帆远航商贸有限公司销售分公司"),
            // A company nobody registered: nothing to count the member in.
            member(5, None, "上海青松贸易有限公司第一分公司"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (
                MemberRule::EmployerName,
                Some("北京星河远航科技有限公司朝阳分公司")
            ),
            (
                MemberRule::EmployerBranchCompany,
                Some("北京星河远航科技有限公司")
            ),
            (
                MemberRule::EmployerBranchCompany,
                Some("北京云帆远航商贸有限公司")
            ),
            (MemberRule::Unmatched, None),
        ]
    );
}

#[test]
fn a_typo_between_two_units_is_decided_by_the_members_district() {
    // 星河远帆 is one edit from 星河远航 (朝阳) and from 星河远洋 (海淀): without a
    // district it is a question for a person; with 朝阳 given, one unit is left.
    let staged = Staged {
        units: vec![
            unit_record(
                2,
                "北京星河远航科技有限公司",
                Some("91350100M000100Y43"),
                "110105",
            ),
            unit_record(
                3,
                "北京星河远洋科技有限公司",
                Some("91110105100000091K"),
                "110108",
            ),
        ],
        members: vec![
            member(2, None, "北京星河远帆科技有限公司"),
            MemberRecord {
                district_code: Some("110105".into()),
                ..member(3, None, "北京星河远帆科技有限公司")
            },
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    assert_eq!(linked.members[0].unit(), None);
    assert_eq!(linked.members[1].rule, MemberRule::EmployerTypo);
    assert_eq!(
        resolved.units[linked.members[1].unit().unwrap()].name,
        "北京星河远航科技有限公司"
    );
}

#[test]
fn a_street_committees_member_is_read_in_the_committees_district() {
    // 星河远航 is in 朝阳 (110105), 星河远洋 in 海淀 (110108); SQ is 朝阳's street
    // committee (its name names the district) and holds no unit. Member 2 writes
    // 星河远帆, one edit from both: no district in the record, so the committee's
    // district decides → 远航, employer_typo, score 1 − 1/6. Member 3 writes 远洋's
    // exact name, a company of another district one edit from exactly one unit of
    // 朝阳 → 远航, employer_typo_district. Member 4, in no organization, is taken at
    // their word: 远洋 by name.
    let committee = street_committee("SQ", None);
    let staged = Staged {
        units: vec![
            unit_record(
                2,
                "北京星河远航科技有限公司",
                Some("91350100M000100Y43"),
                "110105",
            ),
            unit_record(
                3,
                "北京星河远洋科技有限公司",
                Some("91110105100000091K"),
                "110108",
            ),
        ],
        orgs: vec![committee],
        members: vec![
            member(2, Some("SQ"), "北京星河远帆科技有限公司"),
            member(3, Some("SQ"), "北京星河远洋科技有限公司"),
            member(4, None, "北京星河远洋科技有限公司"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let got: Vec<(MemberRule, &str, bool)> = linked
        .members
        .iter()
        .map(|m| {
            (
                m.rule,
                resolved.units[m.unit().unwrap()].name.as_str(),
                m.relation_elsewhere,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (MemberRule::EmployerTypo, "北京星河远航科技有限公司", true),
            (
                MemberRule::EmployerTypoDistrict,
                "北京星河远航科技有限公司",
                true
            ),
            (MemberRule::EmployerName, "北京星河远洋科技有限公司", true),
        ]
    );
    assert!((linked.members[0].score().unwrap() - 5.0 / 6.0).abs() < 1e-9);
    // The committee holds no unit: nothing to list as 组织关系不在工作单位.
    assert!(linked.issues.is_empty());
}

#[test]
fn a_joint_organizations_member_whose_typo_names_another_company_is_placed_in_its_unit() {
    // J1 (hosted by 智联) covers 星河远航. 星河远帆 is another registered company, one
    // edit from 星河远航. A J1 member writing 星河远帆 most likely mistyped the unit
    // J1 covers; a member of no organization is taken at their word.
    let staged = Staged {
        units: vec![
            unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
            unit(3, "北京星河远帆科技有限公司", "911101011000000161"),
            unit(4, "北京智联网络科技股份有限公司", "91110105100000091K"),
        ],
        orgs: vec![joint_org("J1")],
        joint: vec![covered_by("J1", "91350100M000100Y43")],
        members: vec![
            member(2, Some("J1"), "北京星河远帆科技有限公司"),
            member(3, None, "北京星河远帆科技有限公司"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let got: Vec<(&str, &str)> = linked
        .members
        .iter()
        .map(|m| {
            (
                m.rule.as_str(),
                resolved.units[m.unit().unwrap()].name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("employer_typo_org", "北京星河远航科技有限公司"),
            ("employer_name", "北京星河远帆科技有限公司"),
        ]
    );
}

#[test]
fn an_own_organization_whose_host_code_finds_nothing_is_placed_by_its_name() {
    // The unit's only record is an old-system one (注册号 only); the organization
    // names its host by USCC, which no record carries, and is named after the unit.
    let old = by_reg_no_only(2, "北京星河科技有限公司", "110108000000016");
    let mut own = joint_org("O1");
    own.formation = Formation::Single;
    own.name = "中共北京星河科技有限公司支部委员会".into();
    own.name_key = crate::names::org_name_key(&own.name, &["北京市".into(), "北京".into()]);
    let staged = Staged {
        units: vec![old],
        orgs: vec![own],
        ..Staged::default()
    };
    let (_, linked) = run_link(&staged);
    assert_eq!(linked.orgs[0].host_unit, Some(0));
    assert_eq!(linked.orgs[0].host_rule, Some(UnitFoundBy::OrgName));
    assert!(linked.issues.is_empty());
}

#[test]
fn an_organization_export_without_host_columns_places_its_own_organizations_by_name() {
    // No host column: the single organization named after 北京星河科技有限公司 is that
    // unit's; a joint organization of the same name is no unit's own; a street's
    // 工委, single too, names no unit and is no link issue.
    let unit = unit_record(1, "北京星河科技有限公司", None, "110105");
    let named = |id: &str, name: &str, formation| {
        let mut o = joint_org(id);
        o.formation = formation;
        o.host = UnitRef::default();
        o.name = name.into();
        o.name_key = crate::names::org_name_key(name, &["北京市".into(), "北京".into()]);
        o
    };
    let staged = Staged {
        units: vec![unit],
        orgs: vec![
            named(
                "O1",
                "中共北京星河科技有限公司支部委员会",
                Formation::Single,
            ),
            named(
                "O2",
                "中共北京星河科技有限公司联合支部委员会",
                Formation::Joint,
            ),
            named(
                "O3",
                "中共北京市东城区东华门街道工作委员会",
                Formation::Single,
            ),
        ],
        ..Staged::default()
    };
    let (_, linked) = run_link(&staged);
    let hosts: Vec<_> = linked
        .orgs
        .iter()
        .map(|o| (o.host_unit, o.host_rule))
        .collect();
    assert_eq!(
        hosts,
        vec![
            (Some(0), Some(UnitFoundBy::OrgName)),
            (None, None),
            (None, None)
        ]
    );
    assert!(linked.issues.is_empty(), "{:?}", linked.issues);
}

#[test]
fn a_name_two_organizations_share_is_told_apart_by_the_members_unit() {
    // Two 联合支部 of one street share a name; J1 covers 星河, J2 covers 智联. The member
    // list names the organization, not its code. Member 2 works in 星河: J1's, its
    // relation held there; member 3 in 智联: J2's; member 4 in no registry unit: its
    // organization stays unknown.
    let shared = "中共朝阳区建外街道非公企业联合支部委员会";
    let prefixes = ["北京市".to_string(), "北京".to_string()];
    let joint = |id: &str| {
        let mut o = joint_org(id);
        o.host = UnitRef::default();
        o.name = shared.into();
        o.name_key = crate::names::org_name_key(shared, &prefixes);
        o
    };
    let by_name = |row: u64, employer: &str| {
        let mut m = member(row, None, employer);
        m.org_name_key = Some(crate::names::org_name_key(shared, &prefixes).into());
        m
    };
    let staged = Staged {
        units: vec![
            unit(2, "北京智联网络科技股份有限公司", "91110105100000091K"),
            unit(3, "北京星河科技有限公司", "91350100M000100Y43"),
        ],
        orgs: vec![joint("J1"), joint("J2")],
        joint: vec![
            covered_by("J1", "91350100M000100Y43"),
            covered_by("J2", "91110105100000091K"),
        ],
        members: vec![
            by_name(2, "北京星河科技有限公司"),
            by_name(3, "北京智联网络科技股份有限公司"),
            by_name(4, "天津某某贸易有限公司"),
        ],
        ..Staged::default()
    };
    let (_, linked) = run_link(&staged);
    let orgs: Vec<(Option<&str>, bool)> = linked
        .members
        .iter()
        .map(|m| {
            (
                m.org().map(|o| linked.orgs[o].org_id.as_str()),
                m.relation_elsewhere,
            )
        })
        .collect();
    assert_eq!(
        orgs,
        vec![(Some("J1"), false), (Some("J2"), false), (None, false)]
    );
}

#[test]
fn the_employer_places_a_member_and_the_organizations_host_only_without_one() {
    // O1 is 智联's own organization (host USCC 91110105100000091K). Member 2 names
    // 星河 as employer: counted in 星河, 组织关系未转入, listed with both units.
    // Member 3 leaves 工作单位 blank and member 4 names a company in no registry:
    // both placed by O1's host, relation held. Member 5 writes 退休 (retired): in
    // no unit, not even O1's host, and not counted.
    let mut own = joint_org("O1");
    own.formation = Formation::Single;
    let staged = Staged {
        units: vec![
            unit(2, "北京智联网络科技股份有限公司", "91110105100000091K"),
            unit(3, "北京星河科技有限公司", "91350100M000100Y43"),
        ],
        orgs: vec![own],
        members: vec![
            member(2, Some("O1"), "北京星河科技有限公司"),
            member(3, Some("O1"), ""),
            member(4, Some("O1"), "天津某某贸易有限公司"),
            member(5, Some("O1"), "退休"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let name = |u: Option<usize>| u.map(|u| resolved.units[u].name.as_str());
    let got: Vec<(MemberRule, Option<&str>, bool)> = linked
        .members
        .iter()
        .map(|m| (m.rule, name(m.unit()), m.relation_elsewhere))
        .collect();
    assert_eq!(
        got,
        vec![
            (MemberRule::EmployerName, Some("北京星河科技有限公司"), true),
            (
                MemberRule::SingleOrgHost,
                Some("北京智联网络科技股份有限公司"),
                false
            ),
            (
                MemberRule::SingleOrgHost,
                Some("北京智联网络科技股份有限公司"),
                false
            ),
            (MemberRule::NoEmployer, None, false),
        ]
    );
    assert!(!linked.members[3].counted);
    let issues: Vec<(&str, Option<&str>, Vec<&str>)> = linked
        .issues
        .iter()
        .map(|i| {
            let others = i.other_units.iter().map(|&u| name(Some(u)).unwrap());
            (i.what.as_str(), name(i.unit), others.collect())
        })
        .collect();
    assert_eq!(
        issues,
        vec![(
            "member_org_elsewhere",
            Some("北京星河科技有限公司"),
            vec!["北京智联网络科技股份有限公司"]
        )]
    );
    assert_eq!(linked.issues[0].lineage.row, 2);
}

#[test]
fn a_party_groups_member_is_held_by_the_organization_it_is_part_of() {
    // O1 is 智联's own branch (host USCC 91110105100000091K); G1 a 党小组 of it (parent
    // O1), G2 a 党小组 of street committee S1 (no unit), G3 one whose parent is in no
    // export. A 党小组 is no organization: its member's relation is its parent's.
    // Member 2 (G1) names 智联: held by O1, which hosts 智联 (not elsewhere). Member 3
    // (G2) names 星河: S1 holds no unit, so elsewhere. Member 4 (G3) names 智联: no
    // organization holds the relation, so elsewhere. G4's record names its parent
    // (中共O1联合支部委员会, no code of the export; its key is O1's name key): member 5
    // (G4) naming 智联 is held by O1 as member 2 is.
    let mut own = joint_org("O1");
    own.formation = Formation::Single;
    let group = |id: &str, parent: &str| {
        let mut g = joint_org(id);
        g.formation = Formation::Single;
        g.level = OrgLevel::Group;
        g.host = UnitRef::default();
        g.parent_id = Some(parent.into());
        g
    };
    let staged = Staged {
        units: vec![
            unit(2, "北京智联网络科技股份有限公司", "91110105100000091K"),
            unit(3, "北京星河科技有限公司", "91350100M000100Y43"),
        ],
        orgs: vec![
            own,
            street_committee("S1", None),
            group("G1", "O1"),
            group("G2", "S1"),
            group("G3", "X9"),
            {
                let mut g = group("G4", "中共O1联合支部委员会");
                g.parent_name_key = Some("O1联合支部".into());
                g
            },
        ],
        members: vec![
            member(2, Some("G1"), "北京智联网络科技股份有限公司"),
            member(3, Some("G2"), "北京星河科技有限公司"),
            member(4, Some("G3"), "北京智联网络科技股份有限公司"),
            member(5, Some("G4"), "北京智联网络科技股份有限公司"),
        ],
        ..Staged::default()
    };
    let (_, linked) = run_link(&staged);
    let elsewhere: Vec<bool> = linked
        .members
        .iter()
        .map(|m| m.relation_elsewhere)
        .collect();
    assert_eq!(elsewhere, vec![false, true, true, false]);
}

#[test]
fn a_joint_organizations_member_naming_a_covered_unit_is_held_there() {
    // J1 is hosted by 智联 and covers 星河. Member 2 names 星河: placed there, held by
    // J1. Member 3 names 云帆, which J1 neither hosts nor covers: counted in 云帆,
    // 未转入, listed with J1's two units. Member 4 is in no known organization:
    // counted in 星河, 未转入, nothing to list.
    let staged = Staged {
        units: vec![
            unit(2, "北京智联网络科技股份有限公司", "91110105100000091K"),
            unit(3, "北京星河科技有限公司", "91350100M000100Y43"),
            unit(4, "北京云帆商贸有限公司", "911101011000000161"),
        ],
        orgs: vec![joint_org("J1")],
        joint: vec![covered_by("J1", "91350100M000100Y43")],
        members: vec![
            member(2, Some("J1"), "北京星河科技有限公司"),
            member(3, Some("J1"), "北京云帆商贸有限公司"),
            member(4, Some("NOPE"), "北京星河科技有限公司"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let name = |u: usize| resolved.units[u].name.as_str();
    let got: Vec<(&str, bool)> = linked
        .members
        .iter()
        .map(|m| (name(m.unit().unwrap()), m.relation_elsewhere))
        .collect();
    assert_eq!(
        got,
        vec![
            ("北京星河科技有限公司", false),
            ("北京云帆商贸有限公司", true),
            ("北京星河科技有限公司", true),
        ]
    );
    assert_eq!(linked.issues.len(), 1);
    let mut others: Vec<&str> = linked.issues[0]
        .other_units
        .iter()
        .map(|&u| name(u))
        .collect();
    others.sort_unstable();
    assert_eq!(
        (linked.issues[0].unit.map(name), others),
        (
            Some("北京云帆商贸有限公司"),
            vec!["北京星河科技有限公司", "北京智联网络科技股份有限公司"]
        )
    );
}

/// A 北京景智科技有限公司 and B 北京顺智科技有限公司, both of 朝阳; J1, a functional
/// organization (功能型: its members' relation cannot move to where they work), is hosted
/// by B. m2 of J1 writes 北京航智科技有限公司, one edit from each.
fn a_text_one_edit_from_a_unit_of_the_members_organization() -> Staged {
    a_text_one_edit_from_a_unit_of_an_organization(Formation::Functional)
}

/// The same with J1 formed as `formation`.
fn a_text_one_edit_from_a_unit_of_an_organization(formation: Formation) -> Staged {
    let mut j1 = joint_org("J1");
    j1.formation = formation;
    Staged {
        units: vec![
            unit(2, "北京景智科技有限公司", "91350100M000100Y43"),
            unit(3, "北京顺智科技有限公司", "91110105100000091K"),
        ],
        orgs: vec![j1],
        members: vec![member(2, Some("J1"), "北京航智科技有限公司")],
        ..Staged::default()
    }
}

#[test]
fn a_reviewed_text_stands_against_a_unit_of_the_organization_one_edit_away_in_its_district() {
    // 朝阳 confirmed 北京航智科技有限公司 for A, with B among the candidates it saw. m2 of
    // J1 writes that text: the decision stands → A (reviewed); only a unit the text
    // names as exactly as A (a short form both share, below) or one of another district
    // would outrank it.
    let staged = a_text_one_edit_from_a_unit_of_the_members_organization();
    let confirm_a = confirmed("北京航智科技有限公司", "北京景智科技有限公司");
    let (resolved, linked) = run_link_with(&staged, &confirm_a, &crate::link::no_earlier_period);
    assert_eq!(
        placed(&resolved, &linked),
        vec![(MemberRule::Reviewed, Some("北京景智科技有限公司"))]
    );
}

#[test]
fn a_reviewed_text_gives_way_to_a_unit_one_edit_away_of_the_members_own_or_joint_organization() {
    // As above, but J1 is B's own organization (single) or a joint one hosted by B: its
    // members work in its units, and the district decided the text for other people →
    // B, by the typo rule with J1's help. (A functional J1, above: the decision stands.)
    for formation in [Formation::Single, Formation::Joint] {
        let staged = a_text_one_edit_from_a_unit_of_an_organization(formation);
        let confirm_a = confirmed("北京航智科技有限公司", "北京景智科技有限公司");
        let (resolved, linked) =
            run_link_with(&staged, &confirm_a, &crate::link::no_earlier_period);
        assert_eq!(
            placed(&resolved, &linked),
            vec![(MemberRule::EmployerTypo, Some("北京顺智科技有限公司"))],
            "{formation:?}"
        );
    }
}

#[test]
fn a_reviewed_text_gives_way_to_a_unit_of_the_members_own_organization() {
    // A 北京润旺网络科技有限责任公司 and B 北京润旺网络科技股份有限公司 share the core
    // 润旺网络科技; a district confirmed the text 润旺网络科技 for A. J1 is hosted by B.
    // - m2, in no organization, writes 润旺网络科技 → A by the decision (reviewed, 1).
    // - m3 of J1 writes it too: the text is zero edits from B, a unit of m3's own
    //   organization, and A is none of J1's → the decision gives way; the one-edit rule
    //   takes the one of J1's units within reach → B (employer_typo, 1 − 0/6 = 1).
    let staged = Staged {
        units: vec![
            unit(2, "北京润旺网络科技有限责任公司", "91350100M000100Y43"),
            unit(3, "北京润旺网络科技股份有限公司", "91110105100000091K"),
        ],
        orgs: vec![joint_org("J1")],
        members: vec![
            member(2, None, "润旺网络科技"),
            member(3, Some("J1"), "润旺网络科技"),
        ],
        ..Staged::default()
    };
    let resolved = resolve(staged.units.clone(), &Matching::default());
    let a = resolved
        .units
        .iter()
        .position(|u| u.name == "北京润旺网络科技有限责任公司")
        .unwrap();
    let mut feedback = Feedback::default();
    feedback.link_to.insert(key("润旺网络科技"), a);
    let linked = link(
        &mut staged.clone(),
        &resolved,
        &Matching::default(),
        &feedback,
    );
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (MemberRule::Reviewed, Some("北京润旺网络科技有限责任公司")),
            (
                MemberRule::EmployerTypo,
                Some("北京润旺网络科技股份有限公司")
            ),
        ]
    );
}

#[test]
fn a_short_form_two_units_share_is_not_read_as_one_of_them_in_a_crowd_of_names() {
    // 信联物业管理 is the core of two units, a 有限公司 and a 股份公司 (units 1 and 2),
    // so it names neither: review with both. The scored look-up counts only bigrams that
    // fewer than 2,000 names share: 物业, 业管 and 管理 are in all 2,302 names below, so
    // only 信联 and 联物 vote, and they tie 202 names (the two, and 200 names X信联物业管理).
    // Only 20 of a tie are scored, in their order: here the 有限公司 comes first, and the
    // 股份公司 last, so without the units of the same core (from the one-edit index) the
    // 有限公司 would be the only 1.0 and a clear winner.
    let cjk = |i: u32| char::from_u32(0x5000 + i).expect("a CJK character");
    let mut units = vec![unit_record(1, "北京信联物业管理有限公司", None, "110105")];
    for i in 0..200u32 {
        let name = format!("北京{}信联物业管理有限公司", cjk(i));
        units.push(unit_record(10 + u64::from(i), &name, None, "110105"));
    }
    for i in 0..2_100u32 {
        let name = format!(
            "北京{}{}物业管理有限公司",
            cjk(300 + i % 60),
            cjk(400 + i / 60)
        );
        units.push(unit_record(1_000 + u64::from(i), &name, None, "110105"));
    }
    units.push(unit_record(
        2,
        "北京信联物业管理股份有限公司",
        None,
        "110105",
    ));
    let staged = Staged {
        units,
        members: vec![member(2, None, "信联物业管理")],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let m = &linked.members[0];
    assert_eq!(m.rule, MemberRule::Review);
    let names: Vec<&str> = m.candidates[..2]
        .iter()
        .map(|c| resolved.units[c.unit].name.as_str())
        .collect();
    assert_eq!(
        names,
        ["北京信联物业管理有限公司", "北京信联物业管理股份有限公司"]
    );
}

/// 退休 or 离休 in 工作单位 says the member is retired, in no unit, unless the word is
/// part of a unit's name: a service centre or association for retirees employs people.
/// 离职 says the member has left the unit named.
#[test]
fn a_retired_member_is_in_no_unit_but_a_unit_for_retirees_is_a_unit() {
    use super::members::names_no_employer as works_nowhere;
    for text in [
        "退休",
        "北京星河科技有限公司（退休）",
        "北京星河科技有限公司退休人员",
        "原星河科技有限公司，已离休",
        "北京星河科技有限公司（已离职）",
        "星河科技有限公司离职",
        "无业",
        "自由职业",
        "灵活就业",
        "个体",
        "务农",
        // The same words with what people write around them.
        "无（待业）",
        "自由职业者（设计）",
        "暂无工作",
        "在家务农",
        "灵活就业人员",
        "待业中",
        "待业在家",
        "无工作单位",
        // … and with a post after it, as a 工作单位及职务 column writes it.
        "待业 经理",
        "务农职员",
        "灵活就业、党支部书记",
    ] {
        assert!(works_nowhere(text), "{text}");
    }
    for text in [
        "北京市退休职工服务中心",
        "某某区老干部退休协会",
        "北京星河科技有限公司",
        "北京自由职业者协会",
        "无锡星河科技有限公司",
        "个体劳动者协会",
        "务农人员服务中心",
        "北京星河科技有限公司 经理",
    ] {
        assert!(!works_nowhere(text), "{text}");
    }
}

/// 工作单位 with the district after the city (北京市朝阳区星河科技有限公司) names the unit
/// registered without it, in that district: member 2 is placed in 星河科技 (朝阳, 110105)
/// by its name. Member 3 writes 海淀区 before 天远餐饮, whose one unit is in 东城
/// (110101): a name of another district is not taken by name (it may be a mistyped
/// 字号 of a 海淀 company), so the rule is not `employer_name`.
#[test]
fn a_district_written_before_the_name_is_read_as_where_the_unit_is() {
    let with_district = |row, text: &str, without: &str, district: &str| MemberRecord {
        district_code: Some(district.into()),
        employer: std::sync::Arc::new(UnitRef {
            name: Some(text.into()),
            name_key: Some(key(text).into()),
            name_key_without_district: Some(without.into()),
            ..UnitRef::default()
        }),
        ..member(row, None, text)
    };
    let staged = Staged {
        units: vec![
            unit(2, "北京星河科技有限公司", "91350100M000100Y43"),
            unit_record(
                3,
                "北京天远餐饮有限公司",
                Some("91110105100000091K"),
                "110101",
            ),
        ],
        members: vec![
            with_district(
                2,
                "北京市朝阳区星河科技有限公司",
                "星河科技有限公司",
                "110105",
            ),
            with_district(
                3,
                "北京市海淀区天远餐饮有限公司",
                "天远餐饮有限公司",
                "110108",
            ),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let got = placed(&resolved, &linked);
    assert_eq!(
        got[0],
        (MemberRule::EmployerName, Some("北京星河科技有限公司"))
    );
    assert_ne!(got[1].0, MemberRule::EmployerName);
}

#[test]
fn a_joint_list_that_names_its_organization_finds_it_by_name() {
    // The list names the organization (中共J1联合支部委员会, no code of the export) where
    // it would give J1's code: its name key is J1's (J1联合支部), so J1 covers 星河. A row
    // naming an organization no record has (K1) covers nothing and is listed.
    let named = |written: &str, key: &str| {
        let mut rec = covered_by(written, "91350100M000100Y43");
        rec.org_name_key = Some(key.into());
        rec
    };
    let staged = Staged {
        units: vec![
            unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
            unit(3, "北京智联网络科技股份有限公司", "91110105100000091K"),
        ],
        orgs: vec![joint_org("J1")],
        joint: vec![
            named("中共J1联合支部委员会", "J1联合支部"),
            named("中共K1联合支部委员会", "K1联合支部"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let covered: Vec<(&str, &str)> = linked
        .org_units
        .iter()
        .filter(|l| l.role == OrgRole::Covered)
        .map(|l| {
            (
                linked.orgs[l.org].org_id.as_str(),
                resolved.units[l.unit].name.as_str(),
            )
        })
        .collect();
    assert_eq!(covered, vec![("J1", "北京星河远航科技有限公司")]);
    let unplaced: Vec<&str> = linked
        .issues
        .iter()
        .filter(|i| i.what == LinkIssueKind::JointCoverage)
        .filter_map(|i| i.value.as_deref())
        .collect();
    assert_eq!(unplaced, vec!["中共K1联合支部委员会"]);
}

/// A joint-coverage list typed by hand, naming its units without codes: 河星远航 (two
/// neighbours swapped) is one edit from 星河远航 alone, so J1 covers it (`name_typo`).
/// 云旺远航 is one edit from 云帆远航 (朝阳, 110105) and from 云海远航 (海淀, 110108): a
/// question for a person where nothing says the organization's district (J3: no
/// district, no host, no unit named exactly), 云帆 where its record gives 朝阳 (J2) or
/// where most of its host and the units it names exactly are in 朝阳 (J1, hosted by
/// 智联: one of one).
/// 云帆远航商贸股份有限公司 is one edit from none of the same legal form: listed.
#[test]
fn a_covered_unit_typed_by_hand_is_the_one_unit_one_edit_away() {
    let mut j2 = joint_org("J2");
    j2.district_code = Some("110105".into());
    let mut j3 = joint_org("J3");
    j3.host = UnitRef::default();
    let staged = Staged {
        units: vec![
            unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
            unit(3, "北京云帆远航商贸有限公司", "91110105100000032G"),
            unit_record(
                4,
                "北京云海远航商贸有限公司",
                Some("91110108100000067E"),
                "110108",
            ),
            // The organizations' host.
            unit(5, "北京智联网络科技股份有限公司", "91110105100000091K"),
        ],
        orgs: vec![joint_org("J1"), j2, j3],
        joint: vec![
            typed_row(2, "J1", "北京河星远航科技有限公司"),
            typed_row(2, "J1", "北京云旺远航商贸有限公司"),
            typed_row(2, "J2", "北京云旺远航商贸有限公司"),
            typed_row(2, "J3", "北京云旺远航商贸有限公司"),
            typed_row(2, "J1", "北京云帆远航商贸股份有限公司"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let covered: Vec<(&str, &str, UnitFoundBy)> = linked
        .org_units
        .iter()
        .filter(|l| l.role == OrgRole::Covered)
        .map(|l| {
            (
                linked.orgs[l.org].org_id.as_str(),
                resolved.units[l.unit].name.as_str(),
                l.rule,
            )
        })
        .collect();
    assert_eq!(
        covered,
        vec![
            ("J1", "北京星河远航科技有限公司", UnitFoundBy::NameTypo),
            ("J1", "北京云帆远航商贸有限公司", UnitFoundBy::NameTypo),
            ("J2", "北京云帆远航商贸有限公司", UnitFoundBy::NameTypo),
        ]
    );
    let unplaced = linked
        .issues
        .iter()
        .filter(|i| i.what == LinkIssueKind::JointCoverage)
        .count();
    assert_eq!(unplaced, 2);
}

#[test]
fn a_covered_unit_typed_by_hand_among_several_is_the_one_its_registered_name_spells() {
    // J2 (district 朝阳) lists 源正（北京）网络科技有限责任公司, a name no unit has. Its core
    // 源正网络科技 is one edit from two units of 朝阳: 源德（北京）网络科技有限责任公司
    // (core 源德网络科技) and 北京源博网络科技有限公司 (源博网络科技), neither in a street.
    // As written, the row is one edit from 源德's registered name only (北京源博… differs
    // in its form: 北京 before the 字号, 有限公司) → 源德, name_typo. A row one edit from
    // both as written (源X…) would stay a link issue: here none.
    let staged = j2_lists(
        &[
            "源德（北京）网络科技有限责任公司",
            "北京源博网络科技有限公司",
        ],
        "源正（北京）网络科技有限责任公司",
    );
    let (resolved, linked) = run_link(&staged);
    assert_eq!(
        covered_by_j2(&resolved, &linked),
        [("源德（北京）网络科技有限责任公司", UnitFoundBy::NameTypo)]
    );
    assert!(linked.issues.is_empty(), "{:?}", linked.issues);
}

#[test]
fn a_joint_row_left_open_offers_its_candidates_and_takes_the_districts_decision() {
    // J2 (district 朝阳) lists 北京星河远帆科技有限公司, a name no unit has, one edit
    // from 星河远航 and 星河远景 of 朝阳 (same form as written, no street) and from 星河
    // 远洋 of 海淀: the row is left open, a link issue offering the two of J2's district
    // (the work pack's 党组织覆盖单位待确认).
    // - The district confirms 星河远景 for the name → 星河远景, rule reviewed.
    // - The district rejects 星河远航 for it → 星河远景 is the one unit one edit away
    //   that is left → name_typo.
    let typed = "北京星河远帆科技有限公司";
    let (a, b) = ("北京星河远航科技有限公司", "北京星河远景科技有限公司");
    let mut staged = j2_lists(&[a, b], typed);
    staged.units.push(unit_record(
        4,
        "北京星河远洋科技有限公司",
        Some("91110108MA0000003K"),
        "110108",
    ));
    let (resolved, linked) = run_link(&staged);
    assert!(covered_by_j2(&resolved, &linked).is_empty());
    let offered: Vec<&str> = linked.issues[0]
        .other_units
        .iter()
        .map(|&u| resolved.units[u].name.as_str())
        .collect();
    assert_eq!(offered, [a, b]);
    let confirmed = list_decision(typed, b, true);
    let (resolved, linked) = run_link_with(&staged, confirmed, &crate::link::no_earlier_period);
    assert_eq!(
        covered_by_j2(&resolved, &linked),
        [(b, UnitFoundBy::Reviewed)]
    );
    let rejected = list_decision(typed, a, false);
    let (resolved, linked) = run_link_with(&staged, rejected, &crate::link::no_earlier_period);
    assert_eq!(
        covered_by_j2(&resolved, &linked),
        [(b, UnitFoundBy::NameTypo)]
    );
    assert!(linked.issues.is_empty());
}

#[test]
fn a_decision_on_a_name_does_not_move_a_joint_row_naming_a_unit_exactly() {
    // 朝阳: A 北京润安餐饮有限公司, H 北京润河餐饮有限责任公司. A district confirmed
    // 北京润河餐饮有限公司 (a typo of 润安), as a member's 工作单位 and as a joint list's
    // name, for A; its key is that of H's name (有限公司 and 有限责任公司 are one key).
    // J2 (朝阳) lists H by its exact name → H, by name, not A: a member's decision is
    // not about a list's names, and a list's decision does not outrank an exact name of
    // the organization's district.
    let (a, h) = ("北京润安餐饮有限公司", "北京润河餐饮有限责任公司");
    let staged = j2_lists(&[a, h], h);
    let both = |r: &Resolved| {
        let mut fb = list_decision("北京润河餐饮有限公司", a, true)(r);
        fb.link_to = fb.joint_to.clone();
        fb
    };
    let (resolved, linked) = run_link_with(&staged, both, &crate::link::no_earlier_period);
    assert_eq!(covered_by_j2(&resolved, &linked), [(h, UnitFoundBy::Name)]);
}

/// Joint organization J2 of 朝阳 (hosted by 智联) and `units` of 朝阳; its list has one
/// row, `typed` (a name only).
fn j2_lists(units: &[&str], typed: &str) -> Staged {
    let mut j2 = joint_org("J2");
    j2.district_code = Some("110105".into());
    let codes = ["91110105MA00000012", "91110105MA00000025"];
    let mut units: Vec<UnitRecord> = units
        .iter()
        .zip(codes)
        .zip(2..)
        .map(|((name, code), row)| unit(row, name, code))
        .collect();
    units.push(unit(
        5,
        "北京智联网络科技股份有限公司",
        "91110105100000091K",
    ));
    Staged {
        units,
        orgs: vec![j2],
        joint: vec![typed_row(2, "J2", typed)],
        ..Staged::default()
    }
}

/// The units the joint list's organizations cover, with how each was found.
fn covered_by_j2<'a>(resolved: &'a Resolved, linked: &Linked) -> Vec<(&'a str, UnitFoundBy)> {
    let covered = linked
        .org_units
        .iter()
        .filter(|l| l.role == OrgRole::Covered);
    covered
        .map(|l| (resolved.units[l.unit].name.as_str(), l.rule))
        .collect()
}

/// A district's decision on a joint list's name as written: `unit` confirmed for it, or
/// rejected.
fn list_decision<'a>(
    text: &'a str,
    unit: &'a str,
    confirm: bool,
) -> impl Fn(&Resolved) -> Feedback + 'a {
    move |r: &Resolved| {
        let prefixes = vec!["北京市".to_string(), "北京".to_string()];
        let key = crate::names::employer_key(text, &prefixes);
        let mut fb = Feedback {
            name_prefixes: prefixes,
            ..Feedback::default()
        };
        let u = r.units.iter().position(|u| u.name.as_str() == unit);
        let u = u.expect("unit");
        if confirm {
            fb.joint_to.insert(key, u);
        } else {
            fb.joint_rejected.entry(key).or_default().insert(u);
        }
        fb
    }
}

/// A joint-coverage row of `org` at `row` that gives the unit's name only.
fn typed_row(row: u64, org: &str, name: &str) -> crate::model::JointCoverageRecord {
    let mut rec = covered_by(org, "");
    rec.lineage = lineage(row);
    rec.unit = UnitRef {
        name: Some(name.into()),
        name_key: Some(key(name).into()),
        ..UnitRef::default()
    };
    rec
}

/// A joint organization with no host and no district of its own.
fn without_area(id: &str) -> PartyOrgRecord {
    let mut org = joint_org(id);
    org.host = UnitRef::default();
    org
}

/// Units and joint rows typed by hand: 云旺远航 is one edit from 云帆远航 (朝阳), 云海远航
/// (海淀) and 云山远航 (朝阳); J3, J4 and J6 have no district (no host, no record's
/// district, no unit named exactly); J5 lists 云帆 and 云山 exactly (row 5), so its
/// district is 朝阳, where two units are one edit away. Members: J3's works in 云海, J5's
/// in 云帆, J6's in 云帆 and 云海; J4 has none.
fn joint_rows_typed_by_hand() -> Staged {
    let typed = "北京云旺远航商贸有限公司";
    Staged {
        units: vec![
            unit(2, YUNFAN, "91110105100000032G"),
            unit_record(3, YUNHAI, Some("91110108100000067E"), "110108"),
            unit(4, YUNSHAN, "91110105100000059A"),
        ],
        orgs: ["J3", "J4", "J5", "J6"].map(without_area).to_vec(),
        joint: vec![
            typed_row(3, "J3", typed),
            typed_row(4, "J4", typed),
            typed_row(5, "J5", YUNFAN),
            typed_row(5, "J5", YUNSHAN),
            typed_row(6, "J5", typed),
            typed_row(7, "J6", typed),
        ],
        members: vec![
            member(10, Some("J3"), YUNHAI),
            member(11, Some("J5"), YUNFAN),
            member(12, Some("J6"), YUNFAN),
            member(13, Some("J6"), YUNHAI),
        ],
        ..Staged::default()
    }
}

const YUNFAN: &str = "北京云帆远航商贸有限公司";
const YUNHAI: &str = "北京云海远航商贸有限公司";
const YUNSHAN: &str = "北京云山远航商贸有限公司";

/// The covered units (organization, unit name, rule) and the rows of the joint rows
/// listed as issues.
fn coverage_of<'a>(
    resolved: &'a Resolved,
    linked: &'a Linked,
) -> (Vec<(&'a str, &'a str, UnitFoundBy)>, Vec<u64>) {
    let covered = linked
        .org_units
        .iter()
        .map(|l| {
            let org = linked.orgs[l.org].org_id.as_str();
            (org, resolved.units[l.unit].name.as_str(), l.rule)
        })
        .collect();
    let listed = linked
        .issues
        .iter()
        .filter(|i| i.what == LinkIssueKind::JointCoverage)
        .map(|i| i.lineage.row)
        .collect();
    (covered, listed)
}

/// Where members of the organization work (`joint_rows_typed_by_hand`), by their exact
/// 工作单位, among the units no organization holds, in a first period:
/// - J3: its member works in 云海 → J3 covers 云海 (`name_typo_members`);
/// - J4: no member → the row is listed;
/// - J5: its member works in 云帆, which J5 holds already: that does not say which unit
///   the typed row means → listed;
/// - J6: members in both 云帆 and 云海, which J5 and J3 hold → listed.
///
/// The three rows listed keep their order (rows 4, 6, 7) among the link issues.
#[test]
fn a_covered_unit_typed_by_hand_is_the_one_where_the_organizations_members_work() {
    let (resolved, linked) = run_link(&joint_rows_typed_by_hand());
    let (covered, listed) = coverage_of(&resolved, &linked);
    // 云帆 and 云山 are one edit apart, so J5's rows wait for the members too (they are
    // named exactly and nothing of last period says otherwise: they stand).
    assert_eq!(
        covered,
        vec![
            ("J3", YUNHAI, UnitFoundBy::NameTypoMembers),
            ("J5", YUNFAN, UnitFoundBy::Name),
            ("J5", YUNSHAN, UnitFoundBy::Name),
        ]
    );
    assert_eq!(listed, vec![4, 6, 7]);
}

/// An earlier period in which joint organizations covered units (org_id → unit_ids);
/// no member was counted in it.
struct CoveredBefore(FastMap<String, FastSet<String>>);

impl CoveredBefore {
    fn of<const N: usize>(covered: [(&str, Vec<String>); N]) -> Self {
        let covered = covered.into_iter();
        CoveredBefore(
            covered
                .map(|(org, units)| (org.to_string(), units.into_iter().collect()))
                .collect(),
        )
    }
}

impl crate::link::EarlierPeriod for CoveredBefore {
    fn units(&self, _: &[MemberKey]) -> crate::Result<FastMap<MemberKey, crate::link::Earlier>> {
        Ok(FastMap::default())
    }

    fn covered(
        &self,
        org_ids: &[&str],
        unit_ids: &[&str],
    ) -> crate::Result<FastMap<String, FastSet<String>>> {
        let asked = |(id, units): &(&String, &FastSet<String>)| {
            org_ids.contains(&id.as_str()) || unit_ids.iter().any(|u| units.contains(*u))
        };
        Ok(self
            .0
            .iter()
            .filter(asked)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }
}

/// Rows typed by hand a month after one in which the organizations covered units: 云旺远航
/// is one edit from 云帆远航 (朝阳) and 云海远航 (海淀); J7 and J8 each list a unit of 东城
/// exactly (so their district is 东城, where neither is), J9 lists nothing exactly.
/// Last period J7 covered its 东城 unit and 云帆; J8 covered 云海 but not the unit it
/// lists now; J9 covered 云海.
/// - J7: the organization of that id is the one of now (the one unit it holds now it
///   covered then) → 云帆, `name_typo_previous_period`;
/// - J8: the organization of that id then covered none of what it holds now: another
///   organization, its history says nothing; its member works in 云帆, which J7 holds
///   now → listed;
/// - J9: holds nothing now, so nothing says it is the organization of then → listed.
#[test]
fn a_covered_unit_typed_by_hand_is_the_one_the_organization_covered_last_period() {
    let (dongcheng_a, dongcheng_b) = ("北京星河远航科技有限公司", "北京星河远洋科技有限公司");
    let typed = "北京云旺远航商贸有限公司";
    let staged = Staged {
        units: vec![
            unit(2, YUNFAN, "91110105100000032G"),
            unit_record(3, YUNHAI, Some("91110108100000067E"), "110108"),
            unit_record(4, dongcheng_a, Some("91350100M000100Y43"), "110101"),
            unit_record(5, dongcheng_b, Some("91110105100000091K"), "110101"),
        ],
        orgs: ["J7", "J8", "J9"].map(without_area).to_vec(),
        joint: vec![
            typed_row(2, "J7", dongcheng_a),
            typed_row(3, "J7", typed),
            typed_row(4, "J8", dongcheng_b),
            typed_row(5, "J8", typed),
            typed_row(6, "J9", typed),
        ],
        members: vec![member(10, Some("J8"), YUNFAN)],
        ..Staged::default()
    };
    let (first, _) = run_link(&staged);
    let id = |name: &str| unit_id_of(&first, name);
    let before = [
        ("J7", vec![id(dongcheng_a), id(YUNFAN)]),
        ("J8", vec![id(YUNHAI)]),
        ("J9", vec![id(YUNHAI)]),
    ];
    let before = CoveredBefore::of(before);
    let (resolved, linked) = run_link_with(&staged, |_| Feedback::default(), &before);
    let (covered, listed) = coverage_of(&resolved, &linked);
    assert_eq!(
        covered,
        vec![
            ("J7", dongcheng_a, UnitFoundBy::Name),
            ("J7", YUNFAN, UnitFoundBy::NameTypoPreviousPeriod),
            ("J8", dongcheng_b, UnitFoundBy::Name),
        ]
    );
    assert_eq!(listed, vec![5, 6]);
}

/// Lists retyped a month after one in which other codes covered the same units (an
/// export may number its joint organizations anew each month). Units of 朝阳: 云帆 and
/// 云海 (one edit apart), 星河 and 星光 (codes in the rows); of 海淀: 百川 (code), 海川 and
/// 海山 (one edit apart). Last period "J1" covered 星河, 星光 and 云帆; "J2" covered 百川.
/// - J21 lists 星河 and 星光 by code and 云海 exactly: it is last period's J1 (J1 held 2
///   of the 3 units J21 holds now), which covered 云帆, not 云海, one edit from it → 云帆,
///   `name_typo_previous_period`;
/// - J22 lists 百川 by code and 海川 exactly, and a member of J22 works in 海山: last
///   period's J2 held 1 of its 2 units now, no majority, so its history says nothing;
///   and members who changed jobs keep their relation, so the member says nothing
///   either: the exact name stands → 海川, `name`.
///
/// Without the organization found by its units, J21's row would stay 云海 (there was no
/// J21 last period); with members deciding a name written exactly, J22's would go to 海山.
#[test]
fn a_list_retyped_under_new_codes_is_read_with_last_periods_coverage() {
    let (xinghe, xingguang, baichuan) = (
        "北京星河远航科技有限公司",
        "北京星光数据科技有限公司",
        "北京百川环保工程有限公司",
    );
    let (haichuan, haishan) = ("北京海川远航科技有限公司", "北京海山远航科技有限公司");
    let codes = (
        "91110105100000032G",
        "91110105100000059A",
        "91110108100000067E",
    );
    let staged = Staged {
        units: vec![
            unit(2, xinghe, codes.0),
            unit(3, xingguang, codes.1),
            unit_record(4, baichuan, Some(codes.2), "110108"),
            unit_record(5, YUNFAN, None, "110105"),
            unit_record(6, YUNHAI, None, "110105"),
            unit_record(7, haichuan, None, "110108"),
            unit_record(8, haishan, None, "110108"),
        ],
        orgs: ["J21", "J22"].map(without_area).to_vec(),
        joint: vec![
            covered_by("J21", codes.0),
            covered_by("J21", codes.1),
            typed_row(4, "J21", YUNHAI),
            covered_by("J22", codes.2),
            typed_row(6, "J22", haichuan),
        ],
        members: vec![member(10, Some("J22"), haishan)],
        ..Staged::default()
    };
    let (first, _) = run_link(&staged);
    let id = |name: &str| unit_id_of(&first, name);
    let before = [
        ("J1", vec![id(xinghe), id(xingguang), id(YUNFAN)]),
        ("J2", vec![id(baichuan)]),
    ];
    let before = CoveredBefore::of(before);
    let (resolved, linked) = run_link_with(&staged, |_| Feedback::default(), &before);
    let (covered, _) = coverage_of(&resolved, &linked);
    let typed: Vec<_> = covered
        .into_iter()
        .filter(|&(_, unit, _)| [YUNFAN, YUNHAI, haichuan, haishan].contains(&unit))
        .collect();
    assert_eq!(
        typed,
        vec![
            ("J21", YUNFAN, UnitFoundBy::NameTypoPreviousPeriod),
            ("J22", haichuan, UnitFoundBy::Name),
        ]
    );
}

/// A joint list that spells a unit of another street of its district: J30 covers 星河 and
/// 星光 of 望京街道 by code, and names 北京云海远航商贸有限公司 exactly, a unit of 三里屯街道;
/// 望京 has one unit one edit from it, 云帆 → 云帆 (`name_typo`: a 联合支部 joins the units
/// of a street). With 云山 in 望京 too (one edit from 云海 as well), the street has two →
/// the exact name stands: 云海 (`name`).
#[test]
fn a_joint_row_spelling_a_unit_of_another_street_is_the_one_of_its_street() {
    let (xinghe, xingguang) = ("北京星河远航科技有限公司", "北京星光数据科技有限公司");
    let codes = ("91110105100000032G", "91110105100000059A");
    let in_street = |mut u: UnitRecord, street: &str| {
        u.facts.street = Some(street.into());
        u
    };
    let staged = |with_yunshan: bool| {
        let mut units = vec![
            in_street(unit(2, xinghe, codes.0), "望京街道"),
            in_street(unit(3, xingguang, codes.1), "望京街道"),
            in_street(unit_record(4, YUNFAN, None, "110105"), "望京街道"),
            in_street(unit_record(5, YUNHAI, None, "110105"), "三里屯街道"),
        ];
        if with_yunshan {
            units.push(in_street(
                unit_record(6, YUNSHAN, None, "110105"),
                "望京街道",
            ));
        }
        Staged {
            units,
            orgs: vec![without_area("J30")],
            joint: vec![
                covered_by("J30", codes.0),
                covered_by("J30", codes.1),
                typed_row(4, "J30", YUNHAI),
            ],
            ..Staged::default()
        }
    };
    let typed = |with_yunshan: bool| {
        let (resolved, linked) = run_link(&staged(with_yunshan));
        let (covered, _) = coverage_of(&resolved, &linked);
        covered
            .into_iter()
            .filter(|&(_, unit, _)| [YUNFAN, YUNHAI, YUNSHAN].contains(&unit))
            .map(|(_, unit, rule)| (unit.to_string(), rule))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        typed(false),
        vec![(YUNFAN.to_string(), UnitFoundBy::NameTypo)]
    );
    assert_eq!(typed(true), vec![(YUNHAI.to_string(), UnitFoundBy::Name)]);
}

/// A name typed by hand means no unit another organization holds, and its own
/// organization's host before any other. In 朝阳, 星河 (by code) and 云帆 and 云山 (no
/// row names them); the rows write 北京云旺远航商贸有限公司, one edit from both 云帆 and
/// 云山:
/// - J40 lists 星河 by code and the typed name, while 云山 hosts S1, an organization of its
///   own: the name means the one other, 云帆 (`name_typo`); without S1 the two are
///   equally near and no member tells: the row is listed;
/// - J41 is hosted by 云山 and lists 星河 and the typed name: its host, 云山, which it
///   holds already (a 联合支部's list names the unit it is based in among those it
///   covers); without the host first, the row is listed between 云帆 and 云山.
#[test]
fn a_name_typed_by_hand_means_no_unit_another_organization_holds_and_its_own_host_first() {
    let codes = (
        "91110105100000032G",
        "91110105100000059A",
        "91110105100000091K",
    );
    let typed = "北京云旺远航商贸有限公司";
    let hosted_by_yunshan = |id: &str, formation: Formation| {
        let mut org = joint_org(id);
        org.formation = formation;
        org.host.uscc = Some(codes.1.into());
        org
    };
    let staged = |orgs: Vec<PartyOrgRecord>, org: &str| Staged {
        units: vec![
            unit(2, "北京星河远航科技有限公司", codes.2),
            unit(3, YUNFAN, codes.0),
            unit(4, YUNSHAN, codes.1),
        ],
        orgs,
        joint: vec![covered_by(org, codes.2), typed_row(5, org, typed)],
        ..Staged::default()
    };
    let typed_rows = |staged: &Staged| {
        let (resolved, linked) = run_link(staged);
        let (covered, listed) = coverage_of(&resolved, &linked);
        let covered: Vec<(String, String, UnitFoundBy)> = covered
            .into_iter()
            .filter(|&(_, _, rule)| rule == UnitFoundBy::NameTypo)
            .map(|(org, unit, rule)| (org.to_string(), unit.to_string(), rule))
            .collect();
        (covered, listed)
    };
    let own = hosted_by_yunshan("S1", Formation::Single);
    let j40 = staged(vec![without_area("J40"), own], "J40");
    let row = |org: &str, unit: &str| (org.to_string(), unit.to_string(), UnitFoundBy::NameTypo);
    assert_eq!(typed_rows(&j40), (vec![row("J40", YUNFAN)], vec![]));
    let alone = staged(vec![without_area("J40")], "J40");
    assert_eq!(typed_rows(&alone), (vec![], vec![5]));
    let j41 = staged(vec![hosted_by_yunshan("J41", Formation::Joint)], "J41");
    // J41 holds 云山 as its host already: the row adds nothing, and nothing is listed.
    assert_eq!(typed_rows(&j41), (vec![], vec![]));
}

/// A typed row that spells another district's unit exactly: J10 and J11 are of 朝阳
/// (their records say so); their rows write 北京云旺远航商贸有限公司, the exact name of a
/// unit of 海淀 and one edit from two units of 朝阳, 云帆远航 and 云海远航 — the typo of one
/// of them, but which?
/// - J10: its member works in 云海 → 云海 (`name_typo_members`);
/// - J11: no member says → the unit the name spells, 云旺 of 海淀, as before (`name`),
///   and the row is listed for 朝阳 to decide (党组织覆盖单位待确认): the unit counted,
///   云旺, offered first, then 朝阳's 云帆 — not 云海, which J10 holds (a list may name a
///   company registered elsewhere that works in the street, or mistype one of its own).
///
/// Next month, 朝阳 having confirmed 云帆 for the name as written in that sheet: J11's row
/// covers 云帆 (`reviewed`, the decision outranks an exact name of another district) and
/// is listed no more; J10's row, the same text, is read with the same decision → 云帆
/// too, its members in 云海 notwithstanding (the district decided the text).
#[test]
fn a_typed_row_spelling_another_districts_unit_is_where_the_members_work() {
    let yunwang = "北京云旺远航商贸有限公司";
    let of_chaoyang = |id: &str| {
        let mut org = without_area(id);
        org.district_code = Some("110105".into());
        org
    };
    let staged = Staged {
        units: vec![
            unit(2, YUNFAN, "91110105100000032G"),
            unit(3, YUNHAI, "91110105100000059A"),
            unit_record(4, yunwang, Some("91110108100000067E"), "110108"),
        ],
        orgs: vec![of_chaoyang("J10"), of_chaoyang("J11")],
        joint: vec![typed_row(2, "J10", yunwang), typed_row(3, "J11", yunwang)],
        members: vec![member(10, Some("J10"), YUNHAI)],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let (covered, listed) = coverage_of(&resolved, &linked);
    assert_eq!(
        covered,
        vec![
            ("J10", YUNHAI, UnitFoundBy::NameTypoMembers),
            ("J11", yunwang, UnitFoundBy::Name),
        ]
    );
    assert_eq!(listed, vec![3]);
    let issue = linked.issues.iter().find(|i| i.lineage.row == 3).unwrap();
    let name = |u: usize| resolved.units[u].name.as_str();
    assert_eq!(issue.unit.map(name), Some(yunwang));
    let offered: Vec<&str> = issue.other_units.iter().map(|&u| name(u)).collect();
    assert_eq!(offered, vec![yunwang, YUNFAN]);
    let decided = list_decision(yunwang, YUNFAN, true);
    let (resolved, linked) = run_link_with(&staged, decided, &crate::link::no_earlier_period);
    let (covered, listed) = coverage_of(&resolved, &linked);
    assert_eq!(
        covered,
        vec![
            ("J10", YUNFAN, UnitFoundBy::Reviewed),
            ("J11", YUNFAN, UnitFoundBy::Reviewed),
        ]
    );
    assert!(listed.is_empty());
}

/// A joint list that names its organizations, by a name two of them share (S1 and S2,
/// both 东华门街道联合支部 — a generator's street organizations, or an export's short
/// names): 云海 is where a member of S2 works → S2; no member of theirs works in 云帆 →
/// the first of them, S1, with the issue that says so (the unit is covered either way;
/// which organization holds it a person can tell). Both units are found by their USCC.
#[test]
fn a_joint_row_naming_a_shared_organization_name_goes_where_its_members_work() {
    let shared = |id: &str| {
        let mut org = without_area(id);
        org.name_key = "东华门街道联合支部".into();
        org
    };
    let by_org_name = |row: u64, uscc: &str| {
        let mut rec = covered_by("中共东华门街道联合支部", uscc);
        rec.lineage = lineage(row);
        rec.org_name_key = Some("东华门街道联合支部".into());
        rec
    };
    let staged = Staged {
        units: vec![
            unit(2, YUNFAN, "91110105100000032G"),
            unit(3, YUNHAI, "91110105100000091K"),
        ],
        orgs: vec![shared("S1"), shared("S2")],
        joint: vec![
            by_org_name(2, "91110105100000032G"),
            by_org_name(3, "91110105100000091K"),
        ],
        members: vec![member(10, Some("S2"), YUNHAI)],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let (covered, listed) = coverage_of(&resolved, &linked);
    assert_eq!(
        covered,
        vec![
            ("S1", YUNFAN, UnitFoundBy::Uscc),
            ("S2", YUNHAI, UnitFoundBy::Uscc),
        ]
    );
    assert_eq!(listed, vec![2]);
    let issue = linked
        .issues
        .iter()
        .find(|i| i.lineage.row == 2)
        .expect("issue");
    assert_eq!(
        issue.unit.map(|u| resolved.units[u].name.as_str()),
        Some(YUNFAN)
    );
}

/// A member whose 工作单位 is exactly another company's name, one edit from two units of
/// their joint organization: the one in the written legal form, else the one the text
/// spells with one edit as written (`employer_typo_org`).
/// - J1 is hosted by 北京盛恒物流有限公司 and covers 北京科恒物流股份有限公司; its member
///   writes 北京市达恒物流有限公司, a company of its own (北京达恒物流有限公司): 盛恒 (a
///   有限公司, as written; 科恒 is a 股份公司), though 北京市 makes it two edits as written;
/// - J2 is hosted by 北京鼎丰咨询有限公司 and covers 北京市峰城咨询有限责任公司; its member
///   writes 北京市峰丰咨询有限责任公司, which is 北京市峰丰咨询有限公司 but for the form: 峰城
///   (one edit as written; 鼎丰 is one edit from it only once the form is set aside).
#[test]
fn a_typo_into_another_companys_name_is_the_unit_of_the_organization_in_the_written_form() {
    let host = "91110105100000091K";
    let staged = |units: [(&str, &str); 3], written: &str| Staged {
        units: vec![
            unit(2, units[0].0, host),
            unit(3, units[1].0, units[1].1),
            unit(4, units[2].0, units[2].1),
        ],
        orgs: vec![joint_org("J1")],
        joint: vec![covered_by("J1", units[1].1)],
        members: vec![member(10, Some("J1"), written)],
        ..Staged::default()
    };
    let placed_in = |staged: &Staged| {
        let (resolved, linked) = run_link(staged);
        placed(&resolved, &linked)
            .into_iter()
            .map(|(rule, unit)| (rule, unit.map(str::to_string)))
            .collect::<Vec<_>>()
    };
    let j1 = staged(
        [
            ("北京盛恒物流有限公司", host),
            ("北京科恒物流股份有限公司", "91110105100000032G"),
            ("北京达恒物流有限公司", "91110105100000059A"),
        ],
        "北京市达恒物流有限公司",
    );
    let typo_org = |unit: &str| vec![(MemberRule::EmployerTypoOrg, Some(unit.to_string()))];
    assert_eq!(placed_in(&j1), typo_org("北京盛恒物流有限公司"));
    let j2 = staged(
        [
            ("北京鼎丰咨询有限公司", host),
            ("北京市峰城咨询有限责任公司", "91110105100000032G"),
            ("北京市峰丰咨询有限公司", "91110105100000059A"),
        ],
        "北京市峰丰咨询有限责任公司",
    );
    assert_eq!(placed_in(&j2), typo_org("北京市峰城咨询有限责任公司"));
}

/// What lasts of a person's records: leaving the party (出党, 死亡) is for good, and a
/// probationary member becomes formal, never back. Two units A and B; records in row
/// order (person: unit, category, standing):
///   row 2  p2: A 预备 正常   ┐ p2 twice in A, the 预备 copy first: the 正式 record
///   row 3  p2: A 正式 正常   ┘ (row 3) counts, so A has 1 formal member
///   row 4  p4: B 正式 正常   ┐ p4 died: the stale 正常 record (row 4) does not count,
///   row 5  p4: B 正式 死亡   ┘ nor the 死亡 one — B has nobody
///   row 6  p6: A 正式 正常   ┐ p6 twice in A, the 正式 record first: it counts, the
///   row 7  p6: A 预备 正常   ┘ later 预备 copy does not — A: 2 formal members in all
/// Without the rules: rows 2, 4, 6 counted (A 1 formal + 1 probationary, B 1 formal).
#[test]
fn a_person_who_left_stays_out_and_a_formal_record_outranks_a_probationary_copy() {
    let (a, b) = ("北京星河远航科技有限公司", "北京星河远洋科技有限公司");
    let person = |row, key_row, employer, category, status| {
        let mut m = member(row, None, employer);
        m.member_key = member_key(key_row);
        m.category = category;
        m.status = status;
        m
    };
    use MemberCategory::{Formal, Probationary};
    use MemberStatus::{Left, Normal};
    let staged = Staged {
        units: vec![
            unit(2, a, "91350100M000100Y43"),
            unit(3, b, "91110105100000091K"),
        ],
        members: vec![
            person(2, 2, a, Probationary, Normal),
            person(3, 2, a, Formal, Normal),
            person(4, 4, b, Formal, Normal),
            person(5, 4, b, Formal, Left),
            person(6, 6, a, Formal, Normal),
            person(7, 6, a, Probationary, Normal),
        ],
        ..Staged::default()
    };
    let (_, linked) = run_link(&staged);
    let counted: Vec<bool> = linked.members.iter().map(|m| m.counted).collect();
    assert_eq!(counted, [false, true, false, false, true, false]);
    let reasons: Vec<Option<NotCounted>> = linked
        .members
        .iter()
        .map(|m| m.not_counted_reason)
        .collect();
    assert_eq!(
        reasons,
        [
            Some(NotCounted::SamePerson),
            None,
            Some(NotCounted::PersonLeft),
            Some(NotCounted::Status(Left)),
            None,
            Some(NotCounted::SamePerson),
        ]
    );
}

#[test]
fn a_branchs_member_writing_the_companys_code_is_in_the_branch() {
    // C 北京海科科技有限公司 (91110105100000091K) and its branches Y 北京海科科技有限公司延庆分公司
    // (91110105MA00000025) and D 北京海科科技有限公司东城分公司 (91110105MA01000077). Each
    // member gives C's code in 工作单位统一社会信用代码:
    // - m2 writes Y's exact name: the code names the company, the name its branch
    //   where the member works → Y, employer_branch.
    // - m3 writes 海科科技东城分公司 (the company abbreviated): C's name and 东城分公司 is D's
    //   → D, employer_branch.
    // - m4 writes C's name → C, employer_uscc.
    // - m5 writes 北京海科科技有限公司昌平分公司, no branch registered → C, employer_uscc.
    let c = "北京海科科技有限公司";
    let with_company_code = |row, employer| {
        let mut m = member(row, None, employer);
        std::sync::Arc::make_mut(&mut m.employer).uscc = Some("91110105100000091K".into());
        m
    };
    let staged = Staged {
        units: vec![
            unit(2, c, "91110105100000091K"),
            unit(3, "北京海科科技有限公司延庆分公司", "91110105MA00000025"),
            unit(4, "北京海科科技有限公司东城分公司", "91110105MA01000077"),
        ],
        members: vec![
            with_company_code(2, "北京海科科技有限公司延庆分公司"),
            with_company_code(3, "海科科技东城分公司"),
            with_company_code(4, c),
            with_company_code(5, "北京海科科技有限公司昌平分公司"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (
                MemberRule::EmployerBranch,
                Some("北京海科科技有限公司延庆分公司")
            ),
            (
                MemberRule::EmployerBranch,
                Some("北京海科科技有限公司东城分公司")
            ),
            (MemberRule::EmployerUscc, Some(c)),
            (MemberRule::EmployerUscc, Some(c)),
        ]
    );
}
