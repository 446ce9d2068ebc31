//! Stage 1, extract: every file of every source of the pipeline → typed, validated
//! records with lineage, plus the rows that were rejected and why.
//!
//! Each file is reconciled on the spot: rows read = rows accepted + rows rejected.
//! ID numbers are pseudonymized here, before anything else sees them.

pub mod decode;
pub mod pseudonym;
pub mod table;
pub mod values;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::config::{self, CheckPolicy, FieldSpec, Pipeline, SourceKind, SourceSpec};
use crate::error::{Error, Result};
use crate::ids::{self, IdNumber};
use crate::model::*;
use crate::names::{normalize_name, org_name_key};
use crate::vocabulary::{IssueKind, UnitKind, Vocabulary};

use pseudonym::PseudonymKey;
use table::{read_table, RawTable};

/// Everything extract produces.
#[derive(Debug, Default)]
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
    /// Records accepted so far, of every kind.
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

    pub fn records(&self) -> usize {
        self.units.len()
            + self.orgs.len()
            + self.joint.len()
            + self.members.len()
            + self.ledger.len()
    }
}

/// One input file as the manifest describes it.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    pub source: String,
    pub kind: &'static str,
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
    let mut jobs = Vec::new();
    for spec in &p.sources {
        for (pattern, path) in p.files_of(spec, period)? {
            for sheet in spec.per_sheet() {
                jobs.push((sheet, pattern.clone(), path.clone()));
            }
        }
    }
    crate::progress::expect_bytes(
        jobs.iter()
            .filter_map(|(_, _, path)| std::fs::metadata(path).ok())
            .map(|m| m.len())
            .sum(),
    );
    // Files are read in parallel; their records, rejects and manifest entries are put
    // together in the pipeline's order, so no output depends on the number of threads.
    let parts: Vec<Result<Staged>> = jobs
        .par_iter()
        .map(|(sheet, pattern, path)| extract_file(p, sheet, pattern, path, key))
        .collect();
    let mut staged = Staged::default();
    for part in parts {
        staged.append(part?);
    }
    Ok(staged)
}

/// Rows of one file read by one task: large files are read in chunks in parallel.
const ROW_CHUNK: usize = 8192;

fn extract_file(
    p: &Pipeline,
    spec: &SourceSpec,
    pattern: &str,
    path: &Path,
    key: &PseudonymKey,
) -> Result<Staged> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let sha256 = hex::encode(&Sha256::digest(&bytes)[..]);
    let file_bytes = bytes.len() as u64;
    let table = read_table(path, &bytes, spec)?;
    drop(bytes);
    if table.rows.is_empty() && !spec.allow_empty {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: format!(
                "a header and no data rows (a failed export?); export it again, or set \
                 `allow_empty = true` on source `{}` if the month really has none",
                spec.name
            ),
        });
    }
    let columns = bind_columns(path, spec, &table)?;
    // Lineage names the sheet where a workbook has several: `名录.xlsx[市级]`.
    let display = match &table.sheet {
        Some(sheet) => format!("{}[{sheet}]", path.display()),
        None => path.display().to_string(),
    };
    let xlsx = table.format.starts_with("xlsx");
    let ctx = RowContext {
        p,
        spec,
        key,
        source: spec.name.as_str().into(),
        file: display.as_str().into(),
    };
    let rows = table.rows.len().max(1) as u64;
    let chunks: Vec<Staged> = table
        .rows
        .par_chunks(ROW_CHUNK)
        .map(|chunk| {
            let mut part = Staged::default();
            for raw in chunk {
                read_row(&ctx, &table, &columns, xlsx, raw, &mut part);
            }
            let n = chunk.len() as u64;
            crate::progress::advance(file_bytes * n / rows, n);
            part
        })
        .collect();
    let mut out = Staged::default();
    for chunk in chunks {
        out.append(chunk);
    }
    let rows_read = table.rows.len() as u64;
    let rows_rejected = out.rejects.len() as u64;
    let rows_accepted = out.records() as u64;
    out.files.push(InputFile {
        source: spec.name.clone(),
        kind: spec.kind.as_str(),
        pattern: pattern.to_string(),
        path: display,
        sha256,
        format: table.format.clone(),
        rows_read,
        rows_accepted,
        rows_rejected,
        unknown_columns: columns.unknown,
    });
    Ok(out)
}

/// One row of a file: a record of the source's kind into `out`, or a reject saying why
/// not.
fn read_row(
    ctx: &RowContext,
    table: &RawTable,
    columns: &Columns,
    xlsx: bool,
    raw: &table::RawRow,
    out: &mut Staged,
) {
    let lineage = Lineage {
        source: ctx.source.clone(),
        file: ctx.file.clone(),
        row: raw.row,
    };
    if !xlsx && raw.cells.len() != table.headers.len() {
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
    if let Err(reject) = ctx.accept(row, out) {
        out.rejects.push(reject);
    }
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
    h.nfkc()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect()
}

/// Finds each mapped field's column. A mapped column the file lacks stops the run (unless
/// the source lists it in `optional_columns`), and so does a mapped header that the file
/// has twice: either would silently change what is counted.
fn bind_columns(path: &Path, spec: &SourceSpec, table: &RawTable) -> Result<Columns> {
    // A header spread over several rows answers to its whole text or its last part.
    let keys: Vec<(String, String)> = table
        .headers
        .iter()
        .map(|h| {
            let last = h.rsplit(table::HEADER_PARTS).next().unwrap_or(h);
            (
                header_key(&h.replace(table::HEADER_PARTS, "")),
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
        let Some(headers) = spec.columns.get(field.name) else {
            continue;
        };
        let wanted = headers.list();
        let found = wanted.iter().find_map(|w| {
            let w = header_key(w);
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
                index.insert(field.name, *i);
                used[*i] = true;
            }
            Some(several) => {
                return Err(Error::Input {
                    path: path.to_path_buf(),
                    message: format!(
                        "the header `{}` (field `{}`) appears {} times, in columns {}; \
                         rename or remove the extra column",
                        table.headers[several[0]],
                        field.name,
                        several.len(),
                        several
                            .iter()
                            .map(|i| (i + 1).to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            None if spec.optional_columns.iter().any(|o| o == field.name) => {}
            None => return Err(missing(field.name, &wanted)),
        }
    }
    let alternatives = config::one_of(spec.kind);
    if !alternatives.is_empty() && !alternatives.iter().any(|a| index.contains_key(a)) {
        let wanted: Vec<&str> = alternatives
            .iter()
            .filter_map(|a| spec.columns.get(*a))
            .flat_map(|h| h.list())
            .collect();
        return Err(missing(&alternatives.join(" or "), &wanted));
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

/// One data row seen through the source's column and value mapping.
struct Row<'a> {
    cells: std::borrow::Cow<'a, [String]>,
    columns: &'a Columns,
    spec: &'a SourceSpec,
    lineage: Lineage,
    flags: Vec<Flag>,
}

/// What a USCC column holds: a USCC (valid or flagged), or an older code written there.
#[derive(Default)]
struct UsccColumn {
    uscc: Option<Code>,
    org_code: Option<String>,
    reg_no: Option<String>,
}

/// What a defective field of an accepted row becomes: flagged, and NULL.
type Kept<T> = std::result::Result<Option<T>, Reject>;

impl Row<'_> {
    fn reject(
        &self,
        field: &str,
        kind: IssueKind,
        reason: impl Into<String>,
        value: Option<&str>,
    ) -> Reject {
        Reject {
            lineage: self.lineage.clone(),
            field: field.to_string(),
            kind,
            reason: reason.into(),
            value: value.map(str::to_string),
        }
    }

    /// Keeps the row but records a warning about one of its fields.
    fn flag(
        &mut self,
        field: &str,
        kind: IssueKind,
        reason: impl Into<String>,
        value: Option<String>,
    ) {
        let mut issue = self.reject(field, kind, reason, None);
        issue.value = value;
        self.flags.push(issue);
    }

    /// NUL and other control characters (a broken export, a paste from a web form) are
    /// removed from every cell, and flagged where the column is one the pipeline maps.
    /// A line break inside a quoted cell (an address on two lines) is data, kept.
    fn remove_control_characters(&mut self, headers: &[String]) {
        let junk = |c: char| c.is_control() && c != '\n' && c != '\r';
        let dirty: Vec<usize> = (0..self.cells.len())
            .filter(|&i| self.cells[i].chars().any(junk))
            .collect();
        for i in dirty {
            let clean: String = self.cells[i].chars().filter(|&c| !junk(c)).collect();
            self.cells.to_mut()[i] = clean;
            let field = self.columns.field_of(i);
            if let Some(field) = field {
                let shown = (field != "id_number").then(|| self.cells[i].clone());
                self.flag(
                    field,
                    IssueKind::ControlCharacters,
                    CONTROL_CHARACTERS,
                    shown,
                );
            } else {
                let header = headers.get(i).cloned().unwrap_or_default();
                self.flag(
                    &header,
                    IssueKind::ControlCharacters,
                    CONTROL_CHARACTERS,
                    None,
                );
            }
        }
    }

    /// A mapped cell far longer than any real value of its field (a pasted document, two
    /// columns run together) is flagged, and kept as written. Codes and ID numbers are
    /// checked by their own rules.
    fn flag_implausible_lengths(&mut self) {
        let long: Vec<(&'static str, usize)> = self
            .columns
            .index
            .iter()
            .filter_map(|(&field, &i)| {
                let n = self.cells.get(i)?.trim().chars().count();
                (n > plausible_length(field)?).then_some((field, n))
            })
            .collect();
        for (field, n) in long {
            let start: String = self.cell(field).unwrap_or("").chars().take(20).collect();
            let reason = format!(
                "{n} characters, more than any real value ({} at most); kept as written",
                plausible_length(field).unwrap_or(0)
            );
            self.flag(
                field,
                IssueKind::ImplausibleLength,
                &reason,
                Some(format!("{start}…")),
            );
        }
    }

    /// The cell as written (trimmed), without defaults.
    fn cell(&self, field: &str) -> Option<&str> {
        let i = *self.columns.index.get(field)?;
        let v = self.cells.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// The cell, or the source's default for the field.
    fn text(&self, field: &str) -> Option<String> {
        self.cell(field)
            .map(str::to_string)
            .or_else(|| self.spec.defaults.get(field).cloned())
    }

    fn required(&self, field: &str) -> std::result::Result<String, Reject> {
        self.text(field)
            .ok_or_else(|| self.reject(field, IssueKind::Empty, "required field is empty", None))
    }

    /// A field with canonical values: the cell mapped through the source's value map
    /// (or taken as it is when canonical and the source has no map); an empty cell takes
    /// the default, as it is when canonical, else mapped like a raw value.
    fn canonical(&self, field: &FieldSpec) -> Option<std::result::Result<String, Reject>> {
        let raw = match self.cell(field.name) {
            Some(raw) => raw.to_string(),
            None => {
                let default = self.spec.defaults.get(field.name)?;
                if field.values.contains(&default.as_str()) {
                    return Some(Ok(default.clone()));
                }
                default.clone()
            }
        };
        Some(self.map_value(field, &raw))
    }

    fn map_value(&self, field: &FieldSpec, raw: &str) -> std::result::Result<String, Reject> {
        let mapped = match self.spec.values.get(field.name) {
            Some(map) => map.map(raw).map(str::to_string),
            None => field.values.contains(&raw).then(|| raw.to_string()),
        };
        mapped.ok_or_else(|| {
            self.reject(
                field.name,
                IssueKind::NotInMapping,
                format!(
                    "value not in the pipeline's mapping for `{}` (canonical: {})",
                    field.name,
                    field.values.join(", ")
                ),
                Some(raw),
            )
        })
    }

    /// A field the row cannot do without (status, kind …): a value that maps to nothing
    /// rejects the row.
    fn required_mapped(&self, field: &FieldSpec) -> std::result::Result<String, Reject> {
        self.canonical(field).unwrap_or_else(|| {
            Err(self.reject(
                field.name,
                IssueKind::Empty,
                "required field is empty",
                None,
            ))
        })
    }

    /// A word of the vocabulary the row cannot do without (`required_mapped`, typed).
    fn required_word<T: Vocabulary>(&self, field: &FieldSpec) -> std::result::Result<T, Reject> {
        let text = self.required_mapped(field)?;
        T::parse(&text).ok_or_else(|| self.not_a_word(field, text))
    }

    /// A descriptive word of the vocabulary (`optional_mapped`, typed).
    fn optional_word<T: Vocabulary>(&mut self, field: &FieldSpec) -> Option<T> {
        let text = self.optional_mapped(field)?;
        let word = T::parse(&text);
        if word.is_none() {
            let issue = self.not_a_word(field, text);
            self.flags.push(issue);
        }
        word
    }

    /// Value maps are checked against the vocabulary when the pipeline is read, so this
    /// is only reached by a map that checking missed.
    fn not_a_word(&self, field: &FieldSpec, text: String) -> Reject {
        let reason = format!("maps to `{text}`, not one of {}", field.values.join(", "));
        self.reject(field.name, IssueKind::NotInMapping, reason, Some(&text))
    }

    /// A descriptive field with canonical values: one that maps to nothing is flagged.
    fn optional_mapped(&mut self, field: &FieldSpec) -> Option<String> {
        match self.canonical(field)? {
            Ok(v) => Some(v),
            Err(issue) => {
                self.flags.push(issue);
                None
            }
        }
    }

    /// Parses a descriptive field; a value that does not parse is flagged and NULL.
    fn parsed<T>(&mut self, field: &str, parse: fn(&str) -> Option<T>, what: &str) -> Option<T> {
        let raw = self.text(field)?;
        let value = parse(&raw);
        if value.is_none() {
            self.flag(
                field,
                IssueKind::Unreadable,
                format!("{what}; kept as NULL"),
                Some(raw),
            );
        }
        value
    }

    /// A whole number such as 120, 120人, 1,200 or 120.0.
    fn count(&mut self, field: &str) -> Option<i64> {
        self.parsed(field, values::parse_count, "not a whole number of people")
    }

    /// A date in one of the forms offices write (see `values::parse_date`).
    fn date(&mut self, field: &str) -> Option<String> {
        self.parsed(
            field,
            values::parse_date,
            "not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD or an Excel day number)",
        )
    }

    /// Yes/no cells of the ledger. Empty, 无, 否, 0, N mean no; a name or any other
    /// text (e.g. the instructor's name) means yes.
    fn yes(&self, field: &str) -> bool {
        match self.text(field) {
            None => false,
            Some(v) => !matches!(
                v.nfkc().collect::<String>().to_uppercase().as_str(),
                "无" | "否" | "没有" | "未建" | "未选派" | "0" | "N" | "NO" | "FALSE" | "-" | "/"
            ),
        }
    }

    /// A code checked by `valid`. A code that checks is taken whatever it looks like;
    /// otherwise a code in scientific notation (digits lost) or with a wrong check
    /// character is flagged and not used for matching — or, under
    /// `invalid_check_digit = "reject"`, rejects the row.
    fn code(&mut self, field: &str, what: &str, valid: fn(&str) -> bool) -> Kept<Code> {
        let Some(raw) = self.text(field) else {
            return Ok(None);
        };
        let value = ids::normalize_code(&raw);
        if valid(&value) {
            // Lower-case letters or full-width characters: read in standard form, and
            // said so (hyphens and spaces are ways of writing a code, not mistakes).
            if raw
                .chars()
                .any(|c| c.is_lowercase() || ('\u{ff01}'..='\u{ff5e}').contains(&c))
            {
                let reason = format!("written as {raw}; read as {value}");
                self.flag(
                    field,
                    IssueKind::CodeNormalized,
                    &reason,
                    Some(value.clone()),
                );
            }
            return Ok(Some(Code { value, valid: true }));
        }
        let scientific = values::is_scientific(&raw);
        let (kind, reason) = if scientific {
            (IssueKind::Scientific, SCIENTIFIC.to_string())
        } else {
            (
                IssueKind::InvalidCode,
                format!("invalid {what} (length, characters or check digit)"),
            )
        };
        if self.spec.invalid_check_digit == CheckPolicy::Reject {
            return Err(self.reject(field, kind, reason, Some(&raw)));
        }
        if scientific {
            self.flag(field, kind, format!("{reason}; kept as NULL"), Some(raw));
            return Ok(None);
        }
        self.flag(field, kind, UNUSED_CODE, Some(value.clone()));
        Ok(Some(Code {
            value,
            valid: false,
        }))
    }

    /// A USCC column, which some exports fill with an older code: a 9-character
    /// 组织机构代码 or a 15-digit 注册号, each used as what it is (and flagged so).
    fn uscc_column(&mut self, field: &str) -> std::result::Result<UsccColumn, Reject> {
        if let Some(raw) = self.text(field) {
            let value = ids::normalize_code(&raw);
            if value.len() == 9 && ids::is_valid_org_code(&value) {
                let kind = IssueKind::OldCodeInUscc;
                self.flag(field, kind, ORG_CODE_IN_USCC_COLUMN, Some(value.clone()));
                return Ok(UsccColumn {
                    org_code: Some(value),
                    ..UsccColumn::default()
                });
            }
            if ids::is_valid_reg_no(&value) {
                let kind = IssueKind::OldCodeInUscc;
                self.flag(field, kind, REG_NO_IN_USCC_COLUMN, Some(value.clone()));
                return Ok(UsccColumn {
                    reg_no: Some(value),
                    ..UsccColumn::default()
                });
            }
        }
        let uscc = self.code(field, "统一社会信用代码", ids::is_valid_uscc)?;
        Ok(UsccColumn {
            uscc,
            ..UsccColumn::default()
        })
    }

    /// How the row names a unit: a USCC column (or an organization code in it) and a
    /// name column, where a valid USCC written inside the name is found and used.
    fn unit_ref(
        &mut self,
        uscc_field: &str,
        name_field: &str,
        name_key: impl Fn(&str) -> String,
    ) -> std::result::Result<UnitRef, Reject> {
        let UsccColumn {
            uscc,
            org_code,
            reg_no,
        } = self.uscc_column(uscc_field)?;
        // A USCC with a wrong check character still carries its organization code.
        let org_code = org_code.or_else(|| {
            let c = uscc.as_ref().filter(|c| !c.valid)?;
            ids::org_code_of_uscc(&c.value).map(str::to_string)
        });
        let mut unit = UnitRef {
            uscc: uscc.filter(|c| c.valid).map(|c| c.value),
            org_code,
            reg_no,
            name: self.text(name_field),
            ..UnitRef::default()
        };
        let mut name_for_key = unit.name.clone();
        if let Some((code, rest)) = unit.name.as_deref().and_then(ids::uscc_in_text) {
            if unit.uscc.is_none() {
                unit.uscc = Some(code);
                unit.uscc_from_name = true;
            }
            name_for_key = (!rest.is_empty()).then_some(rest);
        }
        unit.name_key = name_for_key.as_deref().map(name_key);
        Ok(unit)
    }
}

const UNUSED_CODE: &str = "invalid check digit; kept but not used for matching";

const SCIENTIFIC: &str = "a code written as a number in scientific notation (a spreadsheet lost its last digits); export the column as text";

const ORG_CODE_IN_USCC_COLUMN: &str =
    "an organization code (组织机构代码), not a USCC, in the USCC column; used as an organization code";

const UNKNOWN_DISTRICT: &str = "not a district of the pipeline's [districts]; the unit is placed by its other records (no_district if none)";

const REG_NO_IN_USCC_COLUMN: &str =
    "a 15-digit 注册号, not a USCC, in the USCC column; used as a 注册号";

const CONTROL_CHARACTERS: &str = "control characters (NUL, …) in the cell; removed";

/// The most characters a real value of a field has: names of units and organizations
/// run to a few dozen (100 leaves room), an address or a reason to a sentence or two;
/// any other field a short word or number. None for codes and ID numbers, which their
/// own checks judge.
fn plausible_length(field: &str) -> Option<usize> {
    match field {
        "uscc" | "org_code" | "reg_no" | "id_number" | "host_uscc" | "unit_uscc"
        | "employer_uscc" => None,
        "name" | "host_name" | "unit_name" | "org_name" | "employer_name" | "supervisor" => {
            Some(100)
        }
        "address" | "no_org_reason" => Some(300),
        _ => Some(100),
    }
}

struct RowContext<'a> {
    p: &'a Pipeline,
    spec: &'a SourceSpec,
    key: &'a PseudonymKey,
    /// The lineage every row of the file shares.
    source: std::sync::Arc<str>,
    file: std::sync::Arc<str>,
}

fn field(kind: SourceKind, name: &str) -> &'static FieldSpec {
    config::fields(kind)
        .iter()
        .find(|f| f.name == name)
        .expect("field of the catalogue")
}

impl RowContext<'_> {
    fn name_key(&self, name: &str) -> String {
        normalize_name(name, &self.p.pipeline.name_prefixes)
    }

    /// Turns a row into a record of the source's kind, or says why it cannot.
    fn accept(&self, mut row: Row, out: &mut Staged) -> std::result::Result<(), Reject> {
        let key = |n: &str| self.name_key(n);
        match self.spec.kind {
            SourceKind::UnitRegistry => {
                let unit = self.unit(&mut row)?;
                out.units.push(unit);
            }
            SourceKind::PartyOrgs => {
                let org = self.party_org(&mut row)?;
                out.orgs.push(org);
            }
            SourceKind::JointCoverage => {
                let unit = row.unit_ref("unit_uscc", "unit_name", key)?;
                if unit.is_empty() {
                    return Err(row.reject(
                        "unit_uscc",
                        IssueKind::NoIdentity,
                        "neither a usable USCC nor a name of the covered unit",
                        None,
                    ));
                }
                out.joint.push(JointCoverageRecord {
                    org_id: row.required("org_id")?,
                    unit,
                    lineage: row.lineage.clone(),
                });
            }
            SourceKind::Members => {
                let member = self.member(&mut row)?;
                out.members.push(member);
            }
            SourceKind::Ledger => {
                let unit = row.unit_ref("uscc", "name", key)?;
                if unit.is_empty() {
                    return Err(row.reject(
                        "uscc",
                        IssueKind::NoIdentity,
                        "neither a usable USCC nor a unit name",
                        None,
                    ));
                }
                out.ledger.push(LedgerRecord {
                    unit,
                    instructor: row.yes("instructor"),
                    union: row.yes("union"),
                    youth_league: row.yes("youth_league"),
                    employees: row.count("employees"),
                    no_org_reason: row.text("no_org_reason"),
                    lineage: row.lineage.clone(),
                });
            }
        }
        out.flags.append(&mut row.flags);
        Ok(())
    }

    /// A registry row is rejected only when its unit cannot be identified or placed: no
    /// name, a kind or status that maps to nothing, no district and no code to find it
    /// by. Any other defect is flagged and the field left NULL.
    fn unit(&self, row: &mut Row) -> std::result::Result<UnitRecord, Reject> {
        let k = SourceKind::UnitRegistry;
        let name = row.required("name")?;
        let in_uscc = row.uscc_column("uscc")?;
        let uscc = in_uscc.uscc;
        let mut reg_no = row.code("reg_no", "注册号", ids::is_valid_reg_no)?;
        let mut org_code = row.code("org_code", "组织机构代码", ids::is_valid_org_code)?;
        // An older code written in the USCC column counts where its own column has none.
        for (own, from_uscc) in [
            (&mut org_code, in_uscc.org_code),
            (&mut reg_no, in_uscc.reg_no),
        ] {
            if own.as_ref().is_none_or(|c| !c.valid) {
                if let Some(value) = from_uscc {
                    *own = Some(Code { value, valid: true });
                }
            }
        }
        let kind = self.unit_kind(row, &name, uscc.as_ref())?;
        let status = row.required_word(field(k, "status"))?;
        let has_code = [&uscc, &reg_no, &org_code]
            .iter()
            .any(|c| c.as_ref().is_some_and(|c| c.valid));
        let district_code = self.district(row, has_code)?;
        Ok(UnitRecord {
            name_key: self.name_key(&name),
            name,
            uscc,
            reg_no,
            org_code,
            kind,
            status,
            facts: RegistryFacts {
                district_code,
                street: row.text("street"),
                industry: row.text("industry"),
                park: row.text("park"),
                building: row.text("building"),
                employees: row.count("employees"),
                established: row.date("established"),
                registration_level: row.optional_word(field(k, "registration_level")),
                sub_category: row.optional_word(field(k, "sub_category")),
            },
            lineage: row.lineage.clone(),
        })
    }

    /// Kind from the export's 企业类型 when it says, else from the USCC's registry and
    /// kind characters, else the source's default; a law / accounting / tax firm name
    /// makes a private unit a professional firm.
    fn unit_kind(
        &self,
        row: &Row,
        name: &str,
        uscc: Option<&Code>,
    ) -> std::result::Result<UnitKind, Reject> {
        let spec = field(SourceKind::UnitRegistry, "entity_type");
        let word = |text: String| UnitKind::parse(&text).ok_or_else(|| row.not_a_word(spec, text));
        let kind = match row.cell("entity_type") {
            Some(raw) => Some(word(row.map_value(spec, raw)?)?),
            // A mistyped check character rarely touches the registry and kind characters.
            None => match uscc.and_then(|c| kind_of_uscc(&c.value)) {
                Some(kind) => Some(kind),
                None => row.canonical(spec).transpose()?.map(word).transpose()?,
            },
        };
        // In normal form: a stray space (北京X税务 师事务所) must not hide the kind.
        let key = self.name_key(name);
        let firm = self
            .p
            .rules
            .professional_firm_names
            .iter()
            .find(|(_, endings)| endings.iter().any(|e| key.contains(e.as_str())))
            .map(|(firm, _)| *firm);
        match (kind, firm) {
            (Some(k), Some(firm)) if k.may_be_a_firm() => Ok(firm),
            (Some(k), _) => Ok(k),
            // A directory of firms without a kind column: the name says what it is.
            (None, Some(firm)) => Ok(firm),
            (None, None) => Err(row.reject(
                "entity_type",
                IssueKind::UnknownKind,
                "unit kind unknown: no 企业类型, no USCC kind, no default and no firm name",
                None,
            )),
        }
    }

    /// The unit's district from the export's district field (code or name), else from
    /// its address; never from the USCC's area code. A row that names none is kept when
    /// a valid code can place it through the unit's other records (flagged where the
    /// export has a district column), and rejected when nothing can.
    fn district(&self, row: &mut Row, has_code: bool) -> Kept<String> {
        let raw = row.text("district");
        let by = |text: &str| self.district_in(text);
        if let Some(code) = raw.as_deref().and_then(by) {
            return Ok(Some(code));
        }
        if let Some(code) = row.text("address").as_deref().and_then(by) {
            return Ok(Some(code));
        }
        match (raw, has_code) {
            (Some(raw), false) => Err(row.reject(
                "district",
                IssueKind::UnknownDistrict,
                "not a district of the pipeline's [districts], and the address names none",
                Some(&raw),
            )),
            (None, false) => Err(row.reject(
                "district",
                IssueKind::NoDistrict,
                "no district (column or address) and no valid code to place the unit by",
                None,
            )),
            (Some(raw), true) => {
                row.flag(
                    "district",
                    IssueKind::UnknownDistrict,
                    UNKNOWN_DISTRICT,
                    Some(raw),
                );
                Ok(None)
            }
            (None, true) => {
                if row.columns.index.contains_key("district") {
                    row.flag(
                        "district",
                        IssueKind::NoDistrict,
                        "empty; the unit is placed by its other records (no_district if none)",
                        None,
                    );
                }
                Ok(None)
            }
        }
    }

    /// The district a text names: a district code of the pipeline, or a text holding a
    /// district's name (东城区, 北京市东城区市场监督管理局).
    fn district_in(&self, text: &str) -> Option<String> {
        let t = text.trim();
        if self.p.districts.contains_key(t) {
            return Some(t.to_string());
        }
        self.p
            .districts
            .iter()
            .find(|(_, name)| t == name.as_str() || t.contains(name.as_str()))
            .map(|(code, _)| code.clone())
    }

    fn party_org(&self, row: &mut Row) -> std::result::Result<PartyOrgRecord, Reject> {
        let k = SourceKind::PartyOrgs;
        let name = row.required("name")?;
        let district_code = row
            .text("district")
            .and_then(|t| self.district_in(&t))
            .or_else(|| self.district_in(&name));
        Ok(PartyOrgRecord {
            org_id: row.required("org_id")?,
            name_key: org_name_key(&name, &self.p.pipeline.name_prefixes),
            name,
            level: row.required_word(field(k, "level"))?,
            formation: row.required_word(field(k, "formation"))?,
            host: row.unit_ref("host_uscc", "host_name", |n| self.name_key(n))?,
            parent_id: row.text("parent_id"),
            status: row.required_word(field(k, "status"))?,
            district_code,
            lineage: row.lineage.clone(),
        })
    }

    /// A member is rejected only when the person cannot be identified (no ID number, or
    /// not one at all) or the category or standing maps to nothing. A wrong check
    /// character or an impossible birth date is flagged and the number pseudonymized as
    /// written: the same mistyped number in two records is still one person.
    fn member(&self, row: &mut Row) -> std::result::Result<MemberRecord, Reject> {
        let k = SourceKind::Members;
        let raw = row.required("id_number")?;
        let masked = ids::mask_id_number(&raw);
        let flagged = |why: &str| format!("{why}; pseudonymized as written");
        let (id, problem) = match ids::parse_id_number(&raw) {
            IdNumber::Valid(id) => (id, None),
            IdNumber::BadCheck(id) => (id, Some(flagged("invalid check character"))),
            IdNumber::BadBirthDate(id) => (id, Some(flagged("impossible birth date"))),
            IdNumber::Malformed if values::is_scientific(&raw) => {
                return Err(row.reject(
                    "id_number",
                    IssueKind::Scientific,
                    SCIENTIFIC,
                    Some(&masked),
                ))
            }
            IdNumber::Malformed => {
                return Err(row.reject(
                    "id_number",
                    IssueKind::InvalidIdNumber,
                    "not a 15- or 18-character 公民身份号码",
                    Some(&masked),
                ))
            }
        };
        if let Some(why) = problem {
            if row.spec.invalid_check_digit == CheckPolicy::Reject {
                let kind = IssueKind::InvalidIdNumber;
                return Err(row.reject("id_number", kind, why, Some(&masked)));
            }
            row.flag("id_number", IssueKind::InvalidIdNumber, why, Some(masked));
        }
        Ok(MemberRecord {
            member_key: self.key.pseudonym(&id),
            category: row.required_word(field(k, "category"))?,
            status: row.required_word(field(k, "status"))?,
            org_id: row.text("org_id"),
            org_name_key: row
                .text("org_name")
                .map(|n| org_name_key(&n, &self.p.pipeline.name_prefixes)),
            // Where the member works, when the export or the 工作单位 text says.
            district_code: row
                .text("district")
                .or_else(|| row.text("employer_name"))
                .and_then(|t| self.district_in(&t)),
            employer: row.unit_ref("employer_uscc", "employer_name", |n| self.name_key(n))?,
            lineage: row.lineage.clone(),
        })
    }
}

/// Unit kind from USCC characters 1-2 (registry and kind), where they say.
pub fn kind_of_uscc(uscc: &str) -> Option<UnitKind> {
    Some(match uscc.get(..2)? {
        "91" => UnitKind::PrivateEnterprise,
        "92" => UnitKind::IndividualBusiness,
        "93" => UnitKind::FarmerCoop,
        "51" => UnitKind::SocialGroup,
        "52" => UnitKind::PrivateNonEnterprise,
        "53" => UnitKind::Foundation,
        "31" => UnitKind::LawFirm,
        _ => return None,
    })
}
