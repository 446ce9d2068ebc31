//! The report writers on small hand-made sheets.
use super::*;
use calamine::{open_workbook, Data, Reader, Xlsx};

/// A list longer than a sheet can hold goes on in sheets named with their part
/// number, each under the same title and header. With sheets of 6 rows (title,
/// header, 4 data rows), 10 rows are 4 + 4 + 2 over three sheets: 名单, 名单（2）,
/// 名单（3）; the CSV copy has them all, once.
#[test]
fn a_list_longer_than_a_sheet_goes_on_in_numbered_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let conn = crate::database::open(None).unwrap();
    conn.execute_batch("CREATE TABLE t AS SELECT range AS n FROM range(10);")
        .unwrap();
    let sheet = Sheet {
        name: "名单".into(),
        title: "测试名单".into(),
        sql: r#"SELECT n AS "序号" FROM t ORDER BY n"#.into(),
        by_district: false,
    };
    let path = dir.path().join("book.xlsx");
    let mut book = Book::create(&path).unwrap();
    let csv_path = dir.path().join("book.csv");
    let file = std::fs::File::create(&csv_path).unwrap();
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let mut copy = CsvCopy {
        writer: &mut w,
        path: &csv_path,
    };
    write_query_sheet(&conn, &mut book, &sheet, Some(&mut copy), 6).unwrap();
    w.flush().unwrap();
    drop(w);
    book.finish().unwrap();
    let mut read: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(read.sheet_names(), ["名单", "名单（2）", "名单（3）"]);
    let mut parts = Vec::new();
    for name in read.sheet_names() {
        let range = read.worksheet_range(&name).unwrap();
        let rows: Vec<String> = range
            .rows()
            .map(|r| match &r[0] {
                Data::Float(f) => f.to_string(),
                other => other.to_string(),
            })
            .collect();
        parts.push(rows.join(","));
    }
    assert_eq!(
        parts,
        [
            "测试名单,序号,0,1,2,3",
            "测试名单,序号,4,5,6,7",
            "测试名单,序号,8,9"
        ]
    );
    let csv_text = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(csv_text, "序号\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
}

/// A two-level header as the attachments have it: 区 has no group (merged down over both
/// header rows), 党员 spans two columns (merged across, 正式 and 预备 under it), 覆盖率 is
/// a rate (no group, merged down; shown as 0.0%). The title is merged over the four
/// columns; the first data row is row 4, frozen below the three rows that repeat on every
/// printed page; A4 landscape, one page wide, page numbers in the footer.
#[test]
fn a_two_level_sheet_has_its_merges_pane_and_print_settings() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let conn = crate::database::open(None).unwrap();
    let sheet = Sheet {
        name: "汇总表".into(),
        title: "测试汇总".into(),
        sql: r#"SELECT '东城区' AS "区", 3 AS "党员|正式", NULL::INTEGER AS "党员|预备",
                0.25 AS "覆盖率""#
            .into(),
        by_district: false,
    };
    let path = dir.path().join("book.xlsx");
    let mut book = Book::create(&path).unwrap();
    write_query_sheet(&conn, &mut book, &sheet, None, EXCEL_ROWS).unwrap();
    book.finish().unwrap();

    let mut read: Xlsx<_> = open_workbook(&path).unwrap();
    let range = read.worksheet_range("汇总表").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["测试汇总", "", "", ""],
            ["区", "党员", "", "覆盖率"],
            ["", "正式", "预备", ""],
            ["东城区", "3", "", "0.25"],
        ]
    );
    read.load_merged_regions().unwrap();
    let mut merged: Vec<String> = read
        .merged_regions_by_sheet("汇总表")
        .iter()
        .map(|(_, _, d)| format!("{:?}-{:?}", d.start, d.end))
        .collect();
    merged.sort();
    // (row, column), 0-based: A1:D1, A2:A3, B2:C2, D2:D3.
    assert_eq!(
        merged,
        [
            "(0, 0)-(0, 3)",
            "(1, 0)-(2, 0)",
            "(1, 1)-(1, 2)",
            "(1, 3)-(2, 3)"
        ]
    );

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let sheet_xml = part("xl/worksheets/sheet1.xml");
    for expected in [
        r#"<pageSetUpPr fitToPage="1"/>"#,
        r#"<pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"/>"#,
        r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/>"#,
        "<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>",
        // The rate in the percent style (5), the NULL a bordered blank (3).
        r#"<c s="5"><v>0.25</v></c>"#,
        r#"<c s="3"/>"#,
    ] {
        assert!(sheet_xml.contains(expected), "{expected} in {sheet_xml}");
    }
    assert!(part("xl/workbook.xml").contains(
        r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'汇总表'!$1:$3</definedName>"#
    ));
}

/// A sheet whose rows also go to the districts' packs: the city's workbook has every
/// row, each district's the rows of its district in the same order, and a row of no
/// known district (the city's own row of a summary) the city's only. The district
/// column is not shown. Rows: 东城 a, 西城 b, 东城 c, 全市 d → city a b c d; 东城 a c;
/// 西城 b; each CSV copy likewise.
#[test]
fn a_sheets_rows_go_to_the_city_and_to_their_districts_pack() {
    let dir = tempfile::tempdir().unwrap();
    let conn = crate::database::open(None).unwrap();
    let sheet = Sheet {
        name: "名单".into(),
        title: "测试名单".into(),
        sql: format!(
            r#"SELECT name AS "单位名称", d AS {ROW_DISTRICT}
               FROM (VALUES (1, 'a', '110101'), (2, 'b', '110102'), (3, 'c', '110101'),
                            (4, 'd', '110000')) t(n, name, d) ORDER BY n"#
        ),
        by_district: true,
    };
    let report = Report {
        file: "名单".into(),
        csv: true,
        sheets: vec![sheet],
    };
    let packs: Vec<(String, PathBuf)> = ["110101", "110102"]
        .iter()
        .map(|code| {
            let pack = dir.path().join(code);
            std::fs::create_dir_all(&pack).unwrap();
            (code.to_string(), pack)
        })
        .collect();
    let city = dir.path().join("city");
    std::fs::create_dir_all(&city).unwrap();
    let written = write_report(&conn, &city, &packs, &report).unwrap();
    assert_eq!(written.len(), 6, "a workbook and a CSV copy each");
    let names = |d: &Path| -> Vec<String> {
        let mut read: Xlsx<_> = open_workbook(d.join("名单.xlsx")).unwrap();
        let range = read.worksheet_range("名单").unwrap();
        assert_eq!(range.width(), 1, "the district column is not shown");
        range.rows().skip(2).map(|r| r[0].to_string()).collect()
    };
    let csv_rows = |d: &Path| std::fs::read_to_string(d.join("名单.csv")).unwrap();
    assert_eq!(names(&city), ["a", "b", "c", "d"]);
    assert_eq!(names(&packs[0].1), ["a", "c"]);
    assert_eq!(names(&packs[1].1), ["b"]);
    assert_eq!(csv_rows(&packs[0].1), "\u{feff}单位名称\na\nc\n");
    assert_eq!(csv_rows(&city), "\u{feff}单位名称\na\nb\nc\nd\n");
}
