//! The data dictionary: what each published table, view and column means. The run's
//! database carries it as DuckDB comments (`COMMENT ON`), the publisher copies them into
//! coverage.duckdb (so `DESCRIBE`, `duckdb_columns()` and DBeaver show them), and
//! docs/tables.md is written from the same comments. Each description is said once: a
//! stage table's where the table is declared (src/stage_tables.rs, `describe`/`about`),
//! a definition's in the `-- columns:` block of its sql/ header, a figure's in
//! src/figures.rs, and here those of the columns many tables share — which a table's own
//! description overrides where the column means something narrower there.

use crate::vocabulary::*;

/// The words of a vocabulary with their labels, as a column's description lists them.
pub fn words<T: Vocabulary>() -> String {
    let words: Vec<String> = T::NAMES
        .iter()
        .zip(T::LABELS)
        .map(|(w, l)| format!("{w} {l}"))
        .collect();
    format!(
        "one of: {} (labels.vocabulary = '{}')",
        words.join(" | "),
        T::SET
    )
}

/// The description of a column many tables share, by its name.
pub fn shared(column: &str) -> Option<String> {
    let text = match column {
        "period" => "期别: the month (YYYY-MM) the row belongs to; every published table is partitioned by it",
        "year" => "考核年度: the appraisal year",
        "unit_id" => "单位编号: the unit's stable identifier (kept across months by the id registry, unit_id_registry); joins every unit table",
        "name" => "单位名称: the unit's name as its registry record writes it",
        "uscc" => "统一社会信用代码: the unit's unified social credit code (18 characters), NULL where the registry has none",
        "org_code" => "组织机构代码: the 9-character organization code (written alone, or positions 9–17 of the USCC)",
        "reg_no" => "注册号: the registration number of units registered before the USCC",
        "name_key" => "the unit's name normalized for matching (full-width, spaces, brackets and the administrative prefix removed)",
        "name_keys" => "every normalized name the unit's records carry, ';'-separated",
        "district_code" => "区县代码: the district's 6-digit GB/T 2260 code; the city-total rows carry the pipeline's city_code (settings)",
        "district_name" => "区县名称: the district's name from the pipeline file; 全市 on the city-total rows",
        "street" => "街道（乡镇）: the unit's street or township, as the registry writes it",
        "industry" => "行业: the GB/T 4754 industry code the registry gives",
        "park" => "园区: the industrial park or 商务楼宇 cluster the unit is in, where the registry says",
        "building" => "楼宇: the office building the unit is in, where the registry says",
        "in_scope" => "纳入统计: whether the unit is counted by the coverage figures (active, in a district of the pipeline, of a kind in scope)",
        "has_members" => "有党员: at least one counted member works in the unit (formal, or probationary where probationary_count_as_members)",
        "formal_3plus" => "有3名以上正式党员: formal members ≥ settings.formal_members_for_single_org (the units \"with conditions\" for a single organization)",
        "org_covered" => "组织覆盖: covered by its own (单独组建) or a joint (联合组建) organization; a functional one too where functional_counts_as_org_coverage",
        "work_covered" => "工作覆盖: any organization form, an instructor (党建工作指导员) or a mass organization",
        "formal_members" => "正式党员数: formal members counted in the unit (placed by their 工作单位)",
        "probationary_members" => "预备党员数: probationary members counted in the unit",
        "members_not_transferred" => "组织关系未转入党员数: members counted in the unit whose organization neither hosts nor covers it (their relation is elsewhere or unknown)",
        "has_instructor" => "has a 党建工作指导员 (instructor) by the ledger",
        "has_mass_org" => "has a mass organization (工会、共青团、妇联) by the ledger",
        "employees" => "从业人员数: the unit's head count as used by the rules (the registry's, or a district's correction; see employees_source); NULL where unknown",
        "single_org_ids" => "the org_ids of its own organizations (单独组建), ';'-separated",
        "joint_org_ids" => "the org_ids of the joint organizations (联合组建) covering it, ';'-separated",
        "functional_org_ids" => "the org_ids of functional organizations (功能型党组织) covering it, ';'-separated",
        "org_id" => "党组织编号: the party organization's identifier in the organization export",
        "member_key" => "党员编号（化名）: the member's pseudonym — an HMAC of the ID number under COVERAGE_PSEUDONYM_KEY; never the ID number itself",
        "source" => "来源: the export (the pipeline file's source name) the row was read from",
        "source_file" => "来源文件: the file the row was read from",
        "source_row" => "来源行: the row's number in that file as a spreadsheet shows it, counted from 1 (title and header rows and blank lines included; a line break inside a quoted cell does not start a row)",
        "list" => "清单: the compliance list's code (compliance_lists; its name in list_name)",
        "list_name" => "清单名称: the compliance list's Chinese name",
        "target" => "考核指标: the campaign target's code",
        "target_name" => "考核指标名称: the target's Chinese name",
        "target_value" => "目标值: the target in force for the district (its own, else the city's), a fraction 0–1",
        "numerator" => "分子: the units that meet the target's rule",
        "denominator" => "分母: the units the target's rule applies to",
        "value" => "值: numerator / denominator, a fraction 0–1; NULL where the denominator is 0",
        "no_org_reason" => "未建党组织原因 as the ledger writes it",
        "members" => "党员数: counted members (formal + probationary)",
        "employer_name" => "工作单位 as written",
        "employer_uscc" => "the USCC written for the member's employer (its own column, or inside 工作单位)",
        "link_score" => "the name match score of a scored link rule; NULL for an exact one",
        "metric" => "指标: the name of a figure of coverage_by_district (a count or a rate)",
        "previous_period" => "上期: the previous period present in the output folder; NULL for the folder's first",
        "previous_value" => "上期值: the value in previous_period; NULL where that period has none",
        "baseline_period" => "基期: the campaign's baseline period ([campaign] baseline_period, else the folder's first period)",
        "baseline_value" => "基期值: the value in baseline_period",
        "change_since_baseline" => "较基期变化: value − baseline_value (a difference of fractions); NULL where either is NULL",
        "year_end_period" => "年底期别: the appraisal year's latest period present",
        "met" => "是否达标: value ≥ target_value; NULL where the value is NULL",
        "social_orgs_in_scope" => "纳入统计的社会组织数 (units_in_scope of sector social_org)",
        "covered" => "已实现组织覆盖的社会组织数 (units_org_covered)",
        "coverage_rate" => "社会组织党组织覆盖率: covered / social_orgs_in_scope; NULL where none is in scope",
        "target_rate" => "目标覆盖率: settings.social_org_target_rate (the notice's 40%)",
        "target_count" => "目标单位数: ceil(target_rate × social_orgs_in_scope), computed in DECIMAL so that 0.4 × 15 is 6",
        "gap" => "差距: max(0, target_count − covered), the organizations still to cover",
        "plan_measures" => "任务措施: the district's measures (its returned work pack); NULL until it writes one",
        "plan_schedule" => "进度安排: the district's schedule",
        "plan_due" => "计划完成时间: when the district plans to be done",
        "plan_owner" => "责任人: who is responsible (as the district writes it)",
        "plan_progress" => "当前进展: the district's latest progress note",
        "plan_note" => "备注: the district's remark",
        "rule" => "政策依据: the notice's rule the list enforces, with the rulebook's numbers",
        "detail" => "why the unit is listed: its figures against the rule",
        "is_city" => "whether the row is the city total (全市): district_code is settings.city_code",
        "corrected_fields" => "the fields a district corrected in its returned work pack, ';'-separated (feedback_decisions has the rows)",
        "level" => "区划层级: national, province, city or district",
        "region_code" => "区划代码: the region's 6-digit GB/T 2260 code (000000 for the country)",
        "region_name" => "区划名称: the region's name",
        "deployment" => "the deployment's number, in the order of coverage rollup's --input folders from 0",
        "sector" => return Some(format!("类别: {}", words::<Sector>())),
        "unit_kind" => return Some(format!("单位类型: {}", words::<UnitKind>())),
        "status" => return Some(format!("登记状态: {}", words::<RegistryStatus>())),
        "sub_category" => return Some(format!("社会组织细类: {}", words::<SubCategory>())),
        "registration_level" => return Some(format!("登记层级: {}", words::<RegistrationLevel>())),
        "org_form" => return Some(format!("覆盖形式 (single > joint > functional > none): {}", words::<OrgForm>())),
        "out_of_scope_reason" => return Some(format!("不纳入统计的原因 (NULL where in scope): {}", words::<ScopeReason>())),
        "employees_source" => return Some(format!("从业人员数来源: {}", words::<EmployeesSource>())),
        "rate_denominator" => return Some(format!("比率分母: {}", words::<RateDenominator>())),
        "close_reason" => return Some(format!("销号原因 (NULL while open): {}", words::<CloseReason>())),
        "met_by" => return Some(format!("销号依据 (how a closed item was met): {}", words::<ListMetBy>())),
        "link_rule" => return Some(format!("党员落位规则: {}", words::<MemberRule>())),
        "category" => return Some(format!("党员类别: {}", words::<MemberCategory>())),
        "single_org_level" => return Some(format!("层级 of the unit's own organization (the highest if several; NULL without one): {}", words::<OrgLevel>())),
        "field" => return Some(format!("字段: the canonical field concerned (empty for the row as a whole); {}", words::<SourceField>())),
        _ => return crate::figures::about(column),
    };
    Some(text.to_string())
}

/// `COMMENT ON` statements for a table or view (`kind`) and its columns: each column's
/// own description where it has one, else the shared one; a column with neither gets
/// none (docs/tables.md's test names it).
pub fn comment_sql<'c>(
    kind: &str,
    table: &str,
    about: &str,
    columns: impl Iterator<Item = (&'c str, Option<String>)>,
) -> String {
    let mut sql = String::new();
    if !about.is_empty() {
        sql.push_str(&format!(
            "COMMENT ON {kind} {table} IS {};\n",
            crate::database::literal(about)
        ));
    }
    for (column, own) in columns {
        if let Some(text) = own.or_else(|| shared(column)) {
            sql.push_str(&format!(
                "COMMENT ON COLUMN {table}.\"{column}\" IS {};\n",
                crate::database::literal(&text)
            ));
        }
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vocabulary_column_lists_its_words_and_a_figure_its_definition() {
        let sector = shared("sector").unwrap();
        assert_eq!(
            sector,
            "类别: one of: enterprise 非公有制企业 | social_org 社会组织 (labels.vocabulary = 'sector')"
        );
        let rate = shared("single_rate").unwrap();
        assert!(
            rate.starts_with("单独组建率: units_single_org / units_in_scope"),
            "{rate}"
        );
        assert_eq!(shared("no_such_column"), None);
    }

    #[test]
    fn comments_quote_what_they_say() {
        let sql = comment_sql(
            "TABLE",
            "t",
            "it's a table",
            [
                ("period", None),
                ("x", Some("own".to_string())),
                ("y", None),
            ]
            .into_iter(),
        );
        assert!(
            sql.starts_with("COMMENT ON TABLE t IS 'it''s a table';\n"),
            "{sql}"
        );
        assert!(sql.contains("COMMENT ON COLUMN t.\"x\" IS 'own';\n"));
        assert!(!sql.contains("\"y\""), "no description, no comment");
    }
}
