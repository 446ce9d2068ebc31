//! A CSV export written as its rows are made ([`CsvOut`]), in UTF-8 with a byte-order
//! mark or in GBK: a 10M-unit month's rows are never held together.

use std::io::Write;
use std::path::{Path, PathBuf};

use coverage::error::{Error, Result};

/// How an export's bytes are written: UTF-8 with a byte-order mark, or GBK.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8Bom,
    Gbk,
}

/// A CSV export written as its rows are made, the same bytes `exports::csv_text` gives: a
/// 10M-unit month's rows are never held together (its member export alone is 2.4 GB).
pub(crate) struct CsvOut {
    path: PathBuf,
    csv: csv::Writer<Encoded>,
    /// Records written, the header included: the line of the last one where no cell
    /// holds a line break.
    records: u64,
}

impl CsvOut {
    pub(crate) fn create(path: &Path, encoding: Encoding, head: &[&str]) -> Result<CsvOut> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
        }
        let file = std::fs::File::create(path).map_err(|e| Error::output(path, e))?;
        let mut file = std::io::BufWriter::new(file);
        if encoding == Encoding::Utf8Bom {
            file.write_all(b"\xEF\xBB\xBF")
                .map_err(|e| Error::output(path, e))?;
        }
        let encoded = Encoded {
            file,
            gbk: encoding == Encoding::Gbk,
            pending: Vec::new(),
        };
        let csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(encoded);
        let mut out = CsvOut {
            path: path.to_path_buf(),
            csv,
            records: 0,
        };
        out.row(head)?;
        Ok(out)
    }

    /// Writes a record; returns its number, the header's being 1.
    pub(crate) fn row<T: AsRef<[u8]>>(&mut self, cells: &[T]) -> Result<u64> {
        self.csv
            .write_record(cells)
            .map_err(|e| Error::output(&self.path, e))?;
        self.records += 1;
        Ok(self.records)
    }

    /// The file and its data rows, once every byte is written.
    pub(crate) fn finish(mut self) -> Result<(PathBuf, usize)> {
        self.csv.flush().map_err(|e| Error::output(&self.path, e))?;
        let encoded = self
            .csv
            .into_inner()
            .map_err(|e| Error::output(&self.path, e.into_error()))?;
        let mut file = encoded.finish().map_err(|e| Error::output(&self.path, e))?;
        file.flush().map_err(|e| Error::output(&self.path, e))?;
        Ok((self.path, self.records as usize - 1))
    }
}

/// The CSV writer's bytes on their way to the file, as UTF-8 or encoded to GBK (a
/// character the CSV writer's buffer cut in two waits for its other bytes; GBK has no
/// state, so row by row gives the bytes the whole text would).
struct Encoded {
    file: std::io::BufWriter<std::fs::File>,
    gbk: bool,
    pending: Vec<u8>,
}

impl Encoded {
    fn finish(self) -> std::io::Result<std::io::BufWriter<std::fs::File>> {
        match self.pending.is_empty() {
            true => Ok(self.file),
            false => Err(std::io::Error::other(
                "a character cut at the end of the file",
            )),
        }
    }
}

impl Write for Encoded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.gbk {
            return self.file.write(buf);
        }
        self.pending.extend_from_slice(buf);
        let whole = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            Err(e) => e.valid_up_to(),
        };
        let text = std::str::from_utf8(&self.pending[..whole]).map_err(std::io::Error::other)?;
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        self.file.write_all(&gbk)?;
        self.pending.drain(..whole);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::csv_text;

    /// Written row by row, a file is the bytes of its whole text: 3,000 rows of 11 CJK
    /// characters (33 bytes in UTF-8) and a quoted comma run past the CSV writer's 8 KiB
    /// buffer many times, so characters are cut between its writes.
    #[test]
    fn row_by_row_is_the_whole_text() {
        let dir = tempfile::tempdir().unwrap();
        let head = ["统一社会信用代码", "名称"];
        let rows: Vec<Vec<String>> = std::iter::once(head.map(String::from).to_vec())
            .chain((0..3000).map(|i| vec![format!("{i:018}"), "北京星河科技有限公司,一".into()]))
            .collect();
        let text = csv_text(&rows).unwrap();
        for (encoding, expected) in [
            (Encoding::Gbk, encoding_rs::GBK.encode(&text).0.into_owned()),
            (
                Encoding::Utf8Bom,
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            ),
        ] {
            let path = dir.path().join("out.csv");
            let mut out = CsvOut::create(&path, encoding, &head).unwrap();
            for (k, r) in rows[1..].iter().enumerate() {
                assert_eq!(out.row(r).unwrap(), k as u64 + 2);
            }
            assert_eq!(out.finish().unwrap(), (path.clone(), 3000));
            assert!(std::fs::read(&path).unwrap() == expected);
        }
    }
}
