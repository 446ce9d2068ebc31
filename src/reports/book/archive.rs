//! The workbook's zip archive, written by hand because a sheet's rows are deflated as
//! they are written, before the column widths that precede them in the sheet's XML are
//! known. The rows wait in a temporary file already deflated (a 10M-unit month's reports
//! kept 37.8 GB of XML waiting when they waited as text); the entry is then the head's
//! deflate blocks, the rows' blocks copied as they are, and the tail's last block. Each
//! part but the last ends on a sync flush (an empty stored block that leaves the stream
//! on a byte boundary and no block marked final), so the parts read as one stream, as
//! pigz joins its parallel parts (RFC 1951 §3.2.3–3.2.4).
//!
//! Only what a workbook needs: deflated entries with their sizes and CRC in the local
//! header (no data descriptor), no zip64 — an entry or archive past 4 GiB is an error
//! (a sheet holds at most 1,048,576 rows, about 1 GB of XML).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::{Compress, Compression, FlushCompress, Status};

/// Deflate's effort: 1–9. 3 keeps the files a third of rust_xlsxwriter's size at little
/// more time than 1 (a 122k-row sheet: 1, 0.36 s and 6.0 MB; 6, 0.55 s and 3.3 MB).
const EFFORT: u32 = 3;
/// Input gathered before each call to the compressor (a row is a few hundred bytes).
const CHUNK: usize = 1 << 17;

/// Bytes deflated into `sink` as one part of an entry's stream.
pub(super) struct Deflater<W: Write> {
    compress: Compress,
    pending: Vec<u8>,
    out: Vec<u8>,
    sink: W,
    crc: crc32fast::Hasher,
}

/// What a finished part holds: its CRC and sizes, to join with the entry's other parts.
pub(super) struct Part {
    crc: crc32fast::Hasher,
    size: u64,
    deflated: u64,
}

impl<W: Write> Deflater<W> {
    pub(super) fn new(sink: W) -> Deflater<W> {
        Deflater {
            compress: Compress::new(Compression::new(EFFORT), false),
            pending: Vec::with_capacity(CHUNK),
            out: Vec::with_capacity(CHUNK),
            sink,
            crc: crc32fast::Hasher::new(),
        }
    }

    pub(super) fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= CHUNK {
            self.deflate(FlushCompress::None)?;
        }
        Ok(())
    }

    /// Ends the part: a sync flush if more parts follow, the final block if not.
    pub(super) fn finish(mut self, last: bool) -> io::Result<(W, Part)> {
        self.deflate(if last {
            FlushCompress::Finish
        } else {
            FlushCompress::Sync
        })?;
        self.sink.write_all(&self.out)?;
        self.sink.flush()?;
        let part = Part {
            crc: self.crc,
            size: self.compress.total_in(),
            deflated: self.compress.total_out(),
        };
        Ok((self.sink, part))
    }

    fn deflate(&mut self, flush: FlushCompress) -> io::Result<()> {
        self.crc.update(&self.pending);
        let mut input = &self.pending[..];
        loop {
            if self.out.len() == self.out.capacity() {
                self.sink.write_all(&self.out)?;
                self.out.clear();
            }
            let before = self.compress.total_in();
            let status = self
                .compress
                .compress_vec(input, &mut self.out, flush)
                .map_err(io::Error::other)?;
            input = &input[(self.compress.total_in() - before) as usize..];
            // A flush is complete when the compressor leaves room in its output.
            let flushed = self.out.len() < self.out.capacity();
            let done = match flush {
                FlushCompress::Finish => status == Status::StreamEnd,
                FlushCompress::None => input.is_empty(),
                _ => input.is_empty() && flushed,
            };
            if done {
                break;
            }
        }
        self.pending.clear();
        Ok(())
    }
}

/// A part held in memory: a sheet's head and tail, a workbook's small parts.
pub(super) fn deflated(text: &[u8], last: bool) -> io::Result<(Vec<u8>, Part)> {
    let mut part = Deflater::new(Vec::new());
    part.write(text)?;
    part.finish(last)
}

/// One entry's deflated stream, in order.
pub(super) enum Piece<'a> {
    Bytes(&'a [u8]),
    File(&'a mut File),
}

/// The zip being written, and where each entry starts, for the central directory.
pub(super) struct Archive {
    path: PathBuf,
    out: BufWriter<File>,
    at: u64,
    entries: Vec<(String, u32, u64, u64, u64)>,
}

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
/// 1980-01-01 00:00, the earliest DOS date, so that a run's files do not differ by time.
const DOS_DATE: u16 = (1 << 5) | 1;
/// Made by Unix, zip 2.0; the files' mode rw------- (what `unzip` gives them).
const MADE_BY: u16 = (3 << 8) | 20;
const MODE: u32 = 0o100_600 << 16;

fn narrow(n: u64, path: &Path) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| {
        io::Error::other(format!(
            "{} would pass 4 GiB, and zip64 is not written",
            path.display()
        ))
    })
}

impl Archive {
    pub(super) fn create(path: &Path, file: File) -> Archive {
        Archive {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(1 << 20, file),
            at: 0,
            entries: Vec::new(),
        }
    }

    /// Adds entry `name`, its deflated stream the `pieces` whose `parts` they are.
    pub(super) fn add(
        &mut self,
        name: &str,
        parts: &[Part],
        pieces: &mut [Piece],
    ) -> io::Result<()> {
        let mut crc = crc32fast::Hasher::new();
        for part in parts {
            crc.combine(&part.crc);
        }
        let crc = crc.finalize();
        let size = parts.iter().map(|p| p.size).sum::<u64>();
        let deflated = parts.iter().map(|p| p.deflated).sum::<u64>();
        let mut head = Vec::with_capacity(30 + name.len());
        head.extend_from_slice(&LOCAL.to_le_bytes());
        head.extend_from_slice(&20u16.to_le_bytes());
        head.extend_from_slice(&0u16.to_le_bytes());
        head.extend_from_slice(&8u16.to_le_bytes());
        head.extend_from_slice(&0u16.to_le_bytes());
        head.extend_from_slice(&DOS_DATE.to_le_bytes());
        head.extend_from_slice(&crc.to_le_bytes());
        head.extend_from_slice(&narrow(deflated, &self.path)?.to_le_bytes());
        head.extend_from_slice(&narrow(size, &self.path)?.to_le_bytes());
        head.extend_from_slice(&(name.len() as u16).to_le_bytes());
        head.extend_from_slice(&0u16.to_le_bytes());
        head.extend_from_slice(name.as_bytes());
        self.out.write_all(&head)?;
        let mut copied = 0;
        for piece in pieces {
            copied += match piece {
                Piece::Bytes(b) => self.out.write_all(b).map(|()| b.len() as u64)?,
                Piece::File(f) => io::copy(&mut **f, &mut self.out)?,
            };
        }
        if copied != deflated {
            return Err(io::Error::other(format!(
                "{name} in {}: {copied} bytes deflated, {deflated} expected",
                self.path.display()
            )));
        }
        self.entries
            .push((name.to_string(), crc, deflated, size, self.at));
        self.at += head.len() as u64 + deflated;
        Ok(())
    }

    /// Writes the central directory and closes the file.
    pub(super) fn finish(mut self) -> io::Result<()> {
        let start = self.at;
        let mut dir = Vec::new();
        for (name, crc, deflated, size, offset) in &self.entries {
            dir.extend_from_slice(&CENTRAL.to_le_bytes());
            dir.extend_from_slice(&MADE_BY.to_le_bytes());
            for half in [20u16, 0, 8, 0, DOS_DATE] {
                dir.extend_from_slice(&half.to_le_bytes());
            }
            dir.extend_from_slice(&crc.to_le_bytes());
            dir.extend_from_slice(&(*deflated as u32).to_le_bytes());
            dir.extend_from_slice(&(*size as u32).to_le_bytes());
            for half in [name.len() as u16, 0, 0, 0, 0] {
                dir.extend_from_slice(&half.to_le_bytes());
            }
            dir.extend_from_slice(&MODE.to_le_bytes());
            dir.extend_from_slice(&narrow(*offset, &self.path)?.to_le_bytes());
            dir.extend_from_slice(name.as_bytes());
        }
        let entries = self.entries.len() as u16;
        dir.extend_from_slice(&END.to_le_bytes());
        for half in [0u16, 0, entries, entries] {
            dir.extend_from_slice(&half.to_le_bytes());
        }
        dir.extend_from_slice(&(dir.len() as u32 - 12).to_le_bytes());
        dir.extend_from_slice(&narrow(start, &self.path)?.to_le_bytes());
        dir.extend_from_slice(&0u16.to_le_bytes());
        self.out.write_all(&dir)?;
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.sync_data().ok();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek};

    /// Parts deflated apart read back, through any zip reader (which checks the CRC and
    /// the sizes), as the text they were cut from: three parts of one entry, the middle
    /// one from a file and large enough to pass several of the compressor's chunks and
    /// its output buffer, an empty part, and an entry of a single part.
    #[test]
    fn parts_deflated_apart_read_as_one_entry() {
        let dir = tempfile::tempdir().unwrap();
        let head = b"<head>".repeat(3);
        let rows: Vec<u8> = (0..200_000u32)
            .flat_map(|i| {
                format!("<row r=\"{i}\">{}</row>", i.wrapping_mul(2_654_435_761)).into_bytes()
            })
            .collect();
        let tail = b"</tail>".to_vec();
        let mut rows_part = Deflater::new(tempfile::tempfile_in(dir.path()).unwrap());
        for line in rows.chunks(333) {
            rows_part.write(line).unwrap();
        }
        let (mut file, rows_part) = rows_part.finish(false).unwrap();
        file.rewind().unwrap();
        let (empty, empty_part) = deflated(b"", false).unwrap();
        let (h, h_part) = deflated(&head, false).unwrap();
        let (t, t_part) = deflated(&tail, true).unwrap();
        let path = dir.path().join("a.zip");
        let mut zip = Archive::create(&path, File::create(&path).unwrap());
        let parts = [h_part, empty_part, rows_part, t_part];
        let pieces = &mut [
            Piece::Bytes(&h),
            Piece::Bytes(&empty),
            Piece::File(&mut file),
            Piece::Bytes(&t),
        ];
        zip.add("x/sheet.xml", &parts, pieces).unwrap();
        let (small, part) = deflated(b"<small/>", true).unwrap();
        zip.add("small.xml", &[part], &mut [Piece::Bytes(&small)])
            .unwrap();
        zip.finish().unwrap();

        let mut read = zip::ZipArchive::new(File::open(&path).unwrap()).unwrap();
        let mut text = Vec::new();
        read.by_name("x/sheet.xml")
            .unwrap()
            .read_to_end(&mut text)
            .unwrap();
        assert_eq!(text, [head, rows, tail].concat());
        let mut text = String::new();
        read.by_name("small.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "<small/>");
        assert_eq!(read.len(), 2);
    }
}
