//! The rulebook in full on the hand-made fixture tests/fixtures/rules (one district,
//! 东城; written by make_fixture.py): every compliance list, the action plan, and the
//! four attachments read back with an independent XLSX reader (calamine).
//!
//! The units, worked by hand (settings: 3 formal members, 50 / 100 employees, 30 staff,
//! joint organizations of at most 2 units):
//!   E1 甲方科技    20 staff, 3 formal, in joint J1      → 应建未建; joint unit can form own
//!   E2 乙方商贸    60 staff, no members, no org         → 50+ without members
//!   E3 丙方网络   120 staff, 1 formal, functional F3    → 100+ without org (functional ≠ org)
//!   E4 丁方软件   150 staff, 4 formal, own O4           → on no list
//!   E5 戊方信息    10 staff, 2 formal, no org, nothing  → members without any coverage
//!   E6 己方数据   110 staff, no members, in joint J1    → 50+ without members (100+ is met: J1)
//!   S1 辛方研究会  municipal social group, no org      → municipal group without org
//!   S2 壬方学校    private school, 35 staff, no org    → 30+ substantive without org
//!   S3 癸方医院    private hospital, 25 staff, no org  → (below 30) on no list
//!   S4 子方律所    law firm, 40 staff, in J1           → on no list
//!   S5 庚方会计所  accounting firm (an enterprise registration), 31 staff, no org → 30+
//!   J1 covers E1, E6, S4: 3 units > 2                 → joint organization too large

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::util::*;

fn run_rules() -> (tempfile::TempDir, std::path::PathBuf) {
    run_fixture_month("rules")
}

#[test]
fn every_compliance_list_holds_exactly_the_units_the_rules_name() {
    let (_out, db) = run_rules();
    assert_eq!(
        lines(
            &db,
            "SELECT list, name FROM compliance_lists ORDER BY list, uscc"
        ),
        vec![
            "enterprise_needs_members 北京乙方商贸有限公司",
            "enterprise_needs_members 北京己方数据有限公司",
            "enterprise_needs_org 北京丙方网络科技有限公司",
            "joint_unit_can_form_own 北京甲方科技有限公司",
            "members_without_coverage 北京戊方信息技术有限公司",
            "municipal_group_needs_org 北京市辛方研究会",
            "should_form_own 北京甲方科技有限公司",
            "staff30_needs_org 北京东城区壬方培训学校",
            "staff30_needs_org 北京庚方会计师事务所（普通合伙）",
        ]
    );
    // Each row says why: the figures and the rule with the threshold in force.
    assert_eq!(
        lines(&db, "SELECT detail, rule FROM list_enterprise_needs_org"),
        vec!["职工120人，组织形式：功能型 职工100人以上的非公有制企业要建立党组织"]
    );
    assert_eq!(
        lines(
            &db,
            "SELECT org_id, units_covered, max_units, unit_names FROM list_joint_org_too_large"
        ),
        vec!["J1 3 2 北京东城区子方律师事务所；北京己方数据有限公司；北京甲方科技有限公司"]
    );
}

#[test]
fn the_action_plan_gives_a_route_partners_and_the_five_clears() {
    let (_out, db) = run_rules();
    // Uncovered in-scope units: E2, E3, E5, S1, S2, S3, S5 (E1, E6, S4 joint; E4 own).
    // E3 and E5 (1–2 formal) → 联合组建; partners of the same sector and district without
    // an own organization: the one in the same building (银河大厦) first, then by
    // industry (E6 is I like them), then by name (乙 U+4E59 before 甲 U+7532).
    // E2, S1, S2, S5: no members, no instructor → 选派党建工作指导员; S3 has an
    // instructor already → 发展党员. E2 has 60 employees → develop members too.
    assert_eq!(
        lines(
            &db,
            "SELECT plan_type, name, route, coalesce(partner_units, '-'), also_develop_members \
             FROM action_plan ORDER BY sector, uscc"
        ),
        vec![
            "一企一策 北京乙方商贸有限公司 选派党建工作指导员 - true",
            "一企一策 北京丙方网络科技有限公司 联合组建 北京戊方信息技术有限公司；北京己方数据有限公司；北京乙方商贸有限公司 false",
            "一企一策 北京戊方信息技术有限公司 联合组建 北京丙方网络科技有限公司；北京己方数据有限公司；北京乙方商贸有限公司 false",
            "一社一策 北京市辛方研究会 选派党建工作指导员 - false",
            "一社一策 北京东城区壬方培训学校 选派党建工作指导员 - false",
            "一社一策 北京东城区癸方康复医院 发展党员 - false",
            "一社一策 北京庚方会计师事务所（普通合伙） 选派党建工作指导员 - false",
        ]
    );
    // The five clears of E2: the ledger gives the reason; 出资人 is in no export.
    assert_eq!(
        query(
            &db,
            "SELECT clear_operation, clear_workforce, clear_members, clear_owner, clear_reason, missing_clears \
             FROM action_plan WHERE name = '北京乙方商贸有限公司'"
        ),
        vec![vec!["正常经营；职工60人", "职工60人；未建群团组织", "正式党员0名，预备党员0名", "缺失", "暂无党员", "1"]]
    );
}

fn sheet_rows(path: &Path) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> =
        open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                    Data::Float(f) => format!("{f:.6}"),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Every 汇总表 row ties out to coverage_by_district: units, own + joint = covered, own,
/// work-covered (own + joint + functional or instructor or mass org), and the rates.
fn summaries_tie_out(out: &Path, period: &str) {
    let db = out.join("coverage.duckdb");
    for (n, sector) in [(2, "enterprise"), (4, "social_org")] {
        let name = if sector == "enterprise" {
            "非公有制企业"
        } else {
            "社会组织"
        };
        let path = out.join(format!(
            "reports/{period}/附件{n}_{name}党建工作汇总表_{period}.xlsx"
        ));
        let rows = sheet_rows(&path);
        // Title, two header rows, then one row per district and the city.
        assert_eq!(rows[1][0], "区");
        assert_eq!(rows[1][2], "已建立党组织的单位");
        assert_eq!(rows[2][2], "合计");
        let expected = query(
            &db,
            &format!(
                "SELECT district_name, units_in_scope, units_single_org, units_joint_org, \
                 coalesce(printf('%.6f', org_coverage_rate), ''), coalesce(printf('%.6f', single_rate), ''), \
                 coalesce(printf('%.6f', work_coverage_rate), '') \
                 FROM coverage_by_district WHERE period = '{period}' AND sector = '{sector}' \
                 ORDER BY district_name = '全市', district_code"
            ),
        );
        let got: Vec<Vec<String>> = rows[3..]
            .iter()
            .map(|r| {
                let rate = |s: &String| {
                    if s.is_empty() {
                        String::new()
                    } else {
                        format!("{:.6}", s.parse::<f64>().unwrap())
                    }
                };
                vec![
                    r[0].clone(),
                    r[1].clone(),
                    r[2].clone(),
                    r[6].clone(),
                    rate(&r[17]),
                    rate(&r[18]),
                    rate(&r[19]),
                ]
            })
            .collect();
        assert_eq!(got, expected, "{}", path.display());
        // Own + joint + without organization = units, on every row.
        for r in &rows[3..] {
            let n = |i: usize| r[i].parse::<i64>().unwrap();
            assert_eq!(n(2) + n(6) + n(8), n(1), "{r:?}");
            assert_eq!(n(3) + n(4) + n(5), n(2), "{r:?}");
        }
    }
}

#[test]
fn the_attachments_read_back_and_tie_out_to_coverage_by_district() {
    let (out, db) = run_rules();
    summaries_tie_out(out.path(), "2026-11");
    // The enterprise 汇总表 of the fixture, by hand: 6 in scope (E1–E6); own E4 (党支部);
    // joint E1, E6 (E1 with 3 formal); without: E2, E3, E5 (E3, E5 few members, E2 none);
    // employees 20+60+120+150+10+110 = 470; members 3+1+4+2 = 10; 组织关系未转入 2 (E5's
    // two members belong to the street's committee SQ, which holds no unit).
    let rows = sheet_rows(
        &out.path()
            .join("reports/2026-11/附件2_非公有制企业党建工作汇总表_2026-11.xlsx"),
    );
    assert_eq!(
        rows[3][..17].join(" "),
        "东城区 6 1 0 0 1 2 1 3 0 2 1 0 470 10 2 0"
    );
    // The per-unit 统计表 lists every in-scope unit of the sector once.
    let units = sheet_rows(
        &out.path()
            .join("reports/2026-11/附件3_社会组织党建工作统计表_2026-11.xlsx"),
    );
    assert_eq!(units.len() - 3, 5);
    assert_eq!(
        lines(
            &db,
            "SELECT count(*) FROM attachment_units WHERE sector = 'social_org'"
        ),
        vec!["5"]
    );
    // The CSV copy shows rates as percentages with one decimal.
    let csv = std::fs::read_to_string(
        out.path()
            .join("reports/2026-11/附件2_非公有制企业党建工作汇总表_2026-11.csv"),
    )
    .unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.contains("东城区,6,1,0,0,1,2,1,3,0,2,1,0,470,10,2,0,50.0%,16.7%,66.7%"),
        "{csv}"
    );
    // The compliance workbook has a sheet per list.
    let book: Xlsx<_> =
        open_workbook(out.path().join("reports/2026-11/合规清单_2026-11.xlsx")).unwrap();
    assert_eq!(book.sheet_names().len(), 8);
}

#[test]
fn on_the_sample_month_the_summaries_tie_out_too() {
    let out = tempfile::tempdir().unwrap();
    run_ok(
        &repo().join("pipelines").join("sample.toml"),
        "2026-11",
        out.path(),
    );
    summaries_tie_out(out.path(), "2026-11");
}

#[test]
fn on_a_synthetic_month_the_lists_agree_with_the_truth() {
    let dir = synth_and_run("3000", "21", "none");
    let db = dir.path().join("out/coverage.duckdb");
    let truth = dir.path().join("truth/units.csv");
    // The same rules written over the truth's own facts of each unit.
    let checks = [
        ("should_form_own", "in_scope AND formal_members >= 3 AND org_form <> 'single'"),
        ("enterprise_needs_members", "in_scope AND sector = 'enterprise' AND employees >= 50 AND formal_members + probationary_members = 0"),
        ("enterprise_needs_org", "in_scope AND sector = 'enterprise' AND employees >= 100 AND NOT org_covered"),
        ("municipal_group_needs_org", "in_scope AND municipal_group AND NOT org_covered"),
        ("staff30_needs_org", "in_scope AND substantive_org AND employees >= 30 AND NOT org_covered"),
        ("joint_unit_can_form_own", "in_scope AND org_form = 'joint' AND formal_members >= 3"),
        ("members_without_coverage", "in_scope AND formal_members + probationary_members > 0 AND NOT work_covered"),
    ];
    for (list, rule) in checks {
        let expected = lines(
            &db,
            &format!(
                "SELECT uscc FROM read_csv('{}') WHERE {rule} ORDER BY uscc",
                truth.display()
            ),
        );
        let got = lines(&db, &format!("SELECT uscc FROM list_{list} ORDER BY uscc"));
        assert_eq!(got, expected, "{list}");
        assert!(
            !got.is_empty() || list == "municipal_group_needs_org",
            "{list} is empty: a weak check"
        );
    }
    // Joint organizations covering more than 10 units (the synthetic pipeline's setting).
    let expected = lines(
        &db,
        &format!(
            "SELECT org_id, units FROM read_csv('{}') WHERE units > 10 ORDER BY org_id",
            dir.path().join("truth/joint_orgs.csv").display()
        ),
    );
    let got = lines(
        &db,
        "SELECT org_id, units_covered FROM list_joint_org_too_large ORDER BY org_id",
    );
    assert_eq!(got, expected);
    assert!(!got.is_empty());
}

/// Issue 11: list sheets, titles, list names and 汇总表 headers printed the notice's
/// numbers (50人, 100人, 30人, 3名) whatever `[rules]` said. With other numbers set,
/// every label says them.
#[test]
fn labels_say_the_numbers_the_rules_set() {
    let dir = copy_fixture("rules");
    let pipeline = dir.path().join("pipeline.toml");
    let text = std::fs::read_to_string(&pipeline).unwrap().replace(
        "[rules]\n",
        "[rules]\nformal_members_for_own_org = 4\nenterprise_employees_need_members = 55\n\
         enterprise_employees_need_org = 105\nsocial_org_staff_need_org = 32\n",
    );
    std::fs::write(&pipeline, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&pipeline, "2026-11", out.path());
    let reports = out.path().join("reports/2026-11");
    let mut book: Xlsx<_> = open_workbook(reports.join("合规清单_2026-11.xlsx")).unwrap();
    let names = book.sheet_names();
    assert!(
        names.contains(&"55人以上无党员企业".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"105人以上未建企业".to_string()),
        "{names:?}"
    );
    let title = |book: &mut Xlsx<_>, sheet: &str| {
        book.worksheet_range(sheet).unwrap().rows().next().unwrap()[0].to_string()
    };
    assert_eq!(
        title(&mut book, "55人以上无党员企业"),
        "职工55人以上、没有党员的非公有制企业"
    );
    assert!(title(&mut book, "实体社会组织未建").starts_with("从业人员32人以上"));
    assert!(title(&mut book, "应建未建").starts_with("4名以上正式党员"));
    let summary = sheet_rows(&reports.join("附件2_非公有制企业党建工作汇总表_2026-11.xlsx"));
    let headers = summary[..3].concat().join(" ");
    assert!(
        headers.contains("其中4名以上正式党员") && headers.contains("党员不足4名"),
        "{headers}"
    );
    assert!(!headers.contains("3名"), "{headers}");
    let db = out.path().join("coverage.duckdb");
    assert_eq!(
        lines(
            &db,
            "SELECT DISTINCT list_name FROM compliance_lists WHERE list IN \
                    ('enterprise_needs_members', 'enterprise_needs_org') ORDER BY 1"
        ),
        vec!["职工105人以上未建党组织企业", "职工55人以上无党员企业"]
    );
}
