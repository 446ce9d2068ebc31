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

use serde::Serialize;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::config::{self, CheckPolicy, FieldSpec, Pipeline, SourceKind, SourceSpec};
use crate::error::{Error, Result};
use crate::ids::{self, IdNumber};
use crate::model::*;
use crate::names::normalize_name;

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
    let mut staged = Staged::default();
    for spec in &p.sources {
        for path in p.files_of(spec, period) {
            extract_file(p, spec, &path, key, &mut staged)?;
        }
    }
    Ok(staged)
}

fn extract_file(
    p: &Pipeline,
    spec: &SourceSpec,
    path: &Path,
    key: &PseudonymKey,
    out: &mut Staged,
) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let sha256 = hex::encode(&Sha256::digest(&bytes)[..]);
    drop(bytes);
    let table = read_table(path, spec)?;
    let columns = bind_columns(path, spec, &table)?;
    let display = path.display().to_string();
    let (rejected_before, accepted_before) = (out.rejects.len(), out.records());
    let xlsx = table.format.starts_with("xlsx");
    let ctx = RowContext { p, spec, key };
    for raw in &table.rows {
        let lineage = Lineage {
            source: spec.name.clone(),
            file: display.clone(),
            row: raw.row,
        };
        if !xlsx && raw.cells.len() != table.headers.len() {
            out.rejects.push(Reject {
                lineage,
                field: String::new(),
                reason: format!(
                    "wrong number of columns: the header has {}, this row {}",
                    table.headers.len(),
                    raw.cells.len()
                ),
                value: None,
            });
            continue;
        }
        let row = Row {
            cells: &raw.cells,
            columns: &columns,
            spec,
            lineage,
            flags: Vec::new(),
        };
        if let Err(reject) = ctx.accept(row, out) {
            out.rejects.push(reject);
        }
    }
    let rows_read = table.rows.len() as u64;
    let rows_rejected = (out.rejects.len() - rejected_before) as u64;
    out.files.push(InputFile {
        source: spec.name.clone(),
        kind: spec.kind.as_str(),
        path: display,
        sha256,
        format: table.format.clone(),
        rows_read,
        rows_accepted: (out.records() - accepted_before) as u64,
        rows_rejected,
        unknown_columns: columns.unknown,
    });
    Ok(())
}

/// Canonical field → column index in one file.
struct Columns {
    index: BTreeMap<&'static str, usize>,
    unknown: Vec<String>,
}

fn header_key(h: &str) -> String {
    h.nfkc()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect()
}

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
    for field in config::fields(spec.kind) {
        let Some(headers) = spec.columns.get(field.name) else {
            continue;
        };
        let wanted = headers.list();
        let found = wanted.iter().find_map(|w| {
            let w = header_key(w);
            keys.iter()
                .position(|(whole, last)| *whole == w || *last == w)
        });
        match found {
            Some(i) => {
                index.insert(field.name, i);
                used[i] = true;
            }
            None if field.required && !spec.defaults.contains_key(field.name) => {
                return Err(Error::MissingColumn {
                    path: path.to_path_buf(),
                    field: field.name.to_string(),
                    wanted: wanted.join(" / "),
                    found: table.headers.join(", "),
                });
            }
            None => {}
        }
    }
    let alternatives = config::one_of(spec.kind);
    if !alternatives.is_empty() && !alternatives.iter().any(|a| index.contains_key(a)) {
        return Err(Error::MissingColumn {
            path: path.to_path_buf(),
            field: alternatives.join(" or "),
            wanted: alternatives
                .iter()
                .filter_map(|a| spec.columns.get(*a))
                .flat_map(|h| h.list())
                .collect::<Vec<_>>()
                .join(" / "),
            found: table.headers.join(", "),
        });
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
    cells: &'a [String],
    columns: &'a Columns,
    spec: &'a SourceSpec,
    lineage: Lineage,
    flags: Vec<Flag>,
}

impl Row<'_> {
    fn reject(&self, field: &str, reason: impl Into<String>, value: Option<&str>) -> Reject {
        Reject {
            lineage: self.lineage.clone(),
            field: field.to_string(),
            reason: reason.into(),
            value: value.map(str::to_string),
        }
    }

    /// Keeps the row but records a warning about one of its fields.
    fn flag(&mut self, field: &str, reason: &str, value: Option<String>) {
        let mut issue = self.reject(field, reason, None);
        issue.value = value;
        self.flags.push(issue);
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
            .ok_or_else(|| self.reject(field, "required field is empty", None))
    }

    /// A field with canonical values: mapped through the source's value map, or
    /// already canonical when the source has no map for it.
    fn mapped(&self, field: &FieldSpec) -> std::result::Result<Option<String>, Reject> {
        let Some(raw) = self.text(field.name) else {
            return Ok(None);
        };
        self.map_value(field, &raw).map(Some)
    }

    fn map_value(&self, field: &FieldSpec, raw: &str) -> std::result::Result<String, Reject> {
        let mapped = match self.spec.values.get(field.name) {
            Some(map) => map.map(raw).map(str::to_string),
            None => field.values.contains(&raw).then(|| raw.to_string()),
        };
        mapped.ok_or_else(|| {
            self.reject(
                field.name,
                format!(
                    "value not in the pipeline's mapping for `{}` (canonical: {})",
                    field.name,
                    field.values.join(", ")
                ),
                Some(raw),
            )
        })
    }

    fn required_mapped(&self, field: &FieldSpec) -> std::result::Result<String, Reject> {
        self.mapped(field)?
            .ok_or_else(|| self.reject(field.name, "required field is empty", None))
    }

    /// A whole number such as 120, 120人, 1,200 or 120.0.
    fn count(&self, field: &str) -> std::result::Result<Option<i64>, Reject> {
        let Some(raw) = self.text(field) else {
            return Ok(None);
        };
        values::parse_count(&raw)
            .map(Some)
            .ok_or_else(|| self.reject(field, "not a whole number of people", Some(&raw)))
    }

    /// A date in one of the forms offices write (see `values::parse_date`).
    fn date(&self, field: &str) -> std::result::Result<Option<String>, Reject> {
        let Some(raw) = self.text(field) else {
            return Ok(None);
        };
        values::parse_date(&raw).map(Some).ok_or_else(|| {
            self.reject(
                field,
                "not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD or an Excel day number)",
                Some(&raw),
            )
        })
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

    /// A code checked by `valid`; what a wrong one does is the source's policy.
    fn code(
        &self,
        field: &str,
        what: &str,
        valid: fn(&str) -> bool,
    ) -> std::result::Result<Option<Code>, Reject> {
        let Some(raw) = self.text(field) else {
            return Ok(None);
        };
        if values::is_scientific(&raw) {
            let shown = if field == "id_number" {
                ids::mask_id_number(&raw)
            } else {
                raw.clone()
            };
            return Err(self.reject(field, SCIENTIFIC, Some(&shown)));
        }
        let value = ids::normalize_code(&raw);
        if valid(&value) {
            return Ok(Some(Code { value, valid: true }));
        }
        match self.spec.invalid_check_digit {
            CheckPolicy::Reject => Err(self.reject(
                field,
                format!("invalid {what} (length, characters or check digit)"),
                Some(&raw),
            )),
            // The caller records the flag (see `keep_valid` and `unit`).
            CheckPolicy::Flag => Ok(Some(Code {
                value,
                valid: false,
            })),
        }
    }

    fn valid_uscc(&mut self, field: &str) -> std::result::Result<Option<String>, Reject> {
        let code = self.code(field, "统一社会信用代码", ids::is_valid_uscc)?;
        Ok(self.keep_valid(field, code))
    }

    fn keep_valid(&mut self, field: &str, code: Option<Code>) -> Option<String> {
        match code {
            Some(c) if c.valid => Some(c.value),
            Some(c) => {
                self.flag(field, UNUSED_CODE, Some(c.value));
                None
            }
            None => None,
        }
    }
}

const UNUSED_CODE: &str = "invalid check digit; kept but not used for matching";

const SCIENTIFIC: &str = "a code written as a number in scientific notation (a spreadsheet lost its last digits); export the column as text";

struct RowContext<'a> {
    p: &'a Pipeline,
    spec: &'a SourceSpec,
    key: &'a PseudonymKey,
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
                let unit_uscc = row.valid_uscc("unit_uscc")?;
                let unit_name = row.text("unit_name");
                if unit_uscc.is_none() && unit_name.is_none() {
                    return Err(row.reject(
                        "unit_uscc",
                        "neither a USCC nor a name of the covered unit",
                        None,
                    ));
                }
                out.joint.push(JointCoverageRecord {
                    org_id: row.required("org_id")?,
                    unit_name_key: unit_name.as_deref().map(|n| self.name_key(n)),
                    unit_uscc,
                    unit_name,
                    lineage: row.lineage.clone(),
                });
            }
            SourceKind::Members => {
                let member = self.member(&mut row)?;
                out.members.push(member);
            }
            SourceKind::Ledger => {
                let uscc = row.valid_uscc("uscc")?;
                let name = row.text("name");
                if uscc.is_none() && name.is_none() {
                    return Err(row.reject("uscc", "neither a USCC nor a unit name", None));
                }
                out.ledger.push(LedgerRecord {
                    name_key: name.as_deref().map(|n| self.name_key(n)),
                    name,
                    uscc,
                    instructor: row.yes("instructor"),
                    union: row.yes("union"),
                    youth_league: row.yes("youth_league"),
                    employees: row.count("employees")?,
                    no_org_reason: row.text("no_org_reason"),
                    lineage: row.lineage.clone(),
                });
            }
        }
        out.flags.append(&mut row.flags);
        Ok(())
    }

    fn unit(&self, row: &mut Row) -> std::result::Result<UnitRecord, Reject> {
        let k = SourceKind::UnitRegistry;
        let name = row.required("name")?;
        let uscc = row.code("uscc", "统一社会信用代码", ids::is_valid_uscc)?;
        let reg_no = row.code("reg_no", "注册号", ids::is_valid_reg_no)?;
        let org_code = row.code("org_code", "组织机构代码", ids::is_valid_org_code)?;
        for (f, c) in [
            ("uscc", &uscc),
            ("reg_no", &reg_no),
            ("org_code", &org_code),
        ] {
            if let Some(c) = c.as_ref().filter(|c| !c.valid) {
                row.flag(f, UNUSED_CODE, Some(c.value.clone()));
            }
        }
        let kind = self.unit_kind(row, &name, uscc.as_ref())?;
        let status = row.required_mapped(field(k, "status"))?;
        let district_code = self.district(row)?;
        Ok(UnitRecord {
            name_key: self.name_key(&name),
            name,
            uscc,
            reg_no,
            org_code,
            kind,
            status,
            district_code,
            street: row.text("street"),
            industry: row.text("industry"),
            park: row.text("park"),
            building: row.text("building"),
            employees: row.count("employees")?,
            established: row.date("established")?,
            registration_level: row.mapped(field(k, "registration_level"))?,
            sub_category: row.mapped(field(k, "sub_category"))?,
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
    ) -> std::result::Result<String, Reject> {
        let spec = field(SourceKind::UnitRegistry, "entity_type");
        let kind = match row.cell("entity_type") {
            Some(raw) => Some(row.map_value(spec, raw)?),
            None => uscc
                .and_then(|c| kind_of_uscc(&c.value))
                .map(str::to_string)
                .or_else(|| row.spec.defaults.get("entity_type").cloned()),
        };
        let kind = kind.ok_or_else(|| {
            row.reject(
                "entity_type",
                "unit kind unknown: no 企业类型, no USCC kind and no default",
                None,
            )
        })?;
        if matches!(
            kind.as_str(),
            "private_enterprise" | "foreign_enterprise" | "private_non_enterprise"
        ) {
            for (firm, endings) in &self.p.rules.professional_firm_names {
                if endings.iter().any(|e| name.contains(e.as_str())) {
                    return Ok(firm.clone());
                }
            }
        }
        Ok(kind)
    }

    /// The unit's district from the export's district field (code or name), else from
    /// its address; never from the USCC's area code.
    fn district(&self, row: &Row) -> std::result::Result<String, Reject> {
        let raw = row.text("district");
        let by = |text: &str| -> Option<String> {
            let t = text.trim();
            if self.p.districts.contains_key(t) {
                return Some(t.to_string());
            }
            self.p
                .districts
                .iter()
                .find(|(_, name)| t == name.as_str() || t.contains(name.as_str()))
                .map(|(code, _)| code.clone())
        };
        if let Some(code) = raw.as_deref().and_then(by) {
            return Ok(code);
        }
        if let Some(code) = row.text("address").as_deref().and_then(by) {
            return Ok(code);
        }
        Err(row.reject(
            "district",
            match raw {
                Some(_) => {
                    "not a district of the pipeline's [districts], and the address names none"
                }
                None => "required field is empty, and the address names no district",
            },
            raw.as_deref(),
        ))
    }

    fn party_org(&self, row: &mut Row) -> std::result::Result<PartyOrgRecord, Reject> {
        let k = SourceKind::PartyOrgs;
        let host_name = row.text("host_name");
        Ok(PartyOrgRecord {
            org_id: row.required("org_id")?,
            name: row.required("name")?,
            level: row.required_mapped(field(k, "level"))?,
            formation: row.required_mapped(field(k, "formation"))?,
            host_uscc: row.valid_uscc("host_uscc")?,
            host_name_key: host_name.as_deref().map(|n| self.name_key(n)),
            host_name,
            parent_id: row.text("parent_id"),
            status: row.required_mapped(field(k, "status"))?,
            lineage: row.lineage.clone(),
        })
    }

    fn member(&self, row: &mut Row) -> std::result::Result<MemberRecord, Reject> {
        let k = SourceKind::Members;
        let raw = row.required("id_number")?;
        if values::is_scientific(&raw) {
            return Err(row.reject("id_number", SCIENTIFIC, Some(&ids::mask_id_number(&raw))));
        }
        let id = match ids::parse_id_number(&raw) {
            IdNumber::Valid(id) => id,
            IdNumber::BadCheck(id) if row.spec.invalid_check_digit == CheckPolicy::Flag => {
                row.flag(
                    "id_number",
                    "invalid check character; pseudonymized as written",
                    Some(ids::mask_id_number(&raw)),
                );
                id
            }
            IdNumber::BadCheck(_) => {
                return Err(row.reject(
                    "id_number",
                    "invalid 公民身份号码 check character",
                    Some(&ids::mask_id_number(&raw)),
                ))
            }
            IdNumber::Malformed => {
                return Err(row.reject(
                    "id_number",
                    "not a 15- or 18-character 公民身份号码",
                    Some(&ids::mask_id_number(&raw)),
                ))
            }
        };
        let employer_name = row.text("employer_name");
        Ok(MemberRecord {
            member_key: self.key.pseudonym(&id),
            category: row.required_mapped(field(k, "category"))?,
            status: row.required_mapped(field(k, "status"))?,
            org_id: row.text("org_id"),
            employer_name_key: employer_name.as_deref().map(|n| self.name_key(n)),
            employer_name,
            employer_uscc: row.valid_uscc("employer_uscc")?,
            lineage: row.lineage.clone(),
        })
    }
}

/// Unit kind from USCC characters 1-2 (registry and kind), where they say.
pub fn kind_of_uscc(uscc: &str) -> Option<&'static str> {
    Some(match uscc.get(..2)? {
        "91" => "private_enterprise",
        "92" => "individual_business",
        "93" => "farmer_coop",
        "51" => "social_group",
        "52" => "private_non_enterprise",
        "53" => "foundation",
        "31" => "law_firm",
        _ => return None,
    })
}
