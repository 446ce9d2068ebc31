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
    };
    let path = dir.path().join("book.xlsx");
    let xl = |e: XlsxError| Error::output(&path, e);
    let mut book = workbook().unwrap();
    let csv_path = dir.path().join("book.csv");
    let file = std::fs::File::create(&csv_path).unwrap();
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    write_query_sheet(&conn, &mut book, &sheet, Some(&mut w), &xl, 6).unwrap();
    w.flush().unwrap();
    drop(w);
    book.save(&path).unwrap();
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
