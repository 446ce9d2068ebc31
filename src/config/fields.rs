//! The catalogue of canonical fields per source kind (name, Chinese label, required,
//! the canonical words a field takes): what a pipeline file may map and the reports
//! label.

use super::*;

/// A canonical field of a source kind.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub field: SourceField,
    /// Must have a column (or a default) in every file of the source.
    pub required: bool,
    /// The canonical values a value map for this field may produce; empty = free text.
    pub values: &'static [&'static str],
}

impl FieldSpec {
    /// The field's name in a pipeline file.
    pub fn name(&self) -> &'static str {
        self.field.as_str()
    }

    /// The field as people read it (a report's 字段), whatever an export calls it.
    pub fn label(&self) -> &'static str {
        self.field.label()
    }
}

const fn f(field: SourceField, required: bool, values: &'static [&'static str]) -> FieldSpec {
    FieldSpec {
        field,
        required,
        values,
    }
}

use SourceField as F;

const UNIT_FIELDS: &[FieldSpec] = &[
    f(F::Uscc, false, &[]),
    f(F::RegNo, false, &[]),
    f(F::OrgCode, false, &[]),
    f(F::Name, true, &[]),
    f(F::EntityType, false, UnitKind::NAMES),
    f(F::Status, true, RegistryStatus::NAMES),
    // Not required: an old-system history file has no district column; its rows are
    // placed by the records they are matched to (see `extract` and `resolve`).
    f(F::District, false, &[]),
    f(F::Address, false, &[]),
    f(F::Street, false, &[]),
    f(F::Industry, false, &[]),
    f(F::Park, false, &[]),
    f(F::Building, false, &[]),
    f(F::Employees, false, &[]),
    f(F::Established, false, &[]),
    f(F::RegistrationLevel, false, RegistrationLevel::NAMES),
    f(F::Supervisor, false, &[]),
    f(F::SubCategory, false, SubCategory::NAMES),
];
const ORG_FIELDS: &[FieldSpec] = &[
    f(F::OrgId, true, &[]),
    f(F::Name, true, &[]),
    f(F::Level, true, OrgLevel::NAMES),
    f(F::Formation, true, Formation::NAMES),
    f(F::HostUscc, false, &[]),
    f(F::HostName, false, &[]),
    f(F::ParentId, false, &[]),
    f(F::District, false, &[]),
    f(F::Status, true, OrgStatus::NAMES),
];
const JOINT_FIELDS: &[FieldSpec] = &[
    f(F::OrgId, true, &[]),
    f(F::UnitUscc, false, &[]),
    f(F::UnitName, false, &[]),
];
const MEMBER_FIELDS: &[FieldSpec] = &[
    f(F::IdNumber, true, &[]),
    f(F::Category, true, MemberCategory::NAMES),
    f(F::Status, true, MemberStatus::NAMES),
    f(F::OrgId, false, &[]),
    f(F::OrgName, false, &[]),
    f(F::District, false, &[]),
    f(F::EmployerName, false, &[]),
    f(F::EmployerUscc, false, &[]),
];
const LEDGER_FIELDS: &[FieldSpec] = &[
    f(F::Uscc, false, &[]),
    f(F::Name, false, &[]),
    f(F::Instructor, false, &[]),
    f(F::Union, false, &[]),
    f(F::YouthLeague, false, &[]),
    f(F::Employees, false, &[]),
    f(F::NoOrgReason, false, &[]),
];

/// The canonical fields of every source kind (a name may recur, with the same label).
pub const ALL_FIELDS: [&[FieldSpec]; 5] = [
    UNIT_FIELDS,
    ORG_FIELDS,
    JOINT_FIELDS,
    MEMBER_FIELDS,
    LEDGER_FIELDS,
];

/// The canonical fields of a source kind.
pub fn fields(kind: SourceKind) -> &'static [FieldSpec] {
    match kind {
        SourceKind::UnitRegistry => UNIT_FIELDS,
        SourceKind::PartyOrgs => ORG_FIELDS,
        SourceKind::JointCoverage => JOINT_FIELDS,
        SourceKind::Members => MEMBER_FIELDS,
        SourceKind::Ledger => LEDGER_FIELDS,
    }
}

/// Fields of which a source kind needs at least one column.
pub fn one_of(kind: SourceKind) -> &'static [SourceField] {
    match kind {
        SourceKind::JointCoverage => &[F::UnitUscc, F::UnitName],
        SourceKind::Ledger => &[F::Uscc, F::Name],
        _ => &[],
    }
}
