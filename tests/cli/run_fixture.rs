//! The hand-made fixture month (tests/fixtures/small, written by make_fixture.py) and
//! the figures worked out by hand from its rows.
//!
//! Units after deduplication (A…Q as in make_fixture.py):
//!   东城 enterprise: A 星河 (own org O1; members M1-3 formal + M4 probationary)
//!                    B 云帆 (joint J1 by USCC; M5 formal via employer USCC)
//!                    C 青禾 (joint J1 by name only; no members)
//!                    D 明远 (dissolved org O5 does not count; ledger instructor)
//!                    H 百川 (old record with 注册号 only + USCC record in the other file,
//!                            merged by name within 东城 — the USCC record's district comes
//!                            from its address; functional org F1; M6 via employer name)
//!                    Q 错码 (its USCC has a wrong check character: flagged, the code
//!                            unused, the unit kept and counted; nothing else)
//!                    out of scope: E 注销, F 国有独资, G 个体工商户
//!   朝阳 enterprise: I 智联 (迁出 in 东城 file, 存续 in 朝阳 file → 朝阳; only a 党小组,
//!                    which is no organization; M7, M8 formal, M9 停止党籍 not counted;
//!                    ledger union → work coverage)
//!   朝阳 social:     J 华夏会计师事务所 (registered as an enterprise, counted as a social
//!                    organization; own org O3; M10-12, M12 twice → 3 people)
//!                    L 阳光养老 (host of joint J2), M 启明学校 (covered by J2; M13 by name)
//!                    P 正义律师事务所 (law-firm registry; own org O4 found by host name;
//!                    M14-16 through O4)
//!   东城 social:     K 协会 (nothing), O 和睦 (youth league → work coverage); N 注销 out
//!   海淀:            no unit — zeros, rates NULL.

use crate::util::*;

#[test]
fn district_figures_match_the_hand_count() {
    let (_out, db) = run_small();
    // sector code name | scope, with members, 3+ formal, single, joint, org-covered, work-covered
    assert_eq!(
        lines(
            &db,
            "SELECT sector, district_code, district_name, units_in_scope, units_with_members, \
             units_3plus_formal, units_single_org, units_joint_org, units_org_covered, units_work_covered \
             FROM coverage_by_district WHERE period = '2026-11' ORDER BY sector, district_code"
        ),
        vec![
            // enterprise city = 东城 + 朝阳 + 海淀: 6+1+0, 3+1, 1+0, 1+0, 2+0, 3+0, 5+1
            "enterprise 110000 全市 7 4 1 1 2 3 6",
            // 东城: A,B,C,D,H,Q in scope; members A,B,H; 3+ A; single A; joint B,C;
            // work A,B,C + D (instructor) + H (functional); Q has nothing
            "enterprise 110101 东城区 6 3 1 1 2 3 5",
            // 朝阳: I only (J is an accounting firm); members; 党小组 no org; union → work
            "enterprise 110105 朝阳区 1 1 0 0 0 0 1",
            "enterprise 110108 海淀区 0 0 0 0 0 0 0",
            // social city: 2+4 in scope, 0+3 with members, 0+2 3+, 0+2 single, 0+2 joint
            "social_org 110000 全市 6 3 2 2 2 4 5",
            // 东城: K, O; O has a youth league organization
            "social_org 110101 东城区 2 0 0 0 0 0 1",
            // 朝阳: J, L, M, P; members J (3), M (1), P (3); single J, P; joint L, M
            "social_org 110105 朝阳区 4 3 2 2 2 4 4",
            "social_org 110108 海淀区 0 0 0 0 0 0 0",
        ]
    );
    // Rates: city enterprise 3/7, 1/7, 6/7; 东城 enterprise 3/6, 1/6, 5/6;
    // city social 4/6, 2/6, 5/6; 海淀 NULL.
    assert_eq!(
        lines(
            &db,
            "SELECT sector, district_code, org_coverage_rate, single_rate, work_coverage_rate \
             FROM coverage_by_district WHERE district_code IN ('110101', '110000', '110108') \
             ORDER BY sector, district_code"
        ),
        vec![
            "enterprise 110000 0.428571 0.142857 0.857143",
            "enterprise 110101 0.500000 0.166667 0.833333",
            "enterprise 110108 NULL NULL NULL",
            "social_org 110000 0.666667 0.333333 0.833333",
            "social_org 110101 0.000000 0.000000 0.500000",
            "social_org 110108 NULL NULL NULL",
        ]
    );
}

#[test]
fn social_org_target_and_gap() {
    let (_out, db) = run_small();
    // target_count = ceil(0.4 × in scope): 东城 ceil(0.8) = 1, gap 1 − 0 = 1;
    // 朝阳 ceil(1.6) = 2, covered 4 → gap 0; 海淀 0; city ceil(2.4) = 3, covered 4 → 0.
    assert_eq!(
        lines(
            &db,
            "SELECT district_code, district_name, social_orgs_in_scope, covered, target_rate, target_count, gap \
             FROM social_org_target ORDER BY district_name = '全市', district_code"
        ),
        vec![
            "110101 东城区 2 0 0.400000 1 1",
            "110105 朝阳区 4 4 0.400000 2 0",
            "110108 海淀区 0 0 0.400000 0 0",
            "110000 全市 6 4 0.400000 3 0",
        ]
    );
}

#[test]
fn every_row_is_accepted_or_rejected_with_a_reason() {
    let (out, db) = run_small();
    // Q's USCC has a wrong check character (line 11 of the 东城 export); member 18's ID
    // number too (line 20 of members.csv). Neither stops the unit or the person from
    // counting: both are flagged, and the ID number is masked to its area code.
    assert_eq!(
        lines(
            &db,
            "SELECT source, regexp_extract(source_file, '[^/]+$'), source_row, field, value FROM flags ORDER BY source"
        ),
        vec![
            "enterprises enterprises_dongcheng.csv 11 uscc 911101011000001120",
            "members members.csv 20 id_number 990101************",
        ]
    );
    assert_eq!(lines(&db, "SELECT count(*) FROM rejects"), vec!["0"]);
    let m = manifest(out.path(), "2026-11");
    // 13 enterprise + 5 social + 1 law + 8 org + 5 joint + 19 member + 4 ledger rows.
    assert_eq!(m["rows_read"], 55);
    assert_eq!(m["rows_accepted"], 55);
    assert_eq!(m["rows_rejected"], 0);
    for f in m["inputs"].as_array().unwrap() {
        assert_eq!(
            f["rows_read"].as_u64().unwrap(),
            f["rows_accepted"].as_u64().unwrap() + f["rows_rejected"].as_u64().unwrap()
        );
    }
    // 19 registry records became 17 units: H's two records by name, I's by USCC.
    assert_eq!(
        lines(
            &db,
            "SELECT rule, count(*) FROM unit_sources GROUP BY rule ORDER BY rule"
        ),
        vec!["name_district 2", "single 15", "uscc 2"]
    );
    assert_eq!(lines(&db, "SELECT count(*) FROM units"), vec!["17"]);
    // Member 17 names an employer in no registry and sits in a joint organization;
    // member 18 names no employer at all.
    assert_eq!(
        lines(
            &db,
            "SELECT coalesce(employer_name, '-'), org_id FROM unmatched_members ORDER BY 1"
        ),
        vec!["- J1", "北京不存在科技有限公司 J1"]
    );
    // 19 accepted member rows: M9 (停止党籍), the second M12, M17 and M18 (placed in no
    // unit) are not counted.
    assert_eq!(
        lines(
            &db,
            "SELECT counted, count(*) FROM members GROUP BY counted ORDER BY counted"
        ),
        vec!["false 4", "true 15"]
    );
    // 工作单位 decides wherever it names a unit: M1-4 (星河, exact), M6 (百川物流有限公司,
    // the normal form of the merged 百川物流 unit), M13, M14-16 (正义律师事务所 is the
    // normal form of 北京市正义律师事务所) by name = 9; M5 and M7-9 by the employer USCC
    // = 4; M10-12 + M12 again (北京华夏会计师事务所 without （普通合伙）) by a scored name
    // = 4; M17 names a company in no registry and M18 nothing, both of J1, which is no
    // unit's own organization: unmatched 2. No member needs its organization's host.
    assert_eq!(
        lines(
            &db,
            "SELECT link_rule, count(*) FROM members GROUP BY link_rule ORDER BY link_rule"
        ),
        vec![
            "employer_fuzzy 4",
            "employer_name 9",
            "employer_uscc 4",
            "unmatched 2"
        ]
    );
    // The joint-coverage row and the ledger row that match no unit are kept as issues.
    assert_eq!(
        lines(&db, "SELECT what, value FROM link_issues ORDER BY what"),
        vec![
            "joint_coverage 北京朝阳区不存在的服务中心",
            "ledger 北京台账里才有的公司"
        ]
    );
}

#[test]
fn unit_status_explains_each_unit() {
    let (_out, db) = run_small();
    assert_eq!(
        lines(
            &db,
            "SELECT name, sector, unit_kind, coalesce(out_of_scope_reason, '-'), formal_members, \
             probationary_members, org_form, coalesce(employees::VARCHAR, '-'), coalesce(employees_source, '-') \
             FROM unit_status ORDER BY uscc NULLS LAST"
        ),
        vec![
            "北京市正义律师事务所 social_org law_firm - 3 0 single 35 registry",
            "北京市青少年科技教育协会 social_org social_group - 0 0 none 10 registry",
            "北京东城区和睦社区服务中心 social_org private_non_enterprise - 0 0 none 4 registry",
            "北京朝阳区阳光养老服务中心 social_org private_non_enterprise - 0 0 joint 25 registry",
            "北京朝阳区启明职业技能培训学校 social_org private_non_enterprise - 1 0 joint 31 registry",
            "北京市仁爱慈善基金会 social_org foundation deregistered 0 0 none 6 registry",
            "北京国华投资有限公司 enterprise state_owned state_owned 0 0 none 300 registry",
            "北京星河科技有限公司 enterprise private_enterprise - 3 1 single 120 registry",
            "北京云帆商贸有限公司 enterprise private_enterprise - 1 0 joint 12 registry",
            "北京青禾餐饮有限公司 enterprise private_enterprise - 0 0 joint 8 registry",
            "北京明远咨询有限公司 enterprise private_enterprise - 0 0 none 65 ledger",
            "北京东方建材有限公司 enterprise private_enterprise deregistered 0 0 none - -",
            "北京百川物流有限责任公司 enterprise private_enterprise - 1 0 functional 40 registry",
            "北京智联网络科技股份有限公司 enterprise private_enterprise - 2 0 none 80 registry",
            "北京华夏会计师事务所（普通合伙） social_org accounting_firm - 3 0 single 45 registry",
            "东城区张记小吃店 enterprise individual_business individual_business 0 0 none 3 registry",
            "北京错码科技有限公司 enterprise private_enterprise - 0 0 none 5 registry",
        ]
    );
}

#[test]
fn parquet_partitions_and_manifest_are_written() {
    let (out, _db) = run_small();
    for table in [
        "coverage_by_district",
        "social_org_target",
        "unit_status",
        "units",
        "unit_sources",
        "members",
        "rejects",
    ] {
        let file = out
            .path()
            .join("parquet")
            .join(table)
            .join("period=2026-11")
            .join("data.parquet");
        assert!(file.exists(), "{} missing", file.display());
    }
    // The Parquet holds the same figures as the database (read back with DuckDB).
    let parquet = out.path().join("parquet/coverage_by_district/*/*.parquet");
    let conn = coverage::database::open(None).unwrap();
    let n: i64 = conn
        .query_row(
            &format!(
                "SELECT sum(units_in_scope) FROM read_parquet('{}', hive_partitioning = true) \
                 WHERE period = '2026-11' AND district_name = '全市'",
                parquet.display()
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    // 7 enterprises + 6 social organizations in scope.
    assert_eq!(n, 13);
    let m = manifest(out.path(), "2026-11");
    assert_eq!(m["outputs"]["units"], 17);
    assert_eq!(m["inputs"].as_array().unwrap().len(), 8);
    assert_eq!(m["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    assert!(m["key_fingerprint"].as_str().is_some());
}

/// A ledger kept by adding rows: the small fixture's ledger with a 填报日期 column and
/// three rows more. Worked by hand:
///   row 2  明远  是 (instructor), 65 staff, 2026年6月   — a month: sorts before its days
///   row 3  智联  工会 已建, 2026-10-08                   — its only row
///   row 4  和睦  团组织 是, undated
///   row 5  a company no registry has                    — a `ledger` issue, as before
///   row 6  明远  否, 45 staff, 2026-10-20               — the latest: 明远's facts
///   row 7  和睦  工会 已建立, 38 staff, undated          — stands beside row 4
///   row 8  智联  工会 否, 2062-10-09                     — a mistyped year: after the
///          month that follows the period (2026-12), so read as undated and flagged
/// So 明远 has no instructor and 45 staff (not the 65 and the yes of the first row, which
/// the ledger's order would have given): it leaves 职工50人以上无党员 (45 < 50), and row
/// 2 is listed as superseded by row 6. 和睦's two undated rows are read together (nothing
/// tells which is newer): 团组织 (row 4) and 工会 (row 7), 38 staff from the only row
/// giving a count. 智联's row 8 supersedes nothing: read beside row 3, 工会 stays yes (as
/// the 2062 date would have made row 8 the latest and 智联 without a mass organization).
#[test]
fn a_later_ledger_report_supersedes_an_earlier_row_of_the_unit() {
    let dir = copy_fixture("small");
    let ledger =
        "统一社会信用代码,单位名称,党建工作指导员,工会,团组织,职工人数,未建党组织原因,填报日期\n\
        91110101100000040H,北京明远咨询有限公司,是,否,否,65,党员组织关系未转入,2026年6月\n\
        91110105100000091K,北京智联网络科技股份有限公司,否,已建,否,,,2026-10-08\n\
        52110101200000056H,北京东城区和睦社区服务中心,否,否,是,,,\n\
        ,北京台账里才有的公司,是,,,,,\n\
        91110101100000040H,北京明远咨询有限公司,否,否,否,45,,2026-10-20\n\
        52110101200000056H,北京东城区和睦社区服务中心,否,已建立,否,38,,\n\
        91110105100000091K,北京智联网络科技股份有限公司,否,否,否,,,2062-10-09\n";
    std::fs::write(dir.path().join("ledger.csv"), ledger).unwrap();
    let pipeline = dir.path().join("pipeline.toml");
    let text = std::fs::read_to_string(&pipeline).unwrap().replace(
        "no_org_reason = \"未建党组织原因\"",
        "no_org_reason = \"未建党组织原因\"\nreported = \"填报日期\"",
    );
    std::fs::write(&pipeline, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(&pipeline, "2026-11", out.path());
    let db = out.path().join("coverage.duckdb");
    assert_eq!(
        lines(
            &db,
            "SELECT name, has_instructor, has_mass_org, employees, employees_source, coalesce(no_org_reason, '-') \
             FROM unit_status WHERE name IN ('北京明远咨询有限公司', '北京东城区和睦社区服务中心', '北京智联网络科技股份有限公司') ORDER BY name"
        ),
        vec![
            "北京东城区和睦社区服务中心 false true 38 ledger -",
            "北京明远咨询有限公司 false false 45 ledger -",
            "北京智联网络科技股份有限公司 false true 80 registry -",
        ]
    );
    assert_eq!(
        lines(
            &db,
            "SELECT what, source_row, coalesce(value, '-'), reason FROM link_issues WHERE what LIKE 'ledger%' ORDER BY source_row"
        ),
        vec![
            "ledger_superseded 2 2026-06 a later report of the unit supersedes this row (ledger.csv row 6, 填报日期 2026-10-20)",
            "ledger 5 北京台账里才有的公司 ledger row matches no registry unit",
        ]
    );
    assert_eq!(
        lines(
            &db,
            "SELECT source_row, field, kind, value FROM flags WHERE kind = 'date_after_period'"
        ),
        vec!["8 reported date_after_period 2062-10-09"]
    );
    assert_eq!(
        lines(
            &db,
            "SELECT count(*) FROM list_items WHERE list = 'enterprise_needs_members'"
        ),
        vec!["0"]
    );
}
