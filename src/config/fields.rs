//! The catalogue of canonical fields per source kind (name, Chinese label, required,
//! the canonical words a field takes): what a pipeline file may map and the reports
//! label.

use super::*;

/// A canonical field of a source kind.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    /// The field as people read it (a report's 字段), whatever an export calls it.
    pub label: &'static str,
    /// Must have a column (or a default) in every file of the source.
    pub required: bool,
    /// The canonical values a value map for this field may produce; empty = free text.
    pub values: &'static [&'static str],
}

const fn f(
    name: &'static str,
    label: &'static str,
    required: bool,
    values: &'static [&'static str],
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        required,
        values,
    }
}

const UNIT_FIELDS: &[FieldSpec] = &[
    f("uscc", "统一社会信用代码", false, &[]),
    f("reg_no", "注册号", false, &[]),
    f("org_code", "组织机构代码", false, &[]),
    f("name", "名称", true, &[]),
    f("entity_type", "单位类型", false, UnitKind::NAMES),
    f("status", "状态", true, RegistryStatus::NAMES),
    // Not required: an old-system history file has no district column; its rows are
    // placed by the records they are matched to (see `extract` and `resolve`).
    f("district", "所在区", false, &[]),
    f("address", "地址", false, &[]),
    f("street", "街道", false, &[]),
    f("industry", "行业", false, &[]),
    f("park", "园区", false, &[]),
    f("building", "楼宇", false, &[]),
    f("employees", "职工人数", false, &[]),
    f("established", "成立日期", false, &[]),
    f(
        "registration_level",
        "登记管理机关级别",
        false,
        RegistrationLevel::NAMES,
    ),
    f("supervisor", "业务主管单位", false, &[]),
    f("sub_category", "社会组织类别", false, SubCategory::NAMES),
];
const ORG_FIELDS: &[FieldSpec] = &[
    f("org_id", "党组织编码", true, &[]),
    f("name", "名称", true, &[]),
    f("level", "党组织类别", true, OrgLevel::NAMES),
    f("formation", "组建方式", true, Formation::NAMES),
    f("host_uscc", "所在单位统一社会信用代码", false, &[]),
    f("host_name", "所在单位名称", false, &[]),
    f("parent_id", "上级党组织编码", false, &[]),
    f("district", "所在区", false, &[]),
    f("status", "状态", true, OrgStatus::NAMES),
];
const JOINT_FIELDS: &[FieldSpec] = &[
    f("org_id", "党组织编码", true, &[]),
    f("unit_uscc", "覆盖单位统一社会信用代码", false, &[]),
    f("unit_name", "覆盖单位名称", false, &[]),
];
const MEMBER_FIELDS: &[FieldSpec] = &[
    f("id_number", "公民身份号码", true, &[]),
    f("category", "人员类别", true, MemberCategory::NAMES),
    f("status", "状态", true, MemberStatus::NAMES),
    f("org_id", "党组织编码", false, &[]),
    f("org_name", "所在党组织名称", false, &[]),
    f("district", "所在区", false, &[]),
    f("employer_name", "工作单位", false, &[]),
    f("employer_uscc", "工作单位统一社会信用代码", false, &[]),
];
const LEDGER_FIELDS: &[FieldSpec] = &[
    f("uscc", "统一社会信用代码", false, &[]),
    f("name", "名称", false, &[]),
    f("instructor", "党建工作指导员", false, &[]),
    f("union", "工会", false, &[]),
    f("youth_league", "共青团", false, &[]),
    f("employees", "职工人数", false, &[]),
    f("no_org_reason", "未建党组织原因", false, &[]),
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
pub fn one_of(kind: SourceKind) -> &'static [&'static str] {
    match kind {
        SourceKind::JointCoverage => &["unit_uscc", "unit_name"],
        SourceKind::Ledger => &["uscc", "name"],
        _ => &[],
    }
}
