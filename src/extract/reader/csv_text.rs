//! CSV exports as rows of text cells: from bytes a caller holds (decoded whole), or
//! from the file as it is parsed — UTF-8 as it is, GB18030 decoded as it is read — so
//! that a month's largest export is never resident whole. Row numbers are the rows a
//! spreadsheet shows: counted from the line ends as they pass, a blank line is a row and
//! a line break inside a quoted cell is not.

use std::path::Path;

use crate::config::SourceSpec;
use crate::error::{Error, Result};

use super::super::decode::decode;
use super::{has_text, split_header, Batches, RawRow, RawTable};

pub(super) fn read_csv(
    path: &Path,
    bytes: &[u8],
    spec: &SourceSpec,
    batch: usize,
    each: &mut Batches,
) -> Result<RawTable> {
    let (text, encoding) = decode(path, bytes, spec.encoding)?;
    let format = format!("csv, {encoding}");
    let (table, _, _) = parse_csv(path, text.as_bytes(), text.len(), format, spec, batch, each)?;
    Ok(table)
}

/// Reads a CSV file as [`read_in_batches`] does, from the file as it is parsed rather
/// than from its bytes held whole (1M units: the member file is 234 MB, which stayed
/// resident for the whole read; a GB18030 registry was held twice, as bytes and decoded):
/// UTF-8 text as it is, GB18030 decoded as it is read. `scan` is what [`scan`] found.
pub(super) fn read_csv_streamed(
    path: &Path,
    scan: &Scan,
    gb18030: bool,
    spec: &SourceSpec,
    batch: usize,
    each: &mut Batches,
) -> Result<RawTable> {
    let io = Error::io(path);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let changed = || Error::Input {
        path: path.to_path_buf(),
        message: "the file changed while it was read; run again once it is written".into(),
    };
    if gb18030 {
        let text = Gb18030Text::new(file);
        let len = scan.len as usize;
        let format = "csv, GB18030".to_string();
        return match parse_csv(path, text, len, format, spec, batch, each) {
            Ok((table, text, _)) if text.raw == scan.len => Ok(table),
            Ok(_) => Err(changed()),
            // Not GB18030 after all: the whole file's decoding names the first bad line.
            Err(e) => match std::fs::read(path).map_err(io) {
                Ok(bytes) => decode(path, &bytes, spec.encoding).and(Err(e)),
                Err(read) => Err(read),
            },
        };
    }
    let skip = if scan.bom { BOM.len() } else { 0 };
    std::io::Read::read_exact(&mut file, &mut [0u8; 3][..skip]).map_err(io)?;
    let format = format!("csv, UTF-8{}", if scan.bom { " with BOM" } else { "" });
    let len = scan.len as usize - skip;
    match parse_csv(path, file, len, format, spec, batch, each)? {
        (table, _, read) if read == len as u64 => Ok(table),
        _ => Err(changed()),
    }
}

/// GB18030 bytes handed on as UTF-8 text, decoded as they are read; `raw` counts the
/// bytes read.
struct Gb18030Text<R> {
    input: R,
    decoder: encoding_rs::Decoder,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    at_end: bool,
    finished: bool,
    raw: u64,
}

impl<R> Gb18030Text<R> {
    fn new(input: R) -> Self {
        Gb18030Text {
            input,
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            buf: vec![0; 1 << 16],
            start: 0,
            end: 0,
            at_end: false,
            finished: false,
            raw: 0,
        }
    }
}

impl<R: std::io::Read> std::io::Read for Gb18030Text<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        // A character takes at most 4 bytes in UTF-8; the CSV reader asks for its whole
        // buffer.
        assert!(out.len() >= 4, "read into at least 4 bytes");
        while !self.finished {
            if self.start == self.end && !self.at_end {
                self.end = self.input.read(&mut self.buf)?;
                self.start = 0;
                self.raw += self.end as u64;
                self.at_end = self.end == 0;
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.buf[self.start..self.end],
                out,
                self.at_end,
            );
            self.start += read;
            match result {
                encoding_rs::DecoderResult::Malformed(..) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "bytes not valid in GB18030",
                    ))
                }
                encoding_rs::DecoderResult::InputEmpty if self.at_end => self.finished = true,
                _ => {}
            }
            if written > 0 {
                return Ok(written);
            }
        }
        Ok(0)
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What one pass over a file found: its SHA-256, its length, its first bytes, and
/// whether it is UTF-8 text (and starts with a byte-order mark).
pub(super) struct Scan {
    pub(super) sha256: String,
    pub(super) len: u64,
    pub(super) head: Vec<u8>,
    pub(super) utf8: bool,
    pub(super) bom: bool,
}

/// Reads a file once, in blocks, for its [`Scan`].
pub(super) fn scan(path: &Path) -> Result<Scan> {
    use sha2::{Digest, Sha256};
    let io = Error::io(path);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let (mut buf, mut carried) = (vec![0u8; 1 << 20], 0usize);
    let (mut len, mut head, mut utf8) = (0u64, Vec::new(), true);
    loop {
        let n = std::io::Read::read(&mut file, &mut buf[carried..]).map_err(io)?;
        if n == 0 {
            break;
        }
        let read = &buf[carried..carried + n];
        hasher.update(read);
        len += n as u64;
        if head.len() < 512 {
            head.extend_from_slice(&read[..read.len().min(512 - head.len())]);
        }
        // A character cut at the block's end is carried to the next block.
        let block = &buf[..carried + n];
        carried = 0;
        if utf8 {
            if let Err(e) = std::str::from_utf8(block) {
                match e.error_len() {
                    None => carried = block.len() - e.valid_up_to(),
                    Some(_) => utf8 = false,
                }
            }
        }
        let end = block.len();
        buf.copy_within(end - carried..end, 0);
    }
    Ok(Scan {
        sha256: hex::encode(&hasher.finalize()[..]),
        len,
        bom: head.starts_with(BOM),
        head,
        utf8: utf8 && carried == 0,
    })
}

/// Parses CSV text from `input` (about `len` bytes: the share read so far is shown),
/// handing on its rows in batches; returns the table's header, the input (read to its
/// end) and the bytes of text read.
fn parse_csv<R: std::io::Read>(
    path: &Path,
    input: R,
    len: usize,
    format: String,
    spec: &SourceSpec,
    batch: usize,
    each: &mut Batches,
) -> Result<(RawTable, R, u64)> {
    let last_header = (spec.header_row + spec.header_rows.max(1) - 1) as u64;
    let mut input = std::io::BufReader::with_capacity(1 << 16, input);
    let head = std::io::BufRead::fill_buf(&mut input).map_err(Error::io(path))?;
    let delimiter = delimiter_of(head);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 18)
        .from_reader(LineEnds::new(input));
    let mut header: Option<RawTable> = None;
    let mut pending = Vec::new();
    // The header rows come first: the table is split once they have all been read, and
    // later batches hold data rows only.
    let mut flush = |header: &mut Option<RawTable>, pending: Vec<RawRow>, share| -> Result<()> {
        let (table, rows) = match header.take() {
            Some(table) => (table, pending.into_iter().filter(has_text).collect()),
            None => {
                let mut table = split_header(path, pending, spec, format.clone())?;
                let rows = std::mem::take(&mut table.rows);
                (table, rows)
            }
        };
        let table = header.insert(table);
        if rows.is_empty() {
            return Ok(());
        }
        each(table, rows, share)
    };
    // The reader's own line numbers drift after blank lines and CRLF line ends, so the
    // row number is counted here, as a spreadsheet opening the file numbers its rows
    // (the row analysts go to): the line feeds since the previous record began, less
    // those inside its quoted cells (an address over two lines is one row).
    let (mut cursor, mut line, mut inside) = (0u64, 1u64, 0u64);
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| Error::Input {
            path: path.to_path_buf(),
            message: match e.position() {
                Some(p) => format!("line {}: {e}", p.line()),
                None => e.to_string(),
            },
        })?;
        if !more {
            break;
        }
        let start = record.position().map_or(cursor, |p| p.byte()).max(cursor);
        let (start, lines) = reader.get_mut().skip_to(start);
        line += lines.saturating_sub(inside);
        cursor = start;
        inside = record.as_slice().bytes().filter(|&b| b == b'\n').count() as u64;
        pending.push(RawRow {
            row: line,
            cells: record.iter().map(str::to_string).collect(),
        });
        if pending.len() >= batch && line > last_header {
            let share = (cursor as f64 / len.max(1) as f64).min(1.0);
            flush(&mut header, std::mem::take(&mut pending), share)?;
        }
    }
    if header.is_none() || !pending.is_empty() {
        flush(&mut header, pending, 1.0)?;
    }
    let table = header.expect("split on the first batch");
    let text = reader.into_inner();
    Ok((table, text.input.into_inner(), text.read))
}

/// The character that separates a file's cells, by its first lines: a comma, or a
/// tab, semicolon or bar where one of those is commoner there (exports saved as tab-
/// separated text, European-style CSV). Quotes are not weighed: a header seldom has any.
fn delimiter_of(head: &[u8]) -> u8 {
    let lines: Vec<&[u8]> = head.split(|&b| b == b'\n').take(5).collect();
    let lines = &lines[..lines.len().saturating_sub(1).max(1)];
    let count = |d: u8| -> usize {
        lines
            .iter()
            .map(|l| l.iter().filter(|&&b| b == d).count())
            .sum()
    };
    [b'\t', b';', b'|']
        .into_iter()
        .map(|d| (count(d), d))
        .filter(|&(n, _)| n > count(b','))
        .max()
        .map_or(b',', |(_, d)| d)
}

/// The text handed to the CSV reader, with the places of its line-end bytes (CR, LF)
/// noted as they pass, so that a row's line is counted without the text held whole:
/// only the line ends the reader has read ahead are kept.
struct LineEnds<R> {
    input: R,
    read: u64,
    /// (offset, is a line feed), in order, from the last record's start on.
    ends: std::collections::VecDeque<(u64, bool)>,
}

impl<R> LineEnds<R> {
    fn new(input: R) -> Self {
        LineEnds {
            input,
            read: 0,
            ends: Default::default(),
        }
    }

    /// The start of a record the reader places at `start` (at or after the previous
    /// record's), moved past the CR and LF bytes it may begin with, and the line feeds
    /// from the previous record's start to it.
    fn skip_to(&mut self, mut start: u64) -> (u64, u64) {
        let mut lines = 0;
        while let Some(&(at, lf)) = self.ends.front() {
            if at > start {
                break;
            }
            if at == start {
                start += 1;
            }
            lines += lf as u64;
            self.ends.pop_front();
        }
        (start, lines)
    }
}

impl<R: std::io::Read> std::io::Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            if matches!(b, b'\r' | b'\n') {
                self.ends.push_back((self.read + i as u64, *b == b'\n'));
            }
        }
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::reader::{read_file_in_batches, read_table};

    fn csv_spec() -> SourceSpec {
        toml::from_str(
            r#"
            name = "t"
            kind = "members"
            files = ["t.csv"]
            [columns]
            id_number = "a"
            "#,
        )
        .unwrap()
    }

    /// The manifest's hash is of the bytes parsed: the file is read once, by the caller,
    /// so a file changed between a hash and a parse cannot be recorded as another.
    #[test]
    fn a_table_is_parsed_from_the_bytes_given_not_read_again() {
        let gone = std::path::Path::new("/nonexistent/units.csv");
        let t = read_table(gone, "a,b\n1,2\n".as_bytes(), &csv_spec()).unwrap();
        assert_eq!(t.rows[0].cells, vec!["1", "2"]);
    }

    /// Tab-separated text (an export saved as 文本文件(制表符分隔)), a semicolon CSV,
    /// and a comma CSV whose cells hold a tab, a semicolon and a bar.
    #[test]
    fn the_separator_is_read_from_the_first_lines() {
        let gone = std::path::Path::new("/nonexistent/units.csv");
        let cells = |text: &str| read_table(gone, text.as_bytes(), &csv_spec()).unwrap();
        let t = cells("北京市企业名录\t\t\na\tb\tc\n1\t2,5\t3\n");
        assert_eq!(t.rows[1].cells, vec!["1", "2,5", "3"]);
        let t = cells("a;b\n1;2\n");
        assert_eq!(t.rows[0].cells, vec!["1", "2"]);
        let t = cells("a,b,c\nx\ty,1;2|3,z\n");
        assert_eq!(t.rows[0].cells, vec!["x\ty", "1;2|3", "z"]);
    }

    #[test]
    fn row_numbers_are_spreadsheet_rows_with_lf_and_crlf() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("lf.csv", "a,b\n1,2\n\n3,4\n"),
            ("crlf.csv", "a,b\r\n1,2\r\n\r\n3,4\r\n"),
            // A header wrapped over two lines is one row, as a spreadsheet shows it.
            ("wrapped.csv", "\"统一社会\n信用代码\",b\n1,2\n\n3,4\n"),
        ] {
            let path = dir.path().join(name);
            let t = read_table(&path, text.as_bytes(), &csv_spec()).unwrap();
            assert_eq!(t.headers[1], "b");
            assert_eq!(
                t.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
                vec![2, 4],
                "{name}"
            );
        }
    }

    /// A UTF-8 file is parsed as it is read and gives what its bytes give: the same
    /// cells, row numbers and format, and the hash of the bytes. Worked by hand: in
    /// lf.csv the header is row 1, `1,2` row 2, row 3 blank, `3,4` row 4; in bom.csv
    /// (a byte-order mark, CRLF) the quoted cell `两⏎行` spans lines 2-3 of a text
    /// editor but is one row of a spreadsheet, row 2; rows 3-4 are blank (editor lines
    /// 4-5) and `3,4` (no line end) is row 5. One row a batch, so that every row
    /// crosses a batch.
    #[test]
    fn a_utf8_file_read_as_it_is_parsed_gives_the_rows_of_its_bytes() {
        use sha2::{Digest, Sha256};
        let dir = tempfile::tempdir().unwrap();
        for (name, text, lines) in [
            ("lf.csv", "a,b\n1,2\n\n3,4\n", vec![2, 4]),
            (
                "bom.csv",
                "\u{feff}a,b\r\n1,\"两\r\n行\"\r\n\r\n\r\n3,4",
                vec![2, 5],
            ),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let (table, sha256, rows) = read_streamed(&path, 1);
            let whole = read_table(&path, text.as_bytes(), &csv_spec()).unwrap();
            assert_eq!(table.headers, vec!["a", "b"], "{name}");
            assert_eq!(table.format, whole.format, "{name}");
            assert_eq!(
                rows.iter().map(|r| r.row).collect::<Vec<_>>(),
                lines,
                "{name}"
            );
            let cells = |rows: &[RawRow]| rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>();
            assert_eq!(cells(&rows), cells(&whole.rows), "{name}");
            assert_eq!(sha256, hex::encode(&Sha256::digest(text.as_bytes())[..]));
        }
        let (_, _, rows) = read_streamed(&dir.path().join("bom.csv"), 8);
        assert_eq!(rows[0].cells, vec!["1", "两\r\n行"]);
    }

    /// A GB18030 file is decoded as it is read and gives what its bytes decoded whole
    /// give: `1,中` (中 = D6 D0) on line 2, line 3 blank, `3,4` on line 4. A byte no
    /// GB18030 character starts with (0x81 alone, line 3) is the decoder's error naming
    /// that line, as when the file is decoded whole.
    #[test]
    fn a_gb18030_file_is_decoded_as_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gb.csv");
        let bytes = b"a,b\r\n1,\xD6\xD0\r\n\r\n3,4\r\n";
        std::fs::write(&path, bytes).unwrap();
        let (table, _, rows) = read_streamed(&path, 1);
        let whole = read_table(&path, bytes, &csv_spec()).unwrap();
        assert_eq!(table.format, "csv, GB18030");
        assert_eq!(table.format, whole.format);
        assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(rows[0].cells, vec!["1", "中"]);
        assert_eq!(rows[1].cells, whole.rows[1].cells);

        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, b"a,b\n1,\xD6\xD0\n\x81\n").unwrap();
        let err = read_file_in_batches(&bad, &csv_spec(), 1, &mut |_, _, _| Ok(())).unwrap_err();
        assert!(matches!(err, Error::Decode { line: 3, .. }), "{err}");
    }

    /// A file read as `run` reads it, `batch` rows a batch: its header, hash and rows.
    fn read_streamed(path: &Path, batch: usize) -> (RawTable, String, Vec<RawRow>) {
        let mut rows = Vec::new();
        let (table, sha256) = read_file_in_batches(path, &csv_spec(), batch, &mut |_, b, _| {
            rows.extend(b);
            Ok(())
        })
        .unwrap();
        (table, sha256, rows)
    }

    /// The one pass that tells a file's encoding reads it in blocks of 1 MiB: a
    /// character cut by a block's end is still UTF-8; GB18030 bytes, or a file ending
    /// inside a character, are not.
    #[test]
    fn utf8_is_told_across_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            scan(&path).unwrap()
        };
        // "xy" then 3-byte characters: 1 MiB − 2 = 1,048,574 bytes is not a multiple of
        // 3, so the first block ends inside a character.
        let long = format!("xy{}", "中".repeat(400_000));
        let found = write("long.csv", long.as_bytes());
        assert!(found.utf8 && !found.bom);
        assert_eq!(found.len, 1_200_002);
        assert!(!write("gb.csv", b"a\n\xD6\xD0\n").utf8);
        assert!(!write("cut.csv", &"a中".as_bytes()[..3]).utf8);
        assert!(write("bom.csv", b"\xEF\xBB\xBFa\n").bom);
    }
}
