//! Members of street committees (organizations of an area that hold no unit): read in
//! the committee's district and street, and where their colleagues work.
use super::*;

/// 朝阳 (110105): A 星河远航 and C 星河远景 in 望京街道, B 星河远山 and D 星河远峰 in 三里屯街道;
/// H 星河远洋 in 海淀 (110108). Each 字号 is one edit from 星河远帆 and from 星河远洋.
/// Committees W (望京街道) and S (三里屯街道) of 朝阳 hold no unit. Members: m2 (W) and m3 (S)
/// write 星河远帆, m4 (W) writes H's exact name. `with_c_and_d` false leaves C and D out
/// (one unit a street).
fn two_streets(with_c_and_d: bool) -> (Resolved, Linked) {
    two_streets_with(with_c_and_d, &[])
}

/// `two_streets` with more members: (row, organization, 工作单位).
fn two_streets_with(with_c_and_d: bool, more: &[(u64, &str, &str)]) -> (Resolved, Linked) {
    run_link(&two_streets_staged(with_c_and_d, more))
}

/// The staged month of `two_streets_with`.
fn two_streets_staged(with_c_and_d: bool, more: &[(u64, &str, &str)]) -> Staged {
    let street = |mut u: UnitRecord, s: &str| {
        u.facts.street = Some(s.into());
        u
    };
    let mut units = vec![
        street(
            unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
            "望京街道",
        ),
        street(
            unit(3, "北京星河远山科技有限公司", "91110105100000091K"),
            "三里屯街道",
        ),
        unit_record(
            6,
            "北京星河远洋科技有限公司",
            Some("91110108MA00000033"),
            "110108",
        ),
    ];
    if with_c_and_d {
        units.push(street(
            unit(4, "北京星河远景科技有限公司", "91110105MA00000017"),
            "望京街道",
        ));
        units.push(street(
            unit(5, "北京星河远峰科技有限公司", "91110105MA00000025"),
            "三里屯街道",
        ));
    }
    let mut members = vec![
        member(2, Some("W"), "北京星河远帆科技有限公司"),
        member(3, Some("S"), "北京星河远帆科技有限公司"),
        member(4, Some("W"), "北京星河远洋科技有限公司"),
    ];
    members.extend(
        more.iter()
            .map(|&(row, org, employer)| member(row, Some(org), employer)),
    );
    Staged {
        units,
        orgs: vec![
            street_committee("W", Some("望京街道")),
            street_committee("S", Some("三里屯街道")),
        ],
        members,
        ..Staged::default()
    }
}

#[test]
fn a_tie_in_a_street_committees_street_goes_to_review_with_the_street_first() {
    // See `two_streets`, with C and D:
    // - m2 (W) 星河远帆: five units one edit away, four in 朝阳, two in 望京 (A, C) → still
    //   two: review. Offered: A and C (the street) first, then B and D (the district),
    //   then H.
    // - m3 (S) 星河远帆: in 三里屯 B and D → review, B and D first.
    // - m4 (W) H's exact name, a company of 海淀: 朝阳 has four units one edit away, 望京
    //   two → review, with H (the exact name) among the candidates.
    let (resolved, linked) = two_streets(true);
    let offered = |i: usize| -> Vec<String> {
        let m = &linked.members[i];
        assert_eq!((m.rule, m.unit()), (MemberRule::Review, None), "member {i}");
        m.candidates
            .iter()
            .map(|c| resolved.units[c.unit].name.clone())
            .collect()
    };
    fn sorted<S: AsRef<str>>(v: &[S]) -> Vec<String> {
        let mut v: Vec<String> = v.iter().map(|s| s.as_ref().to_string()).collect();
        v.sort();
        v
    }
    let m2 = offered(0);
    assert_eq!(
        sorted(&m2[..2]),
        sorted(&["北京星河远航科技有限公司", "北京星河远景科技有限公司"])
    );
    assert_eq!(
        sorted(&m2[2..4]),
        sorted(&["北京星河远山科技有限公司", "北京星河远峰科技有限公司"])
    );
    assert_eq!(m2[4], "北京星河远洋科技有限公司");
    let m3 = offered(1);
    assert_eq!(
        sorted(&m3[..2]),
        sorted(&["北京星河远山科技有限公司", "北京星河远峰科技有限公司"])
    );
    let m4 = offered(2);
    assert!(m4.iter().any(|c| c == "北京星河远洋科技有限公司"), "{m4:?}");
}

#[test]
fn a_street_committees_member_is_read_in_its_street() {
    // See `two_streets`, without C and D: m2 (W) → A, employer_typo (the one of its
    // street); m3 (S) → B; m4 (W) → A, employer_typo_district.
    let (resolved, linked) = two_streets(false);
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (MemberRule::EmployerTypo, Some("北京星河远航科技有限公司")),
            (MemberRule::EmployerTypo, Some("北京星河远山科技有限公司")),
            (
                MemberRule::EmployerTypoDistrict,
                Some("北京星河远航科技有限公司")
            ),
        ]
    );
}

#[test]
fn an_exact_name_of_another_street_gives_way_to_the_one_unit_of_the_committees_street() {
    // See `two_streets`. m5 (W, 望京) writes B's exact name, 星河远山, a unit of 三里屯 in
    // W's own district; 望京 has one unit one edit from it, A 星河远航 (山 → 航) → A,
    // employer_typo_district (a street's committee holds its street's units' members;
    // a typo that spells another company's name is the likelier story). m6 (S, 三里屯)
    // writing B's name is in B's street → B, employer_name. With C and D, 望京 has two
    // units one edit from 星河远山 (A and C 星河远景) → the exact name stands: B.
    let more = [
        (5, "W", "北京星河远山科技有限公司"),
        (6, "S", "北京星河远山科技有限公司"),
    ];
    let (resolved, linked) = two_streets_with(false, &more);
    assert_eq!(
        placed(&resolved, &linked)[3..],
        [
            (
                MemberRule::EmployerTypoDistrict,
                Some("北京星河远航科技有限公司")
            ),
            (MemberRule::EmployerName, Some("北京星河远山科技有限公司")),
        ]
    );
    let (resolved, linked) = two_streets_with(true, &more);
    assert_eq!(
        placed(&resolved, &linked)[3..],
        [
            (MemberRule::EmployerName, Some("北京星河远山科技有限公司")),
            (MemberRule::EmployerName, Some("北京星河远山科技有限公司")),
        ]
    );
}

#[test]
fn an_exact_name_of_another_district_gives_way_to_the_same_name_in_another_form_of_its_own() {
    // See `two_streets`, without C and D, and 云岭数据: 北京云岭数据科技有限公司 of 海淀 (H2)
    // and 北京云岭数据科技股份有限公司 of 朝阳 (E, 望京街道); no unit is one edit from either
    // of the same form. m7 (W, 朝阳's 望京) writes H2's exact name: a street's committee
    // holds the members of its district's units, and the name but for the legal form is
    // E, alone in the district → E, employer_other_form. With a second 云岭数据 股份公司
    // in 朝阳 (三里屯街道) the other form names two units → the exact name stands: H2,
    // employer_name.
    let h2 = "北京云岭数据科技有限公司";
    let e = "北京云岭数据科技股份有限公司";
    let with_units = |twins: &[(u64, &str, &str)]| {
        let mut staged = two_streets_staged(false, &[(7, "W", h2)]);
        staged
            .units
            .push(unit_record(7, h2, Some("91110108MA0100009Q"), "110108"));
        for &(row, uscc, street) in twins {
            let mut twin = unit(row, e, uscc);
            twin.facts.street = Some(street.into());
            staged.units.push(twin);
        }
        staged
    };
    let (resolved, linked) = run_link(&with_units(&[(8, "91110105MA01000077", "望京街道")]));
    assert_eq!(
        placed(&resolved, &linked)[3],
        (MemberRule::EmployerOtherForm, Some(e))
    );
    let twins = [
        (8, "91110105MA01000077", "望京街道"),
        (9, "91110105MA0100008A", "三里屯街道"),
    ];
    let (resolved, linked) = run_link(&with_units(&twins));
    assert_eq!(
        placed(&resolved, &linked)[3],
        (MemberRule::EmployerName, Some(h2))
    );
}

#[test]
fn a_short_name_two_units_share_is_read_in_the_committees_district() {
    // 旺越文化传媒 (字号 and trade, no legal form) names 北京旺越文化传媒有限责任公司 in 朝阳
    // and 北京旺越文化传媒股份有限公司 in 海淀 alike: both cores are 旺越文化传媒, zero edits
    // away, and neither scored name leads. m2, in no organization → review with both.
    // m3, of 朝阳's street committee W → the one in 朝阳, by the one-edit rule
    // (employer_typo, score 1 − 0/6 = 1).
    let w = street_committee("W", None);
    let staged = Staged {
        units: vec![
            unit(2, "北京旺越文化传媒有限责任公司", "91350100M000100Y43"),
            unit_record(
                3,
                "北京旺越文化传媒股份有限公司",
                Some("91110108MA00000033"),
                "110108",
            ),
        ],
        orgs: vec![w],
        members: vec![
            member(2, None, "旺越文化传媒"),
            member(3, Some("W"), "旺越文化传媒"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    assert_eq!(linked.members[0].rule, MemberRule::Review);
    assert_eq!(linked.members[0].candidates.len(), 2);
    let m3 = &linked.members[1];
    assert_eq!((m3.rule, m3.score()), (MemberRule::EmployerTypo, Some(1.0)));
    assert_eq!(
        resolved.units[m3.unit().unwrap()].name,
        "北京旺越文化传媒有限责任公司"
    );
}

#[test]
fn a_typo_several_units_share_is_read_where_the_organizations_other_members_work() {
    // See `two_streets`, with C and D, and m5 (W) writing A's exact name (employer_name):
    // - m2 (W) 星河远帆: of the five units one edit away only A has a member of W → A,
    //   employer_typo_colleagues, scored as the one-edit rule scores.
    // - m3 (S) 星河远帆: S has no other member placed → still review.
    // - m4 (W) H's exact name: one edit from A, C, B, D; A holds W's m5 → A.
    let (resolved, linked) = two_streets_with(true, &[(5, "W", "北京星河远航科技有限公司")]);
    let a = Some("北京星河远航科技有限公司");
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (MemberRule::EmployerTypoColleagues, a),
            (MemberRule::Review, None),
            (MemberRule::EmployerTypoColleagues, a),
            (MemberRule::EmployerName, a),
        ]
    );
    // m2 and m4 are counted in A; m3 is counted nowhere.
    assert!(linked.members[0].counted && !linked.members[1].counted);
}

#[test]
fn a_decision_on_the_text_gives_way_where_the_rules_place_the_member_where_they_were() {
    // See `two_streets`, without C and D: m4 (committee W, 望京) writes H's exact name, a
    // company of 海淀; 朝阳 has A (望京) and B (三里屯) one edit away, and A is in W's
    // street → A by employer_typo_district. A district confirmed that text for H (for
    // the people of 海淀 who write it).
    // - m4 counted in A last period, in W: the rules alone place them in A, where they
    //   were → A, employer_typo_district.
    // - With no earlier period the decision stands → H, reviewed.
    let staged = two_streets_staged(false, &[]);
    let confirm_h = confirmed("北京星河远洋科技有限公司", "北京星河远洋科技有限公司");
    let (first, _) = run_link(&staged);
    let a = unit_id_of(&first, "北京星河远航科技有限公司");
    let earlier = |_: &[MemberKey]| Ok(counted_before(&[(4, &a, Some("W"))]));
    let (resolved, linked) = run_link_with(&staged, &confirm_h, &earlier);
    assert_eq!(
        placed(&resolved, &linked)[2],
        (
            MemberRule::EmployerTypoDistrict,
            Some("北京星河远航科技有限公司")
        )
    );
    let (resolved, linked) = run_link_with(&staged, &confirm_h, &crate::link::no_earlier_period);
    assert_eq!(
        placed(&resolved, &linked)[2],
        (MemberRule::Reviewed, Some("北京星河远洋科技有限公司"))
    );
}

#[test]
fn a_decision_on_the_text_gives_way_to_the_name_of_a_unit_of_the_committees_district() {
    // See `two_streets`, without C and D. A district confirmed A's exact name, 星河远航
    // (朝阳, 望京), for H (海淀): people of 海淀 write 远航 for 远洋. m5 (committee W of
    // 朝阳) writes A's name: A is of W's district and H is not, so the decision gives way
    // → A by employer_name. m6 (no organization) writes the same: nothing of their own
    // says otherwise → H, reviewed.
    let mut staged = two_streets_staged(false, &[(5, "W", "北京星河远航科技有限公司")]);
    staged
        .members
        .push(member(6, None, "北京星河远航科技有限公司"));
    let confirm = confirmed("北京星河远航科技有限公司", "北京星河远洋科技有限公司");
    let (resolved, linked) = run_link_with(&staged, &confirm, &crate::link::no_earlier_period);
    let got = placed(&resolved, &linked);
    assert_eq!(
        got[3],
        (MemberRule::EmployerName, Some("北京星河远航科技有限公司"))
    );
    assert_eq!(
        got[4],
        (MemberRule::Reviewed, Some("北京星河远洋科技有限公司"))
    );
}

#[test]
fn a_short_form_two_units_share_is_asked_among_them_not_of_a_unit_one_edit_away() {
    // 朝阳: A 顺科咨询有限公司, B 顺科咨询股份有限公司, C 顺卓咨询有限公司; committee W of
    // 朝阳. m2 (W) writes C's exact name → C (employer_name): a colleague at C.
    // m3 (W) writes 顺科咨询, the short form of A and B (core 顺科咨询, no edit from
    // either; one edit from C's 顺卓咨询) → review, A and B tied.
    // - Without m4: of the exact units A and B, none has a colleague → still review
    //   (before, the colleague at C one edit away took it: a wrong unit).
    // - With m4 (W) writing B's exact name: of A and B only B has a colleague → B,
    //   employer_typo_colleagues, score 1 (no edit).
    let (a, b, c) = (
        "北京顺科咨询有限公司",
        "北京顺科咨询股份有限公司",
        "北京顺卓咨询有限公司",
    );
    let staged = |with_m4: bool| {
        let mut members = vec![(2, c), (3, "顺科咨询")];
        if with_m4 {
            members.push((4, b));
        }
        committee_w_with([a, b, c], &members)
    };
    let (resolved, linked) = run_link(&staged(false));
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (MemberRule::EmployerName, Some(c)),
            (MemberRule::Review, None)
        ]
    );
    let offered: Vec<&str> = linked.members[1]
        .candidates
        .iter()
        .map(|x| resolved.units[x.unit].name.as_str())
        .collect();
    assert!(offered.contains(&a) && offered.contains(&b), "{offered:?}");
    let (resolved, linked) = run_link(&staged(true));
    assert_eq!(
        placed(&resolved, &linked)[1],
        (MemberRule::EmployerTypoColleagues, Some(b))
    );
    assert_eq!(linked.members[1].score(), Some(1.0));
}

#[test]
fn a_colleague_at_a_unit_the_text_does_not_spell_leaves_the_typo_for_review() {
    // Committee W of 朝阳 holds no unit. Units of 朝阳: T 北京泰峰商贸有限公司, A
    // 北京宇安商贸有限公司, X 北京市宇通商贸有限责任公司; m5 (W) writes X's exact name
    // (employer_name). m2 (W) writes 北京宇峰商贸有限公司: one edit from all three cores
    // (泰, 安, 通), and as written one edit from T's and A's registered names, not X's
    // (市, 通, 责, 任) → three units one edit away: review. Where
    // colleagues work, only T and A are asked (the text spells them): none of W's members
    // is placed in either → m2 stays for review, though X holds m5.
    // With m6 (W) writing A's exact name, A is the one spelled unit where W's members
    // work → A, employer_typo_colleagues, scored 1 − 1/4 = 0.75 (one character of 宇峰商贸).
    let (t, a, x) = (
        "北京泰峰商贸有限公司",
        "北京宇安商贸有限公司",
        "北京市宇通商贸有限责任公司",
    );
    let staged = |with_m6: bool| {
        let mut members = vec![(5, x), (2, "北京宇峰商贸有限公司")];
        if with_m6 {
            members.push((6, a));
        }
        committee_w_with([t, a, x], &members)
    };
    let (resolved, linked) = run_link(&staged(false));
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (MemberRule::EmployerName, Some(x)),
            (MemberRule::Review, None)
        ]
    );
    assert_eq!(linked.members[1].candidates.len(), 3);
    let (resolved, linked) = run_link(&staged(true));
    assert_eq!(
        placed(&resolved, &linked)[1],
        (MemberRule::EmployerTypoColleagues, Some(a))
    );
    assert_eq!(linked.members[1].score(), Some(0.75));
}

/// Three units of 朝阳 (rows 2, 3, 4) and committee W of 朝阳, whose members write
/// (row, 工作单位).
fn committee_w_with(units: [&str; 3], members: &[(u64, &str)]) -> Staged {
    let codes = [
        "91110105MA00000012",
        "91110105MA00000025",
        "91110105MA00000038",
    ];
    Staged {
        units: units
            .iter()
            .zip(codes)
            .zip(2..)
            .map(|((name, code), row)| unit(row, name, code))
            .collect(),
        orgs: vec![street_committee("W", None)],
        members: members
            .iter()
            .map(|&(row, employer)| member(row, Some("W"), employer))
            .collect(),
        ..Staged::default()
    }
}

#[test]
fn a_park_committees_member_is_read_in_the_park() {
    // 朝阳 (110105): A 星河远航 in 望京科技园区, C 星河远景 in no park; H 星河远洋 in 海淀
    // (110108), in 中关村软件园. Committees that host no unit: P 中共北京市朝阳区望京科技园区
    // 工作委员会 (its district, and a park of its district's units); Q of 朝阳, naming no
    // park; R 中共望京科技园区工作委员会 and Z 中共中关村软件园工作委员会, naming no district:
    // each takes its park's district (the park's units are all in one). Each member
    // writes 星河远帆, one edit from A, C and H (three: none alone).
    // - m2 (P): in 朝阳 A and C (two); in P's park A alone → A, employer_typo, 1 − 1/6.
    // - m3 (Q): A and C, no park → review.
    // - m4 (R): R's district is 朝阳 (望京科技园区's) → as m2, A.
    // - m5 (Z): Z's district is 海淀 (中关村软件园's): H alone there → H.
    let in_park = |mut u: UnitRecord, park: &str| {
        u.facts.park = Some(park.into());
        u
    };
    let committee = |id: &str, name: &str, district: Option<&str>| {
        let mut c = street_committee(id, None);
        c.name = name.into();
        c.district_code = district.map(str::to_string);
        c
    };
    let staged = Staged {
        units: vec![
            in_park(
                unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
                "望京科技园区",
            ),
            unit(3, "北京星河远景科技有限公司", "91110105100000091K"),
            in_park(
                unit_record(
                    4,
                    "北京星河远洋科技有限公司",
                    Some("91110108MA00000033"),
                    "110108",
                ),
                "中关村软件园",
            ),
        ],
        orgs: vec![
            committee(
                "P",
                "中共北京市朝阳区望京科技园区工作委员会",
                Some("110105"),
            ),
            street_committee("Q", None),
            committee("R", "中共望京科技园区工作委员会", None),
            committee("Z", "中共中关村软件园工作委员会", None),
        ],
        members: ["P", "Q", "R", "Z"]
            .iter()
            .zip(2..)
            .map(|(org, row)| member(row, Some(org), "北京星河远帆科技有限公司"))
            .collect(),
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let places: Vec<(Option<&str>, Option<&str>)> = linked
        .orgs
        .iter()
        .map(|o| (o.park.as_deref(), o.district_code.as_deref()))
        .collect();
    assert_eq!(
        places,
        vec![
            (Some("望京科技园区"), Some("110105")),
            (None, Some("110105")),
            (Some("望京科技园区"), Some("110105")),
            (Some("中关村软件园"), Some("110108")),
        ]
    );
    let got: Vec<(MemberRule, Option<&str>)> = linked
        .members
        .iter()
        .map(|m| (m.rule, m.unit().map(|u| resolved.units[u].name.as_str())))
        .collect();
    let a = Some("北京星河远航科技有限公司");
    assert_eq!(
        got,
        vec![
            (MemberRule::EmployerTypo, a),
            (MemberRule::Review, None),
            (MemberRule::EmployerTypo, a),
            (MemberRule::EmployerTypo, Some("北京星河远洋科技有限公司")),
        ]
    );
    assert!((linked.members[0].score().unwrap() - 5.0 / 6.0).abs() < 1e-9);
}

#[test]
fn a_committee_naming_no_district_is_read_where_its_members_work() {
    // X (中共北京经济技术开发区工作委员会) hosts no unit and its record gives no district
    // (no park column either). 朝阳 (110105): A 星河远航, C 智联网络; 海淀 (110108): H 星河远洋.
    // m2, m3, m4 (X) write C's and A's exact names: 3 of 3 in 朝阳 → X's district is 朝阳.
    // m5 (X) writes 星河远帆, one edit from A and H: in 朝阳 A alone → A, employer_typo.
    // Y, the same but with two of three members at D 天仁商贸 in 海淀 (2 of 3 < 9 in 10):
    // no district, and no colleague at A or H, so m7 (Y)'s 星河远帆 stays for review.
    let mut x = street_committee("X", None);
    x.name = "中共北京经济技术开发区工作委员会".into();
    x.district_code = None;
    let mut y = x.clone();
    y.org_id = "Y".into();
    y.name = "中共北京某某园区工作委员会".into();
    let (a, c, h, d, typo) = (
        "北京星河远航科技有限公司",
        "北京智联网络科技股份有限公司",
        "北京星河远洋科技有限公司",
        "北京天仁商贸有限公司",
        "北京星河远帆科技有限公司",
    );
    let staged = Staged {
        units: vec![
            unit(2, a, "91350100M000100Y43"),
            unit(3, c, "91110105100000091K"),
            unit_record(4, h, Some("91110108MA00000033"), "110108"),
            unit_record(5, d, Some("91110108MA00000041"), "110108"),
        ],
        orgs: vec![x, y],
        members: vec![
            member(2, Some("X"), c),
            member(3, Some("X"), c),
            member(4, Some("X"), a),
            member(5, Some("X"), typo),
            member(6, Some("Y"), d),
            member(7, Some("Y"), typo),
            member(8, Some("Y"), d),
            member(9, Some("Y"), c),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    let districts: Vec<Option<&str>> = linked
        .orgs
        .iter()
        .map(|o| o.district_code.as_deref())
        .collect();
    assert_eq!(districts, vec![Some("110105"), None]);
    let typos: Vec<(MemberRule, Option<&str>)> = [3, 5]
        .iter()
        .map(|&k| &linked.members[k])
        .map(|m| (m.rule, m.unit().map(|u| resolved.units[u].name.as_str())))
        .collect();
    assert_eq!(
        typos,
        vec![
            (MemberRule::EmployerTypo, Some(a)),
            (MemberRule::Review, None)
        ]
    );
}

#[test]
fn a_typo_two_units_of_the_committees_street_share_is_the_one_as_written() {
    // 朝阳 (110105), 望京街道: A 北京瑞东物业管理有限责任公司, B 北京市和新物业管理有限公司,
    // C 北京市明丰物业管理股份有限公司, D 北京润科物业管理股份有限公司; H
    // 北京瑞新物业管理有限责任公司 in 海淀 (110108). Committee W (望京街道) hosts no unit.
    // - m2 (W) writes H's exact name: H is of another district, so W's district is asked
    //   (`district_unit_one_edit_away`): the cores 瑞东 and 和新 are each one edit from
    //   瑞新, both in 望京 and both limited companies (有限公司 is 有限责任公司) → two; the
    //   text as written is one edit from A's name (新 → 东) and more from B's (北京市, the
    //   form as written) → A, employer_typo_district.
    // - m3 (W) writes 北京市明科物业管理股份有限公司, no unit's name: 明丰 and 润科 are one
    //   edit from 明科, both in 望京 and both 股份有限公司; the text as written is one edit
    //   from C's name (科 → 丰) and two from D's (北京市明科 → 北京润科) → C, employer_typo.
    // Before, both were left for review.
    let in_wangjing = |row, name, code| {
        let mut u = unit(row, name, code);
        u.facts.street = Some("望京街道".into());
        u
    };
    let staged = Staged {
        units: vec![
            in_wangjing(2, "北京瑞东物业管理有限责任公司", "91110105MA00000041"),
            in_wangjing(3, "北京市和新物业管理有限公司", "91110105MA00000054"),
            in_wangjing(4, "北京市明丰物业管理股份有限公司", "91110105MA00000067"),
            in_wangjing(5, "北京润科物业管理股份有限公司", "91110105MA00000070"),
            unit_record(
                6,
                "北京瑞新物业管理有限责任公司",
                Some("91110108MA00000033"),
                "110108",
            ),
        ],
        orgs: vec![street_committee("W", Some("望京街道"))],
        members: vec![
            member(2, Some("W"), "北京瑞新物业管理有限责任公司"),
            member(3, Some("W"), "北京市明科物业管理股份有限公司"),
        ],
        ..Staged::default()
    };
    let (resolved, linked) = run_link(&staged);
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (
                MemberRule::EmployerTypoDistrict,
                Some("北京瑞东物业管理有限责任公司")
            ),
            (
                MemberRule::EmployerTypo,
                Some("北京市明丰物业管理股份有限公司")
            ),
        ]
    );
}

#[test]
fn a_committees_member_writing_another_form_is_in_the_unit_no_organization_holds() {
    // 朝阳: T 北京泰方咨询股份有限公司 (no organization), 泰明 and 远方 咨询有限公司 (one
    // edit from 泰方 in the written form), each the host of an organization of its own
    // (O1, O2). m2 of 朝阳's street committee W writes 北京泰方咨询有限公司: no exact name,
    // the same core in another form is T, two units of the written form a typo away. A
    // street's committee holds the members of the units of its area that no organization
    // holds, and T is the one such → T, employer_other_form. With 远方 without its
    // organization, two units of the district are free → review.
    let t = "北京泰方咨询股份有限公司";
    let staged = |with_o2: bool| {
        let mut orgs = vec![
            street_committee("W", None),
            own_org("O1", "91110105100000091K"),
        ];
        if with_o2 {
            orgs.push(own_org("O2", "91110105MA00000025"));
        }
        Staged {
            units: vec![
                unit(2, t, "91110105MA01000077"),
                unit(3, "北京泰明咨询有限公司", "91110105100000091K"),
                unit(4, "北京远方咨询有限公司", "91110105MA00000025"),
            ],
            orgs,
            members: vec![member(2, Some("W"), "北京泰方咨询有限公司")],
            ..Staged::default()
        }
    };
    let (resolved, linked) = run_link(&staged(true));
    assert_eq!(
        placed(&resolved, &linked),
        vec![(MemberRule::EmployerOtherForm, Some(t))]
    );
    let (resolved, linked) = run_link(&staged(false));
    assert_eq!(placed(&resolved, &linked), vec![(MemberRule::Review, None)]);
}

#[test]
fn a_committees_member_one_edit_from_two_units_of_its_street_is_in_the_one_without_an_organization()
{
    // 朝阳, 望京街道: A 北京智泰税务师事务所（普通合伙） (no organization) and B
    // 北京智顺税务师事务所（普通合伙）, host of its own O1; C 北京智越税务师事务所（普通合伙）,
    // of another street of 朝阳, no organization. m2 of 望京's committee W writes
    // 北京智帆税务师事务所（普通合伙）, no unit's name: A, B and C are each one edit away
    // (泰, 顺, 越 for 帆) in the same form → three in the district, two in W's street,
    // both spelled as registered but for that one character. A street's committee holds
    // the members of its street's units that have no organization; B's members are in
    // O1 → A, employer_typo. With B without its organization, the street's two are alike
    // → review.
    let a = "北京智泰税务师事务所（普通合伙）";
    let staged = |with_o1: bool| {
        let in_wangjing = |row, name, code| {
            let mut u = unit(row, name, code);
            u.facts.street = Some("望京街道".into());
            u
        };
        let mut orgs = vec![street_committee("W", Some("望京街道"))];
        if with_o1 {
            orgs.push(own_org("O1", "91110105100000091K"));
        }
        let mut c = unit(4, "北京智越税务师事务所（普通合伙）", "91110105MA00000025");
        c.facts.street = Some("来广营地区".into());
        Staged {
            units: vec![
                in_wangjing(2, a, "91110105MA01000077"),
                in_wangjing(3, "北京智顺税务师事务所（普通合伙）", "91110105100000091K"),
                c,
            ],
            orgs,
            members: vec![member(2, Some("W"), "北京智帆税务师事务所（普通合伙）")],
            ..Staged::default()
        }
    };
    let (resolved, linked) = run_link(&staged(true));
    assert_eq!(
        placed(&resolved, &linked),
        vec![(MemberRule::EmployerTypo, Some(a))]
    );
    let (resolved, linked) = run_link(&staged(false));
    assert_eq!(placed(&resolved, &linked), vec![(MemberRule::Review, None)]);
}
