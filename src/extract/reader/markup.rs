//! A table written as markup under a workbook's name: many older systems' "export to
//! Excel" writes a web page (an HTML `<table>`) or an XML Spreadsheet 2003 file and
//! names it `.xls`, and Excel opens either as a sheet. Such a file is read as a sheet
//! is: the table (or worksheet) with the most rows, a row per `<tr>` / `<Row>`, a cell
//! per `<td>` / `<th>` / `<Cell>`; a cell spanning columns or rows (colspan, rowspan,
//! ss:MergeAcross, ss:MergeDown) is read in every cell it covers, as a merged cell is.

use super::RawRow;

/// Whether the bytes are a web page or an XML Spreadsheet rather than a workbook.
pub(super) fn is_markup(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.starts_with("<table")
        || (text.starts_with("<?xml")
            && (text.contains("<html")
                || text.contains("urn:schemas-microsoft-com:office:spreadsheet")))
}

/// The text of the bytes: UTF-8 (with or without a BOM), UTF-16 with a BOM, else
/// GB18030 (a page that declares gb2312 or gbk is read by its superset).
pub(super) fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8");
    }
    if let Some((text, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (decoded, _, _) = text.decode(bytes);
        return (decoded.into_owned(), text.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8"),
        Err(_) => {
            let (decoded, _, _) = encoding_rs::GB18030.decode(bytes);
            (decoded.into_owned(), "GB18030")
        }
    }
}

/// A cell being read: its text and how far it spans.
#[derive(Default)]
struct Cell {
    text: String,
    across: usize,
    down: usize,
    /// An XML Spreadsheet cell may say its 1-based column (ss:Index) after a gap.
    at: Option<usize>,
}

/// One table's rows as they are read, with the cells that earlier rows' rowspans still
/// cover: (column, rows left, text).
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    pending: Vec<(usize, usize, String)>,
}

impl Table {
    /// Pushes onto `row` the texts of rowspans from above that cover its next column,
    /// as long as one does.
    fn fill_spans(&mut self, row: &mut Vec<String>) {
        while let Some(p) = self
            .pending
            .iter_mut()
            .find(|p| p.0 == row.len() && p.1 > 0)
        {
            p.1 -= 1;
            row.push(p.2.clone());
        }
    }

    /// Places a cell after the columns rowspans cover, at its column where it says one.
    fn place(&mut self, row: &mut Vec<String>, cell: Cell) {
        let text = cell.text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.fill_spans(row);
        while cell.at.is_some_and(|at| row.len() + 1 < at) {
            row.push(String::new());
            self.fill_spans(row);
        }
        for _ in 0..cell.across.max(1) {
            if cell.down > 1 {
                self.pending.push((row.len(), cell.down - 1, text.clone()));
            }
            row.push(text.clone());
        }
    }

    /// Ends a row: the cell still open, then the columns rowspans cover to its end.
    fn finish(&mut self, mut row: Vec<String>, open_cell: Option<Cell>) {
        if let Some(c) = open_cell {
            self.place(&mut row, c);
        }
        loop {
            self.fill_spans(&mut row);
            if !self.pending.iter().any(|p| p.0 > row.len() && p.1 > 0) {
                break;
            }
            row.push(String::new());
        }
        self.pending.retain(|p| p.1 > 0);
        self.rows.push(row);
    }
}

/// The rows of the markup's largest table, numbered from 1 as a sheet's rows are.
pub(super) fn rows(text: &str) -> Vec<RawRow> {
    let mut tables: Vec<Table> = Vec::new();
    let mut open_tables: Vec<usize> = Vec::new();
    let mut row: Option<Vec<String>> = None;
    let mut cell: Option<Cell> = None;
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        if let Some(c) = cell.as_mut() {
            c.text.push_str(&entities(&rest[..lt]));
        }
        rest = &rest[lt..];
        // Comments, scripts and styles hold no cell text.
        for (open, close) in [
            ("<!--", "-->"),
            ("<script", "</script>"),
            ("<style", "</style>"),
        ] {
            let head = &rest.as_bytes()[..open.len().min(rest.len())];
            if head.eq_ignore_ascii_case(open.as_bytes()) {
                let lower = rest.to_ascii_lowercase();
                let end = lower.find(close).map_or(rest.len(), |e| e + close.len());
                rest = &rest[end..];
            }
        }
        if !rest.starts_with('<') {
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = Tag::parse(&rest[1..end.saturating_sub(1)]);
        rest = &rest[end..];
        let current = open_tables.last().copied();
        match (tag.name.as_str(), tag.closing) {
            ("table" | "worksheet", false) => {
                open_tables.push(tables.len());
                tables.push(Table::default());
            }
            ("table" | "worksheet", true) => {
                if let (Some(r), Some(t)) = (row.take(), current) {
                    tables[t].finish(r, cell.take());
                }
                open_tables.pop();
            }
            ("tr" | "row", false) => {
                if let (Some(r), Some(t)) = (row.take(), current) {
                    tables[t].finish(r, cell.take());
                }
                row = Some(Vec::new());
            }
            ("tr" | "row", true) => {
                if let (Some(r), Some(t)) = (row.take(), current) {
                    tables[t].finish(r, cell.take());
                }
            }
            ("td" | "th" | "cell", false) => {
                if let (Some(r), Some(t), Some(c)) = (row.as_mut(), current, cell.take()) {
                    tables[t].place(r, c);
                }
                cell = Some(Cell {
                    across: tag.number("colspan").unwrap_or(1).max(1)
                        + tag.number("ss:mergeacross").unwrap_or(0),
                    down: tag.number("rowspan").unwrap_or(1).max(1)
                        + tag.number("ss:mergedown").unwrap_or(0),
                    at: tag.number("ss:index"),
                    ..Cell::default()
                });
            }
            ("td" | "th" | "cell", true) => {
                if let (Some(r), Some(t), Some(c)) = (row.as_mut(), current, cell.take()) {
                    tables[t].place(r, c);
                }
            }
            ("br" | "p" | "div", _) => {
                if let Some(c) = cell.as_mut() {
                    c.text.push(' ');
                }
            }
            _ => {}
        }
    }
    if let (Some(r), Some(&t)) = (row.take(), open_tables.last()) {
        tables[t].finish(r, cell.take());
    }
    let largest = tables.into_iter().max_by_key(|t| t.rows.len());
    largest
        .map(|t| t.rows)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, cells)| RawRow {
            row: i as u64 + 1,
            cells,
        })
        .collect()
}

/// A tag's lower-case name, whether it closes, and its attributes.
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
}

impl Tag {
    fn parse(inner: &str) -> Tag {
        let inner = inner.trim().trim_end_matches('/');
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let mut attributes = Vec::new();
        let mut rest = &inner[name_end..];
        while let Some(eq) = rest.find('=') {
            let key = rest[..eq].trim().to_ascii_lowercase();
            let after = rest[eq + 1..].trim_start();
            let (value, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q).map_or(after.len(), |e| e + 1);
                    (&after[1..close], &after[(close + 1).min(after.len())..])
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace())
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            let key = key
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_string();
            attributes.push((key, value.to_string()));
            rest = next;
        }
        Tag {
            name: inner[..name_end].to_ascii_lowercase(),
            closing,
            attributes,
        }
    }

    fn number(&self, key: &str) -> Option<usize> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.trim().parse().ok())
    }
}

/// Text with its character references replaced (&amp;, &nbsp;, &#26469;, &#x6765; …).
fn entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<Vec<String>> {
        rows(text).into_iter().map(|r| r.cells).collect()
    }

    #[test]
    fn a_web_page_table_is_read_as_a_sheet() {
        // What an older system's 导出Excel writes: a page, a title table of one row
        // before the data table, attributes, entities, a line break inside a cell, a
        // header spanning two columns and a district spanning two rows.
        let page = r#"<html><head><meta charset="gb2312"><style>td{mso-number-format:"\@"}</style></head>
<body><table><tr><td>党员信息</td></tr></table>
<table border=1>
<tr><th rowspan="2">姓名</th><th colspan=2>工作单位</th></tr>
<tr><th>名称</th><th>代码</th></tr>
<tr><td x:str>张某</td><td>北京星河&amp;远航<br>科技有限公司</td><td style='mso-number-format:"\@"'>91110105100000091K</td></tr>
<tr><td>李&nbsp;某</td><td>&#21271;京云帆</td><td></td>
</table></body></html>"#;
        let got = cells(page);
        assert!(is_markup(page.as_bytes()));
        assert_eq!(
            got,
            vec![
                vec!["姓名", "工作单位", "工作单位"],
                vec!["姓名", "名称", "代码"],
                vec!["张某", "北京星河&远航 科技有限公司", "91110105100000091K"],
                // The last row is never closed: it ends with its table.
                vec!["李 某", "北京云帆", ""],
            ]
        );
        // Rows are numbered within their table, from 1, as a sheet's are.
        assert_eq!(
            rows(page).iter().map(|r| r.row).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
    }

    #[test]
    fn an_xml_spreadsheet_is_read_as_a_sheet() {
        // Excel 2003's XML Spreadsheet: a cell may skip columns (ss:Index) and merge
        // across or down.
        let xml = r#"<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="Sheet1"><Table>
<Row><Cell ss:MergeAcross="1"><Data ss:Type="String">单位</Data></Cell><Cell><Data ss:Type="String">人数</Data></Cell></Row>
<Row><Cell ss:MergeDown="1"><Data ss:Type="String">朝阳区</Data></Cell><Cell><Data ss:Type="String">甲</Data></Cell><Cell><Data ss:Type="Number">12</Data></Cell></Row>
<Row><Cell ss:Index="2"><Data ss:Type="String">乙</Data></Cell><Cell ss:Index="4"><Data ss:Type="Number">7</Data></Cell></Row>
</Table></Worksheet></Workbook>"#;
        assert!(is_markup(xml.as_bytes()));
        assert_eq!(
            cells(xml),
            vec![
                vec!["单位", "单位", "人数"],
                vec!["朝阳区", "甲", "12"],
                vec!["朝阳区", "乙", "", "7"],
            ]
        );
    }

    #[test]
    fn a_page_in_gb18030_is_decoded() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("<table><tr><td>北京</td></tr></table>");
        let (text, encoding) = decode(&gbk);
        assert_eq!(encoding, "GB18030");
        assert_eq!(cells(&text), vec![vec!["北京"]]);
        // Bytes that are no markup are not taken for it.
        assert!(!is_markup(b"PK\x03\x04"));
        assert!(!is_markup("姓名,工作单位\n".as_bytes()));
    }
}
