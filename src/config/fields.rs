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
    /// What the field holds and how the run uses it (docs/pipeline.md).
    pub about: &'static str,
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

const fn f(
    field: SourceField,
    required: bool,
    values: &'static [&'static str],
    about: &'static str,
) -> FieldSpec {
    FieldSpec {
        field,
        required,
        values,
        about,
    }
}

use SourceField as F;

const UNIT_FIELDS: &[FieldSpec] = &[
    f(F::Uscc, false, &[], "the unit's 18-character USCC; checked (GB 32100) and the first key a unit is known by"),
    f(F::RegNo, false, &[], "the registration number of units registered before the USCC"),
    f(F::OrgCode, false, &[], "the 9-character organization code (GB 11714)"),
    f(F::Name, true, &[], "the unit's registered name"),
    f(F::FormerName, false, &[], "曾用名: the unit's former name(s), several parted by 、 or ；: a member who still writes one is placed in the unit, as by a record under that name"),
    f(F::EntityType, false, UnitKind::NAMES, "the registry's type of unit, mapped to a unit kind (and so to a sector and whether it is in scope)"),
    f(F::Status, true, RegistryStatus::NAMES, "the registration status; deregistered, revoked and moved-out units are out of scope"),
    // Not required: an old-system history file has no district column; its rows are
    // placed by the records they are matched to (see `extract` and `resolve`).
    f(F::District, false, &[], "the district (区县) as a 6-digit code, a 9- or 12-digit 统计用区划代码 of it or of a street in it (110105000000), or a name of [districts] (with or without its 区: 朝阳); where it names none, the address's, else the registering authority's, else the one district the file's name gives (企业_朝阳区.csv); a unit with none is out of scope"),
    f(F::Address, false, &[], "住所 as written; a district or street is read from it where their columns name none; a district it names outranks the registering authority's"),
    f(F::Authority, false, &[], "登记机关, the registering authority (北京市朝阳区市场监督管理局): its district is the unit's only where neither the district column nor the address names one, since a unit is where its 住所 is (a city-level or development-zone authority names no district; an authority can lag behind a move)"),
    f(F::Street, false, &[], "the street or township (街道/乡镇)"),
    f(F::Industry, false, &[], "the GB/T 4754 industry code (门类 letter, or 2–4 digits) as the registry writes it"),
    f(F::Park, false, &[], "the industrial park or 商务楼宇 cluster"),
    f(F::Building, false, &[], "the office building"),
    f(F::Employees, false, &[], "the head count (从业人员/职工人数), a whole number; the ledger's, where it has one, wins"),
    f(F::Established, false, &[], "the date of establishment (several date spellings are read)"),
    f(F::Approved, false, &[], "核准日期: the date the registry approved the record's latest change (a rename, a move, a change of status); of two records of one legal entity, the one approved later names the unit"),
    f(F::DeregisteredDate, false, &[], "注销日期, where the export has no 登记状态 (or leaves it empty): a date (any text but 无, -, /, 0) makes the unit deregistered"),
    f(F::RevokedDate, false, &[], "吊销日期, read as 注销日期 is: a date makes the unit revoked (deregistered where it has both); a unit with neither is active"),
    f(F::RegistrationLevel, false, RegistrationLevel::NAMES, "the level of the registering authority (民政: 市级/区级), for the municipal-group list"),
    f(F::Supervisor, false, &[], "the 业务主管单位 (kept as written)"),
    f(F::SubCategory, false, SubCategory::NAMES, "the social organization's sub-category the rulebook names (民办学校, 民办医院)"),
];
const ORG_FIELDS: &[FieldSpec] = &[
    f(F::OrgId, true, &[], "the organization's code in the organization export"),
    f(F::Name, true, &[], "the organization's name; its host unit is found in it where host columns are empty"),
    f(F::Level, true, OrgLevel::NAMES, "党委/党总支/党支部/党小组"),
    f(F::Formation, true, Formation::NAMES, "how it is formed: its own unit's (单独组建), joint (联合组建), functional or affiliated (挂靠)"),
    f(F::HostUscc, false, &[], "the USCC of the unit the organization belongs to"),
    f(F::HostName, false, &[], "the name of the unit the organization belongs to"),
    f(F::ParentId, false, &[], "the code of its parent organization, or its name (the organization of that name, where exactly one has it)"),
    f(F::District, false, &[], "the district the organization is registered in"),
    f(F::Status, true, OrgStatus::NAMES, "whether the organization is active or dissolved"),
    f(F::UnitUscc, false, &[], "the USCC of a unit a joint or affiliated organization covers, where the organization export lists them (several in one cell, or the organization's row repeated for each): as a joint_coverage row"),
    f(F::UnitName, false, &[], "the name of a unit it covers, where the organization export lists them"),
];
const JOINT_FIELDS: &[FieldSpec] = &[
    f(
        F::OrgId,
        true,
        &[],
        "the joint organization's code (as in the organization export), or its name (the organization of that name, where exactly one has it)",
    ),
    f(F::UnitUscc, false, &[], "the USCC of a unit it covers"),
    f(F::UnitName, false, &[], "the name of a unit it covers"),
];
const MEMBER_FIELDS: &[FieldSpec] = &[
    f(F::IdNumber, true, &[], "the member's 公民身份号码: pseudonymized at extract (HMAC with the pipeline's key), never kept"),
    f(F::Category, true, MemberCategory::NAMES, "formal (正式) or probationary (预备) member"),
    f(F::Status, true, MemberStatus::NAMES, "whether the member counts (正常) or not (出党, 死亡, 停止党籍 …)"),
    f(F::OrgId, false, &[], "the code of the member's party organization"),
    f(F::OrgName, false, &[], "the name of the member's party organization, where no code is given"),
    f(F::District, false, &[], "the district of the member's record"),
    f(F::EmployerName, false, &[], "工作单位 as written: what places the member in a unit (a USCC or organization code inside the text is read too)"),
    f(F::EmployerUscc, false, &[], "the employer's USCC, where the export has a column for it"),
    f(F::LostContact, false, &[], "a yes/no column marking a 失联党员 (是, 1, √ yes; empty, 否, 0 no), where the export keeps it beside 党籍状态: a member marked so is not counted (standing lost_contact) whatever 党籍状态 says"),
    f(F::FormalDate, false, &[], "转正日期, where the export has no 人员类别 (or leaves it empty): a date (any text but 无, -, /, 0) makes the member formal, an empty cell probationary — a 预备党员 has none"),
];
const LEDGER_FIELDS: &[FieldSpec] = &[
    f(F::Uscc, false, &[], "the USCC of the unit the ledger row is about"),
    f(F::Name, false, &[], "the name of the unit the ledger row is about"),
    f(F::Instructor, false, &[], "the unit's 党建工作指导员: a name, 是 or 已选派 means it has one; empty, 0, N, ×, - or /, or a text beginning 无, 否, 没, 未 or 不 (无, 没有, 未选派) that it has none"),
    f(F::Union, false, &[], "the unit's trade union (工会): read as 党建工作指导员 is (已建立 yes; 未建立, 无 no)"),
    f(F::YouthLeague, false, &[], "the unit's Communist Youth League organization (共青团), read as 工会 is"),
    f(F::Employees, false, &[], "the head count by the ledger, which wins over the registry's"),
    f(F::NoOrgReason, false, &[], "why the unit has no party organization (kept as written for the lists)"),
    f(F::Reported, false, &[], "when the row was filled in or last updated (填报日期; a date, or a month): of a unit's dated rows, the latest tells its facts"),
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

/// The fields that stand in for a required one where an export has no column for it:
/// 转正日期 tells a formal member from a probationary one (the 党员信息系统 exports
/// both dates, and some layouts no 人员类别); 注销日期 and 吊销日期 tell a registry's
/// status where it has no 登记状态 (a unit with neither date is active).
pub fn stand_in(kind: SourceKind, field: SourceField) -> &'static [SourceField] {
    match (kind, field) {
        (SourceKind::Members, F::Category) => &[F::FormalDate],
        (SourceKind::UnitRegistry, F::Status) => &[F::DeregisteredDate, F::RevokedDate],
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

/// The canonical fields of each source kind as a pipeline file maps them, written from
/// this catalogue: a part of docs/pipeline.md (src/config/reference.rs).
pub fn fields_reference() -> String {
    let mut md = String::from(
        "# The canonical fields of each source kind\n\n\
         Written from src/config/fields.rs. A pipeline file maps an export's headers to these fields (`[source.columns]`); a\n\
         required field needs a column or a default in every file of the source; a field\n\
         with canonical values takes a value map (`[source.values.<field>]`) onto them.\n",
    );
    for kind in SOURCE_KINDS {
        md.push_str(&format!("\n## `{}`\n\n", kind.as_str()));
        md.push_str(
            "| field | 字段 | required | canonical values | meaning |\n|---|---|---|---|---|\n",
        );
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
            let others: Vec<String> = stand_in(kind, spec.field)
                .iter()
                .map(|f| format!("`{f}`"))
                .collect();
            let required = match (spec.required, others.is_empty()) {
                (true, false) => format!("yes, or {}", others.join(" / ")),
                (true, true) => "yes".to_string(),
                (false, _) => String::new(),
            };
            md.push_str(&format!(
                "| `{}` | {} | {required} | {values} | {} |\n",
                spec.name(),
                spec.label(),
                spec.about
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
