//! The 销号 ledger over two months of the small fixture (issue 21): one listed unit
//! closed because it is covered, one because it is deregistered.

use std::path::Path;

use crate::util::{copy_fixture, query, run_ok};

const MINGYUAN: &str = "UC-100000040";
const ASSOCIATION: &str = "UC-200000013";

fn rows(db: &Path, sql: &str) -> Vec<String> {
    query(db, sql).into_iter().map(|r| r.join(" ")).collect()
}

/// 2026-11, the small fixture: two units of 东城区 (110101) are listed — 北京明远咨询
/// (65 employees, no member: 职工50人以上无党员) and 北京市青少年科技教育协会 (a
/// municipal social group without an organization). Both items open in 2026-11.
///
/// 2026-12: a formal member (测试党员20, of J1) gives 明远 its USCC as 工作单位 — it now has
/// a member, so its item closes as covered, met_by members; the 协会's registry row says
/// 注销 — its item closes as deregistered. list_items_by_district for 东城区 then reads:
/// enterprise_needs_members start 1, opened 0, closed 1 (covered 1), end 0, 销号率 1/1;
/// municipal_group_needs_org start 1, closed 1 (deregistered 1), end 0. Each item was open
/// 1 month (2026-11; the month it closed is not counted).
///
/// Rerunning 2026-11 afterwards with 明远's member already there (as if month 1's member
/// export had been late) recomputes 2026-12 from the rerun month: 明远 was never listed,
/// and 2026-12 holds the 协会's item alone.
#[test]
fn a_unit_closed_because_covered_and_one_because_deregistered() {
    let dir = copy_fixture("small");
    let pipeline = dir.path().join("pipeline.toml");
    let out = tempfile::tempdir().unwrap();
    let db = out.path().join("coverage.duckdb");
    run_ok(&pipeline, "2026-11", out.path());
    assert_eq!(
        rows(&db, "SELECT list, unit_id, opened_period, coalesce(closed_period, '-') FROM list_items WHERE period = '2026-11' ORDER BY 1"),
        [
            format!("enterprise_needs_members {MINGYUAN} 2026-11 -"),
            format!("municipal_group_needs_org {ASSOCIATION} 2026-11 -"),
        ]
    );

    let members = dir.path().join("members.csv");
    let social = dir.path().join("social_orgs.csv");
    let month_1_social = std::fs::read_to_string(&social).unwrap();
    let mut text = std::fs::read_to_string(&members).unwrap();
    text.push_str(
        "测试党员20,990101198001010209,正式党员,J1,北京明远咨询有限公司,91110101100000040H,正常\n",
    );
    std::fs::write(&members, text).unwrap();
    let text = month_1_social.replace("北京市民政局,正常", "北京市民政局,注销");
    std::fs::write(&social, text).unwrap();
    run_ok(&pipeline, "2026-12", out.path());

    let ledger = "SELECT list, unit_id, opened_period, closed_period, close_reason, coalesce(met_by, '-'), months_open FROM list_items WHERE period = '2026-12' ORDER BY 1";
    let expected = [
        format!("enterprise_needs_members {MINGYUAN} 2026-11 2026-12 covered members 1"),
        format!("municipal_group_needs_org {ASSOCIATION} 2026-11 2026-12 deregistered - 1"),
    ];
    assert_eq!(rows(&db, ledger), expected);
    let counts = "SELECT list, open_at_start, opened, closed, closed_covered, closed_deregistered, open_at_end, close_rate FROM list_items_by_district WHERE period = '2026-12' AND district_code = '110101' ORDER BY 1";
    let expected_counts = [
        "enterprise_needs_members 1 0 1 1 0 0 1.000000",
        "municipal_group_needs_org 1 0 1 0 1 0 1.000000",
    ];
    assert_eq!(rows(&db, counts), expected_counts);

    // The rerun of 2026-11 reads 明远's member already: it is listed in neither month.
    std::fs::write(&social, &month_1_social).unwrap();
    run_ok(&pipeline, "2026-11", out.path());
    assert_eq!(rows(&db, ledger), expected[1..]);
    assert_eq!(rows(&db, counts), expected_counts[1..]);
}
