//! The campaign's loop: a district's work pack, filled in and returned, read back by the
//! next run (issue 21), on the small fixture month with one ambiguous employer text.
//!
//! The month: the small fixture plus member 19 (organization J1), whose 工作单位
//! 北京星码科技有限公司 is one character from two units — 北京星河科技有限公司 (河→码) and
//! 北京错码科技有限公司 (错→星) — so it goes to review with both (and a third, scored).

use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_xlsxwriter::Workbook;

use crate::util::{copy_fixture, query, run_ok};

const TEXT: &str = "北京星码科技有限公司";
const XINGHE: &str = "UC-100000016";
const CUOMA: &str = "UC-100000112";
const MINGYUAN: &str = "UC-100000040";

/// The small month with member 19 and a `[feedback]` section.
fn month() -> tempfile::TempDir {
    let dir = copy_fixture("small");
    let members = dir.path().join("members.csv");
    let mut text = std::fs::read_to_string(&members).unwrap();
    text.push_str(&format!(
        "测试党员19,990101198001010196,正式党员,J1,{TEXT},,正常\n"
    ));
    std::fs::write(&members, text).unwrap();
    let pipeline = dir.path().join("pipeline.toml");
    let mut toml = std::fs::read_to_string(&pipeline).unwrap();
    toml.push_str("\n[feedback]\nfiles = [\"反馈/{yyyymm}/*.xlsx\"]\n");
    std::fs::write(&pipeline, toml).unwrap();
    dir
}

/// A cell edit of a returned pack: in `sheet`, the row whose column `key` is `value`
/// gets `text` in column `column`.
struct Edit<'a> {
    sheet: &'a str,
    key: (&'a str, &'a str),
    column: &'a str,
    text: &'a str,
}

/// What a district does with its pack: opens it, fills in cells, saves it as `to` —
/// every cell copied as it was read, so the check codes stay as the tool wrote them.
fn return_pack(pack: &Path, to: &Path, edits: &[Edit]) {
    return_pack_reworked(pack, to, edits, &Rework::default())
}

/// What else a district may do to its pack before it sends it back.
#[derive(Default)]
struct Rework<'a> {
    /// A row of its own inserted above the headers of each form sheet.
    note: Option<&'a str>,
    /// A sheet renamed (from, to).
    rename: Option<(&'a str, &'a str)>,
    /// A sheet of its own added, with one cell of text.
    extra_sheet: Option<(&'a str, &'a str)>,
}

/// As [`return_pack`], reworked as `rework` says.
fn return_pack_reworked(pack: &Path, to: &Path, edits: &[Edit], rework: &Rework) {
    let mut book: Xlsx<_> = open_workbook(pack).expect("open the pack");
    let mut out = Workbook::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let mut rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let header = |rows: &Vec<Vec<Data>>, h: &str| {
            rows[1]
                .iter()
                .position(|c| *c == h)
                .unwrap_or_else(|| panic!("{h}"))
        };
        for e in edits.iter().filter(|e| e.sheet == name) {
            let (k, c) = (header(&rows, e.key.0), header(&rows, e.column));
            let row = rows
                .iter_mut()
                .find(|r| r[k] == e.key.1)
                .unwrap_or_else(|| panic!("{}: no row {}", e.sheet, e.key.1));
            row[c] = match e.text.strip_prefix("date:") {
                Some(day) => Data::DateTimeIso(day.to_string()),
                None => Data::String(e.text.to_string()),
            };
        }
        let ws = out.add_worksheet();
        let saved_as = match rework.rename {
            Some((from, to)) if from == name => to,
            _ => name.as_str(),
        };
        ws.set_name(saved_as).unwrap();
        let below = match rework.note.filter(|_| name != "说明") {
            Some(note) => {
                ws.write_string(0, 0, note).unwrap();
                1
            }
            None => 0,
        };
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + below, c as u16);
                match v {
                    Data::Empty => {}
                    Data::Float(f) => drop(ws.write_number(r, c, *f).unwrap()),
                    Data::Int(i) => drop(ws.write_number(r, c, *i as f64).unwrap()),
                    // A date typed into the cell: Excel keeps a day number, shown as a date.
                    Data::DateTimeIso(day) => {
                        let day = rust_xlsxwriter::ExcelDateTime::parse_from_str(day).unwrap();
                        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
                        ws.write_datetime_with_format(r, c, &day, &format).unwrap();
                    }
                    other => drop(ws.write_string(r, c, other.to_string()).unwrap()),
                }
            }
        }
    }
    if let Some((name, text)) = rework.extra_sheet {
        let ws = out.add_worksheet();
        ws.set_name(name).unwrap();
        ws.write_string(0, 0, text).unwrap();
    }
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    out.save(to).unwrap();
}

fn pack(out: &Path, period: &str) -> PathBuf {
    out.join("reports")
        .join(period)
        .join("各区/东城区")
        .join(format!("反馈_东城区_{period}.xlsx"))
}

fn one(db: &Path, sql: &str) -> Vec<String> {
    query(db, sql).into_iter().map(|r| r.join(" ")).collect()
}

/// Month 1 (2026-11): the district rejects 错码 for the text, corrects 明远咨询's staff
/// from the registry's 60 to 45 (依据 实地核查), writes 任务措施 and (as a date typed into
/// the cell) 计划完成时间 for 明远, and changes a
/// protected cell (青少年科技教育协会's name) while correcting its staff; the workbook
/// arrives twice. Rerun: 错码 is no longer proposed for the text (星河 and the scored
/// 协会 remain); 明远 has 45 employees from feedback, so it leaves the 50人以上无党员 list
/// (60 ≥ 50 before, 45 < 50 now); the plan reaches action_plan; each copy's edited row
/// is a reject (2), and the second copy's four decisions (the rejection, the staff
/// correction, the two plan fields) are flagged as repeated.
///
/// Month 2 (2026-12, the same exports but 明远's registry now says 70): the district
/// confirms 星河 for the text. Member 19 is linked by rule `reviewed` to 星河 (score 1),
/// 错码's rejection still stands, the correction still gives 45, and since the registry
/// moved from 60 to 70 — neither the 60 corrected nor the 45 — `feedback_conflicts` lists it.
#[test]
fn a_returned_pack_is_applied_the_next_run_and_month_after_month() {
    let dir = month();
    let pipeline = dir.path().join("pipeline.toml");
    let out = tempfile::tempdir().unwrap();
    run_ok(&pipeline, "2026-11", out.path());
    let db = out.path().join("coverage.duckdb");
    let candidates = |db: &Path, period: &str| {
        one(db, &format!("SELECT DISTINCT candidate_unit_id FROM link_review WHERE period = '{period}' AND employer_name = '{TEXT}' ORDER BY 1"))
    };
    assert_eq!(candidates(&db, "2026-11"), [XINGHE, CUOMA, "UC-200000013"]);

    let returned = dir.path().join("反馈/202611/反馈_东城区_2026-11.xlsx");
    return_pack(
        &pack(out.path(), "2026-11"),
        &returned,
        &[
            Edit {
                sheet: "党员工作单位待确认",
                key: ("候选单位编号", CUOMA),
                column: "确认结果",
                text: "否决",
            },
            Edit {
                sheet: "单位信息更正",
                key: ("单位编号", MINGYUAN),
                column: "实际职工人数",
                text: "45",
            },
            Edit {
                sheet: "单位信息更正",
                key: ("单位编号", MINGYUAN),
                column: "依据",
                text: "实地核查",
            },
            Edit {
                sheet: "单位信息更正",
                key: ("单位编号", "UC-200000013"),
                column: "单位名称",
                text: "改过的名称",
            },
            Edit {
                sheet: "单位信息更正",
                key: ("单位编号", "UC-200000013"),
                column: "实际职工人数",
                text: "12",
            },
            Edit {
                sheet: "单位信息更正",
                key: ("单位编号", "UC-200000013"),
                column: "依据",
                text: "电话核实",
            },
            Edit {
                sheet: "一企一策",
                key: ("单位编号", MINGYUAN),
                column: "任务措施",
                text: "发展党员、建立功能型党支部",
            },
            Edit {
                sheet: "一企一策",
                key: ("单位编号", MINGYUAN),
                column: "计划完成时间",
                text: "date:2027-03-31",
            },
        ],
    );
    std::fs::copy(
        &returned,
        returned.with_file_name("反馈_东城区_2026-11(1).xlsx"),
    )
    .unwrap();
    run_ok(&pipeline, "2026-11", out.path());
    assert_eq!(candidates(&db, "2026-11"), [XINGHE, "UC-200000013"]);
    assert_eq!(
        one(&db, &format!("SELECT employees, employees_source, corrected_fields FROM unit_status WHERE unit_id = '{MINGYUAN}'")),
        ["45 feedback employees"]
    );
    assert!(one(&db, "SELECT unit_id FROM list_enterprise_needs_members").is_empty());
    assert_eq!(
        one(
            &db,
            &format!(
                "SELECT plan_measures, plan_due FROM action_plan WHERE unit_id = '{MINGYUAN}'"
            )
        ),
        // The date typed into 计划完成时间 reads as a date, not Excel's day number.
        ["发展党员、建立功能型党支部 2027-03-31"]
    );
    assert_eq!(
        one(
            &db,
            "SELECT kind, count(*) FROM rejects WHERE source = 'feedback' GROUP BY 1"
        ),
        ["feedback_protected_edited 2"]
    );
    assert_eq!(
        one(
            &db,
            "SELECT kind, count(*) FROM flags WHERE source = 'feedback' GROUP BY 1"
        ),
        ["feedback_repeated 4"]
    );
    assert_eq!(
        one(&db, "SELECT kind, coalesce(field, '-'), unit_id FROM feedback_decisions WHERE period = '2026-11' AND superseded_by IS NULL ORDER BY 1, 3, 2"),
        [format!("correction employees {MINGYUAN}"), format!("link_rejected - {CUOMA}"), format!("plan due {MINGYUAN}"), format!("plan measures {MINGYUAN}")]
    );

    // Month 2: 明远's registry row now says 70; the district confirms 星河.
    let registry = dir.path().join("enterprises_dongcheng.csv");
    let bytes = std::fs::read(&registry).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(text.contains(",60"), "明远's 60 employees in the registry");
    let lines: Vec<Vec<u8>> = bytes
        .split(|b| *b == b'\n')
        .map(|l| {
            if l.starts_with(b"91110101100000040H") {
                let s = l.iter().rposition(|b| *b == b',').unwrap();
                [&l[..=s], b"70".as_slice()].concat()
            } else {
                l.to_vec()
            }
        })
        .collect();
    std::fs::write(&registry, lines.join(&b'\n')).unwrap();
    return_pack(
        &pack(out.path(), "2026-11"),
        &dir.path().join("反馈/202612/反馈_东城区_2026-11.xlsx"),
        &[Edit {
            sheet: "党员工作单位待确认",
            key: ("候选单位编号", XINGHE),
            column: "确认结果",
            text: "确认",
        }],
    );
    run_ok(&pipeline, "2026-12", out.path());
    assert_eq!(
        one(&db, &format!("SELECT unit_id, link_rule, link_score FROM members WHERE period = '2026-12' AND employer_name = '{TEXT}'")),
        [format!("{XINGHE} reviewed 1.000000")]
    );
    assert!(candidates(&db, "2026-12").is_empty());
    assert_eq!(
        one(&db, &format!("SELECT employees, employees_source FROM unit_status WHERE period = '2026-12' AND unit_id = '{MINGYUAN}'")),
        ["45 feedback"]
    );
    assert_eq!(
        one(&db, "SELECT unit_id, field, corrected_value, registry_value_then, registry_value_now FROM feedback_conflicts WHERE period = '2026-12'"),
        [format!("{MINGYUAN} employees 45 60 70")]
    );
    assert_eq!(
        one(&db, "SELECT kind, unit_id FROM feedback_decisions WHERE period = '2026-12' AND superseded_by IS NULL AND kind LIKE 'link%' ORDER BY 1"),
        [format!("link_confirmed {XINGHE}"), format!("link_rejected {CUOMA}")]
    );
}

/// A district that writes a note of its own above the headers of every sheet, renames
/// 单位信息更正 (Sheet3), adds a sheet of its own (备注) and types 登记状态更正 over its
/// drop-down as 注销: each row is still read where its headers are, the renamed sheet by
/// its headers, and the sheet of its own is rejected as no part of the pack (one row).
/// 明远 (60 staff, 东城) is corrected as deregistered, so out of scope; 错码 is rejected
/// for the text.
#[test]
fn a_pack_returned_with_rows_above_its_headers_is_read_where_they_are() {
    let dir = month();
    let pipeline = dir.path().join("pipeline.toml");
    let out = tempfile::tempdir().unwrap();
    run_ok(&pipeline, "2026-11", out.path());
    let db = out.path().join("coverage.duckdb");
    let edit = |sheet, key, column, text| Edit {
        sheet,
        key,
        column,
        text,
    };
    return_pack_reworked(
        &pack(out.path(), "2026-11"),
        &dir.path().join("反馈/202611/反馈_东城区_2026-11.xlsx"),
        &[
            edit(
                "党员工作单位待确认",
                ("候选单位编号", CUOMA),
                "确认结果",
                "否决",
            ),
            edit(
                "单位信息更正",
                ("单位编号", MINGYUAN),
                "登记状态更正",
                "注销",
            ),
            edit(
                "单位信息更正",
                ("单位编号", MINGYUAN),
                "依据",
                "区市场监管局函",
            ),
        ],
        &Rework {
            note: Some("东城区组织部 2026年12月3日填报"),
            rename: Some(("单位信息更正", "Sheet3")),
            extra_sheet: Some(("备注", "明远已于11月注销")),
        },
    );
    // Beside it, a copy saved in the old format, which the pattern (*.xlsx) does not
    // read — rejected, not passed over — and Office's lock file, which is no one's work.
    let folder = dir.path().join("反馈/202611");
    std::fs::write(
        folder.join("反馈_东城区_2026-11.xls"),
        b"an old-format copy",
    )
    .unwrap();
    std::fs::write(folder.join("~$反馈_东城区_2026-11.xlsx"), b"lock").unwrap();
    run_ok(&pipeline, "2026-11", out.path());
    assert_eq!(
        one(&db, "SELECT kind, coalesce(field, '-'), coalesce(value, '-'), unit_id FROM feedback_decisions WHERE superseded_by IS NULL ORDER BY 1, 4"),
        [format!("correction status deregistered {MINGYUAN}"), format!("link_rejected - - {CUOMA}")]
    );
    assert_eq!(
        one(&db, "SELECT kind, reason FROM rejects WHERE source = 'feedback' ORDER BY source_file"),
        [
            "feedback_not_accepted not read: the pipeline's [feedback] files (反馈/{yyyymm}/*.xlsx) do not match it; save it as they say, or widen them",
            "feedback_not_accepted sheet `备注` is no sheet of the work pack; its rows are not read",
        ]
    );
    assert_eq!(
        one(
            &db,
            &format!(
                "SELECT in_scope, corrected_fields FROM unit_status WHERE unit_id = '{MINGYUAN}'"
            )
        ),
        ["false status"]
    );
}

/// No pack may hold a member's name or ID number: the texts a member wrote as 工作单位
/// are there, never who wrote them.
#[test]
fn no_pack_holds_a_member_name_or_id_number() {
    let dir = month();
    let out = tempfile::tempdir().unwrap();
    run_ok(&dir.path().join("pipeline.toml"), "2026-11", out.path());
    let packs = out.path().join("reports/2026-11/各区");
    let mut seen = 0;
    for district in std::fs::read_dir(&packs).unwrap() {
        for file in std::fs::read_dir(district.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "xlsx") {
                let mut book: Xlsx<_> = open_workbook(&path).unwrap();
                for name in book.sheet_names() {
                    for cell in book.worksheet_range(&name).unwrap().used_cells() {
                        let text = cell.2.to_string();
                        assert!(
                            !text.contains("测试党员"),
                            "{}: a member's name",
                            path.display()
                        );
                        assert!(
                            !text.contains("99010119"),
                            "{}: an ID number",
                            path.display()
                        );
                    }
                }
                seen += 1;
            }
        }
    }
    // 3 districts × (合规清单, 一企一策, 附件1–4, 反馈) = 3 × 7 workbooks.
    assert_eq!(seen, 21);
}
