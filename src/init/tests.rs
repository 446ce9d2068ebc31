use super::*;

#[test]
fn month_stamps_in_file_names() {
    assert_eq!(
        month_stamp("党员信息_202611.csv"),
        Some((13, 19, "2026-11".to_string(), "{yyyymm}".to_string()))
    );
    let stamp = |name: &str| month_stamp(name).map(|s| (s.2, s.3));
    let is = |period: &str, pattern: &str| Some((period.to_string(), pattern.to_string()));
    assert_eq!(stamp("units-2026-03.xlsx"), is("2026-03", "{period}"));
    assert_eq!(
        stamp("党员信息（2026.03）.xlsx"),
        is("2026-03", "{yyyy}.{mm}")
    );
    assert_eq!(stamp("党员信息_2026_11.csv"), is("2026-11", "{yyyy}_{mm}"));
    assert_eq!(
        stamp("党员信息2026年11月.csv"),
        is("2026-11", "{yyyy}年{mm}月")
    );
    assert_eq!(
        stamp("党员信息2026年3月.csv"),
        is("2026-03", "{yyyy}年{m}月")
    );
    // The stamp and its pattern give the name back.
    let name = "党员信息2026年3月.csv";
    let (a, b, period, pattern) = month_stamp(name).unwrap();
    let templated = format!("{}{pattern}{}", &name[..a], &name[b..]);
    assert_eq!(crate::config::expand_period(&templated, &period), name);
    // A code or a 13th month is no month.
    assert_eq!(month_stamp("enterprises_2026135.csv"), None);
    assert_eq!(month_stamp("enterprises_202613.csv"), None);
}

#[test]
fn files_of_one_layout_become_one_pattern() {
    let base = Path::new("/x/pipelines");
    let files: BTreeSet<PathBuf> = [
        "/x/exports/市场监管_企业登记信息_东部_202611.csv",
        "/x/exports/市场监管_企业登记信息_西部_202611.csv",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    let (patterns, period) = patterns(&files, base);
    assert_eq!(
        patterns,
        vec!["../exports/市场监管_企业登记信息_*_{yyyymm}.csv"]
    );
    assert_eq!(period.as_deref(), Some("2026-11"));
    let one: BTreeSet<PathBuf> = [PathBuf::from("/x/exports/law_firms.csv")].into();
    assert_eq!(patterns_of(&one, base), vec!["../exports/law_firms.csv"]);
}

fn patterns_of(files: &BTreeSet<PathBuf>, base: &Path) -> Vec<String> {
    patterns(files, base).0
}

#[test]
fn a_kind_is_told_by_its_headers() {
    let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        kind_of(&h(&["姓名", "身份证号", "工作单位"])),
        Some(SourceKind::Members)
    );
    assert_eq!(
        kind_of(&h(&["统一社会信用代码", "单位名称", "党建工作指导员"])),
        Some(SourceKind::Ledger)
    );
    assert_eq!(
        kind_of(&h(&["联合党组织编码", "覆盖单位名称"])),
        Some(SourceKind::JointCoverage)
    );
    assert_eq!(
        kind_of(&h(&["党组织编码", "党组织名称", "组建方式"])),
        Some(SourceKind::PartyOrgs)
    );
    // A party-organization list naming its host by 单位统一社会信用代码 is still one.
    let orgs = h(&[
        "党组织编码",
        "党组织类别",
        "单位统一社会信用代码",
        "单位名称",
    ]);
    assert_eq!(kind_of(&orgs), Some(SourceKind::PartyOrgs));
    assert_eq!(
        kind_of(&h(&["企业名称", "登记状态", "所属区"])),
        Some(SourceKind::UnitRegistry)
    );
    assert_eq!(
        kind_of(&h(&["企业（机构）名称", "经营状态/登记状态"])),
        Some(SourceKind::UnitRegistry)
    );
    assert_eq!(kind_of(&h(&["序号", "备注"])), None);
}

/// A header over two rows (a group header above, a column merged down over both) is
/// read as two rows, joined as the reader joins them, so the run finds the same names.
#[test]
fn a_header_over_two_rows_is_read_as_the_run_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("企业_202611.csv");
    let text = "企业名称,统一社会信用代码,登记信息,\n,,登记状态,所属区\n北京甲有限公司,91110101MA0000000X,存续,东城区\n";
    std::fs::write(&path, text).unwrap();
    let t = found(&path, text.as_bytes(), None).unwrap().unwrap();
    assert_eq!((t.header_row, t.header_rows), (1, 2));
    assert_eq!(t.kind, SourceKind::UnitRegistry);
    let fields: Vec<F> = t.columns.iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, vec![F::Name, F::Uscc, F::Status, F::District]);
    assert_eq!(t.rows.len(), 1);
    let mut spec = plain_spec(None);
    spec.header_rows = 2;
    let run = read_table(&path, text.as_bytes(), &spec).unwrap();
    assert_eq!(
        run.headers, t.headers,
        "the run reads the headers init wrote"
    );
    assert_eq!(t.headers[2], "登记信息 / 登记状态");
}

/// A group header says what the columns under it are of: 所在单位 over 统一社会信用代码
/// and 名称 makes them the host's code and name (read alone, neither is a column of a
/// party-organization list), so the two rows are the header, below a title row.
#[test]
fn a_group_header_names_what_its_columns_are_of() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("党组织信息.csv");
    let text = "北京市基层党组织信息表,,,,,\n\
                党组织基本情况,,,所在单位,,其他\n\
                党组织编码,党组织名称,组建方式,统一社会信用代码,名称,状态\n\
                D1,中共北京甲有限公司支部委员会,单独组建,91110101MA0000000X,北京甲有限公司,正常\n";
    std::fs::write(&path, text).unwrap();
    let t = found(&path, text.as_bytes(), None).unwrap().unwrap();
    assert_eq!(t.kind, SourceKind::PartyOrgs);
    assert_eq!((t.header_row, t.header_rows), (2, 2));
    let fields: Vec<F> = t.columns.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        vec![
            F::OrgId,
            F::Name,
            F::Formation,
            F::HostUscc,
            F::HostName,
            F::Status
        ]
    );
    assert_eq!(t.rows.len(), 1);
}

/// A member list in other words than the generator's (公民身份证号码, 党员身份,
/// 所属党组织, 工作单位全称, 工作单位社会信用代码, 是否失联党员) has each column placed.
#[test]
fn a_member_list_in_other_words_is_read_whole() {
    let text = "序号,公民身份证号码,党员身份,所属党组织,工作单位全称,工作单位社会信用代码,党员状态,是否失联党员\n\
                1,990000195001030001,正式党员,中共北京市东城区东四街道工作委员会,北京甲有限公司,91110101MA0000000X,正常,否\n";
    let (kind, fields) = kind_and_fields("党员_202611.csv", text);
    assert_eq!(kind, SourceKind::Members);
    assert_eq!(
        fields,
        vec![
            F::IdNumber,
            F::Category,
            F::OrgName,
            F::EmployerName,
            F::EmployerUscc,
            F::Status,
            F::LostContact
        ]
    );
}

/// A member list with 入党日期 and 转正日期 but no 人员类别 (as the 党员信息系统 keeps
/// them): 转正日期 is placed, to stand in for the category; 入党日期 is no field.
#[test]
fn a_member_list_with_dates_for_the_category_is_read_whole() {
    let text = "公民身份号码,入党日期,转正日期,所在党组织编码,工作单位,党籍状态\n\
                990000195001030001,2015-03-01,2016-03-01,D1,北京甲有限公司,正常\n";
    let (kind, fields) = kind_and_fields("党员.csv", text);
    assert_eq!(kind, SourceKind::Members);
    assert_eq!(
        fields,
        vec![
            F::IdNumber,
            F::FormalDate,
            F::OrgId,
            F::EmployerName,
            F::Status
        ]
    );
}

/// A registry without 登记状态 but with 注销日期 and 吊销日期 (as some registers export a
/// unit's history): the dates are placed, to stand in for the status.
#[test]
fn a_registry_with_dates_for_the_status_is_read_whole() {
    let text = "统一社会信用代码,企业名称,所属区,注销日期,吊销日期\n\
                91110108100000032U,北京甲有限公司,海淀区,,\n";
    let (kind, fields) = kind_and_fields("企业.csv", text);
    assert_eq!(kind, SourceKind::UnitRegistry);
    assert_eq!(
        fields,
        vec![
            F::Uscc,
            F::Name,
            F::District,
            F::DeregisteredDate,
            F::RevokedDate
        ]
    );
}

/// The kind init tells a CSV table by, and the fields it places, in column order.
fn kind_and_fields(file: &str, text: &str) -> (SourceKind, Vec<F>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, text).unwrap();
    let t = found(&path, text.as_bytes(), None).unwrap().unwrap();
    (t.kind, t.columns.iter().map(|(f, _)| *f).collect())
}
