//! Further deduplication rules on hand-made records: each test names its rule.
use super::*;
use crate::model::fixtures::unit_record;
use crate::model::Code;

fn rec(row: u64, name: &str, district: &str) -> UnitRecord {
    unit_record(row, name, None, district)
}

fn code(value: &str) -> Option<Code> {
    Some(Code {
        value: value.into(),
        valid: true,
    })
}

const USCC: &str = "91350100M000100Y43";

#[test]
fn a_reg_no_joins_where_a_record_maps_it_to_a_uscc() {
    // Row 2 carries both codes (the mapping); row 3 only the 注册号, under a new name.
    let mut both = rec(2, "北京甲科技有限公司", "110105");
    both.uscc = code(USCC);
    both.reg_no = code("110108000000016");
    let mut old = rec(3, "北京甲新科技有限公司", "110101");
    old.reg_no = code("110108000000016");
    let r = resolve(vec![both, old], &Matching::default());
    assert_eq!(r.units.len(), 1);
    assert_eq!(r.sources[1].rule, MatchRule::RegNo);
}

#[test]
fn the_unit_id_is_the_same_from_the_org_code_or_the_uscc() {
    // A unit known by its old 组织机构代码 one month and by its USCC the next keeps
    // its id: the code is characters 9-17 of the USCC.
    let mut old = rec(2, "北京乙科技有限公司", "110105");
    old.org_code = code("M000100Y4");
    let mut new = rec(2, "北京乙科技有限公司", "110105");
    new.uscc = code(USCC);
    let a = resolve(vec![old], &Matching::default());
    let b = resolve(vec![new], &Matching::default());
    assert_eq!(a.units[0].unit_id, "UC-M000100Y4");
    assert_eq!(a.units[0].unit_id, b.units[0].unit_id);
}

#[test]
fn a_scored_name_joins_a_record_without_codes_in_the_same_district_only() {
    // 北京丙丁物流(有限公司) and 丙丁物流 have one core: score 1.
    let mut coded = rec(2, "北京丙丁物流有限公司", "110105");
    coded.uscc = code(USCC);
    let bare = rec(3, "丙丁物流", "110105");
    let elsewhere = rec(4, "丙丁物流", "110101");
    let r = resolve(vec![coded, bare, elsewhere], &Matching::default());
    assert_eq!(r.units.len(), 2);
    assert_eq!(
        r.sources.iter().map(|s| s.rule).collect::<Vec<_>>(),
        vec![
            MatchRule::FuzzyName,
            MatchRule::FuzzyName,
            MatchRule::Single
        ]
    );
    // Turned off in the pipeline file, it joins nothing.
    let off = Matching {
        fuzzy_units: false,
        ..Matching::default()
    };
    let mut coded = rec(2, "北京丙丁物流有限公司", "110105");
    coded.uscc = code(USCC);
    assert_eq!(
        resolve(vec![coded, rec(3, "丙丁物流", "110105")], &off)
            .units
            .len(),
        2
    );
}

#[test]
fn a_name_shared_by_two_coded_units_joins_neither() {
    let mut a = rec(2, "北京戊己科技有限公司", "110105");
    a.uscc = code(USCC);
    let mut b = rec(3, "北京戊己科技股份有限公司", "110105");
    b.uscc = code("91110105100000091K");
    assert!(crate::ids::is_valid_uscc("91110105100000091K"));
    let bare = rec(4, "戊己科技", "110105");
    let r = resolve(vec![a, b, bare], &Matching::default());
    assert_eq!(r.units.len(), 3);
}
