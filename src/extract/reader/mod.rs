//! Reading an export file into rows of text cells: CSV (after decoding) or an XLSX
//! sheet. Nothing here knows what the columns mean; every cell stays text, so a USCC
//! or ID number stored as a number in Excel never becomes a float in scientific form.

use std::path::Path;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use crate::calendar::civil_from_days;
use crate::config::{SheetChoice, Sheets, SourceSpec};
use crate::error::{Error, Result};

mod csv_text;
mod markup;

use csv_text::{read_csv, read_csv_streamed, scan};

/// A file's header and data rows, each row with its 1-based position in the file.
#[derive(Debug)]
pub struct RawTable {
    pub headers: Vec<String>,
    pub rows: Vec<RawRow>,
    /// What the reader found out about the file (encoding, sheet) for the manifest.
    pub format: String,
    /// The sheet read, where the workbook has several: two sources may read two sheets
    /// of one workbook, and their rows must stay apart in lineage.
    pub sheet: Option<String>,
}

impl RawTable {
    /// The table without its rows: what every row of it shares.
    pub fn header(&self) -> RawTable {
        RawTable {
            headers: self.headers.clone(),
            rows: Vec::new(),
            format: self.format.clone(),
            sheet: self.sheet.clone(),
        }
    }
}

#[derive(Debug)]
pub struct RawRow {
    pub row: u64,
    pub cells: Vec<String>,
}

/// Reads one file of a source from its bytes, read once by the caller: the bytes
/// hashed for the manifest are the bytes parsed.
pub fn read_table(path: &Path, bytes: &[u8], spec: &SourceSpec) -> Result<RawTable> {
    let mut rows = Vec::new();
    let mut table = read_in_batches(path, bytes, spec, usize::MAX, &mut |_, batch, _| {
        rows.extend(batch);
        Ok(())
    })?;
    table.rows = rows;
    Ok(table)
}

/// What [`read_in_batches`] hands on: the table's header (its `rows` empty), a batch of
/// data rows and the share of the file read so far.
pub type Batches<'f> = dyn FnMut(&RawTable, Vec<RawRow>, f64) -> Result<()> + 'f;

/// Reads one file of a source from the file, as [`read_in_batches`] does, and returns
/// its header and the SHA-256 of the bytes parsed. A CSV file in UTF-8 or GB18030 is
/// parsed as it is read (never held whole); a workbook is read whole first (the workbook
/// reader needs it), as is a CSV file whose encoding setting it contradicts (the error
/// that names the bad line needs it).
pub fn read_file_in_batches(
    path: &Path,
    spec: &SourceSpec,
    batch: usize,
    each: &mut Batches,
) -> Result<(RawTable, String)> {
    if !is_workbook(path) {
        let scan = scan(path)?;
        sniff(path, &scan.head, false)?;
        use crate::config::Encoding;
        let utf8 = scan.utf8 && spec.encoding != Encoding::Gb18030;
        let gb18030 = !scan.bom
            && (spec.encoding == Encoding::Gb18030
                || (spec.encoding == Encoding::Auto && !scan.utf8));
        // UTF-16 (Excel's Unicode text) is decoded whole.
        let utf16 = is_utf16(&scan.head);
        if (utf8 || gb18030) && !utf16 {
            let table = read_csv_streamed(path, &scan, gb18030, spec, batch, each)?;
            return Ok((table, scan.sha256));
        }
    }
    let bytes = std::fs::read(path).map_err(Error::io(path))?;
    let sha256 = {
        use sha2::{Digest, Sha256};
        hex::encode(&Sha256::digest(&bytes)[..])
    };
    Ok((read_in_batches(path, &bytes, spec, batch, each)?, sha256))
}

/// Whether a text file's first bytes are a UTF-16 byte-order mark (Excel's 另存为
/// Unicode 文本): such text is decoded whole, and a line feed in it is followed by a zero.
pub fn is_utf16(head: &[u8]) -> bool {
    head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF")
}

/// Whether a file is a workbook, by its name.
pub fn is_workbook(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls")
}

/// Reads one file of a source as [`read_table`] does, handing its data rows on in
/// batches of at most `batch` rows once the header is known, so that a large export's
/// rows are never all held as cells at once (2M member rows take 1.3 GB as cells);
/// returns the header.
pub fn read_in_batches(
    path: &Path,
    bytes: &[u8],
    spec: &SourceSpec,
    batch: usize,
    each: &mut Batches,
) -> Result<RawTable> {
    let workbook = is_workbook(path);
    sniff(path, bytes, workbook)?;
    if !workbook {
        return read_csv(path, bytes, spec, batch, each);
    }
    // The workbook reader holds the whole sheet anyway.
    let mut table = if markup::is_markup(bytes) {
        read_markup(path, bytes, spec)?
    } else {
        read_sheet_guarded(path, bytes, spec)?
    };
    let total = table.rows.len().max(1) as f64;
    let (mut rows, mut done) = (std::mem::take(&mut table.rows).into_iter(), 0);
    loop {
        let part: Vec<RawRow> = rows.by_ref().take(batch).collect();
        if part.is_empty() {
            return Ok(table);
        }
        done += part.len();
        each(&table, part, done as f64 / total)?;
    }
}

/// What a file is by its first bytes, where that is not what its name says: a web page
/// or a PDF saved under `.xlsx` or `.csv` is named as such, not as a zip or decoding
/// error that tells a clerk nothing.
fn sniff(path: &Path, bytes: &[u8], workbook: bool) -> Result<()> {
    let head = &bytes[..bytes.len().min(512)];
    let expected = if workbook {
        "an XLSX workbook: export it again as Excel (.xlsx)"
    } else {
        "a CSV file: export it again as CSV"
    };
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head))
        .trim_start()
        .to_ascii_lowercase();
    let found = if head.starts_with(b"%PDF") {
        Some("a PDF document")
    } else if !workbook
        && (text.starts_with("<!doctype html")
            || text.starts_with("<html")
            || (text.starts_with("<?xml") && text.contains("<html")))
    {
        Some("an HTML page")
    } else if !workbook && head.starts_with(b"PK\x03\x04") {
        Some("a zip archive (an XLSX workbook?)")
    } else if workbook
        && !head.starts_with(b"PK\x03\x04")
        && !head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        && !markup::is_markup(head)
        && !head.is_empty()
    {
        Some("a file without the signature of a workbook")
    } else {
        None
    };
    match found {
        Some(what) => Err(Error::Input {
            path: path.to_path_buf(),
            message: format!("{what}, not {expected}"),
        }),
        None => Ok(()),
    }
}

/// A web page or XML Spreadsheet saved as a workbook (see `markup`): its largest table
/// as the sheet. It has no sheets to choose from.
fn read_markup(path: &Path, bytes: &[u8], spec: &SourceSpec) -> Result<RawTable> {
    let (text, encoding) = markup::decode(bytes);
    let rows: Vec<RawRow> = markup::rows(&text).into_iter().filter(has_text).collect();
    if rows.is_empty() {
        // A system's error or login page saved under the export's name.
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: "a web page without a table, not an XLSX workbook: export it again as \
                      Excel (.xlsx)"
                .into(),
        });
    }
    split_header(
        path,
        rows,
        spec,
        format!("a table in markup saved as a workbook ({encoding})"),
    )
}

/// The sheets a file offers to read: a workbook's by name, in their order; one
/// unnamed for a CSV file or a table in markup saved as a workbook.
pub fn sheets(path: &Path, bytes: &[u8]) -> Result<Vec<Option<String>>> {
    if !is_workbook(path) || markup::is_markup(bytes) {
        return Ok(vec![None]);
    }
    sniff(path, bytes, true)?;
    let book = std::panic::catch_unwind(|| open_workbook_auto_from_rs(std::io::Cursor::new(bytes)))
        .map_err(|_| "the XLSX reader could not make sense of it".to_string())
        .and_then(|b| b.map_err(|e| e.to_string()))
        .map_err(|e| Error::Input {
            path: path.to_path_buf(),
            message: format!("not a readable workbook: {e}"),
        })?;
    Ok(book.sheet_names().into_iter().map(Some).collect())
}

/// The XLSX reader indexes into the file's own tables without checking them, so a
/// damaged workbook can make it panic (found by fuzzing, calamine 0.30); that becomes an
/// error naming the file instead of a crash.
fn read_sheet_guarded(path: &Path, bytes: &[u8], spec: &SourceSpec) -> Result<RawTable> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_sheet(path, bytes, spec)
    }))
    .unwrap_or_else(|_| {
        Err(Error::Input {
            path: path.to_path_buf(),
            message: "the workbook is damaged: the XLSX reader could not make sense of it".into(),
        })
    })
}

fn read_sheet(path: &Path, bytes: &[u8], spec: &SourceSpec) -> Result<RawTable> {
    let input = |message: String| Error::Input {
        path: path.to_path_buf(),
        message,
    };
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| input(format!("not a readable workbook: {e}")))?;
    let names = book.sheet_names();
    let choice = match &spec.sheet {
        None => None,
        Some(Sheets::One(c)) => Some(c),
        Some(Sheets::Many(list)) => list.first(),
    };
    let sheet = match choice {
        None => names.first().cloned(),
        Some(SheetChoice::Index(i)) => names.get(*i).cloned(),
        Some(SheetChoice::Name(n)) => names.iter().find(|s| *s == n).cloned(),
    }
    .ok_or_else(|| {
        input(format!(
            "no sheet {}; sheets: {}",
            match choice {
                Some(SheetChoice::Name(n)) => n.clone(),
                Some(SheetChoice::Index(i)) => format!("number {i} (0-based)"),
                None => "at all".into(),
            },
            names.join(", ")
        ))
    })?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| input(format!("sheet {sheet}: {e}")))?;
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut rows: Vec<RawRow> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut out = vec![String::new(); first_col];
            out.extend(cells.iter().map(cell_text));
            RawRow {
                row: (first_row + i) as u64 + 1,
                cells: out,
            }
        })
        .collect();
    // A merged cell holds its value in its top-left cell only; a person reads it in
    // every cell it covers (a header over two columns, a district over ten rows).
    let merges = match &mut book {
        calamine::Sheets::Xlsx(x) => x.worksheet_merge_cells(&sheet).and_then(|r| r.ok()),
        _ => None,
    };
    for m in merges.unwrap_or_default() {
        let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
        let value = rows
            .get(r0.wrapping_sub(first_row))
            .and_then(|r| r.cells.get(c0))
            .cloned()
            .unwrap_or_default();
        for r in r0..=m.end.0 as usize {
            let Some(row) = rows.get_mut(r.wrapping_sub(first_row)) else {
                continue;
            };
            for c in c0..=m.end.1 as usize {
                if row.cells.len() <= c {
                    row.cells.resize(c + 1, String::new());
                }
                row.cells[c] = value.clone();
            }
        }
    }
    rows.retain(has_text);
    let mut table = split_header(path, rows, spec, format!("xlsx, sheet {sheet}"))?;
    table.sheet = (names.len() > 1).then_some(sheet);
    Ok(table)
}

/// Text of a cell as a person sees it. Whole numbers print without a decimal point or
/// exponent (a code typed as a number stays a code).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => {
            excel_serial_to_date(d.as_f64()).unwrap_or_else(|| float_text(d.as_f64()))
        }
        Data::Error(e) => format!("#ERROR {e:?}"),
    }
}

/// Excel keeps 15 significant digits: a whole number up to that prints exactly; a longer
/// code stored as a number has already lost digits and prints in scientific notation,
/// which extract rejects with that reason.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else if f.abs() >= 1e15 {
        format!("{f:E}")
    } else {
        f.to_string()
    }
}

/// Excel's 1900 date system (with its phantom 1900-02-29) to YYYY-MM-DD.
pub fn excel_serial_to_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Serial 25569 is 1970-01-01; serials below 61 are shifted by the fake leap day.
    let days = if days < 61 { days + 1 } else { days };
    let (y, m, d) = civil_from_days(days - 25569);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Separates the header from the data. With several header rows (`header_rows`), a
/// column's header is its parts from top to bottom, e.g. `党员情况 / 正式党员`.
fn split_header(
    path: &Path,
    rows: Vec<RawRow>,
    spec: &SourceSpec,
    format: String,
) -> Result<RawTable> {
    if rows.is_empty() {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: "the file is empty: no header and no rows".into(),
        });
    }
    let (first, count) = (spec.header_row as u64, spec.header_rows.max(1) as u64);
    let last = first + count - 1;
    let mut header_rows = Vec::new();
    let mut data = Vec::new();
    for r in rows {
        if r.row < first {
            continue;
        } else if r.row <= last {
            header_rows.push(r);
        } else if has_text(&r) {
            data.push(r);
        }
    }
    if header_rows.first().map(|r| r.row) != Some(first) {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: format!("no header in row {first} (header_row in the pipeline file)"),
        });
    }
    let rows: Vec<&Vec<String>> = header_rows.iter().map(|r| &r.cells).collect();
    let headers = join_header_rows(&rows);
    Ok(RawTable {
        headers,
        rows: data,
        format,
        sheet: None,
    })
}

/// Each column's header from rows spread over several header rows: its parts from top
/// to bottom, joined by [`HEADER_PARTS`]. A group header (所在单位 over 统一社会信用代码
/// and 名称) stands over the empty cells to its right, as a merged cell does, where
/// written in its first cell only (a CSV, or a workbook whose merge was lost): a group
/// is a cell with a part below it; a header merged down over the rows has none.
pub fn join_header_rows(rows: &[&Vec<String>]) -> Vec<String> {
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let cell = |r: &[String], c: usize| r.get(c).map_or("", |s| s.trim()).to_string();
    let mut grid: Vec<Vec<String>> = rows
        .iter()
        .map(|r| (0..width).map(|c| cell(r, c)).collect())
        .collect();
    for k in 1..grid.len() {
        let (above, below) = grid.split_at_mut(k);
        let (upper_row, lower_row) = (&mut above[k - 1], &below[0]);
        let mut group: Option<String> = None;
        for (upper, lower) in upper_row.iter_mut().zip(lower_row) {
            if !upper.is_empty() {
                group = (!lower.is_empty()).then(|| upper.clone());
            } else if let Some(g) = group.as_ref().filter(|_| !lower.is_empty()) {
                *upper = g.clone();
            } else {
                group = None;
            }
        }
    }
    (0..width)
        .map(|c| {
            let mut parts: Vec<&str> = Vec::new();
            for r in &grid {
                let part = r[c].as_str();
                if !part.is_empty() && parts.last() != Some(&part) {
                    parts.push(part);
                }
            }
            parts.join(HEADER_PARTS)
        })
        .collect()
}

/// A row with something in it: blank rows are no data.
fn has_text(r: &RawRow) -> bool {
    r.cells.iter().any(|c| !c.trim().is_empty())
}

/// Joins the parts of a header spread over several header rows.
pub const HEADER_PARTS: &str = " / ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_codes() {
        assert_eq!(
            cell_text(&Data::Float(110108000000016.0)),
            "110108000000016"
        );
        assert_eq!(cell_text(&Data::Float(12.5)), "12.5");
        assert_eq!(cell_text(&Data::Int(42)), "42");
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_serial_to_date(45658.0).as_deref(), Some("2025-01-01"));
        assert_eq!(excel_serial_to_date(1.0).as_deref(), Some("1900-01-01"));
        assert_eq!(excel_serial_to_date(61.0).as_deref(), Some("1900-03-01"));
    }
}
