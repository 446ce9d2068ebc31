//! The drafts of pipeline files, worked by hand.
use super::*;

#[test]
fn a_district_cell_names_its_district() {
    assert_eq!(district_name("丰台区").as_deref(), Some("丰台区"));
    assert_eq!(
        district_name("北京市丰台区市场监督管理局").as_deref(),
        Some("丰台区")
    );
    assert_eq!(district_name("密云县").as_deref(), Some("密云县"));
    assert_eq!(district_name("110105"), None);
    // A city-level office names no district; a development zone's office is no 区县.
    assert_eq!(district_name("北京市市场监督管理局"), None);
    assert_eq!(district_name("北京经济技术开发区市场监督管理局"), None);
    assert_eq!(
        district_name("上海市浦东新区市场监督管理局").as_deref(),
        Some("浦东新区")
    );
}

#[test]
fn a_value_map_is_drafted_from_the_values_seen() {
    let seen: BTreeMap<String, usize> = [
        ("存续", 5),
        ("吊销，未注销", 1),
        ("注销", 2),
        ("active", 1),
        ("待核实", 1),
    ]
    .iter()
    .map(|(v, n)| (v.to_string(), *n))
    .collect();
    let d = value_draft(SourceKind::UnitRegistry, F::Status, &seen, false).unwrap();
    // 存续 exactly, the canonical word as itself; 吊销，未注销 and 注销 by contains,
    // 吊销 first (吊销，未注销 holds both); 待核实 no rule names: left to decide.
    assert_eq!(d.exact.get("存续").map(String::as_str), Some("active"));
    assert_eq!(d.exact.get("active").map(String::as_str), Some("active"));
    assert_eq!(d.exact.len(), 2);
    let rule = |t: &str, w: &str| (t.to_string(), w.to_string());
    assert_eq!(
        d.contains,
        vec![rule("吊销", "revoked"), rule("注销", "deregistered")]
    );
    assert_eq!(d.undecided, vec!["待核实".to_string()]);
    // A register that writes its statuses with notes in brackets.
    let noted: BTreeMap<String, usize> = [("存续（在营、开业、在册）".to_string(), 3)].into();
    let d = value_draft(SourceKind::UnitRegistry, F::Status, &noted, false).unwrap();
    assert_eq!(d.contains, vec![rule("存续", "active")]);
    let canonical: BTreeMap<String, usize> = [("active".to_string(), 3)].into();
    assert!(value_draft(SourceKind::UnitRegistry, F::Status, &canonical, false).is_none());
}

/// Up to eight values nothing maps are a decision each; more are one decision that
/// names the five commonest (a column read as the wrong field).
#[test]
fn many_unmapped_values_are_one_decision() {
    let spec = crate::config::fields(SourceKind::Members)
        .iter()
        .find(|f| f.field == F::Category)
        .unwrap();
    let values: Vec<String> = (0..12).map(|i| format!("LH{i:06}")).collect();
    let seen: BTreeMap<String, usize> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.clone(), i + 1))
        .collect();
    let mut decisions = Vec::new();
    undecided_values(&values[..8], &seen, ("members", spec), &mut decisions);
    assert_eq!(decisions.len(), 8);
    decisions.clear();
    undecided_values(&values, &seen, ("members", spec), &mut decisions);
    assert_eq!(decisions.len(), 1);
    assert!(
        decisions[0].starts_with("source members: 12 values of `category` (78 rows) map to no word — `LH000011` (12), `LH000010` (11), `LH000009` (10), `LH000008` (9), `LH000007` (8), …"),
        "{}",
        decisions[0]
    );
}

/// Words other exports use, each to the canonical word a careful reader gives it.
#[test]
fn other_exports_words_are_read_as_they_mean() {
    let word = |kind, field, value: &str| {
        let seen: BTreeMap<String, usize> = [(value.to_string(), 1)].into();
        let d = value_draft(kind, field, &seen, false).unwrap();
        d.exact.get(value).cloned().or_else(|| {
            let rule = d.contains.iter().find(|(t, _)| value.contains(t.as_str()));
            rule.map(|(_, w)| w.clone()).or(d.default.clone())
        })
    };
    let is = |kind, field, value, expected: &str| {
        assert_eq!(
            word(kind, field, value).as_deref(),
            Some(expected),
            "{value}"
        );
    };
    is(
        SourceKind::UnitRegistry,
        F::EntityType,
        "全民所有制",
        "state_owned",
    );
    is(
        SourceKind::UnitRegistry,
        F::EntityType,
        "中外合资经营企业",
        "foreign_enterprise",
    );
    is(
        SourceKind::UnitRegistry,
        F::EntityType,
        "个人独资企业",
        "private_enterprise",
    );
    is(SourceKind::UnitRegistry, F::Status, "成立", "active");
    for (written, expected) in [
        ("已登记", "active"),
        ("正常登记", "active"),
        ("注销登记", "deregistered"),
        ("撤销登记", "revoked"),
        ("正常执业", "active"),
        ("执业中", "active"),
        ("暂停执业", "suspended"),
        ("注销执业", "deregistered"),
    ] {
        is(SourceKind::UnitRegistry, F::Status, written, expected);
    }
    is(SourceKind::PartyOrgs, F::Level, "党工委", "committee");
    is(SourceKind::PartyOrgs, F::Status, "已注销", "dissolved");
    is(SourceKind::Members, F::Status, "已去世", "left");
    is(SourceKind::Members, F::Status, "在册", "normal");
    is(SourceKind::Members, F::Status, "流动党员", "normal");
    is(SourceKind::Members, F::Status, "已转出", "transferred_out");
    is(
        SourceKind::Members,
        F::Status,
        "组织关系转出",
        "transferred_out",
    );
    is(
        SourceKind::Members,
        F::Status,
        "失联（流动）",
        "lost_contact",
    );
    let unit = |value, expected| is(SourceKind::UnitRegistry, F::EntityType, value, expected);
    unit("有限责任公司(台港澳法人独资)", "foreign_enterprise");
    unit("社团", "social_group");
    unit("民非", "private_non_enterprise");
    let level = |value, expected| {
        is(
            SourceKind::UnitRegistry,
            F::RegistrationLevel,
            value,
            expected,
        )
    };
    level("市", "municipal");
    level("区", "district");
    level("市本级", "municipal");
    let org = |field, value, expected| is(SourceKind::PartyOrgs, field, value, expected);
    org(F::Formation, "单建", "single");
    org(F::Formation, "区域联建", "joint");
    org(F::Status, "已撤并", "dissolved");
    org(F::Status, "有效", "active");
    org(F::Status, "已撤", "dissolved");
    let sub = |value, expected| is(SourceKind::UnitRegistry, F::SubCategory, value, expected);
    sub("民办教育机构", "private_school");
    sub("民营医院", "private_hospital");
    sub("民办医疗机构", "private_hospital");
}
