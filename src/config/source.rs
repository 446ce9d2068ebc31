//! The sources of a pipeline file: what each export holds, how it is read (encoding,
//! sheets, header rows, checks) and how its raw values map to canonical words.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::SourceKind;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// BOM, else strict UTF-8, else GB18030 (a superset of GBK).
    #[default]
    Auto,
    #[serde(alias = "utf-8")]
    Utf8,
    #[serde(alias = "gbk", alias = "gb2312")]
    Gb18030,
}

/// What a defective code (wrong check digit, scientific notation) does to a row.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckPolicy {
    /// The row goes to `rejects`.
    Reject,
    /// The row is kept, the code is not used for matching, and the row is flagged: a
    /// mistyped code must not take a real unit out of the denominator.
    #[default]
    Flag,
}

/// A sheet chosen by name or by 0-based index.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum SheetChoice {
    Index(usize),
    Name(String),
}

/// `sheet = "市级"` or `sheet = ["市级", "区级"]`: several sheets of one layout (a 民政
/// directory with a sheet per registration level) are one source.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Sheets {
    One(SheetChoice),
    Many(Vec<SheetChoice>),
}

/// One header or several synonyms.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Headers {
    One(String),
    Many(Vec<String>),
}

impl Headers {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Headers::One(h) => vec![h.as_str()],
            Headers::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Raw value → canonical value, for a field with canonical values. The cell is trimmed;
/// an empty cell takes the source's `defaults` value for the field (taken as it is when
/// it is a canonical word, else mapped like a cell). The map then tries its `exact`
/// entries (the whole value), then its `contains` rules in their order (the first whose
/// text occurs in the value wins), then its `default`. A field without a map takes a
/// value only when it is already a canonical word. A value nothing maps rejects the row
/// (rejects names the value and the field). Example:
/// `[source.values.status] exact = { "存续" = "active", "在业" = "active" }`,
/// `contains = [["吊销", "revoked"], ["注销", "deregistered"]]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueMap {
    /// The whole (trimmed) value → its canonical word.
    #[serde(default)]
    pub exact: BTreeMap<String, String>,
    /// [text, word] pairs, tried in order: the first whose text occurs in the value.
    #[serde(default)]
    pub contains: Vec<(String, String)>,
    /// The word for any other value; without it, any other value rejects the row.
    #[serde(default)]
    pub default: Option<String>,
}

impl ValueMap {
    pub fn map(&self, raw: &str) -> Option<&str> {
        if let Some(v) = self.exact.get(raw) {
            return Some(v);
        }
        for (needle, v) in &self.contains {
            if raw.contains(needle.as_str()) {
                return Some(v);
            }
        }
        self.default.as_deref()
    }

    pub(super) fn outputs(&self) -> impl Iterator<Item = &str> {
        self.exact
            .values()
            .map(String::as_str)
            .chain(self.contains.iter().map(|(_, v)| v.as_str()))
            .chain(self.default.as_deref())
    }
}

/// One export (or several files of the same layout).
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// The source's name (rejects, flags and lineage columns name it).
    pub name: String,
    /// What the export holds (see the canonical fields of each kind below).
    pub kind: SourceKind,
    /// Paths relative to the pipeline file. `{period}` (2026-11), `{yyyymm}` (202611),
    /// `{yyyy}`, `{mm}` (03) and `{m}` (3) are replaced by the run's period; `*`, `?`
    /// and `[…]` are wildcards (see [`Pipeline::files_of`]).
    pub files: Vec<String>,
    /// The encoding of CSV files (`auto`: a BOM, else strict UTF-8, else GB18030).
    #[serde(default)]
    pub encoding: Encoding,
    /// 1-based row of the header (XLSX and CSV exports often carry title rows above it).
    #[serde(default = "one")]
    pub header_row: usize,
    /// How many rows the header spans (merged two-level headers), from `header_row` down.
    #[serde(default = "one")]
    pub header_rows: usize,
    /// The sheet(s) of a workbook: a name, a 0-based index, or a list of them (several
    /// sheets of one layout); the first sheet when not set.
    #[serde(default)]
    pub sheet: Option<Sheets>,
    /// What a USCC or organization code with a wrong check character does: `flag` keeps
    /// the row and does not match on the code; `reject` refuses the row.
    #[serde(default)]
    pub invalid_check_digit: CheckPolicy,
    /// Canonical field → header(s) in this export.
    pub columns: BTreeMap<String, Headers>,
    /// Canonical field → raw-value mapping.
    #[serde(default)]
    pub values: BTreeMap<String, ValueMap>,
    /// Canonical field → value used where the export has no such column or the cell is
    /// empty. A canonical value is taken as it is; any other goes through `values`.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// Mapped fields whose column a file may lack. Any other mapped column that a file
    /// lacks stops the run: a renamed column must not pass as an unmapped one.
    #[serde(default)]
    pub optional_columns: Vec<String>,
    /// A file with a header and no data rows is accepted (otherwise it stops the run: it
    /// is what a failed export looks like).
    #[serde(default)]
    pub allow_empty: bool,
}

fn one() -> usize {
    1
}

impl SourceSpec {
    /// The source as read sheet by sheet: one spec per sheet it names (itself when it
    /// names one sheet or none).
    pub fn per_sheet(&self) -> Vec<std::borrow::Cow<'_, SourceSpec>> {
        match &self.sheet {
            Some(Sheets::Many(list)) => list
                .iter()
                .map(|choice| {
                    let mut one = self.clone();
                    one.sheet = Some(Sheets::One(choice.clone()));
                    std::borrow::Cow::Owned(one)
                })
                .collect(),
            _ => vec![std::borrow::Cow::Borrowed(self)],
        }
    }
}
