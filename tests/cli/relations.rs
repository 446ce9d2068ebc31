//! Members are counted where they work, whatever organization holds their 组织关系: the
//! hand-made fixture tests/fixtures/relations (one district, 东城; make_fixture.py).
//!
//! Units: X 星河科技 (own organization O1), Y 云帆商贸 (none), Z 青禾餐饮 and W 明远咨询
//! (both covered by the street-hosted joint J1), G 华夏集团 (own committee O2) and its
//! branch B 华夏集团东城分公司 (none). SQ is the street's working committee (no unit).
//! Members, all formal and in normal standing, worked by hand:
//!   1 O1, 工作单位 星河科技              → X by name; O1 is X's: relation held
//!   2 O1, 工作单位 blank                 → X by O1's host (single_org_host); held
//!   3 O1, 工作单位 云帆商贸 (changed job) → Y by name; 未转入; link issue (Y; O1's X)
//!   4 O1, only Y's USCC in its column     → Y by USCC; 未转入; link issue (Y; X)
//!   5 J1, 工作单位 青禾餐饮              → Z by name; J1 covers Z: held
//!   6 J1, 工作单位 云帆商贸              → Y; 未转入; link issue (Y; J1's Z and W)
//!   7 O2, 工作单位 the branch B           → B by name; 未转入; link issue (B; G)
//!   8 SQ, 工作单位 明远咨询              → W; 未转入 (SQ holds no unit: no link issue)
//!   9 O1, 工作单位 a Tianjin company      → no unit identified → X by O1's host; held
//! Per unit: X 3 members (1 2 9), 0 未转入; Y 3 (3 4 6), 3; Z 1, 0; W 1 (8), 1; G 0;
//! B 1 (7), 1. 东城 enterprises: units with members X Y Z W B = 5, 3+ formal X Y = 2,
//! 组织关系未转入 3 + 1 + 1 = 5; four link issues 组织关系不在工作单位 (members 3 4 6 7).

use crate::util::*;

fn run_relations() -> (tempfile::TempDir, std::path::PathBuf) {
    run_fixture_month("relations")
}

#[test]
fn members_are_placed_by_their_employer_and_by_their_organization_only_without_one() {
    let (_out, db) = run_relations();
    assert_eq!(
        lines(
            &db,
            "SELECT m.source_row - 1, coalesce(u.name, '-'), m.link_rule, m.relation_elsewhere \
             FROM members m LEFT JOIN units u USING (unit_id) ORDER BY m.source_row"
        ),
        vec![
            "1 北京星河科技有限公司 employer_name false",
            "2 北京星河科技有限公司 single_org_host false",
            "3 北京云帆商贸有限公司 employer_name true",
            "4 北京云帆商贸有限公司 employer_uscc true",
            "5 北京青禾餐饮有限公司 employer_name false",
            "6 北京云帆商贸有限公司 employer_name true",
            "7 北京华夏集团有限公司东城分公司 employer_name true",
            "8 北京明远咨询有限公司 employer_name true",
            "9 北京星河科技有限公司 single_org_host false",
        ]
    );
    // Each member whose organization belongs to other units is listed with both sides.
    assert_eq!(
        lines(
            &db,
            "SELECT i.source_row - 1, i.value, u.name, \
             (SELECT string_agg(o.name, ';' ORDER BY o.name) FROM units o \
              WHERE list_contains(string_split(i.other_unit_ids, ';'), o.unit_id)) \
             FROM link_issues i JOIN units u USING (unit_id) \
             WHERE i.what = 'member_org_elsewhere' ORDER BY i.source_row"
        ),
        vec![
            "3 O1 北京云帆商贸有限公司 北京星河科技有限公司",
            "4 O1 北京云帆商贸有限公司 北京星河科技有限公司",
            "6 J1 北京云帆商贸有限公司 北京明远咨询有限公司;北京青禾餐饮有限公司",
            "7 O2 北京华夏集团有限公司东城分公司 北京华夏集团有限公司",
        ]
    );
}

#[test]
fn members_not_transferred_are_counted_per_unit_and_district() {
    let (_out, db) = run_relations();
    assert_eq!(
        lines(
            &db,
            "SELECT name, formal_members, members_not_transferred FROM unit_status ORDER BY uscc"
        ),
        vec![
            "北京星河科技有限公司 3 0",
            "北京云帆商贸有限公司 3 3",
            "北京青禾餐饮有限公司 1 0",
            "北京明远咨询有限公司 1 1",
            "北京华夏集团有限公司 0 0",
            "北京华夏集团有限公司东城分公司 1 1",
        ]
    );
    assert_eq!(
        lines(
            &db,
            "SELECT c.district_name, c.units_with_members, c.units_3plus_formal, \
             c.members_not_transferred, a.members, a.members_not_transferred \
             FROM coverage_by_district c JOIN attachment_summary a USING (sector, district_code) \
             WHERE sector = 'enterprise' ORDER BY c.district_name = '全市'"
        ),
        vec!["东城区 5 2 5 9 5", "全市 5 2 5 9 5"]
    );
}
