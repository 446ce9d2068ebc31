//! `coverage init`: a first pipeline file for a new city's exports, drafted from the
//! exports themselves. Every file under the folder is read as `run` reads it (CSV in any
//! supported encoding, every sheet of every workbook); the header row is the row whose
//! cells name most canonical fields (src/init/synonyms.rs), the source kind follows from
//! the fields named, files of one layout become one source with a month-stamped pattern,
//! each value map is drafted from the column's distinct values, and the districts are
//! read from the data. What init guessed is said in a comment beside it, what it could
//! not decide is marked `TO DECIDE`; a file it cannot place is named.

mod draft;
pub mod synonyms;
pub mod words;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::{SourceKind, SourceSpec};
use crate::database::DATABASE_FILE;
use crate::error::{Error, Result};
use crate::extract::reader::read_table;
use crate::vocabulary::SourceField as F;

pub struct InitOptions {
    /// The folder of one month's exports.
    pub exports: PathBuf,
    /// The pipeline file to write.
    pub out: PathBuf,
}

/// What init did: the file written, the sources found, what is left to decide and the
/// files (or sheets) it could not place.
pub struct InitReport {
    pub pipeline: PathBuf,
    pub sources: Vec<String>,
    pub decisions: Vec<String>,
    pub unplaced: Vec<String>,
    /// The month the file names carry (YYYY-MM), where they carry one.
    pub period: Option<String>,
}

/// One table of the exports: a CSV file or a sheet of a workbook.
struct Found {
    path: PathBuf,
    sheet: Option<String>,
    /// 1-based line of the header.
    header_row: usize,
    /// How many rows the header spans.
    header_rows: usize,
    /// Canonical field → the header naming it.
    columns: Vec<(F, String)>,
    /// Headers that name no field of the kind.
    unmapped: Vec<String>,
    kind: SourceKind,
    /// The data rows, cell by cell, in header order.
    rows: Vec<Vec<String>>,
    headers: Vec<String>,
}

impl Found {
    /// The cells of one field, non-empty and trimmed.
    fn values(&self, field: F) -> impl Iterator<Item = &str> {
        let at = self
            .columns
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, h)| self.headers.iter().position(|x| x == h));
        self.rows.iter().filter_map(move |r| {
            let v = r.get(at?)?.trim();
            (!v.is_empty()).then_some(v)
        })
    }

    fn has(&self, field: F) -> bool {
        self.columns.iter().any(|(f, _)| *f == field)
    }
}

/// A spec that reads a file as it is: header on line 1, the encoding told by the bytes.
fn plain_spec(sheet: Option<&str>) -> SourceSpec {
    let mut spec: SourceSpec =
        toml::from_str("name = \"init\"\nkind = \"unit_registry\"\nfiles = []\n[columns]\n")
            .expect("a minimal source spec");
    spec.sheet =
        sheet.map(|s| crate::config::Sheets::One(crate::config::SheetChoice::Name(s.into())));
    spec
}

/// Every file of the exports, in name order.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Err(Error::Input {
            path: dir.to_path_buf(),
            message: "not a folder of exports".into(),
        });
    }
    Ok(crate::glob::files_under(dir))
}

fn is_table(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "csv" | "tsv" | "txt" | "xlsx" | "xlsm" | "xls"
    )
}

/// How many cells of a row name a canonical field of some kind.
fn named_cells(row: &[String]) -> usize {
    row.iter()
        .filter(|c| {
            crate::config::SOURCE_KINDS
                .iter()
                .any(|&k| !synonyms::fields_named(k, c).is_empty())
        })
        .count()
}

/// The kind of a table by its headers: a telling field first, else a unit registry
/// where it names units.
fn kind_of(headers: &[String]) -> Option<SourceKind> {
    let has = |kind, field| headers.iter().any(|h| synonyms::names(kind, field, h));
    if let Some((kind, _)) = synonyms::TELLING.iter().find(|(k, f)| has(*k, *f)) {
        return Some(*kind);
    }
    let unit = SourceKind::UnitRegistry;
    (has(unit, F::Name) && (has(unit, F::Status) || has(unit, F::Uscc))).then_some(unit)
}

/// Canonical field → header, for the headers of a table of `kind` (a field's first
/// header wins), and the headers that name none.
fn map_columns(kind: SourceKind, headers: &[String]) -> (Vec<(F, String)>, Vec<String>) {
    let mut columns: Vec<(F, String)> = Vec::new();
    let mut unmapped = Vec::new();
    for h in headers.iter().filter(|h| !h.trim().is_empty()) {
        let field = synonyms::fields_named(kind, h)
            .into_iter()
            .find(|f| !columns.iter().any(|(g, _)| g == f));
        match field {
            Some(f) => columns.push((f, h.clone())),
            None => unmapped.push(h.clone()),
        }
    }
    (columns, unmapped)
}

/// A table read whole, its header found; None where no row names two fields.
fn found(path: &Path, bytes: &[u8], sheet: Option<&str>) -> Result<Option<Found>> {
    let table = read_table(path, bytes, &plain_spec(sheet))?;
    let mut lines: Vec<(usize, Vec<String>)> = vec![(1, table.headers)];
    lines.extend(table.rows.into_iter().map(|r| (r.row as usize, r.cells)));
    // The header: the row (or two rows, where together they name more) among the first
    // ten whose cells name most fields; one row and the earlier where they name as many.
    let header_of = |i: usize, n: usize| {
        let rows: Vec<&Vec<String>> = lines[i..i + n].iter().map(|l| &l.1).collect();
        crate::extract::reader::join_header_rows(&rows)
    };
    let candidates = (0..lines.len().min(10))
        .flat_map(|i| [(i, 1), (i, 2)])
        .filter(|&(i, n)| i + n <= lines.len());
    // Where a group row above the header makes more columns name fields of the table's
    // kind (所在单位 over 统一社会信用代码), the two rows are the header.
    let fields_of_its_kind = |h: &[String]| kind_of(h).map_or(0, |k| map_columns(k, h).0.len());
    let Some((at, rows)) = candidates
        .max_by_key(|&(i, n)| {
            let h = header_of(i, n);
            (
                fields_of_its_kind(&h),
                named_cells(&h),
                n == 1,
                std::cmp::Reverse(i),
            )
        })
        .filter(|&(i, n)| named_cells(&header_of(i, n)) >= 2)
    else {
        return Ok(None);
    };
    let headers = header_of(at, rows);
    let Some(kind) = kind_of(&headers) else {
        return Ok(None);
    };
    let (columns, unmapped) = map_columns(kind, &headers);
    Ok(Some(Found {
        path: path.to_path_buf(),
        sheet: sheet.map(str::to_string),
        header_row: lines[at].0,
        header_rows: rows,
        columns,
        unmapped,
        kind,
        // A totals row (合计) is rejected as such by the run: no value of it is drafted.
        rows: lines
            .drain(at + rows..)
            .map(|(_, cells)| cells)
            .filter(|cells| crate::extract::totals_word(cells).is_none())
            .collect(),
        headers,
    }))
}

/// The folder between `dir` and `path` that holds a run's database, if one does.
fn output_folder(dir: &Path, path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .take_while(|a| *a != dir && a.starts_with(dir))
        .find(|a| a.join(DATABASE_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Every table of the exports, and the files or sheets that are none.
fn read_all(dir: &Path) -> Result<(Vec<Found>, Vec<String>)> {
    let mut tables = Vec::new();
    let mut unplaced = Vec::new();
    let mut outputs = BTreeSet::new();
    for path in files_under(dir)? {
        let shown = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        // A run's output folder kept beside the exports: its reports are no export.
        if let Some(out) = output_folder(dir, &path) {
            if outputs.insert(out.clone()) {
                let out = out.strip_prefix(dir).unwrap_or(&out).display().to_string();
                unplaced.push(format!(
                    "{out}/: a run's output folder (holds {DATABASE_FILE}), left out"
                ));
            }
            continue;
        }
        if !is_table(&path) {
            unplaced.push(format!("{shown}: not a CSV file or a workbook"));
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::Input {
            path: path.clone(),
            message: e.to_string(),
        })?;
        // A file no reader makes sense of is listed, not the end of the draft.
        let sheets = match crate::extract::reader::sheets(&path, &bytes) {
            Ok(sheets) => sheets,
            Err(e) => {
                unplaced.push(format!("{shown}: {e}"));
                continue;
            }
        };
        for sheet in sheets {
            let what = match &sheet {
                Some(s) => format!("{shown} [{s}]"),
                None => shown.clone(),
            };
            match found(&path, &bytes, sheet.as_deref()) {
                Ok(Some(t)) => tables.push(t),
                Ok(None) => unplaced.push(format!(
                    "{what}: no row of its first ten names the fields of any source kind"
                )),
                Err(e) => unplaced.push(format!("{what}: {e}")),
            }
        }
    }
    Ok((tables, unplaced))
}

/// Drafts the pipeline file of the exports under `opts.exports` and writes it.
pub fn init(opts: &InitOptions) -> Result<InitReport> {
    let (tables, unplaced) = read_all(&opts.exports)?;
    if tables.is_empty() {
        return Err(Error::Input {
            path: opts.exports.clone(),
            message:
                "no export found here: no CSV file or workbook sheet names the fields of a source"
                    .into(),
        });
    }
    let base = opts.out.parent().unwrap_or(Path::new("."));
    let draft = draft::Draft::new(&tables, &opts.exports, base);
    let text = draft.write(&unplaced);
    if let Some(dir) = opts.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    }
    std::fs::write(&opts.out, &text).map_err(|e| Error::output(&opts.out, e))?;
    Ok(InitReport {
        pipeline: opts.out.clone(),
        sources: draft.source_names(),
        decisions: draft.decisions.clone(),
        unplaced,
        period: draft.period.clone(),
    })
}

/// A month stamp in a file name: (start, end, period YYYY-MM, the pattern that writes
/// it): 202611 `{yyyymm}`, 2026-11 `{period}`, 2026.11 and 2026_11 `{yyyy}.{mm}`,
/// 2026年11月 `{yyyy}年{mm}月` (2026年3月 `{yyyy}年{m}月`).
fn month_stamp(name: &str) -> Option<(usize, usize, String, String)> {
    // (what follows the year, what follows the month, the pattern of a two-digit month,
    // of a one-digit month where the form has one)
    const MONTH_FORMS: [(&str, &str, &str, Option<&str>); 5] = [
        ("", "", "{yyyymm}", None),
        ("-", "", "{period}", None),
        (".", "", "{yyyy}.{mm}", None),
        ("_", "", "{yyyy}_{mm}", None),
        ("年", "月", "{yyyy}年{mm}月", Some("{yyyy}年{m}月")),
    ];
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let digits = |from: usize| (from..).take_while(|&i| digit(i)).count();
    for i in 0..b.len() {
        if (i > 0 && digit(i - 1)) || b.get(i..i + 2) != Some(b"20") || digits(i) < 4 {
            continue;
        }
        let year = &name[i..i + 4];
        let month = |at: usize, n: usize| {
            let m: u32 = name.get(at..at + n)?.parse().ok()?;
            (1..=12).contains(&m).then(|| format!("{year}-{m:02}"))
        };
        for (sep, close, two_digits, one_digit) in MONTH_FORMS {
            let at = i + 4 + sep.len();
            if !name[i + 4..].starts_with(sep) {
                continue;
            }
            let n = digits(at);
            let pattern = match (n, one_digit) {
                (2, _) => two_digits,
                (1, Some(pattern)) => pattern,
                _ => continue,
            };
            let end = at + n;
            if !name[end..].starts_with(close) {
                continue;
            }
            if let Some(period) = month(at, n) {
                return Some((i, end + close.len(), period, pattern.to_string()));
            }
        }
    }
    None
}

/// The file patterns of a source's files, relative to the pipeline file's folder: a
/// month stamp becomes `{yyyymm}` or `{period}`, and names that differ in one part
/// become one pattern with `*` there.
fn patterns(files: &BTreeSet<PathBuf>, base: &Path) -> (Vec<String>, Option<String>) {
    let mut period = None;
    let templated: BTreeSet<String> = files
        .iter()
        .map(|f| {
            let rel = relative(base, f);
            match month_stamp(&rel) {
                Some((a, b, p, stamp)) => {
                    period.get_or_insert(p);
                    format!("{}{stamp}{}", &rel[..a], &rel[b..])
                }
                None => rel,
            }
        })
        .collect();
    if templated.len() == 1 {
        return (templated.into_iter().collect(), period);
    }
    let names: Vec<&String> = templated.iter().collect();
    let prefix = common(names.iter().map(|n| n.chars()));
    let suffix = common(names.iter().map(|n| n.chars().rev()));
    let p: String = names[0].chars().take(prefix).collect();
    let s: String = names[0]
        .chars()
        .rev()
        .take(suffix)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // The wildcard takes whole parts of the name (东部 and 西部, not 东 and 西).
    let sep = |c: char| matches!(c, '_' | '-' | ' ' | '.' | '/');
    let p = match p.rfind(sep) {
        Some(i) => p[..i + 1].to_string(),
        None => String::new(),
    };
    let s = match s.find(sep) {
        Some(i) => s[i..].to_string(),
        None => String::new(),
    };
    let (prefix, suffix) = (p.chars().count(), s.chars().count());
    let shortest = names.iter().map(|n| n.chars().count()).min().unwrap_or(0);
    if prefix + suffix < shortest && !p.ends_with('/') {
        (vec![format!("{p}*{s}")], period)
    } else {
        (templated.into_iter().collect(), period)
    }
}

/// How many leading items all the sequences share.
fn common<I: Iterator<Item = char>>(mut seqs: impl Iterator<Item = I>) -> usize {
    let first: Vec<char> = match seqs.next() {
        Some(s) => s.collect(),
        None => return 0,
    };
    seqs.fold(first.len(), |n, s| {
        first
            .iter()
            .zip(s)
            .take(n)
            .take_while(|(a, b)| *a == b)
            .count()
    })
}

/// `to` as a path from the folder `from`, with `/` separators.
fn relative(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (a, b) = (abs(from), abs(to));
    let a: Vec<_> = a.components().collect();
    let b: Vec<_> = b.components().collect();
    let shared = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - shared];
    parts.extend(
        b[shared..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The files and sheets of one layout, as one source.
struct Group<'a> {
    kind: SourceKind,
    tables: Vec<&'a Found>,
}

/// Tables of one kind, the same fields, header row and sheet names: one source.
fn groups(tables: &[Found]) -> Vec<Group<'_>> {
    // A layout: the kind, the fields named, and where the header is.
    type Layout = (String, Vec<String>, (usize, usize));
    let mut by: BTreeMap<Layout, Vec<&Found>> = BTreeMap::new();
    for t in tables {
        let fields: Vec<String> = t
            .columns
            .iter()
            .map(|(f, _)| f.as_str().to_string())
            .collect();
        let mut fields = fields;
        fields.sort();
        by.entry((
            t.kind.as_str().to_string(),
            fields,
            (t.header_row, t.header_rows),
        ))
        .or_default()
        .push(t);
    }
    let mut out: Vec<Group> = by
        .into_values()
        .map(|tables| Group {
            kind: tables[0].kind,
            tables,
        })
        .collect();
    // Where two records of a unit rank alike, the first source's names it (resolve): the
    // current registries (with a USCC column) come first, the larger first, and an old
    // system's register without USCCs last.
    let order = |k: SourceKind| crate::config::SOURCE_KINDS.iter().position(|x| *x == k);
    let rows = |g: &Group| g.tables.iter().map(|t| t.rows.len()).sum::<usize>();
    out.sort_by_key(|g| {
        let uscc = g.tables[0].has(F::Uscc);
        (
            order(g.kind),
            !uscc,
            std::cmp::Reverse(rows(g)),
            g.tables[0].path.clone(),
        )
    });
    out
}

#[cfg(test)]
mod tests;
