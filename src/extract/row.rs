//! One data row of an export seen through its source's column and value mapping: the
//! typed accessors every record is read with (text, mapped words, counts, dates, codes,
//! a unit reference), each rejecting or flagging with the field and the reason, and
//! the row-wide checks (control characters, implausible lengths).

use crate::config::{CheckPolicy, FieldSpec, SourceSpec};
use crate::ids;
use crate::model::*;
use crate::vocabulary::{IssueKind, SourceField, Vocabulary};

use super::values;
use super::Columns;

/// One data row seen through the source's column and value mapping.
pub(super) struct Row<'a> {
    pub(super) cells: std::borrow::Cow<'a, [String]>,
    pub(super) columns: &'a Columns,
    pub(super) spec: &'a SourceSpec,
    pub(super) lineage: Lineage,
    pub(super) flags: Vec<Flag>,
}

/// What a USCC column holds: a USCC (valid or flagged), or an older code written there.
#[derive(Default)]
pub(super) struct UsccColumn {
    pub(super) uscc: Option<Code>,
    pub(super) org_code: Option<String>,
    pub(super) reg_no: Option<String>,
}

/// What a defective field of an accepted row becomes: flagged, and NULL.
pub(super) type Kept<T> = std::result::Result<Option<T>, Reject>;

impl Row<'_> {
    pub(super) fn reject(
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
    pub(super) fn flag(
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
    pub(super) fn remove_control_characters(&mut self, headers: &[String]) {
        let junk = |c: char| c.is_control() && c != '\n' && c != '\r';
        let dirty: Vec<usize> = (0..self.cells.len())
            .filter(|&i| self.cells[i].chars().any(junk))
            .collect();
        for i in dirty {
            let clean: String = self.cells[i].chars().filter(|&c| !junk(c)).collect();
            self.cells.to_mut()[i] = clean;
            let field = self.columns.field_of(i);
            if let Some(field) = field {
                let shown =
                    (field != SourceField::IdNumber.as_str()).then(|| self.cells[i].clone());
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
    pub(super) fn flag_implausible_lengths(&mut self) {
        let long: Vec<(&'static str, usize, usize)> = self
            .columns
            .index
            .iter()
            .filter_map(|(&field, &i)| {
                let (cell, limit) = (self.cells.get(i)?.trim(), plausible_length(field)?);
                // Bytes bound characters: most cells are settled without counting.
                if cell.len() <= limit {
                    return None;
                }
                let n = cell.chars().count();
                (n > limit).then_some((field, n, limit))
            })
            .collect();
        for (field, n, limit) in long {
            let start: String = self.cells[self.columns.index[field]]
                .trim()
                .chars()
                .take(20)
                .collect();
            let reason = format!(
                "{n} characters, more than any real value ({limit} at most); kept as written"
            );
            self.flag(
                field,
                IssueKind::ImplausibleLength,
                &reason,
                Some(format!("{start}…")),
            );
        }
    }

    /// The cell as written (trimmed, without the marks that keep a spreadsheet from
    /// reading it as a number: `values::without_text_marks`), without defaults.
    pub(super) fn cell(&self, field: SourceField) -> Option<&str> {
        let Some(&i) = self.columns.index.get(field.as_str()) else {
            // A field the file has no column for reads as empty; a field that is not one
            // of the source kind's is a mistake in the code, which would read as empty
            // in every file — loud, never a silent NULL.
            assert!(
                crate::config::fields(self.spec.kind)
                    .iter()
                    .any(|f| f.field == field),
                "`{field}` is no canonical field of a {} source",
                self.spec.kind.as_str()
            );
            return None;
        };
        let v = values::without_text_marks(self.cells.get(i)?.trim());
        (!v.is_empty()).then_some(v)
    }

    /// The cell, or the source's default for the field.
    pub(super) fn text(&self, field: SourceField) -> Option<String> {
        self.cell(field)
            .map(str::to_string)
            .or_else(|| self.spec.defaults.get(field.as_str()).cloned())
    }

    pub(super) fn required(&self, field: SourceField) -> std::result::Result<String, Reject> {
        self.text(field).ok_or_else(|| {
            let why = "required field is empty";
            self.reject(field.as_str(), IssueKind::Empty, why, None)
        })
    }

    /// A field with canonical values: the cell mapped through the source's value map
    /// (or taken as it is when canonical and the source has no map); an empty cell takes
    /// the default, as it is when canonical, else mapped like a raw value.
    pub(super) fn canonical(
        &self,
        field: &FieldSpec,
    ) -> Option<std::result::Result<String, Reject>> {
        let raw = match self.cell(field.field) {
            Some(raw) => raw.to_string(),
            None => {
                let default = self.spec.defaults.get(field.name())?;
                if field.values.contains(&default.as_str()) {
                    return Some(Ok(default.clone()));
                }
                default.clone()
            }
        };
        Some(self.map_value(field, &raw))
    }

    pub(super) fn map_value(
        &self,
        field: &FieldSpec,
        raw: &str,
    ) -> std::result::Result<String, Reject> {
        let mapped = match self.spec.values.get(field.name()) {
            Some(map) => map.map(raw).map(str::to_string),
            None => field.values.contains(&raw).then(|| raw.to_string()),
        };
        mapped.ok_or_else(|| {
            self.reject(
                field.name(),
                IssueKind::NotInMapping,
                format!(
                    "value not in the pipeline's mapping for `{}` (canonical: {})",
                    field.name(),
                    field.values.join(", ")
                ),
                Some(raw),
            )
        })
    }

    /// A field the row cannot do without (status, kind …): a value that maps to nothing
    /// rejects the row.
    pub(super) fn required_mapped(&self, field: &FieldSpec) -> std::result::Result<String, Reject> {
        self.canonical(field).unwrap_or_else(|| {
            Err(self.reject(
                field.name(),
                IssueKind::Empty,
                "required field is empty",
                None,
            ))
        })
    }

    /// A word of the vocabulary the row cannot do without (`required_mapped`, typed).
    pub(super) fn required_word<T: Vocabulary>(
        &self,
        field: &FieldSpec,
    ) -> std::result::Result<T, Reject> {
        let text = self.required_mapped(field)?;
        T::parse(&text).ok_or_else(|| self.not_a_word(field, text))
    }

    /// A descriptive word of the vocabulary (`optional_mapped`, typed).
    pub(super) fn optional_word<T: Vocabulary>(&mut self, field: &FieldSpec) -> Option<T> {
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
    pub(super) fn not_a_word(&self, field: &FieldSpec, text: String) -> Reject {
        let reason = format!("maps to `{text}`, not one of {}", field.values.join(", "));
        self.reject(field.name(), IssueKind::NotInMapping, reason, Some(&text))
    }

    /// A descriptive field with canonical values: one that maps to nothing is flagged.
    pub(super) fn optional_mapped(&mut self, field: &FieldSpec) -> Option<String> {
        match self.canonical(field)? {
            Ok(v) => Some(v),
            Err(issue) => {
                self.flags.push(issue);
                None
            }
        }
    }

    /// Parses a descriptive field; a value that does not parse is flagged and NULL.
    pub(super) fn parsed<T>(
        &mut self,
        field: SourceField,
        parse: fn(&str) -> Option<T>,
        what: &str,
    ) -> Option<T> {
        let raw = self.text(field)?;
        let value = parse(&raw);
        if value.is_none() {
            self.flag(
                field.as_str(),
                IssueKind::Unreadable,
                format!("{what}; kept as NULL"),
                Some(raw),
            );
        }
        value
    }

    /// A whole number such as 120, 120人, 1,200 or 120.0; a band (50-99人, 100人以上)
    /// counts as its lower bound and 约80人 as 80, flagged so that the figure can be traced
    /// to the text.
    pub(super) fn count(&mut self, field: SourceField) -> Option<i64> {
        let raw = self.text(field)?;
        if let Some(n) = values::parse_count(&raw) {
            return Some(n);
        }
        let Some(low) = values::count_lower_bound(&raw) else {
            let why = "not a whole number of people; kept as NULL";
            self.flag(field.as_str(), IssueKind::Unreadable, why, Some(raw));
            return None;
        };
        let why = format!("a band or an approximate head count: {low} is taken");
        self.flag(field.as_str(), IssueKind::CountBand, why, Some(raw));
        Some(low)
    }

    /// A date in one of the forms offices write (see `values::parse_date`).
    pub(super) fn date(&mut self, field: SourceField) -> Option<String> {
        self.parsed(
            field,
            values::parse_date,
            "not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD or an Excel day number)",
        )
    }

    /// A date, or a month where the cell gives no day (2026年10月, 2026-10: a ledger's
    /// 填报日期 is often its 统计月份), as `values::parse_date_or_month`.
    pub(super) fn date_or_month(&mut self, field: SourceField) -> Option<String> {
        self.parsed(
            field,
            values::parse_date_or_month,
            "not a date or a month (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD, an Excel day number, YYYY-MM or YYYY年M月)",
        )
    }

    /// A ledger row's 填报日期 (a date or a month, as [`Row::date_or_month`]), or none
    /// where it is in `end`'s month or later: a mistyped year would otherwise make the row
    /// the unit's latest report and set the unit's other rows aside (flagged).
    pub(super) fn report_date(&mut self, field: SourceField, end: &str) -> Option<String> {
        let date = self.date_or_month(field)?;
        if date.as_str() < end {
            return Some(date);
        }
        let why = format!(
            "after the month that follows the run's period (from {end} on); read as undated"
        );
        self.flag(field.as_str(), IssueKind::DateAfterPeriod, why, Some(date));
        None
    }

    /// Yes/no cells of the ledger. Empty, a word of no (0, N, ×, - …) or a text that
    /// begins as a no does (无…, 否…, 没有…, 未建立, 未选派, 不…) means no; a name or any
    /// other text (是, 已建立, the instructor's name) means yes.
    pub(super) fn yes(&self, field: SourceField) -> bool {
        match self.text(field) {
            None => false,
            Some(v) => {
                let v = crate::text::nfkc(&v).to_uppercase();
                let no = matches!(
                    v.as_str(),
                    "0" | "N" | "NO" | "F" | "FALSE" | "-" | "/" | "×" | "✗" | "✘"
                ) || v.starts_with(['无', '否', '没', '未', '不']);
                !no
            }
        }
    }

    /// The cell's text where it holds a value: 无, 暂无, -, /, 0, NULL and the like say
    /// none is written (`values::says_none`) — a code cell so written is an old record
    /// without the code, no malformed one; a street, park, building or industry so
    /// written is none, not a park called 无.
    pub(super) fn written(&self, field: SourceField) -> Option<String> {
        self.text(field).filter(|t| !values::says_none(t))
    }

    /// A code checked by `valid`. A code that checks is taken whatever it looks like;
    /// otherwise a code in scientific notation (digits lost) or with a wrong check
    /// character is flagged and not used for matching — or, under
    /// `invalid_check_digit = "reject"`, rejects the row.
    pub(super) fn code(
        &mut self,
        field: SourceField,
        what: &str,
        valid: fn(&str) -> bool,
    ) -> Kept<Code> {
        let Some(raw) = self.written(field) else {
            return Ok(None);
        };
        let name = field.as_str();
        let value = ids::normalize_code(&raw);
        // The letters a USCC leaves out because they look like digits (O, I, Z, S), typed
        // for those digits: read as the digits where that makes the code check.
        if !valid(&value) {
            let digits = ids::confusable_letters_as_digits(&value);
            if digits != value && valid(&digits) {
                let reason = format!("written as {raw}; read as {digits} (letters for digits)");
                self.flag(
                    name,
                    IssueKind::CodeNormalized,
                    &reason,
                    Some(digits.clone()),
                );
                return Ok(Some(Code {
                    value: digits,
                    valid: true,
                }));
            }
        }
        if valid(&value) {
            // Lower-case letters or full-width characters: read in standard form, and
            // said so (hyphens and spaces are ways of writing a code, not mistakes).
            if raw
                .chars()
                .any(|c| c.is_lowercase() || ('\u{ff01}'..='\u{ff5e}').contains(&c))
            {
                let reason = format!("written as {raw}; read as {value}");
                self.flag(
                    name,
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
            return Err(self.reject(name, kind, reason, Some(&raw)));
        }
        if scientific {
            self.flag(name, kind, format!("{reason}; kept as NULL"), Some(raw));
            return Ok(None);
        }
        self.flag(name, kind, UNUSED_CODE, Some(value.clone()));
        Ok(Some(Code {
            value,
            valid: false,
        }))
    }

    /// A USCC column, which some exports fill with an older code: a 9-character
    /// 组织机构代码 or a 15-digit 注册号, each used as what it is (and flagged so).
    pub(super) fn uscc_column(
        &mut self,
        field: SourceField,
    ) -> std::result::Result<UsccColumn, Reject> {
        if let Some(raw) = self.written(field) {
            let value = ids::normalize_code(&raw);
            if value.len() == 9 && ids::is_valid_org_code(&value) {
                let kind = IssueKind::OldCodeInUscc;
                self.flag(
                    field.as_str(),
                    kind,
                    ORG_CODE_IN_USCC_COLUMN,
                    Some(value.clone()),
                );
                return Ok(UsccColumn {
                    org_code: Some(value),
                    ..UsccColumn::default()
                });
            }
            if ids::is_valid_reg_no(&value) {
                let kind = IssueKind::OldCodeInUscc;
                self.flag(
                    field.as_str(),
                    kind,
                    REG_NO_IN_USCC_COLUMN,
                    Some(value.clone()),
                );
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

    /// The row once for each item of a list written into one cell of `fields` (a joint
    /// organization's covered units as 甲公司、乙公司、丙公司, their codes likewise): each
    /// part holds one item in each of those cells. A field with one item or none keeps
    /// it only where it is the sole list (one code beside several names belongs to
    /// none of them); lists of unequal lengths cannot be paired, and the row stays whole.
    pub(super) fn list_parts(&self, fields: &[SourceField]) -> Vec<Row<'_>> {
        let items: Vec<(usize, Vec<&str>)> = fields
            .iter()
            .filter_map(|f| {
                let &i = self.columns.index.get(f.as_str())?;
                let cell = self.cells.get(i)?;
                let parts: Vec<&str> = cell
                    .split(['、', '；', ';', '\n', '，', ','])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect();
                Some((i, parts))
            })
            .collect();
        let n = items.iter().map(|(_, p)| p.len()).max().unwrap_or(0);
        let pairs = items.iter().all(|(_, p)| p.len() <= 1 || p.len() == n);
        if n <= 1 || !pairs {
            return vec![self.part(std::borrow::Cow::Borrowed(&self.cells))];
        }
        (0..n)
            .map(|k| {
                let mut cells = self.cells.to_vec();
                for (i, parts) in &items {
                    cells[*i] = parts
                        .get(k)
                        .filter(|_| parts.len() == n)
                        .map_or_else(String::new, |p| p.to_string());
                }
                self.part(std::borrow::Cow::Owned(cells))
            })
            .collect()
    }

    fn part<'r>(&'r self, cells: std::borrow::Cow<'r, [String]>) -> Row<'r> {
        Row {
            cells,
            columns: self.columns,
            spec: self.spec,
            lineage: self.lineage.clone(),
            flags: Vec::new(),
        }
    }

    /// How the row names a unit: a USCC column (or an organization code in it) and a
    /// name column, where a valid USCC written inside the name is found and used.
    pub(super) fn unit_ref(
        &mut self,
        uscc_field: SourceField,
        name_field: SourceField,
        name_key: impl Fn(&str) -> String,
        texts: &mut Texts,
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
        let name = self.text(name_field);
        let mut uscc = uscc.filter(|c| c.valid).map(|c| c.value);
        let mut uscc_from_name = false;
        let mut name_for_key = name.clone();
        if let Some((code, rest)) = name.as_deref().and_then(ids::uscc_in_text) {
            if uscc.is_none() {
                uscc = Some(code);
                uscc_from_name = true;
            }
            name_for_key = (!rest.is_empty()).then_some(rest);
        }
        Ok(UnitRef {
            uscc: texts.share_opt(uscc),
            org_code: texts.share_opt(org_code),
            reg_no: texts.share_opt(reg_no),
            name: texts.share_opt(name),
            name_key: texts.share_opt(name_for_key.as_deref().map(name_key)),
            name_key_without_district: None,
            uscc_from_name,
        })
    }
}

/// The texts of a chunk of rows that its records share (see [`SharedText`]): one copy
/// of each.
#[derive(Default)]
pub(super) struct Texts {
    texts: std::collections::HashSet<SharedText>,
    refs: std::collections::HashSet<std::sync::Arc<UnitRef>>,
}

impl Texts {
    pub(super) fn share(&mut self, text: String) -> SharedText {
        one_copy::<_, str, _>(&mut self.texts, text)
    }

    /// One copy of each reference to a unit the chunk's records make alike.
    pub(super) fn share_ref(&mut self, unit: UnitRef) -> std::sync::Arc<UnitRef> {
        one_copy(&mut self.refs, unit)
    }

    pub(super) fn share_opt(&mut self, text: Option<String>) -> Option<SharedText> {
        text.map(|t| self.share(t))
    }
}

/// The copy of `value` in `set` (of shared pointers `S` to a `T`), put there if it is
/// the first.
fn one_copy<S, T, V>(set: &mut std::collections::HashSet<S>, value: V) -> S
where
    S: Clone + Eq + std::hash::Hash + std::borrow::Borrow<T>,
    T: ?Sized + Eq + std::hash::Hash,
    V: std::borrow::Borrow<T> + Into<S>,
{
    if let Some(shared) = set.get(value.borrow()) {
        return shared.clone();
    }
    let shared: S = value.into();
    set.insert(shared.clone());
    shared
}

pub(super) const UNUSED_CODE: &str = "invalid check digit; kept but not used for matching";

pub(super) const SCIENTIFIC: &str = "a code written as a number in scientific notation (a spreadsheet lost its last digits); export the column as text";

pub(super) const ORG_CODE_IN_USCC_COLUMN: &str =
    "an organization code (组织机构代码), not a USCC, in the USCC column; used as an organization code";

pub(super) const UNKNOWN_DISTRICT: &str = "not a district of the pipeline's [districts]; the unit is placed by its other records (no_district if none)";

pub(super) const REG_NO_IN_USCC_COLUMN: &str =
    "a 15-digit 注册号, not a USCC, in the USCC column; used as a 注册号";

pub(super) const CONTROL_CHARACTERS: &str = "control characters (NUL, …) in the cell; removed";

/// The most characters a real value of a field has: names of units and organizations
/// run to a few dozen (100 leaves room), an address or a reason to a sentence or two;
/// any other field a short word or number. None for codes and ID numbers, which their
/// own checks judge.
pub(super) fn plausible_length(field: &str) -> Option<usize> {
    use SourceField as F;
    match SourceField::parse(field)? {
        F::Uscc
        | F::OrgCode
        | F::RegNo
        | F::IdNumber
        | F::HostUscc
        | F::UnitUscc
        | F::EmployerUscc => None,
        F::Name | F::HostName | F::UnitName | F::OrgName | F::EmployerName | F::Supervisor => {
            Some(100)
        }
        F::Address | F::NoOrgReason => Some(300),
        _ => Some(100),
    }
}
