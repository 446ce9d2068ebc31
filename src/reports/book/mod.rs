//! The report workbooks' writer: sheets of a title, one- or two-level headers and data
//! rows streamed from a query (and the districts' returned workbooks, with their locked
//! and unlocked cells and drop-downs), written straight as SpreadsheetML into the zip.
//!
//! Why not rust_xlsxwriter (which writes coverage-synth's exports): it looks each
//! cell's `Format` up in a hash map and
//! keeps strings in a shared table, and its XML is deflated at zlib's default effort.
//! The attachments and lists hold a row per unit, twice (the city's file and the
//! district's), and writing them was the run's longest stage (200k units: 8.8 s of
//! 24 s). Here a cell names one of six fixed styles by its index and strings are inline:
//! the same 122,340-row 附件1 sheet took 0.55 s instead of 2.5 s and 3.3 MB instead of
//! 9.0 MB. Every cell, merge, width, height, frozen pane and print setting is the one the
//! reports had (`bench/same_outputs.sh` compares every cell of every workbook).

use std::fs::File;
use std::io::Seek;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

mod archive;
use archive::{deflated, Archive, Deflater, Piece};
mod package;
use package::{
    content_types, workbook_rels, workbook_xml, APP, CORE, MAIN_NS, PACKAGE_RELS, REL_NS, STYLES,
    XML,
};

/// The cell styles of the workbooks, by their index in `STYLES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Excel's default (a note under a form).
    Plain = 0,
    /// A report's title: bold, 14 points, centred.
    Title = 1,
    /// A report's header cell: bold, wrapped, centred, grey, bordered.
    Header = 2,
    /// Text (and a number shown as written): bordered, wrapped.
    Text = 3,
    /// A whole number: bordered, `0`.
    Number = 4,
    /// A rate: bordered, `0.0%`.
    Percent = 5,
    /// A returned workbook's title: bold, 13 points.
    FormTitle = 6,
    /// A returned workbook's header cell: bold, wrapped, darker grey, bordered.
    FormHeader = 7,
    /// What the tool wrote in a returned workbook: greyed, bordered, locked.
    Tool = 8,
    /// What the district writes: bordered, unlocked on a protected sheet.
    Entry = 9,
}

/// One value of a row.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Text(&'a str, Style),
    Number(f64, Style),
    /// Bordered (or titled) but empty: the rest of a merged range, a NULL.
    Blank(Style),
}

/// A sheet's view, print and protection settings.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Rows frozen above the data (0 for none).
    pub frozen_rows: u32,
    /// A report: A4 landscape one page wide, the frozen rows repeated on every printed
    /// page, page numbers in the footer (else the spreadsheet's default page).
    pub printed: bool,
    /// Locked cells cannot be edited; columns and rows can still be resized and
    /// filtered.
    pub protected: bool,
}

/// What a column's cells may hold (a drop-down, or a whole number).
#[derive(Debug, Clone, Copy)]
pub enum Validation<'a> {
    List(&'a [&'a str]),
    WholeAtLeast(i64),
}

/// A workbook being written: the sheets go into the zip as each is finished.
pub struct Book {
    path: PathBuf,
    zip: Archive,
    /// Each finished sheet's name and the rows printed on every page (0 for none).
    sheets: Vec<(String, u32)>,
    /// Sheets started: each has a rows file of its own (a long list's parts are all open
    /// until its last row sets the widths).
    started: usize,
}

/// A sheet being written: its rows go to a file beside the workbook until the column
/// widths are known (they precede the rows in the sheet's XML).
pub struct Sheet {
    name: String,
    layout: Layout,
    rows_path: PathBuf,
    /// Deflated as written; taken when the sheet is added to its workbook.
    rows: Option<Deflater<File>>,
    next_row: u32,
    last_col: u16,
    merges: Vec<(u32, u16, u32, u16)>,
    hidden: Vec<u16>,
    /// Each validation's XML, written after the rows.
    validations: Vec<String>,
    line: Vec<u8>,
}

/// Rows an Excel sheet can hold.
pub const EXCEL_ROWS: u32 = 1_048_576;

impl Book {
    pub fn create(path: &Path) -> Result<Book> {
        let file = File::create(path).map_err(|e| Error::output(path, e))?;
        Ok(Book {
            path: path.to_path_buf(),
            zip: Archive::create(path, file),
            sheets: Vec::new(),
            started: 0,
        })
    }

    fn zipped(&self, e: impl std::fmt::Display) -> Error {
        Error::output(&self.path, e)
    }

    /// Starts a sheet named `name`; its rows are written with [`Sheet::row`] and it is
    /// put into the workbook by [`Book::add`].
    pub fn sheet(&mut self, name: &str, layout: Layout) -> Result<Sheet> {
        self.started += 1;
        let rows_path = self.path.with_extension(format!("rows-{}", self.started));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&rows_path)
            .map_err(|e| Error::output(&rows_path, e))?;
        Ok(Sheet {
            name: name.to_string(),
            layout,
            rows_path,
            rows: Some(Deflater::new(file)),
            next_row: 0,
            last_col: 0,
            merges: Vec::new(),
            hidden: Vec::new(),
            validations: Vec::new(),
            line: Vec::with_capacity(4096),
        })
    }

    /// Puts a finished sheet into the workbook, its columns `widths` wide (in characters).
    pub fn add(&mut self, mut sheet: Sheet, widths: &[f64]) -> Result<()> {
        let rows = sheet.rows.take().expect("a sheet is added once");
        let rows_error = |e| Error::output(&sheet.rows_path, e);
        let (mut file, rows) = rows.finish(false).map_err(rows_error)?;
        file.rewind().map_err(rows_error)?;
        let index = self.sheets.len() + 1;
        let used = (sheet.next_row, sheet.last_col);
        let head = sheet_head(index == 1, sheet.layout, used, widths, &sheet.hidden);
        let tail = sheet_tail(sheet.layout, &sheet.merges, &sheet.validations);
        let (head, head_part) = deflated(head.as_bytes(), false).map_err(|e| self.zipped(e))?;
        let (tail, tail_part) = deflated(tail.as_bytes(), true).map_err(|e| self.zipped(e))?;
        let pieces = &mut [
            Piece::Bytes(&head),
            Piece::File(&mut file),
            Piece::Bytes(&tail),
        ];
        self.zip
            .add(
                &format!("xl/worksheets/sheet{index}.xml"),
                &[head_part, rows, tail_part],
                pieces,
            )
            .map_err(|e| self.zipped(e))?;
        // Only a printed sheet repeats its frozen rows on every page.
        let layout = sheet.layout;
        let titles = if layout.printed {
            layout.frozen_rows
        } else {
            0
        };
        self.sheets.push((std::mem::take(&mut sheet.name), titles));
        Ok(())
    }

    /// Writes the workbook's parts around its sheets and closes the file.
    pub fn finish(mut self) -> Result<()> {
        let parts = [
            ("[Content_Types].xml", content_types(self.sheets.len())),
            ("_rels/.rels", PACKAGE_RELS.to_string()),
            ("docProps/core.xml", CORE.to_string()),
            ("docProps/app.xml", APP.to_string()),
            ("xl/workbook.xml", workbook_xml(&self.sheets)),
            (
                "xl/_rels/workbook.xml.rels",
                workbook_rels(self.sheets.len()),
            ),
            ("xl/styles.xml", STYLES.to_string()),
        ];
        for (name, text) in parts {
            let (bytes, part) = deflated(text.as_bytes(), true).map_err(|e| self.zipped(e))?;
            self.zip
                .add(name, &[part], &mut [Piece::Bytes(&bytes)])
                .map_err(|e| self.zipped(e))?;
        }
        let path = self.path.clone();
        self.zip.finish().map_err(|e| Error::output(&path, e))
    }
}

impl Sheet {
    /// The next row: its cells from column A, `height` points tall where given.
    pub fn row(&mut self, cells: &[Cell], height: Option<f64>) -> Result<()> {
        let r = self.next_row + 1;
        let line = &mut self.line;
        line.clear();
        line.extend_from_slice(b"<row r=\"");
        push_number(line, r);
        line.push(b'"');
        if let Some(h) = height {
            line.extend_from_slice(format!(" ht=\"{h}\" customHeight=\"1\"").as_bytes());
        }
        line.push(b'>');
        // A cell without a reference is the next of its row (ECMA-376 §18.3.1.4): the
        // references took a third of the deflated sheets.
        for cell in cells {
            line.extend_from_slice(b"<c s=\"");
            let style = match cell {
                Cell::Text(_, s) | Cell::Number(_, s) | Cell::Blank(s) => *s,
            };
            push_number(line, style as u32);
            match cell {
                Cell::Blank(_) => line.extend_from_slice(b"\"/>"),
                Cell::Number(n, _) => {
                    line.extend_from_slice(b"\"><v>");
                    line.extend_from_slice(n.to_string().as_bytes());
                    line.extend_from_slice(b"</v></c>");
                }
                Cell::Text(t, _) => {
                    let keep =
                        t.starts_with(char::is_whitespace) || t.ends_with(char::is_whitespace);
                    line.extend_from_slice(if keep {
                        b"\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".as_slice()
                    } else {
                        b"\" t=\"inlineStr\"><is><t>".as_slice()
                    });
                    escape(t, line);
                    line.extend_from_slice(b"</t></is></c>");
                }
            }
        }
        line.extend_from_slice(b"</row>");
        self.last_col = self.last_col.max(cells.len().saturating_sub(1) as u16);
        self.next_row = r;
        self.rows
            .as_mut()
            .expect("rows are written before the sheet is added")
            .write(line)
            .map_err(|e| Error::output(&self.rows_path, e))
    }

    /// Merges the cells from (`row`, `col`) to (`last_row`, `last_col`), 0-based.
    pub fn merge(&mut self, row: u32, col: u16, last_row: u32, last_col: u16) {
        self.merges.push((row, col, last_row, last_col));
    }

    /// Hides column `col` (0-based).
    pub fn hide_column(&mut self, col: u16) {
        self.hidden.push(col);
    }

    /// What the cells of column `col` from `row` to `last_row` (0-based) may hold.
    pub fn validate(&mut self, col: u16, row: u32, last_row: u32, rule: Validation) {
        let mut column = String::new();
        push_column_text(&mut column, col);
        let (kind, formula) = match rule {
            Validation::List(words) => {
                let mut listed = Vec::new();
                escape(&words.join(","), &mut listed);
                let listed = String::from_utf8(listed).expect("escaped UTF-8");
                (
                    "type=\"list\"".to_string(),
                    format!("\"{}\"", listed.replace('"', "&quot;")),
                )
            }
            Validation::WholeAtLeast(n) => (
                "type=\"whole\" operator=\"greaterThanOrEqual\"".to_string(),
                n.to_string(),
            ),
        };
        self.validations.push(format!(
            "<dataValidation {kind} allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" \
             sqref=\"{column}{}:{column}{}\"><formula1>{formula}</formula1></dataValidation>",
            row + 1,
            last_row + 1
        ));
    }

    /// Rows written so far.
    pub fn rows(&self) -> u32 {
        self.next_row
    }
}

/// A sheet's rows file goes with it, added to its workbook or not (a run stopped by an
/// error leaves none among the reports).
impl Drop for Sheet {
    fn drop(&mut self) {
        drop(self.rows.take());
        let _ = std::fs::remove_file(&self.rows_path);
    }
}

/// What precedes the rows: page fit, the used range, the frozen pane, column widths.
fn sheet_head(
    first: bool,
    layout: Layout,
    (rows, last_col): (u32, u16),
    widths: &[f64],
    hidden: &[u16],
) -> String {
    let mut last = String::new();
    push_column_text(&mut last, last_col);
    let mut head = format!("{XML}<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">");
    if layout.printed {
        head.push_str("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>");
    }
    head.push_str(&format!(
        "<dimension ref=\"A1:{last}{}\"/><sheetViews><sheetView{} workbookViewId=\"0\">",
        rows.max(1),
        if first { " tabSelected=\"1\"" } else { "" },
    ));
    let frozen = layout.frozen_rows;
    if frozen > 0 {
        head.push_str(&format!(
            "<pane ySplit=\"{frozen}\" topLeftCell=\"A{}\" activePane=\"bottomLeft\" state=\"frozen\"/>\
             <selection pane=\"bottomLeft\"/>",
            frozen + 1
        ));
    }
    head.push_str("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
    if !widths.is_empty() {
        head.push_str("<cols>");
        for (c, w) in widths.iter().enumerate() {
            if hidden.contains(&(c as u16)) {
                head.push_str(&format!(
                    "<col min=\"{0}\" max=\"{0}\" width=\"0\" hidden=\"1\" customWidth=\"1\"/>",
                    c + 1
                ));
            } else {
                head.push_str(&format!(
                    "<col min=\"{0}\" max=\"{0}\" width=\"{1}\" customWidth=\"1\"/>",
                    c + 1,
                    stored_width(*w)
                ));
            }
        }
        head.push_str("</cols>");
    }
    head.push_str("<sheetData>");
    head
}

/// What follows the rows, in the order the schema gives: protection, merged ranges,
/// validations and the page.
fn sheet_tail(layout: Layout, merges: &[(u32, u16, u32, u16)], validations: &[String]) -> String {
    let mut tail = String::from("</sheetData>");
    if layout.protected {
        tail.push_str(
            "<sheetProtection sheet=\"1\" objects=\"1\" scenarios=\"1\" formatColumns=\"0\" \
             formatRows=\"0\" autoFilter=\"0\"/>",
        );
    }
    if !merges.is_empty() {
        tail.push_str(&format!("<mergeCells count=\"{}\">", merges.len()));
        for &(r0, c0, r1, c1) in merges {
            let (mut a, mut b) = (String::new(), String::new());
            push_column_text(&mut a, c0);
            push_column_text(&mut b, c1);
            tail.push_str(&format!("<mergeCell ref=\"{a}{}:{b}{}\"/>", r0 + 1, r1 + 1));
        }
        tail.push_str("</mergeCells>");
    }
    if !validations.is_empty() {
        tail.push_str(&format!(
            "<dataValidations count=\"{}\">",
            validations.len()
        ));
        for v in validations {
            tail.push_str(v);
        }
        tail.push_str("</dataValidations>");
    }
    if layout.printed {
        tail.push_str(
            "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.5\" bottom=\"0.5\" header=\"0.3\" footer=\"0.3\"/>\
             <pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>\
             <headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>",
        );
    } else {
        tail.push_str(
            "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>",
        );
    }
    tail.push_str("</worksheet>");
    tail
}

/// A width in characters as Excel stores it: the characters of the default font (Calibri
/// 11, 7 pixels each) and 5 pixels of padding, in 1/256ths of a character.
fn stored_width(characters: f64) -> f64 {
    ((characters * 7.0 + 5.0) / 7.0 * 256.0).floor() / 256.0
}

fn push_number(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Column letters: 0 → A, 25 → Z, 26 → AA.
fn push_column_text(out: &mut String, col: u16) {
    let mut letters = Vec::new();
    let mut n = col as u32 + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    out.push_str(std::str::from_utf8(&letters).expect("ASCII"));
}

/// Text as XML character data: markup escaped, and the control characters XML cannot
/// hold written as Excel writes them (`_x0001_`).
pub(super) fn escape(text: &str, out: &mut Vec<u8>) {
    for c in text.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '\t' | '\n' | '\r' => out.push(c as u8),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("_x{:04X}_", c as u32).as_bytes())
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns past Z take two letters (Excel: Z, AA, AZ, BA); widths as rust_xlsxwriter
    /// stored them (8 characters → 8.7109375).
    #[test]
    fn column_letters_and_stored_widths() {
        let letters = |c| {
            let mut s = String::new();
            push_column_text(&mut s, c);
            s
        };
        assert_eq!(
            [0, 25, 26, 51, 52].map(letters),
            ["A", "Z", "AA", "AZ", "BA"]
        );
        assert_eq!(stored_width(8.0), 8.7109375);
        assert_eq!(stored_width(6.0), 6.7109375);
    }

    /// Markup and control characters: `a<b & "c"` with a NUL in it.
    #[test]
    fn text_is_escaped_as_xml() {
        let mut out = Vec::new();
        escape("a<b & \"c\"\u{0}", &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "a&lt;b &amp; \"c\"_x0000_");
    }
}
