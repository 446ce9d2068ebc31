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

/// Every source kind, in the order the reference lists them.
pub const SOURCE_KINDS: [SourceKind; 5] = [
    SourceKind::UnitRegistry,
    SourceKind::PartyOrgs,
    SourceKind::JointCoverage,
    SourceKind::Members,
    SourceKind::Ledger,
];

/// docs/fields.md: the canonical fields of each source kind as a pipeline file maps
/// them, written from this catalogue (a test fails when the file is stale).
pub fn fields_reference() -> String {
    let mut md = String::from(
        "# The canonical fields of each source kind\n\n\
         Generated from src/config/fields.rs (`coverage::config::fields_reference`); \
         `COVERAGE_BLESS=1 cargo test --release --lib fields_reference` writes it again.\n\
         A pipeline file maps an export's headers to these fields (`[source.columns]`); a\n\
         required field needs a column or a default in every file of the source; a field\n\
         with canonical values takes a value map (`[source.values.<field>]`) onto them.\n",
    );
    for kind in SOURCE_KINDS {
        md.push_str(&format!("\n## `{}`\n\n", kind.as_str()));
        md.push_str("| field | 字段 | required | canonical values |\n|---|---|---|---|\n");
        for spec in fields(kind) {
            let values = if spec.values.is_empty() {
                "free text".to_string()
            } else {
                spec.values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let required = if spec.required { "yes" } else { "" };
            md.push_str(&format!(
                "| `{}` | {} | {required} | {values} |\n",
                spec.name(),
                spec.label()
            ));
        }
        let one_of: Vec<String> = one_of(kind).iter().map(|f| format!("`{f}`")).collect();
        if !one_of.is_empty() {
            md.push_str(&format!(
                "\nAt least one of {} needs a column.\n",
                one_of.join(", ")
            ));
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/fields.md is the catalogue as it is now.
    #[test]
    fn fields_reference_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/fields.md");
        let now = fields_reference();
        if std::env::var_os("COVERAGE_BLESS").is_some_and(|v| v != "0") {
            std::fs::write(&path, &now).unwrap();
        }
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            written == now,
            "docs/fields.md is stale: COVERAGE_BLESS=1 cargo test --release --lib fields_reference"
        );
    }
}
