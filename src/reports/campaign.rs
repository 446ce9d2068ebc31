//! The campaign's workbooks: the month's 通报 (each target per district with its change,
//! rank and gap, and the 销号 ledger's progress) and the year-end appraisal (年度考核,
//! with the rises since the baseline, 明显提升).

use std::path::Path;

use duckdb::Connection;

use super::{write_query_sheet, Book, Report, Sheet, EXCEL_ROWS};
use crate::error::{Error, Result};

/// 定期通报: the city's bulletin of the month — every target per district with its change
/// and rank, and the 销号 ledger's progress — city-wide only (it ranks the districts).
pub(super) fn bulletin(period: &str) -> Report {
    let arrow = |c: &str| {
        format!("CASE WHEN {c} > 0 THEN '↑' WHEN {c} < 0 THEN '↓' WHEN {c} = 0 THEN '→' END")
    };
    let figures = format!(
        r#"SELECT district_name AS "区", target_name AS "指标",
            numerator AS "本月|分子", denominator AS "本月|分母", value AS "本月|比率",
            rank AS "本月|区排名", districts_ranked AS "本月|参与排名区数",
            previous_period AS "较上月|上月期别", previous_value AS "较上月|上月比率",
            {} AS "较上月|升降", round(100 * change_since_previous, 1) AS "较上月|变化（百分点）",
            baseline_period AS "较基期|基期期别", baseline_value AS "较基期|基期比率",
            {} AS "较基期|升降", round(100 * change_since_baseline, 1) AS "较基期|变化（百分点）",
            target_value AS "目标|目标比率", CASE WHEN met THEN '是' WHEN NOT met THEN '否' END AS "目标|是否达标",
            round(100 * gap, 1) AS "目标|差距（百分点）", units_to_target AS "目标|尚需覆盖单位数",
            items_opened AS "销号|本月新列入", items_closed AS "销号|本月销号", items_open AS "销号|月末在册"
        FROM bulletin ORDER BY target, is_city(district_code), rank NULLS LAST, district_code"#,
        arrow("change_since_previous"),
        arrow("change_since_baseline")
    );
    let ledger = r#"SELECT district_name AS "区", list_name AS "清单",
            open_at_start AS "月初在册", opened AS "本月新列入", closed AS "本月销号|合计",
            closed_covered AS "本月销号|已覆盖", closed_deregistered AS "本月销号|已注销",
            closed_revoked AS "本月销号|已吊销", closed_moved_out AS "本月销号|已迁出",
            closed_moved_district AS "本月销号|迁至他区", closed_out_of_scope AS "本月销号|不再属于统计范围",
            closed_below_threshold AS "本月销号|不符合列入条件", closed_corrected AS "本月销号|区县更正",
            closed_absent AS "本月销号|登记数据中无此单位", open_at_end AS "月末在册",
            close_rate AS "本月销号率", listed_to_date AS "累计|列入", closed_to_date AS "累计|销号",
            close_rate_to_date AS "累计|销号率"
        FROM list_items_by_district ORDER BY is_city(district_code), district_code, list"#;
    Report {
        file: format!("通报_{period}"),
        csv: false,
        sheets: vec![
            Sheet {
                name: "指标通报".into(),
                title: format!(
                    "“两个覆盖”工作情况通报（{period}）：各区指标、变化、排名与目标差距"
                ),
                sql: figures,
                by_district: false,
            },
            Sheet {
                name: "销号进度".into(),
                title: format!("问题清单跟踪销号进度（{period}）"),
                sql: ledger.into(),
                by_district: false,
            },
        ],
    }
}

/// The year-end appraisal workbook: a row per district and target, and the rises of
/// 组织覆盖率 and 单独组建率 since the campaign's baseline (明显提升).
pub fn write_appraisal(conn: &Connection, path: &Path, year: i32, year_end: &str) -> Result<()> {
    let sheet = Sheet {
        name: "年度考核".into(),
        title: format!("{year}年度非公有制企业和社会组织“两个覆盖”考核（年底数据期别 {year_end}）"),
        sql: format!(
            r#"SELECT district_name AS "区", target_name AS "考核指标",
                numerator AS "年底|分子", denominator AS "年底|分母", value AS "年底|比率",
                target_value AS "目标|目标比率", met AS "目标|是否达标",
                first_period AS "较年初|年初期别", first_value AS "较年初|年初比率",
                round(100 * change_since_first, 1) AS "较年初|变化（百分点）",
                previous_year_end_period AS "较上年底|上年底期别",
                previous_year_end_value AS "较上年底|上年底比率",
                round(100 * change_since_previous_year_end, 1) AS "较上年底|变化（百分点）",
                baseline_period AS "较基期|基期期别", baseline_value AS "较基期|基期比率",
                round(100 * change_since_baseline, 1) AS "较基期|变化（百分点）"
            FROM appraisal_scorecard WHERE year = {year}
            ORDER BY is_city(district_code), district_code, target"#
        ),
        by_district: false,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    }
    let improvement = Sheet {
        name: "明显提升".into(),
        title: format!("{year}年度组织覆盖率、单独组建率较基期的提升"),
        sql: format!(
            r#"SELECT district_name AS "区", label('sector', sector) AS "类别",
                {} AS "指标",
                baseline_period AS "基期|期别", baseline_value AS "基期|比率",
                year_end_period AS "年底|期别", year_end_value AS "年底|比率",
                round(100 * change_since_baseline, 1) AS "提升|变化（百分点）",
                round(100 * marked_improvement, 1) AS "提升|明显提升标准（百分点）",
                CASE WHEN marked THEN '是' WHEN NOT marked THEN '否' END AS "提升|是否明显提升"
            FROM appraisal_improvement WHERE year = {year}
            ORDER BY is_city(district_code), district_code, sector, rate"#,
            crate::figures::rate_label_sql("rate")
        ),
        by_district: false,
    };
    let mut book = Book::create(path)?;
    for sheet in [&sheet, &improvement] {
        write_query_sheet(conn, &mut book, sheet, None, EXCEL_ROWS)?;
    }
    book.finish()
}
