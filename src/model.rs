//! The tables that flow between stages, as Rust rows. Every staged record keeps its
//! lineage (source, file, row) so that any figure can be traced back to input rows.

use serde::Serialize;
use std::sync::Arc;

use crate::vocabulary::{
    Formation, MemberCategory, MemberStatus, OrgLevel, OrgStatus, RegistrationLevel,
    RegistryStatus, SubCategory, UnitKind,
};

/// Where a record came from: the source name of the pipeline file, the input file as
/// the pipeline names it, and the 1-based row (line of a CSV, row of a sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    /// Shared by every record of the file: a month has millions of records and a
    /// handful of files (one pointer, not two, in each record).
    origin: Arc<Origin>,
    pub row: u64,
}

/// The source and the file a record was read from.
#[derive(Debug, PartialEq, Eq)]
pub struct Origin {
    pub source: Arc<str>,
    pub file: Arc<str>,
}

impl Origin {
    pub fn new(source: impl Into<Arc<str>>, file: impl Into<Arc<str>>) -> Arc<Origin> {
        Arc::new(Origin {
            source: source.into(),
            file: file.into(),
        })
    }
}

impl Lineage {
    /// Row `row` of a file whose records share `origin`.
    pub fn at(origin: &Arc<Origin>, row: u64) -> Lineage {
        Lineage {
            origin: origin.clone(),
            row,
        }
    }

    /// A record of its own file (a test's, a returned workbook's row).
    pub fn new(source: impl Into<Arc<str>>, file: impl Into<Arc<str>>, row: u64) -> Lineage {
        Lineage::at(&Origin::new(source, file), row)
    }

    pub fn source(&self) -> &Arc<str> {
        &self.origin.source
    }

    pub fn file(&self) -> &Arc<str> {
        &self.origin.file
    }

    /// The file's name without its folder, as a message naming another row shows it.
    pub fn file_name(&self) -> String {
        std::path::Path::new(&*self.origin.file)
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
    }
}

/// Written as `{source, file, row}`, as when the three were fields of their own.
impl Serialize for Lineage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Lineage", 3)?;
        st.serialize_field("source", &*self.origin.source)?;
        st.serialize_field("file", &*self.origin.file)?;
        st.serialize_field("row", &self.row)?;
        st.end()
    }
}

pub use crate::vocabulary::Sector;

impl Sector {
    /// Sector of a unit kind (law, accounting and tax firms are social organizations
    /// wherever they are registered).
    pub fn of_kind(kind: UnitKind) -> Sector {
        use UnitKind::*;
        match kind {
            PrivateEnterprise | ForeignEnterprise | StateOwned | Collective
            | IndividualBusiness | FarmerCoop => Sector::Enterprise,
            SocialGroup | PrivateNonEnterprise | Foundation | LawFirm | AccountingFirm
            | TaxFirm => Sector::SocialOrg,
        }
    }
}

/// A checked code: `valid` is false when the pipeline flags rather than rejects a wrong
/// check digit; such a code is kept for the analyst but never used to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub value: String,
    pub valid: bool,
}

/// One row of a unit registry (工商, 民政, 司法行政 …).
#[derive(Debug, Clone)]
pub struct UnitRecord {
    pub lineage: Lineage,
    pub uscc: Option<Code>,
    pub reg_no: Option<Code>,
    pub org_code: Option<Code>,
    pub name: String,
    /// Normal form of the name (see `names`).
    pub name_key: String,
    /// Normal forms of the 曾用名 the record gives.
    pub former_name_keys: Vec<String>,
    pub kind: UnitKind,
    pub status: RegistryStatus,
    pub facts: RegistryFacts,
}

/// What a registry row says of a unit beyond who it is: where it is, its size, when it
/// was founded, its registration level and category. A unit has the same facts, each
/// taken from the first of its records that has it (`or`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryFacts {
    /// None for a record that names no district (an old-system history file): it is
    /// placed by the records it is matched to.
    pub district_code: Option<SharedText>,
    pub street: Option<SharedText>,
    pub industry: Option<SharedText>,
    pub park: Option<SharedText>,
    pub building: Option<SharedText>,
    pub employees: Option<i64>,
    /// 成立日期, YYYY-MM-DD.
    pub established: Option<SharedText>,
    /// 核准日期 (the latest change the registry approved), YYYY-MM-DD.
    pub approved: Option<SharedText>,
    pub registration_level: Option<RegistrationLevel>,
    pub sub_category: Option<SubCategory>,
}

impl RegistryFacts {
    /// These facts, each one missing taken from `other` (moved, not copied: the units
    /// are made from records that go once they are made).
    pub fn or(self, other: &mut RegistryFacts) -> RegistryFacts {
        RegistryFacts {
            district_code: self.district_code.or_else(|| other.district_code.take()),
            street: self.street.or_else(|| other.street.take()),
            industry: self.industry.or_else(|| other.industry.take()),
            park: self.park.or_else(|| other.park.take()),
            building: self.building.or_else(|| other.building.take()),
            employees: self.employees.or(other.employees),
            established: self.established.or_else(|| other.established.take()),
            approved: self.approved.or_else(|| other.approved.take()),
            registration_level: self.registration_level.or(other.registration_level),
            sub_category: self.sub_category.or(other.sub_category),
        }
    }
}

/// Text that many records of a file repeat (an organization's code, a district, an
/// employer as its members write it): the records of a chunk of rows share one copy
/// (`extract`'s `Texts`) instead of each holding its own (see `text`).
pub use crate::text::SharedText;

/// How a party organization, joint-coverage, ledger or member row names a unit: by
/// USCC, by 组织机构代码 (written in the USCC column, or inside the USCC), by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct UnitRef {
    pub uscc: Option<SharedText>,
    pub org_code: Option<SharedText>,
    /// A 15-digit 注册号 written in the USCC column of an older export.
    pub reg_no: Option<SharedText>,
    /// The name as written (a USCC found inside it is cut out into `uscc`).
    pub name: Option<SharedText>,
    pub name_key: Option<SharedText>,
    /// A member's 工作单位 that begins with one of the city's districts, without it
    /// (北京市朝阳区某某科技有限公司 → 某某科技有限公司): members write the district before
    /// a name the registry has without it. Looked up only where the whole name finds no
    /// unit.
    pub name_key_without_district: Option<SharedText>,
    /// The USCC was found inside the name text, not in a code column.
    pub uscc_from_name: bool,
}

impl UnitRef {
    pub fn is_empty(&self) -> bool {
        self.uscc.is_none()
            && self.org_code.is_none()
            && self.reg_no.is_none()
            && self.name_key.is_none()
    }

    /// What to show of the reference when it finds nothing.
    pub fn shown(&self) -> Option<String> {
        [&self.uscc, &self.org_code, &self.reg_no, &self.name]
            .into_iter()
            .find_map(|t| t.as_deref().map(str::to_string))
    }
}

/// One 党组织 record.
#[derive(Debug, Clone)]
pub struct PartyOrgRecord {
    pub lineage: Lineage,
    pub org_id: String,
    pub name: String,
    /// Normal form of the name, for members whose export names the organization.
    pub name_key: String,
    pub level: OrgLevel,
    pub formation: Formation,
    pub host: UnitRef,
    pub parent_id: Option<String>,
    /// The parent's name key (`org_name_key`) of the same text: exports that name the
    /// parent (上级党组织) rather than give its code find it by its name.
    pub parent_name_key: Option<String>,
    pub status: OrgStatus,
    /// The 街道/镇 the organization's name says (…东华门街道工作委员会): a street committee
    /// holds the members of units in its street.
    pub street: Option<String>,
    /// The district the export or the organization's name says (中共北京市东城区东四街道
    /// 工作委员会): where most of its members work.
    pub district_code: Option<String>,
}

/// One row of the joint-coverage list: a joint organization covers a unit.
#[derive(Debug, Clone)]
pub struct JointCoverageRecord {
    pub lineage: Lineage,
    pub org_id: String,
    /// The name key (`org_name_key`) of the same text, for a list that names the joint
    /// organization (联合党组织名称) rather than gives its code.
    pub org_name_key: Option<String>,
    pub unit: UnitRef,
}

/// A member's pseudonym: the keyed HMAC of the normalized 公民身份号码, its first 16
/// bytes (`extract::pseudonym`); tables write it as 32 hex characters. Held as bytes: a
/// month has millions of member records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MemberKey(pub [u8; 16]);

impl std::fmt::Display for MemberKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// One 党员 record, already pseudonymized: it holds no ID number and no name.
#[derive(Debug, Clone)]
pub struct MemberRecord {
    pub lineage: Lineage,
    /// Keyed HMAC of the normalized 公民身份号码.
    pub member_key: MemberKey,
    pub category: MemberCategory,
    pub status: MemberStatus,
    pub org_id: Option<SharedText>,
    /// Normal form of 所在党组织 where the export names the organization, not its code.
    pub org_name_key: Option<SharedText>,
    /// The district the member works in, where the export (a district column, or a
    /// district named in 工作单位) says.
    pub district_code: Option<SharedText>,
    /// Shared by the records of a chunk that write the same employer (members of one
    /// organization mostly work in one unit): one pointer in each of millions of records.
    pub employer: Arc<UnitRef>,
}

/// One 台账 row.
#[derive(Debug, Clone)]
pub struct LedgerRecord {
    pub lineage: Lineage,
    pub unit: UnitRef,
    pub instructor: bool,
    pub union: bool,
    pub youth_league: bool,
    pub employees: Option<i64>,
    pub no_org_reason: Option<String>,
    /// 填报日期 as YYYY-MM-DD, or YYYY-MM where the row gives a month: compared as text,
    /// a month comes before its days.
    pub reported: Option<String>,
}

/// What is wrong with an input row: the field, the reason and the value (ID numbers
/// masked).
#[derive(Debug, Clone, Serialize)]
pub struct RowIssue {
    pub lineage: Lineage,
    pub field: String,
    pub kind: crate::vocabulary::IssueKind,
    pub reason: String,
    pub value: Option<String>,
}

impl RowIssue {
    /// `field: reason` (`row: …` for a problem of the whole row), the key under which
    /// rejects are counted in the manifest and by `coverage check`.
    pub fn summary(&self) -> String {
        let field = if self.field.is_empty() {
            "row"
        } else {
            &self.field
        };
        format!("{field}: {}", self.reason)
    }
}

/// An input row that was not accepted (table `rejects`).
pub type Reject = RowIssue;

/// An accepted row that carries a warning, e.g. a flagged check digit (table `flags`).
pub type Flag = RowIssue;

// The identifiers of a registry record: what resolve joins records by and the id
// registry (src/identity.rs) remembers; they belong to the record.

pub use crate::vocabulary::IdKind;

/// The identifiers of every registry record, strongest first within a record and the
/// records in order: what `resolve` joins records by and what the registry remembers.
/// Flat (one text, a key its place in it): a month's 4M keys as a `String` each took
/// 580 MB at 1M units, and resolve held them beside everything it builds.
#[derive(Debug, Default)]
pub struct RecordKeys {
    text: String,
    keys: Vec<RecordKey>,
}

/// One identifier of one record: its kind, its record and its place in the text.
#[derive(Debug, Clone, Copy)]
pub struct RecordKey {
    pub kind: IdKind,
    pub record: u32,
    start: usize,
    len: u32,
}

impl RecordKeys {
    /// The identifiers of `records`, the first numbered `first`.
    pub fn of(records: &[UnitRecord], first: usize) -> RecordKeys {
        let mut out = RecordKeys::default();
        for (i, r) in records.iter().enumerate() {
            let record = u32::try_from(first + i).expect("fewer than 4G registry records");
            let mut push = |kind: IdKind, code: Option<&str>| {
                if let Some(code) = code {
                    out.push(kind, record, &[code]);
                }
            };
            push(IdKind::Uscc, valid(&r.uscc));
            push(IdKind::OrgCode, embedded_org_code(r));
            push(IdKind::OrgCode, valid(&r.org_code));
            push(IdKind::RegNo, valid(&r.reg_no));
            if let Some(d) = &r.facts.district_code {
                out.push(IdKind::NameDistrict, record, &[&r.name_key, "\u{1f}", d]);
            }
        }
        out
    }

    /// Adds a key of `record` made of `parts`, unless it repeats the record's last key
    /// (the organization code of a record's USCC and its own are often the same).
    fn push(&mut self, kind: IdKind, record: u32, parts: &[&str]) {
        let start = self.text.len();
        for part in parts {
            self.text.push_str(part);
        }
        let key = RecordKey {
            kind,
            record,
            start,
            len: (self.text.len() - start) as u32,
        };
        if let Some(last) = self.keys.last() {
            if last.record == record && last.kind == kind && self.text(last) == &self.text[start..]
            {
                self.text.truncate(start);
                return;
            }
        }
        self.keys.push(key);
    }

    /// These keys and then `other`'s.
    pub fn append(&mut self, other: RecordKeys) {
        let shift = self.text.len();
        self.text.push_str(&other.text);
        self.keys.extend(other.keys.into_iter().map(|k| RecordKey {
            start: k.start + shift,
            ..k
        }));
    }

    /// Every key, in order.
    pub fn keys(&self) -> &[RecordKey] {
        &self.keys
    }

    /// The text of `key`.
    pub fn text(&self, key: &RecordKey) -> &str {
        &self.text[key.start..key.start + key.len as usize]
    }
}

pub(crate) fn valid(code: &Option<Code>) -> Option<&str> {
    code.as_ref().filter(|c| c.valid).map(|c| c.value.as_str())
}

/// The organization code inside a record's USCC — also a USCC with a wrong check
/// character: GB 11714 gives characters 9-17 a check character of their own, so a typo
/// elsewhere leaves them usable and a typo inside them almost never passes.
pub(crate) fn embedded_org_code(r: &UnitRecord) -> Option<&str> {
    r.uscc
        .as_ref()
        .and_then(|c| crate::ids::org_code_of_uscc(&c.value))
}

#[cfg(test)]
mod record_keys_tests {
    use super::fixtures::unit_record;
    use super::*;

    /// Record 0: a valid USCC whose embedded organization code (characters 9-17,
    /// M000100Y4) is also written as its own code, so the code is one key, not two; its
    /// name within 110105. Record 1, made apart and appended: only its name within
    /// 110108, numbered 1 and its text after record 0's.
    #[test]
    fn a_record_keeps_each_identifier_once_and_appended_keys_keep_their_texts() {
        let mut a = unit_record(
            2,
            "北京甲科技有限公司",
            Some("91350100M000100Y43"),
            "110105",
        );
        a.org_code = Some(Code {
            value: "M000100Y4".into(),
            valid: true,
        });
        let b = unit_record(3, "北京乙科技有限公司", None, "110108");
        let mut keys = RecordKeys::of(std::slice::from_ref(&a), 0);
        keys.append(RecordKeys::of(std::slice::from_ref(&b), 1));
        let got: Vec<(IdKind, u32, &str)> = keys
            .keys()
            .iter()
            .map(|k| (k.kind, k.record, keys.text(k)))
            .collect();
        let name_a = format!("{}\u{1f}110105", a.name_key);
        let name_b = format!("{}\u{1f}110108", b.name_key);
        assert_eq!(
            got,
            vec![
                (IdKind::Uscc, 0, "91350100M000100Y43"),
                (IdKind::OrgCode, 0, "M000100Y4"),
                (IdKind::NameDistrict, 0, name_a.as_str()),
                (IdKind::NameDistrict, 1, name_b.as_str()),
            ]
        );
    }
}

/// Hand-made records for unit tests of the stages.
#[cfg(test)]
pub mod fixtures {
    use super::*;
    use crate::names::normalize_name;

    /// An active private enterprise record; its USCC is taken as valid when it checks.
    pub fn unit_record(row: u64, name: &str, uscc: Option<&str>, district: &str) -> UnitRecord {
        UnitRecord {
            lineage: Lineage::new("t", "t.csv", row),
            uscc: uscc.map(|u| Code {
                value: u.into(),
                valid: crate::ids::is_valid_uscc(u),
            }),
            reg_no: None,
            org_code: None,
            name: name.into(),
            name_key: normalize_name(name, &["北京市".into(), "北京".into()]),
            former_name_keys: Vec::new(),
            kind: crate::vocabulary::UnitKind::PrivateEnterprise,
            status: crate::vocabulary::RegistryStatus::Active,
            facts: RegistryFacts {
                district_code: Some(district.into()),
                ..RegistryFacts::default()
            },
        }
    }
}
