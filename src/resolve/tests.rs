//! Deduplication of small hand-made registries, worked out in each test's comment.
use super::*;

/// Issue 11: the fallback id was `{id}-{k}`, k the component's place in the build
/// order, so the same two units swapped ids when their records came in another order.
#[test]
fn a_shared_id_is_made_unique_the_same_way_in_any_order() {
    let unit = |name: &str, uscc: Option<&str>| Unit {
        unit_id: "UC-MA01234X5".into(),
        uscc: uscc.map(Into::into),
        org_code: Some("MA01234X5".into()),
        reg_no: None,
        name: name.into(),
        name_key: name.into(),
        sector: Sector::Enterprise,
        kind: UnitKind::PrivateEnterprise,
        status: RegistryStatus::Active,
        facts: RegistryFacts {
            district_code: Some("110105".into()),
            ..RegistryFacts::default()
        },
        record_count: 1,
        other_name_keys: Box::default(),
        representative: Lineage::new("enterprises", "e.csv", 2),
    };
    let ids = |mut units: Vec<Unit>| {
        make_ids_unique(&mut units.iter_mut().collect::<Vec<_>>());
        let mut ids: Vec<(String, String)> =
            units.into_iter().map(|u| (u.name, u.unit_id)).collect();
        ids.sort();
        ids
    };
    let a = || unit("甲", None);
    let b = || unit("乙", None);
    let c = || unit("丙", Some("91110105MA01234X5Y"));
    let forward = ids(vec![a(), b(), c()]);
    assert_eq!(forward, ids(vec![c(), b(), a()]));
    let distinct: FastSet<_> = forward.iter().map(|(_, id)| id).collect();
    assert_eq!(distinct.len(), 3, "{forward:?}");
    assert!(forward
        .iter()
        .any(|(n, id)| n == "丙" && id == "US-91110105MA01234X5Y"));
}
use crate::model::fixtures::unit_record;
use crate::model::Code;
use crate::names::normalize_name;

fn rec(row: u64, name: &str, uscc: Option<&str>, district: &str) -> UnitRecord {
    unit_record(row, name, uscc, district)
}

fn resolve_all(records: &[UnitRecord]) -> Resolved {
    resolve(records.to_vec(), &Matching::default())
}

fn valid_uscc(org8: &str) -> String {
    let org9 = format!("{org8}{}", ids::org_code_check_char(org8).unwrap());
    let first = format!("91110105{org9}");
    format!("{first}{}", ids::uscc_check_char(&first).unwrap())
}

#[test]
fn same_uscc_in_two_files_is_one_unit() {
    let u = valid_uscc("12345678");
    let r = resolve_all(&[
        rec(2, "北京甲科技有限公司", Some(&u), "110105"),
        rec(3, "甲科技有限公司", Some(&u), "110101"),
    ]);
    assert_eq!(r.units.len(), 1);
    assert_eq!(
        r.sources.iter().map(|s| s.rule).collect::<Vec<_>>(),
        vec![MatchRule::Uscc, MatchRule::Uscc]
    );
    assert_eq!(r.units[0].unit_id, format!("UC-{}", &u[8..17]));
}

#[test]
fn old_record_with_only_the_org_code_joins_the_uscc_record() {
    let u = valid_uscc("23456789");
    let mut old = rec(2, "北京乙商贸有限公司", None, "110105");
    old.org_code = Some(Code {
        value: u[8..17].to_string(),
        valid: true,
    });
    // Renamed since: the name alone would not match.
    let r = resolve_all(&[old, rec(3, "北京乙新商贸有限公司", Some(&u), "110105")]);
    assert_eq!(r.units.len(), 1);
    assert_eq!(r.sources[0].rule, MatchRule::OrgCode);
    assert_eq!(r.units[0].uscc.as_deref(), Some(u.as_str()));
}

#[test]
fn two_valid_usccs_are_never_merged_even_through_a_name_chain() {
    // a and b carry different USCCs; c has no code and the same name and district as
    // both, so the name rule would chain a–c–b into one unit without the guard.
    let (ua, ub) = (valid_uscc("34567890"), valid_uscc("45678901"));
    let r = resolve_all(&[
        rec(2, "北京丙科技有限公司", Some(&ua), "110105"),
        rec(3, "北京丙科技有限公司", None, "110105"),
        rec(4, "丙科技有限责任公司", Some(&ub), "110105"),
    ]);
    assert_eq!(r.units.len(), 2);
    let mut usccs: Vec<String> = r
        .units
        .iter()
        .filter_map(|u| u.uscc.as_deref().map(str::to_string))
        .collect();
    usccs.sort();
    let mut want = vec![ua, ub];
    want.sort();
    assert_eq!(usccs, want);
}

#[test]
fn a_branch_is_not_merged_with_its_parent() {
    let r = resolve_all(&[
        rec(2, "北京丁科技有限公司", None, "110105"),
        rec(3, "北京丁科技有限公司朝阳分公司", None, "110105"),
    ]);
    assert_eq!(r.units.len(), 2);
    assert!(r.sources.iter().all(|s| s.rule == MatchRule::Single));
}

#[test]
fn the_same_name_in_two_districts_is_two_units() {
    let r = resolve_all(&[
        rec(2, "北京戊餐饮有限公司", None, "110105"),
        rec(3, "北京戊餐饮有限公司", None, "110101"),
    ]);
    assert_eq!(r.units.len(), 2);
}

#[test]
fn the_active_record_gives_name_status_and_district() {
    let u = valid_uscc("56789012");
    let mut moved = rec(2, "北京己科技有限公司", Some(&u), "110101");
    moved.status = RegistryStatus::MovedOut;
    let r = resolve_all(&[moved, rec(3, "北京己科技有限公司", Some(&u), "110105")]);
    assert_eq!(r.units[0].facts.district_code.as_deref(), Some("110105"));
    assert_eq!(r.units[0].status, RegistryStatus::Active);
    assert_eq!(r.units[0].representative.row, 3);
}

/// A record can lag behind its company, never run ahead of it. Unit 1: the current
/// export says 注销 under the USCC (row 3); the old system's history file still says 存续
/// under the organization code inside that USCC (row 2, first in file order): one legal
/// entity, and 注销 is further on than 存续 — deregistered, named by row 3. Unit 2: an
/// old record without codes says 存续 (row 4) and the current one, with the USCC, 吊销
/// (row 5): joined by name, the current system's record tells — revoked. Unit 3: an old
/// record without codes says 注销 (row 6) and a company with a USCC of the same name is
/// 存续 (row 7): a name is free again once its company is deregistered, so 注销 there
/// may be another company's — the active record stays the unit's (as before). Unit 4:
/// 迁出 in 110101 (row 8), 注销 in 110108 (row 9) under the same USCC: it moved, then
/// ended — deregistered in 110108 (by rank alone 迁出 came before 注销). Unit 5: still
/// 存续 in 110101's export (row 10, not yet updated), 迁入 in 110105's (row 11): where
/// it moved to names it (by file order alone, row 10 did). Unit 6: a second export not
/// yet updated after a rename, 北京丑旧名科技有限公司 (row 12), beside the current record
/// that gives that name as its 曾用名 (row 13), one USCC: the current name (by file order
/// alone, the old one).
#[test]
fn a_record_further_on_in_the_companys_life_tells_its_status() {
    let (u1, u2, u3, u4, u5) = (
        valid_uscc("67890123"),
        valid_uscc("78901234"),
        valid_uscc("89012345"),
        valid_uscc("90123456"),
        valid_uscc("01234567"),
    );
    let u6 = valid_uscc("11223344");
    let mut renamed = rec(13, "北京丑新名科技有限公司", Some(&u6), "110105");
    renamed.former_name_keys = vec![normalize_name(
        "北京丑旧名科技有限公司",
        &["北京市".into(), "北京".into()],
    )];
    let mut history = rec(2, "北京庚科技有限公司", None, "110105");
    history.org_code = Some(Code {
        value: u1[8..17].to_string(),
        valid: true,
    });
    let with = |row, name, uscc: Option<&str>, district, status| {
        let mut r = rec(row, name, uscc, district);
        r.status = status;
        r
    };
    use RegistryStatus::*;
    let r = resolve_all(&[
        history,
        with(3, "北京庚科技有限公司", Some(&u1), "110105", Deregistered),
        rec(4, "北京辛商贸有限公司", None, "110105"),
        with(5, "北京辛商贸有限公司", Some(&u2), "110105", Revoked),
        with(6, "北京壬餐饮有限公司", None, "110105", Deregistered),
        rec(7, "北京壬餐饮有限公司", Some(&u3), "110105"),
        with(8, "北京癸物流有限公司", Some(&u4), "110101", MovedOut),
        with(9, "北京癸物流有限公司", Some(&u4), "110108", Deregistered),
        rec(10, "北京子物流有限公司", Some(&u5), "110101"),
        with(11, "北京子物流有限公司", Some(&u5), "110105", MovedIn),
        rec(12, "北京丑旧名科技有限公司", Some(&u6), "110105"),
        renamed,
    ]);
    let got: Vec<(u64, RegistryStatus, Option<&str>)> = r
        .units
        .iter()
        .map(|u| {
            let d = u.facts.district_code.as_deref();
            (u.representative.row, u.status, d)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (3, Deregistered, Some("110105")),
            (5, Revoked, Some("110105")),
            (7, Active, Some("110105")),
            (9, Deregistered, Some("110108")),
            (11, MovedIn, Some("110105")),
            (13, Active, Some("110105")),
        ]
    );
}

/// 核准日期: the record of the entity's latest approved change names the unit.
/// - Unit 1 (rows 2, 3), one USCC: renamed; the second export still gives the old name,
///   approved 2025-03-01, the first the new, approved 2026-09-15 → row 3 names it (file
///   order alone would take row 2's old name).
/// - Unit 2 (rows 4, 5): row 4 注销 approved 2024-01-10, row 5 存续 approved 2026-10-01: a
///   status only moves on, so a later date does not bring the company back → row 4.
/// - Unit 3 (rows 6, 7): row 6 gives no 核准日期, row 7 does: nothing to compare, both
///   存续 with a USCC → file order, row 6.
#[test]
fn a_record_the_registry_approved_later_names_the_unit() {
    let (u1, u2, u3) = (
        valid_uscc("12345678"),
        valid_uscc("23456789"),
        valid_uscc("34567890"),
    );
    let dated = |row, name, uscc: &str, status, approved: Option<&str>| {
        let mut r = rec(row, name, Some(uscc), "110105");
        r.status = status;
        r.facts.approved = approved.map(Into::into);
        r
    };
    use RegistryStatus::*;
    let r = resolve_all(&[
        dated(2, "北京寅旧名商贸有限公司", &u1, Active, Some("2025-03-01")),
        dated(3, "北京寅新名商贸有限公司", &u1, Active, Some("2026-09-15")),
        dated(
            4,
            "北京卯物业有限公司",
            &u2,
            Deregistered,
            Some("2024-01-10"),
        ),
        dated(5, "北京卯物业有限公司", &u2, Active, Some("2026-10-01")),
        dated(6, "北京辰旧名餐饮有限公司", &u3, Active, None),
        dated(7, "北京辰新名餐饮有限公司", &u3, Active, Some("2026-10-01")),
    ]);
    let got: Vec<(u64, &str, RegistryStatus)> = r
        .units
        .iter()
        .map(|u| (u.representative.row, u.name.as_str(), u.status))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "北京寅新名商贸有限公司", Active),
            (4, "北京卯物业有限公司", Deregistered),
            (6, "北京辰旧名餐饮有限公司", Active),
        ]
    );
}

/// Without 核准日期 or 曾用名, the months before tell which name is new. The folder has
/// known 北京巳丰科技有限公司 in 110105 since month 24,300 (a month index); this month
/// unit 1's records (one USCC, both 存续) give it and 北京华岳科技有限公司 (renamed: a new
/// 字号), a name new to
/// the folder: the new name names it, though the old-name record comes first in file
/// order. Unit 2 (rows 4, 5): both names known (since 24,290 and 24,295): the one
/// known since later, row 5. Unit 3 (rows 6, 7): neither known: file order, row 6 — as
/// with no months before (the first resolve below, where every unit takes its first row).
/// Unit 4 (rows 8, 9): row 9's name, new, is one character from row 8's known one
/// (酉东 → 酉冬): a typo, as old as the name it mistypes → file order, row 8. Unit 5
/// (rows 10, 11): one name, row 10 in 110105 (known), row 11 in 110108 (new to the
/// folder in that district): no new name → file order, row 10.
#[test]
fn the_name_the_unit_took_last_names_it() {
    let (u1, u2, u3, u4, u5) = (
        valid_uscc("45678901"),
        valid_uscc("56789012"),
        valid_uscc("67890120"),
        valid_uscc("78901230"),
        valid_uscc("89012340"),
    );
    let records = [
        rec(2, "北京巳丰科技有限公司", Some(&u1), "110105"),
        rec(3, "北京华岳科技有限公司", Some(&u1), "110105"),
        rec(4, "北京午甲商贸有限公司", Some(&u2), "110105"),
        rec(5, "北京乙丙商贸有限公司", Some(&u2), "110105"),
        rec(6, "北京未甲物流有限公司", Some(&u3), "110105"),
        rec(7, "北京乙丁物流有限公司", Some(&u3), "110105"),
        rec(8, "北京酉东科技有限公司", Some(&u4), "110105"),
        rec(9, "北京酉冬科技有限公司", Some(&u4), "110105"),
        rec(10, "北京戌辰商贸有限公司", Some(&u5), "110105"),
        rec(11, "北京戌辰商贸有限公司", Some(&u5), "110108"),
    ];
    let key = |r: &UnitRecord| format!("{}\u{1f}110105", r.name_key);
    let known: FastMap<String, u32> = [
        (key(&records[0]), 24_300),
        (key(&records[2]), 24_290),
        (key(&records[3]), 24_295),
        (key(&records[6]), 24_290),
        (key(&records[8]), 24_290),
    ]
    .into_iter()
    .collect();
    let rows =
        |r: &Resolved| -> Vec<u64> { r.units.iter().map(|u| u.representative.row).collect() };
    assert_eq!(rows(&resolve_all(&records)), vec![2, 4, 6, 8, 10]);
    let since = |k: &str| known.get(k).copied();
    let r = resolve_with_history(records.to_vec(), &Matching::default(), &since);
    assert_eq!(rows(&r), vec![3, 5, 6, 8, 10]);
    assert_eq!(r.units[0].name, "北京华岳科技有限公司");
}

#[test]
fn a_record_without_a_district_is_placed_by_its_code_or_its_unique_name() {
    let u = valid_uscc("11223344");
    let current = rec(2, "北京甲乙科技有限公司", Some(&u), "110105");
    // A history row with the organization code inside the USCC: joined by code.
    let mut by_code = rec(3, "北京甲乙旧名科技有限公司", None, "110105");
    by_code.facts.district_code = None;
    by_code.org_code = Some(Code {
        value: u[8..17].to_string(),
        valid: true,
    });
    // A history row whose only code (注册号) nobody else carries: joined by its name.
    let mut by_name = rec(4, "北京甲乙科技有限公司", None, "110105");
    by_name.facts.district_code = None;
    by_name.reg_no = Some(Code {
        value: "110108000000016".into(),
        valid: true,
    });
    // A history row matching nothing: its own unit, with no district.
    let mut alone = rec(5, "北京丙丁商贸有限公司", None, "110105");
    alone.facts.district_code = None;
    alone.reg_no = Some(Code {
        value: "110101000000010".into(),
        valid: true,
    });
    let r = resolve_all(&[current, by_code, by_name, alone]);
    assert_eq!(r.units.len(), 2);
    let rules: Vec<(u64, &str)> = r
        .sources
        .iter()
        .map(|s| (s.lineage.row, s.rule.as_str()))
        .collect();
    assert!(rules.contains(&(3, "org_code")), "{rules:?}");
    assert!(rules.contains(&(4, "name_city")), "{rules:?}");
    let placed = r.units.iter().find(|u| u.record_count == 3).unwrap();
    assert_eq!(placed.facts.district_code.as_deref(), Some("110105"));
    let alone = r.units.iter().find(|u| u.record_count == 1).unwrap();
    assert_eq!(alone.facts.district_code, None);
    assert_eq!(alone.unit_id, "UR-110101000000010");
}

#[test]
fn index_finds_by_uscc_org_code_and_unique_name() {
    let u = valid_uscc("67890123");
    let r = resolve_all(&[rec(2, "北京庚科技有限公司", Some(&u), "110105")]);
    let key = normalize_name("庚科技有限责任公司", &["北京".into()]);
    let by = |uscc: Option<&str>, org_code: Option<&str>, name: Option<&str>| UnitRef {
        uscc: uscc.map(Into::into),
        org_code: org_code.map(Into::into),
        name_key: name.map(Into::into),
        ..UnitRef::default()
    };
    assert_eq!(
        r.index.find(&r.units, &by(Some(&u), None, None)),
        Some((0, UnitFoundBy::Uscc))
    );
    assert_eq!(
        r.index.find(&r.units, &by(None, None, Some(&key))),
        Some((0, UnitFoundBy::Name))
    );
    // An organization code written in a USCC column finds the unit whose USCC embeds it.
    assert_eq!(
        r.index.find(&r.units, &by(None, Some(&u[8..17]), None)),
        Some((0, UnitFoundBy::OrgCode))
    );
    // A name never overrides a USCC that points elsewhere.
    let other = valid_uscc("78901234");
    assert_eq!(
        r.index.find(&r.units, &by(Some(&other), None, Some(&key))),
        None
    );
}
