//! How much of an export the run keeps, told from its first rows before any file is read
//! whole: what a month needs in memory grows with the cells of the columns the pipeline
//! maps, not with the columns it ignores. A registry export from the 市场监管 system
//! carries 经营范围, 住所, 法定代表人 and a dozen more; a member export 性别, 民族, 学历,
//! 联系电话 … — most of their bytes, none of them kept past the row they are read in.

use std::io::Read;
use std::path::Path;

use crate::config::SourceSpec;

use super::{bind_columns, reader};

/// The head of a file read to tell its share of kept bytes: a few thousand rows.
const SAMPLE_BYTES: usize = 4 << 20;

/// The least a row is counted as, however few bytes of it are kept: a record costs its
/// fixed fields and its lineage whatever its texts hold (the narrowest rows of the
/// generator's months keep 50–60 bytes; see docs/decisions.md).
const ROW_FLOOR_BYTES: f64 = 48.0;

/// How many times its size a workbook's cells take as text (the sheets are deflated
/// XML). A workbook is read whole by the workbook reader, so it is not sampled.
const WORKBOOK_EXPANSION: u64 = 5;

/// The bytes of `path` the run keeps, as `spec` maps its columns: the file's length times
/// the share of its first rows' text that is in mapped columns, and at least
/// [`ROW_FLOOR_BYTES`] a row. A workbook counts five times its size; a file whose head
/// cannot be read as the source's table counts whole (its error comes when it is read).
pub fn kept_bytes(spec: &SourceSpec, path: &Path) -> u64 {
    let Ok(len) = std::fs::metadata(path).map(|m| m.len()) else {
        return 0;
    };
    if reader::is_workbook(path) {
        return len.saturating_mul(WORKBOOK_EXPANSION);
    }
    match sample(spec, path) {
        Some(s) => {
            let kept = len as f64 * s.kept_share;
            let rows = len as f64 * s.rows_per_byte;
            kept.max(rows * ROW_FLOOR_BYTES).min(len as f64) as u64
        }
        None => len,
    }
}

/// What the head of a file tells of the whole.
#[derive(Debug, PartialEq)]
struct Sample {
    /// Bytes of text in mapped cells over bytes of text in all cells (a cell's separator
    /// counted with it).
    kept_share: f64,
    /// Data rows over bytes of the head.
    rows_per_byte: f64,
}

fn sample(spec: &SourceSpec, path: &Path) -> Option<Sample> {
    let mut head = Vec::with_capacity(SAMPLE_BYTES);
    std::fs::File::open(path)
        .ok()?
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    // UTF-16 puts a zero byte after each line feed: its text is not cut at one.
    if reader::is_utf16(&head) {
        return None;
    }
    if head.len() == SAMPLE_BYTES {
        // A line feed is never part of a character in UTF-8 or GB18030.
        let end = head.iter().rposition(|&b| b == b'\n')?;
        head.truncate(end + 1);
    }
    let table = reader::read_table(path, &head, spec).ok()?;
    let columns = bind_columns(path, spec, &table).ok()?;
    let mapped = |i: usize| columns.index.values().any(|&c| c == i);
    let mapped: Vec<bool> = (0..table.headers.len()).map(mapped).collect();
    let (mut kept, mut all) = (0usize, 0usize);
    for row in &table.rows {
        for (i, cell) in row.cells.iter().enumerate() {
            all += cell.len() + 1;
            if mapped.get(i).copied().unwrap_or(false) {
                kept += cell.len() + 1;
            }
        }
    }
    (all > 0).then(|| Sample {
        kept_share: kept as f64 / all as f64,
        rows_per_byte: table.rows.len() as f64 / head.len() as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members_spec(columns: &str) -> SourceSpec {
        toml::from_str(&format!(
            "name = \"members\"\nkind = \"members\"\nfiles = [\"members.csv\"]\n\
             [columns]\n{columns}"
        ))
        .unwrap()
    }

    /// A member export with an unmapped 经营范围-sized column: a header and two rows.
    /// A row's cells, each with its separator, in bytes of UTF-8:
    ///   公民身份号码 990000195001030001 → 18 + 1 = 19, kept
    ///   工作单位 北京星河科技有限公司 → 10 × 3 + 1 = 31, kept
    ///   备注 300 × "x" → 300 + 1 = 301, not kept
    /// a row 351 bytes of cells, 50 of them kept: a share of 50 / 351.
    /// The file: the header 公民身份号码,工作单位,备注 and its line feed, 18 + 1 + 12 + 1 +
    /// 6 + 1 = 39 bytes, and two rows of 351: 741 bytes, 2 rows. Kept: 741 × 50 / 351 =
    /// 105.6 bytes; the floor, 2 rows × 48 = 96, is below it → 105.
    #[test]
    fn a_wide_column_the_pipeline_does_not_map_is_not_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        let row = format!(
            "990000195001030001,北京星河科技有限公司,{}\n",
            "x".repeat(300)
        );
        std::fs::write(&path, format!("公民身份号码,工作单位,备注\n{row}{row}")).unwrap();
        let spec = members_spec("id_number = \"公民身份号码\"\nemployer_name = \"工作单位\"\n");
        let s = sample(&spec, &path).unwrap();
        assert_eq!(s.kept_share, 50.0 / 351.0);
        assert_eq!(s.rows_per_byte, 2.0 / 741.0);
        assert_eq!(kept_bytes(&spec, &path), 105);
    }

    /// Rows that keep little count at the floor: the header 公民身份号码,备注 is 26 bytes
    /// (18, 1, 6 and its line feed), and 3 rows "1," and 60 × "x" are 63 bytes each (1, 1,
    /// 60 and a line feed): 215 bytes. The share kept is 2 / 63 → 6.8 bytes, below the
    /// floor of 3 rows × 48 = 144 → 144. A file that is no table of the source (its mapped
    /// column missing) counts whole: 姓名,备注 / 张三,x with their line feeds is 23 bytes
    /// (6, 1, 6, 1 and 6, 1, 1, 1).
    #[test]
    fn a_row_counts_at_least_the_floor_and_an_unreadable_head_counts_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        let spec = members_spec("id_number = \"公民身份号码\"\n");
        let row = format!("1,{}\n", "x".repeat(60));
        std::fs::write(&path, format!("公民身份号码,备注\n{row}{row}{row}")).unwrap();
        assert_eq!(kept_bytes(&spec, &path), 144);
        let other = dir.path().join("other.csv");
        std::fs::write(&other, "姓名,备注\n张三,x\n").unwrap();
        assert_eq!(kept_bytes(&spec, &other), 23);
    }
}
