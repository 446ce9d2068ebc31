//! `coverage init`: a pipeline file drafted from the exports alone, which (with only the
//! decisions it marks) gives the figures of the pipeline files written by hand.

use std::path::Path;

use crate::util::*;

/// The tables whose rows are the month's figures and lists (no lineage columns: the
/// source names and file paths of a draft are its own).
const FIGURE_TABLES: [&str; 10] = [
    "coverage_by_district",
    "social_org_target",
    "attachment_summary",
    "members_by_unit_kind",
    "target_figures",
    "coverage_breakdown",
    "unit_status",
    "compliance_lists",
    "list_items_by_district",
    "action_plan",
];

/// Every row of every figure table of two runs' databases, table by table.
fn same_figures(a: &Path, b: &Path) {
    for table in FIGURE_TABLES {
        let sql = format!("SELECT * FROM {table} ORDER BY ALL");
        let (x, y) = (
            lines(&a.join("coverage.duckdb"), &sql),
            lines(&b.join("coverage.duckdb"), &sql),
        );
        assert!(
            !x.is_empty() || table == "list_items_by_district",
            "{table} is empty"
        );
        assert_eq!(x, y, "{table} differs");
    }
}

/// `coverage init` on a folder, with its output; the draft's text.
fn init(exports: &Path, draft: &Path) -> (String, String) {
    let out = coverage()
        .args(["init", "--exports"])
        .arg(exports)
        .arg("--out")
        .arg(draft)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    (stdout, std::fs::read_to_string(draft).unwrap())
}

/// A synthetic month's exports alone (no pipeline file, no truth) in a folder.
fn synthetic_exports(layout: &str, into: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    synth()
        .args([
            "write", "--layout", layout, "--units", "900", "--seed", "5", "--period", "2026-11",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    std::fs::create_dir_all(into).unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        if entry.path().is_file() && entry.file_name() != "pipeline.toml" {
            std::fs::copy(entry.path(), into.join(entry.file_name())).unwrap();
        }
    }
    dir
}

#[test]
fn drafts_of_both_synthetic_layouts_give_the_figures_of_their_pipeline_files() {
    for layout in ["standard", "samr"] {
        let work = tempfile::tempdir().unwrap();
        let exports = work.path().join("exports");
        let synthetic = synthetic_exports(layout, &exports);
        let draft = work.path().join("pipelines").join("draft.toml");
        let (stdout, text) = init(&exports, &draft);
        assert!(stdout.contains("left to decide"), "{stdout}");
        assert!(
            text.contains("TO DECIDE: the districts"),
            "the districts are always a decision"
        );
        // The decision marked for the samr layout: its 党小组 rows leave 组建方式 empty;
        // they are organizations of their own unit (what the layout's pipeline file says).
        let decided = text.replace(
            "# [source.defaults]\n# formation = \"single|joint|functional|affiliated\"",
            "[source.defaults]\nformation = \"single\"",
        );
        if layout == "samr" {
            assert_ne!(decided, text, "the samr draft marks the empty 组建方式");
        }
        std::fs::write(&draft, &decided).unwrap();
        let (ours, theirs) = (
            work.path().join("draft-out"),
            work.path().join("shipped-out"),
        );
        run_ok(&draft, "2026-11", &ours);
        run_ok(&synthetic.path().join("pipeline.toml"), "2026-11", &theirs);
        same_figures(&theirs, &ours);
    }
}

/// The small fixture month in a layout no pipeline file here was written for: other
/// header names, the party organizations under group headers, the social organizations
/// in a workbook with two title rows and a totals row, one enterprise file in UTF-8 beside a GBK one, month-stamped names, and
/// last month's output folder kept among the exports.
fn third_layout(into: &Path) {
    let small = fixture("small");
    let gbk = |name: &str| {
        let bytes = std::fs::read(small.join(name)).unwrap();
        encoding_rs::GB18030.decode(&bytes).0.into_owned()
    };
    let utf8 = |name: &str| std::fs::read_to_string(small.join(name)).unwrap();
    let rename = |text: String, renames: &[(&str, &str)]| {
        let (head, rest) = text.split_once('\n').unwrap();
        let mut head = head.to_string();
        for (from, to) in renames {
            head = head.replace(from, to);
        }
        format!("{head}\n{rest}")
    };
    let enterprise = [
        ("统一社会信用代码", "社会信用代码"),
        ("企业名称", "市场主体名称"),
        ("所属区", "所属区县"),
        ("从业人数", "员工人数"),
    ];
    let dongcheng = rename(gbk("enterprises_dongcheng.csv"), &enterprise);
    std::fs::write(
        into.join("企业登记_东城_202611.csv"),
        encoding_rs::GB18030.encode(&dongcheng).0,
    )
    .unwrap();
    std::fs::write(
        into.join("企业登记_朝阳_202611.csv"),
        rename(gbk("enterprises_chaoyang.csv"), &enterprise),
    )
    .unwrap();
    let texts = [
        (
            "law_firms.csv",
            "律所_202611.csv",
            vec![("律师事务所名称", "机构名称")],
        ),
        (
            "party_orgs.csv",
            "党组织_202611.csv",
            vec![
                ("党组织编码", "党组织代码"),
                ("党组织类别", "党组织类型"),
                ("组建方式", "组建形式"),
                ("所在单位统一社会信用代码", "统一社会信用代码"),
                ("所在单位名称", "名称"),
            ],
        ),
        ("joint_coverage.csv", "联合组织覆盖_202611.csv", vec![]),
        (
            "members.csv",
            "党员_202611.csv",
            vec![("公民身份号码", "身份证号码"), ("人员类别", "党员类别")],
        ),
        (
            "ledger.csv",
            "台账_202611.csv",
            vec![("党建工作指导员", "指导员"), ("团组织", "共青团")],
        ),
    ];
    for (from, to, renames) in texts {
        let bytes = std::fs::read(small.join(from)).unwrap();
        let text = match String::from_utf8(bytes.clone()) {
            Ok(t) => t,
            Err(_) => encoding_rs::GB18030.decode(&bytes).0.into_owned(),
        };
        let text = rename(text, &renames);
        // The organizations' host columns stand under a group header written in its
        // first cell only, as a CSV saved from a workbook with merged cells has it:
        // 统一社会信用代码 and 名称 alone name no column of an organization list.
        let text = match to {
            "党组织_202611.csv" => format!("党组织,,,,所在单位,,\n{text}"),
            _ => text,
        };
        std::fs::write(into.join(to), text).unwrap();
    }
    // The social organizations: a workbook whose header is its third row.
    let social = rename(
        utf8("social_orgs.csv"),
        &[("社会组织名称", "名称"), ("从业人员数", "从业人员")],
    );
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("名录").unwrap();
    sheet.write(0, 0, "北京市社会组织名录").unwrap();
    sheet.write(1, 0, "统计截止：2026年11月").unwrap();
    for (r, line) in social.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write(r as u32 + 2, c as u16, cell).unwrap();
        }
    }
    let last = social.lines().count() as u32 + 2;
    sheet.write(last, 0, "合计").unwrap();
    sheet.write(last, 7, 999).unwrap();
    book.save(into.join("社会组织_202611.xlsx")).unwrap();
    // Last month's outputs: a database and a report that looks like a member list.
    let old = into.join("上月结果");
    std::fs::create_dir_all(old.join("reports")).unwrap();
    std::fs::write(old.join("coverage.duckdb"), b"").unwrap();
    std::fs::copy(
        into.join("党员_202611.csv"),
        old.join("reports/党员_202610.csv"),
    )
    .unwrap();
    std::fs::copy(small.join("pseudonym.key"), into.join("pseudonym.key")).unwrap();
}

#[test]
fn a_draft_of_a_layout_written_by_hand_gives_the_fixture_figures() {
    let work = tempfile::tempdir().unwrap();
    let exports = work.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    third_layout(&exports);
    let draft = work.path().join("draft.toml");
    let (stdout, text) = init(&exports, &draft);
    for source in [
        "企业登记 (unit_registry): exports/企业登记_*_{yyyymm}.csv",
        "社会组织 (unit_registry)",
        "党组织 (party_orgs)",
        "党员 (members)",
        "台账 (ledger)",
        "联合组织覆盖 (joint_coverage)",
    ] {
        assert!(stdout.contains(source), "{source} in {stdout}");
    }
    assert!(text.contains("header_row = 3"), "{text}");
    assert!(text.contains("host_name = \"所在单位 / 名称\""), "{text}");
    // The totals row asks for no decision (the run rejects it as one), and the output
    // folder is no export.
    assert!(!stdout.contains("leave `status` empty"), "{stdout}");
    assert!(
        stdout.contains("上月结果/: a run's output folder (holds coverage.duckdb), left out"),
        "{stdout}"
    );
    assert!(!text.contains("上月结果/reports"), "{text}");
    same_figures_as_the_fixture(work.path(), &draft, &text);
}

/// The draft, with the decision it marks taken (the fixture's 海淀区 has no unit this
/// month, so the data cannot name it; the city has it), gives the fixture's figures.
fn same_figures_as_the_fixture(work: &Path, draft: &Path, text: &str) {
    let decided = text.replace(
        "\n[districts]\n",
        "\n[districts]\n\"110108\" = \"海淀区\"\n",
    );
    std::fs::write(draft, decided).unwrap();
    let (ours, theirs) = (work.join("draft-out"), work.join("fixture-out"));
    run_ok(draft, "2026-11", &ours);
    run_ok(&fixture("small").join("pipeline.toml"), "2026-11", &theirs);
    same_figures(&theirs, &ours);
}

/// An export of party organizations without its 组建方式 column: the draft reads how
/// each was formed from its name (…联合支部委员会 joint, …功能型党支部 functional, the
/// rest single), says so as a decision to check, and gives the fixture's figures.
#[test]
fn organizations_without_a_formation_column_are_read_by_their_names() {
    let work = tempfile::tempdir().unwrap();
    let exports = work.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    third_layout(&exports);
    let orgs = exports.join("党组织_202611.csv");
    let text = std::fs::read_to_string(&orgs).unwrap();
    let without: Vec<String> = text
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(3);
            cells.join(",")
        })
        .collect();
    assert!(without[0].starts_with("党组织,,,所在单位"));
    assert!(without[1].starts_with("党组织代码,党组织名称,党组织类型,统一社会信用代码"));
    std::fs::write(&orgs, without.join("\n") + "\n").unwrap();
    let draft = work.path().join("draft.toml");
    let (stdout, text) = init(&exports, &draft);
    assert!(
        stdout.contains(
            "no column gives 组建方式 (`formation`) — drafted from the organization's name"
        ),
        "{stdout}"
    );
    assert!(
        text.contains("formation = \"党组织 / 党组织名称\""),
        "{text}"
    );
    same_figures_as_the_fixture(work.path(), &draft, &text);
}

#[test]
fn a_file_init_cannot_place_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("说明.csv"), "序号,备注\n1,无\n").unwrap();
    std::fs::write(
        dir.path().join("党员_202611.csv"),
        "身份证号,党员类别,工作单位,党籍状态,\"入党\n日期\"\n990000199001011234,正式党员,北京甲公司,正常,2001-07-01\n",
    )
    .unwrap();
    let (stdout, text) = init(dir.path(), &dir.path().join("p.toml"));
    assert!(
        stdout.contains("not placed: 说明.csv: no row of its first ten names the fields"),
        "{stdout}"
    );
    assert!(text.contains("# NOT PLACED: 说明.csv"), "{text}");
    // A header wrapped over two lines, left out, stays on its comment line.
    assert!(
        text.contains("# Columns read as no canonical field (left out): 入党 日期\n"),
        "{text}"
    );
}

/// The hand-made fixture months drafted from their exports alone: the relations month
/// with no decision but the districts (its city named by GB/T 2260: no unit's name says
/// 北京市), the rules month with its one rulebook choice (joint_org_max_units = 2, which
/// no data can tell) added to the draft.
#[test]
fn drafts_of_the_fixture_months_give_their_figures() {
    for (name, rules) in [
        ("relations", ""),
        ("rules", "[rules]\njoint_org_max_units = 2\n"),
    ] {
        let work = tempfile::tempdir().unwrap();
        let exports = work.path().join("exports");
        std::fs::create_dir_all(&exports).unwrap();
        for entry in std::fs::read_dir(fixture(name)).unwrap().flatten() {
            let file = entry.file_name();
            let file = file.to_string_lossy();
            if file.ends_with(".csv") || file == "pseudonym.key" {
                std::fs::copy(entry.path(), exports.join(&*file)).unwrap();
            }
        }
        let draft = work.path().join("draft.toml");
        let (_, text) = init(&exports, &draft);
        assert!(text.contains("city_name = \"北京市\""), "{text}");
        let decided = text.replacen("\n[districts]\n", &format!("\n{rules}[districts]\n"), 1);
        std::fs::write(&draft, decided).unwrap();
        let (ours, theirs) = (
            work.path().join("draft-out"),
            work.path().join("fixture-out"),
        );
        run_ok(&draft, "2026-11", &ours);
        run_ok(&fixture(name).join("pipeline.toml"), "2026-11", &theirs);
        same_figures(&theirs, &ours);
    }
}

/// A member list whose 公民身份号码 column holds member numbers (2 of 2 no ID number):
/// every member would be rejected, so init says so, without showing a value.
#[test]
fn a_member_list_without_id_numbers_is_a_decision() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("党员_202611.csv"),
        "身份证号,党员类别,工作单位,党籍状态\nDY000001,正式党员,北京甲公司,正常\nDY000002,正式党员,北京甲公司,正常\n",
    )
    .unwrap();
    let (stdout, text) = init(dir.path(), &dir.path().join("p.toml"));
    let said = "2 of 2 values of `id_number` (公民身份号码) are no 15- or 18-character ID number";
    assert!(stdout.contains(said), "{stdout}");
    assert!(text.contains(&format!("# TO DECIDE: {said}")), "{text}");
    assert!(
        !text.contains("DY000001") && !stdout.contains("DY000001"),
        "{text}"
    );
}
