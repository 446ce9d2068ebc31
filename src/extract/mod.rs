//! Stage 1, extract: every file of every source of the pipeline → typed, validated
//! records with lineage, plus the rows that were rejected and why.
//!
//! Each file is reconciled on the spot: rows read = rows accepted + rows rejected.
//! ID numbers are pseudonymized here, before anything else sees them.

pub mod decode;
mod kept;
pub mod pseudonym;
pub mod reader;
mod records;
mod row;
pub mod values;

pub use kept::kept_bytes;
pub use records::kind_of_uscc;
use records::RowContext;
use row::{Row, Texts};

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::{self, Pipeline, SourceSpec};
use crate::error::{Error, Result};
use crate::model::*;
use crate::vocabulary::{IssueKind, SourceKind};

use pseudonym::PseudonymKey;
use reader::RawTable;

/// Everything extract produces.
#[derive(Debug, Default, Clone)]
pub struct Staged {
    pub units: Vec<UnitRecord>,
    pub orgs: Vec<PartyOrgRecord>,
    pub joint: Vec<JointCoverageRecord>,
    pub members: Vec<MemberRecord>,
    pub ledger: Vec<LedgerRecord>,
    pub rejects: Vec<Reject>,
    pub flags: Vec<Flag>,
    pub files: Vec<InputFile>,
}

impl Staged {
    /// Puts `other`'s records, rejects, flags and files after these.
    pub fn append(&mut self, mut other: Staged) {
        self.units.append(&mut other.units);
        self.orgs.append(&mut other.orgs);
        self.joint.append(&mut other.joint);
        self.members.append(&mut other.members);
        self.ledger.append(&mut other.ledger);
        self.rejects.append(&mut other.rejects);
        self.flags.append(&mut other.flags);
        self.files.append(&mut other.files);
    }

    /// `parts` put together in their order, each vector sized once: appended part by
    /// part, a vector doubled as it grew (1M units: the member records' last doubling,
    /// to room for 4.2M, set extract's peak).
    pub fn concat(parts: Vec<Staged>) -> Staged {
        fn total<T>(parts: &[Staged], of: impl Fn(&Staged) -> &Vec<T>) -> usize {
            parts.iter().map(|p| of(p).len()).sum()
        }
        let mut out = Staged {
            units: Vec::with_capacity(total(&parts, |p| &p.units)),
            orgs: Vec::with_capacity(total(&parts, |p| &p.orgs)),
            joint: Vec::with_capacity(total(&parts, |p| &p.joint)),
            members: Vec::with_capacity(total(&parts, |p| &p.members)),
            ledger: Vec::with_capacity(total(&parts, |p| &p.ledger)),
            rejects: Vec::with_capacity(total(&parts, |p| &p.rejects)),
            flags: Vec::with_capacity(total(&parts, |p| &p.flags)),
            files: Vec::with_capacity(total(&parts, |p| &p.files)),
        };
        for part in parts {
            out.append(part);
        }
        out
    }

    /// Records accepted so far, of every kind.
    pub fn records(&self) -> usize {
        self.units.len()
            + self.orgs.len()
            + self.joint_rows()
            + self.members.len()
            + self.ledger.len()
    }

    /// The rows the joint-coverage records come from: a row that lists several covered
    /// units in one cell makes one record of each, one after the other. Records read
    /// from an organization export's rows (its 覆盖单位 columns) come from rows counted
    /// as organizations: a part is one file's, so they are the records of a part with
    /// organizations.
    fn joint_rows(&self) -> usize {
        if !self.orgs.is_empty() {
            return 0;
        }
        let rows = self.joint.iter().map(|j| (j.lineage.file(), j.lineage.row));
        let mut previous = None;
        rows.filter(|r| previous.replace(*r) != Some(*r)).count()
    }
}

/// One input file as the manifest describes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputFile {
    pub source: String,
    pub kind: String,
    /// The `files` entry of the pipeline file this file was found by.
    pub pattern: String,
    pub path: String,
    pub sha256: String,
    pub format: String,
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_rejected: u64,
    /// Headers the pipeline file does not map; they are ignored.
    pub unknown_columns: Vec<String>,
}

/// Reads every source of the pipeline for the period.
pub fn extract(p: &Pipeline, period: &str, key: &PseudonymKey) -> Result<Staged> {
    Ok(extract_sources(p, period, key, |_| true)?.into_staged())
}

/// What the files of a period gave, each file's parts (a part per batch of its rows)
/// with its place among them (the pipeline's sources in order, each source's files, each
/// file's sheets), so that parts read at different times are put together as if read at
/// once, and only once.
#[derive(Debug, Default)]
pub struct Parts(Vec<(usize, Vec<Staged>)>);

impl Parts {
    /// Every part put together in the files' order.
    pub fn into_staged(mut self) -> Staged {
        self.0.sort_by_key(|(place, _)| *place);
        Staged::concat(self.0.into_iter().flat_map(|(_, parts)| parts).collect())
    }

    /// The registry records of every part, in the files' order, taken out with the
    /// room they took: the parts stay until the member file is read, and a part's
    /// emptied vector kept its buffer (10M units: 2.4 GB held for nothing at the run's
    /// peak).
    pub fn take_units(&mut self) -> Vec<UnitRecord> {
        self.0.sort_by_key(|(place, _)| *place);
        let parts = || self.0.iter().flat_map(|(_, parts)| parts);
        let mut units = Vec::with_capacity(parts().map(|p| p.units.len()).sum());
        for (_, file) in &mut self.0 {
            for part in file {
                units.extend(std::mem::take(&mut part.units));
            }
        }
        units
    }

    /// The organization, joint-coverage and ledger records of every part, in the
    /// files' order, taken out (their rejects, flags and files stay).
    pub fn take_records(&mut self) -> Staged {
        self.0.sort_by_key(|(place, _)| *place);
        let mut taken = Vec::new();
        for (_, file) in &mut self.0 {
            for part in file {
                taken.push(Staged {
                    orgs: std::mem::take(&mut part.orgs),
                    joint: std::mem::take(&mut part.joint),
                    ledger: std::mem::take(&mut part.ledger),
                    ..Staged::default()
                });
            }
        }
        Staged::concat(taken)
    }

    /// These parts and `other`'s.
    pub fn and(mut self, other: Parts) -> Parts {
        self.0.extend(other.0);
        self
    }
}

/// Reads the files of the sources whose kind `wanted` takes: a run reads the unit
/// registries first and the other exports once resolve is done with the registry
/// records, so that the two never take memory at the same time.
pub fn extract_sources(
    p: &Pipeline,
    period: &str,
    key: &PseudonymKey,
    wanted: impl Fn(SourceKind) -> bool,
) -> Result<Parts> {
    let mut jobs = Vec::new();
    let mut place = 0;
    for spec in &p.sources {
        for (pattern, path) in p.files_of(spec, period)? {
            for sheet in spec.per_sheet() {
                if wanted(spec.kind) {
                    jobs.push((place, sheet, pattern.clone(), path.clone()));
                }
                place += 1;
            }
        }
    }
    crate::progress::expect_bytes(
        jobs.iter()
            .filter_map(|(_, _, _, path)| std::fs::metadata(path).ok())
            .map(|m| m.len())
            .sum(),
    );
    // Files are read in parallel; their records, rejects and manifest entries keep their
    // place, so no output depends on the number of threads.
    jobs.par_iter()
        .map(|(place, sheet, pattern, path)| {
            extract_file(p, period, sheet, pattern, path, key).map(|part| (*place, part))
        })
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect::<Result<Vec<_>>>()
        .map(Parts)
}

/// Rows of one file read by one task: rows are read in batches (never all held as
/// cells at once) and each batch's rows are made records in parallel, in chunks.
const ROW_BATCH: usize = 8 * ROW_CHUNK;
const ROW_CHUNK: usize = 8192;

fn extract_file(
    p: &Pipeline,
    period: &str,
    spec: &SourceSpec,
    pattern: &str,
    path: &Path,
    key: &PseudonymKey,
) -> Result<Vec<Staged>> {
    let file_bytes = std::fs::metadata(path).map_err(Error::io(path))?.len();
    let (mut rows_read, mut bytes_read) = (0u64, 0u64);
    // The columns, the lineage and the header every row shares, bound on the first batch.
    let bind = |table: &RawTable| -> Result<(Columns, RowContext, RawTable)> {
        Ok((
            bind_columns(path, spec, table)?,
            row_context(p, period, spec, key, path, table),
            table.header(),
        ))
    };
    let bound = OnceLock::new();
    let parts = Mutex::new(InOrder::default());
    let waiting = AtomicUsize::new(0);
    // Reading a file is one thread's work: the next batch is read while this one's
    // records are made (1M units: the member file took 8.5 s to read and 8.1 s to make
    // records, one after the other). Each batch's part keeps its number, so the records
    // stay in the file's order; at most two batches wait, so few rows are held as cells.
    let (table, sha256) = rayon::scope(|scope| {
        let mut number = 0;
        reader::read_file_in_batches(path, spec, ROW_BATCH, &mut |table, rows, share| {
            if bound.get().is_none() {
                let _ = bound.set(bind(table)?);
            }
            while waiting.load(Ordering::Acquire) >= 2 {
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::yield_now();
                }
            }
            waiting.fetch_add(1, Ordering::AcqRel);
            let read = rows.len() as u64;
            let (bound, parts, waiting) = (&bound, &parts, &waiting);
            scope.spawn(move |_| {
                let (columns, ctx, header) = bound.get().expect("bound on the first batch");
                let part = make_records(ctx, header, columns, &rows);
                parts.lock().expect("no task panics").put(number, part);
                waiting.fetch_sub(1, Ordering::AcqRel);
            });
            number += 1;
            let now = (file_bytes as f64 * share) as u64;
            crate::progress::advance(now.saturating_sub(bytes_read), read);
            (rows_read, bytes_read) = (rows_read + read, now);
            Ok(())
        })
    })?;
    if rows_read == 0 && !spec.allow_empty {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: format!(
                "a header and no data rows (a failed export?); export it again, or set \
                 `allow_empty = true` on source `{}` if the month really has none",
                spec.name
            ),
        });
    }
    let mut parts = parts.into_inner().expect("no task panics").parts;
    let (columns, ctx, _) = match bound.into_inner() {
        Some(b) => b,
        None => bind(&table)?,
    };
    let rows_rejected = parts.iter().map(|p| p.rejects.len() as u64).sum();
    let rows_accepted = parts.iter().map(|p| p.records() as u64).sum();
    let mut out = Staged::default();
    out.files.push(InputFile {
        source: spec.name.clone(),
        kind: spec.kind.as_str().to_string(),
        pattern: pattern.to_string(),
        path: ctx.origin.file.to_string(),
        sha256,
        format: table.format.clone(),
        rows_read,
        rows_accepted,
        rows_rejected,
        unknown_columns: columns.unknown,
    });
    parts.push(out);
    Ok(parts)
}

/// A file's batches in their order as they are done: a batch done before the one ahead
/// of it waits (at most two do); they are put together once, with the other files'.
#[derive(Default)]
struct InOrder {
    waiting: BTreeMap<usize, Staged>,
    parts: Vec<Staged>,
}

impl InOrder {
    fn put(&mut self, number: usize, part: Staged) {
        self.waiting.insert(number, part);
        while let Some(part) = self.waiting.remove(&self.parts.len()) {
            self.parts.push(part);
        }
    }
}

/// The records (and rejects) of a batch of a file's rows, made in parallel in chunks and
/// put together in the rows' order; the records of a chunk share their repeated texts.
fn make_records(
    ctx: &RowContext,
    header: &RawTable,
    columns: &Columns,
    rows: &[reader::RawRow],
) -> Staged {
    let xlsx = header.format.starts_with("xlsx");
    let chunks: Vec<Staged> = rows
        .par_chunks(ROW_CHUNK)
        .map(|chunk| {
            let mut part = Staged::default();
            let mut texts = Texts::default();
            for raw in chunk {
                read_row(ctx, header, columns, xlsx, raw, &mut texts, &mut part);
            }
            part
        })
        .collect();
    let mut out = Staged::default();
    for chunk in chunks {
        out.append(chunk);
    }
    out
}

/// What every row of a file shares: lineage names the sheet where a workbook has
/// several (`名录.xlsx[市级]`).
fn row_context<'a>(
    p: &'a Pipeline,
    period: &str,
    spec: &'a SourceSpec,
    key: &'a PseudonymKey,
    path: &Path,
    table: &RawTable,
) -> RowContext<'a> {
    let display = match &table.sheet {
        Some(sheet) => format!("{}[{sheet}]", path.display()),
        None => path.display().to_string(),
    };
    let mut ctx = RowContext {
        p,
        spec,
        key,
        origin: crate::model::Origin::new(spec.name.as_str(), display.as_str()),
        file_district: None,
        reports_end: config::month_index(period)
            .map_or_else(|| "9999-99".to_string(), |m| config::period_of_index(m + 2)),
    };
    ctx.file_district = ctx.district_of_file(path);
    ctx
}

/// One row of a file: a record of the source's kind into `out`, or a reject saying why
/// not.
fn read_row(
    ctx: &RowContext,
    table: &RawTable,
    columns: &Columns,
    xlsx: bool,
    raw: &reader::RawRow,
    texts: &mut Texts,
    out: &mut Staged,
) {
    let lineage = Lineage::at(&ctx.origin, raw.row);
    if let Some(word) = totals_word(&raw.cells) {
        out.rejects.push(Reject {
            lineage,
            field: String::new(),
            kind: IssueKind::TotalsRow,
            reason: format!("a totals row ({word}), not a record"),
            value: None,
        });
        return;
    }
    // Empty cells past the header's last (a separator ending every data row, as some
    // exporters write) hold nothing that could belong to another column.
    let width = table.headers.len();
    let trailing_empty =
        raw.cells.len() > width && raw.cells[width..].iter().all(|c| c.trim().is_empty());
    if !xlsx && raw.cells.len() != width && !trailing_empty {
        out.rejects.push(Reject {
            lineage,
            field: String::new(),
            kind: IssueKind::WrongColumns,
            reason: format!(
                "wrong number of columns: the header has {}, this row {}",
                table.headers.len(),
                raw.cells.len()
            ),
            value: None,
        });
        return;
    }
    let mut row = Row {
        cells: std::borrow::Cow::Borrowed(&raw.cells),
        columns,
        spec: ctx.spec,
        lineage,
        flags: Vec::new(),
    };
    row.remove_control_characters(&table.headers);
    row.flag_implausible_lengths();
    if let Err(reject) = ctx.accept(row, texts, out) {
        out.rejects.push(reject);
    }
}

/// The word a totals row begins with (合计, 总计, 小计, written with spaces or a colon):
/// its first cell that is not empty.
pub(crate) fn totals_word(cells: &[String]) -> Option<&'static str> {
    let first = cells.iter().find(|c| !c.trim().is_empty())?;
    let word: String = first
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '：'))
        .collect();
    ["合计", "总计", "小计", "总合计"]
        .into_iter()
        .find(|w| word == *w)
}

/// Canonical field → column index in one file.
struct Columns {
    index: BTreeMap<&'static str, usize>,
    unknown: Vec<String>,
}

impl Columns {
    fn field_of(&self, column: usize) -> Option<&'static str> {
        self.index
            .iter()
            .find(|(_, &i)| i == column)
            .map(|(f, _)| *f)
    }
}

fn header_key(h: &str) -> String {
    crate::text::nfkc(h)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect()
}

/// Finds each mapped field's column. A mapped column the file lacks stops the run (unless
/// the source lists it in `optional_columns`), and so does a mapped header that the file
/// has twice: either would silently change what is counted.
fn bind_columns(path: &Path, spec: &SourceSpec, table: &RawTable) -> Result<Columns> {
    // A header spread over several rows answers to its whole text (as init writes it,
    // `登记信息 / 登记状态`, or run together) or its last part.
    let keys: Vec<(String, String)> = table
        .headers
        .iter()
        .map(|h| {
            let last = h.rsplit(reader::HEADER_PARTS).next().unwrap_or(h);
            (
                header_key(&h.replace(reader::HEADER_PARTS, "")),
                header_key(last),
            )
        })
        .collect();
    let mut index = BTreeMap::new();
    let mut used = vec![false; keys.len()];
    let missing = |field: &str, wanted: &[&str]| Error::MissingColumn {
        path: path.to_path_buf(),
        field: field.to_string(),
        wanted: wanted.join(" / "),
        found: table.headers.join(", "),
    };
    for field in config::fields(spec.kind) {
        let Some(headers) = spec.columns.get(field.name()) else {
            continue;
        };
        let wanted = headers.list();
        let found = wanted.iter().find_map(|w| {
            let w = header_key(&w.replace(reader::HEADER_PARTS, ""));
            let at: Vec<usize> = keys
                .iter()
                .enumerate()
                .filter(|(_, (whole, last))| *whole == w || *last == w)
                .map(|(i, _)| i)
                .collect();
            (!at.is_empty()).then_some(at)
        });
        match found.as_deref() {
            Some([i]) => {
                index.insert(field.name(), *i);
                used[*i] = true;
            }
            Some(several) => {
                return Err(Error::Input {
                    path: path.to_path_buf(),
                    message: format!(
                        "the header `{}` (field `{}`) appears {} times, in columns {}; \
                         rename or remove the extra column",
                        table.headers[several[0]],
                        field.name(),
                        several.len(),
                        several
                            .iter()
                            .map(|i| (i + 1).to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            None if spec.optional_columns.iter().any(|o| o == field.name()) => {}
            None => return Err(missing(field.name(), &wanted)),
        }
    }
    let alternatives = config::one_of(spec.kind);
    if !alternatives.is_empty() && !alternatives.iter().any(|a| index.contains_key(a.as_str())) {
        let wanted: Vec<&str> = alternatives
            .iter()
            .filter_map(|a| spec.columns.get(a.as_str()))
            .flat_map(|h| h.list())
            .collect();
        let names: Vec<&str> = alternatives.iter().map(|a| a.as_str()).collect();
        return Err(missing(&names.join(" or "), &wanted));
    }
    let unknown = table
        .headers
        .iter()
        .zip(&used)
        .filter(|(h, u)| !**u && !h.is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    Ok(Columns { index, unknown })
}
