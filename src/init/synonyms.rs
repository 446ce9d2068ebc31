//! What `coverage init` knows of real exports' headers: the headers each canonical
//! field goes by (one synonym table per source kind), and how a header is normalized
//! before it is compared. Said once here (the values each canonical word goes by are in
//! `words`); docs/pipeline.md and `init`'s drafts quote what was matched.

use crate::config::SourceKind;
use crate::vocabulary::SourceField as F;

/// A header as compared: full-width folded (NFKC), spaces, line breaks and a trailing
/// note in brackets removed — `统一社会信用代码（必填）` and `统一社会 信用代码` are
/// `统一社会信用代码`.
pub fn normalize(header: &str) -> String {
    let folded: String = crate::text::nfkc(header)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let cut = folded
        .find(['(', '['])
        .filter(|&i| i > 0 && folded.ends_with([')', ']']))
        .map_or(folded.as_str(), |i| &folded[..i]);
    cut.trim_matches(['*', ':']).to_string()
}

type Synonyms = &'static [(F, &'static [&'static str])];

const UNIT_HEADERS: Synonyms = &[
    (
        F::Uscc,
        &[
            "统一社会信用代码",
            "社会信用代码",
            "信用代码",
            "统一代码",
            "统一社会信用代码/注册号",
            "社会统一信用代码",
        ],
    ),
    (F::RegNo, &["注册号", "工商注册号"]),
    (
        F::FormerName,
        &[
            "曾用名",
            "曾用名称",
            "原名称",
            "原企业名称",
            "历史名称",
            "变更前名称",
        ],
    ),
    (F::OrgCode, &["组织机构代码", "机构代码"]),
    (
        F::Name,
        &[
            "企业名称",
            "单位名称",
            "名称",
            "社会组织名称",
            "律师事务所名称",
            "机构名称",
            "市场主体名称",
            "主体名称",
            "企业(机构)名称",
            "单位详细名称",
            "组织名称",
            "企业名称/字号",
            "字号名称",
        ],
    ),
    (
        F::EntityType,
        &[
            "企业类型",
            "市场主体类型",
            "社会组织类型",
            "机构类型",
            "单位类型",
            "主体类型",
            "企业类型/组织形式",
            "组织形式",
            "登记注册类型",
            "社会组织类别",
            "类型",
        ],
    ),
    (
        F::Status,
        &[
            "登记状态",
            "经营状态",
            "执业状态",
            "状态",
            "经营状态/登记状态",
            "企业状态",
            "登记状况",
        ],
    ),
    (
        F::District,
        &[
            "所属区",
            "所在区",
            "区县",
            "所属区县",
            "所在区县",
            "行政区划",
            "所属区域",
            "所在区域",
            "所属行政区划",
            "区划",
            "所在区县(市)",
            "管辖单位",
            "区",
        ],
    ),
    (
        F::Address,
        &[
            "住所",
            "地址",
            "注册地址",
            "经营场所",
            "住所(经营场所)",
            "详细地址",
            "办公地址",
        ],
    ),
    (F::Authority, &["登记机关", "登记机关名称"]),
    (
        F::Street,
        &[
            "街道乡镇",
            "街道",
            "乡镇街道",
            "所属街道",
            "所在街道",
            "街道(乡镇)",
            "乡镇(街道)",
        ],
    ),
    (
        F::Industry,
        &[
            "行业门类",
            "行业",
            "行业代码",
            "所属行业",
            "国民经济行业",
            "行业分类",
            "行业门类代码",
        ],
    ),
    (
        F::Park,
        &[
            "园区",
            "所属园区",
            "所在园区",
            "园区名称",
            "所属园区名称",
            "产业园区",
            "开发区",
            "所属开发区",
            "所在开发区",
            "园区/开发区",
            "所属功能区",
        ],
    ),
    (
        F::Building,
        &[
            "楼宇",
            "商务楼宇",
            "所在楼宇",
            "所属楼宇",
            "楼宇名称",
            "商务楼宇名称",
        ],
    ),
    (
        F::Employees,
        &[
            "从业人数",
            "职工人数",
            "从业人员",
            "从业人员数",
            "执业人数",
            "律师人数",
            "执业律师人数",
            "律师数",
            "员工人数",
            "从业人员(人)",
            "从业人数(人)",
            "职工总数",
            "年末从业人员",
            "参保人数",
            "社保参保人数",
            "员工数",
            "从业人员数量",
            "从业人员人数",
            "职工数",
            "员工总数",
            "专职工作人员",
            "专职工作人员数",
            "工作人员数",
            "在职人数",
            "在岗职工人数",
            "职工人数(人)",
            "人员规模",
            "从业人员规模",
            "人数规模",
        ],
    ),
    (
        F::Established,
        &[
            "成立日期",
            "成立登记日期",
            "设立日期",
            "成立时间",
            "登记日期",
        ],
    ),
    (
        F::Approved,
        &[
            "核准日期",
            "核准时间",
            "变更日期",
            "变更登记日期",
            "最近变更日期",
            "最后变更日期",
            "核准变更日期",
        ],
    ),
    (
        F::DeregisteredDate,
        &["注销日期", "注销时间", "注销登记日期"],
    ),
    (F::RevokedDate, &["吊销日期", "吊销时间"]),
    (
        F::RegistrationLevel,
        &["登记管理机关", "登记机关级别", "登记管理机关级别"],
    ),
    (F::Supervisor, &["业务主管单位"]),
    (F::SubCategory, &["类别", "社会组织类别"]),
];

const ORG_HEADERS: Synonyms = &[
    (
        F::OrgId,
        &[
            "党组织编码",
            "党组织代码",
            "组织编码",
            "组织代码",
            "党组织编号",
        ],
    ),
    (F::Name, &["党组织名称", "组织名称", "党组织全称"]),
    (
        F::Level,
        &[
            "党组织类别",
            "党组织类型",
            "组织类别",
            "组织类型",
            "党组织层级",
        ],
    ),
    (
        F::Formation,
        &["组建方式", "组建形式", "组建类型", "党组织组建方式"],
    ),
    (
        F::HostUscc,
        &[
            "所在单位统一社会信用代码",
            "单位统一社会信用代码",
            "所在单位信用代码",
            "单位信用代码",
            "依托单位统一社会信用代码",
        ],
    ),
    (
        F::HostName,
        &[
            "所在单位名称",
            "单位名称",
            "所在单位",
            "单位全称",
            "所在单位全称",
            "依托单位",
            "依托单位名称",
        ],
    ),
    (
        F::ParentId,
        &[
            "上级党组织编码",
            "上级组织编码",
            "上级党组织代码",
            // The parent named rather than coded: found by its name.
            "上级党组织",
            "上级党组织名称",
            "上级组织",
            "上级组织名称",
        ],
    ),
    (F::District, &["所在区", "所属区"]),
    (F::Status, &["状态", "党组织状态"]),
    // The units a joint organization covers, where the organization export lists them.
    (
        F::UnitUscc,
        &[
            "覆盖单位统一社会信用代码",
            "覆盖单位信用代码",
            "联建单位统一社会信用代码",
        ],
    ),
    (
        F::UnitName,
        &[
            "覆盖单位名称",
            "覆盖单位",
            "覆盖单位名单",
            "所覆盖单位",
            "联建单位",
            "联建单位名称",
            "联合单位",
            "联合组建单位",
        ],
    ),
];

const JOINT_HEADERS: Synonyms = &[
    (
        F::OrgId,
        &[
            "联合党组织编码",
            "党组织编码",
            // The organization named rather than coded: found by its name.
            "联合党组织名称",
            "联合党组织",
            "党组织名称",
        ],
    ),
    (
        F::UnitUscc,
        &["覆盖单位统一社会信用代码", "单位统一社会信用代码"],
    ),
    (F::UnitName, &["覆盖单位名称", "单位名称"]),
];

const MEMBER_HEADERS: Synonyms = &[
    (
        F::IdNumber,
        &[
            "公民身份号码",
            "身份证号",
            "身份证号码",
            "身份证号码(公民身份号码)",
            "证件号码",
            "公民身份证号",
            "公民身份证号码",
            "身份证件号码",
            "证件号",
        ],
    ),
    (
        F::Category,
        &["人员类别", "党员类别", "党员类型", "人员类型", "党员身份"],
    ),
    (F::Status, &["党籍状态", "状态", "党员状态"]),
    (
        F::OrgId,
        &[
            "所在党组织编码",
            "党组织编码",
            "所在党组织代码",
            "所属党组织编码",
            "党组织代码",
        ],
    ),
    (
        F::OrgName,
        &[
            "所在党组织",
            "所在党组织名称",
            "党组织名称",
            "所在党支部",
            "所在支部",
            "党组织",
            "所属党组织",
            "所属党支部",
            "所在党组织全称",
            "所在党支部名称",
        ],
    ),
    (F::District, &["所在区", "所属区"]),
    (
        F::EmployerName,
        &[
            "工作单位",
            "工作单位名称",
            "现工作单位",
            "工作单位及职务",
            "单位",
            "工作单位全称",
            "现工作单位名称",
            "现工作单位全称",
            "就业单位",
            "所在单位",
        ],
    ),
    (
        F::EmployerUscc,
        &[
            "工作单位统一社会信用代码",
            "工作单位信用代码",
            "工作单位社会信用代码",
            "单位统一社会信用代码",
            "单位信用代码",
            "单位社会信用代码",
            "工作单位代码",
            "工作单位统一代码",
        ],
    ),
    (
        F::LostContact,
        &["是否失联党员", "失联党员", "是否失联", "失联"],
    ),
    (
        F::FormalDate,
        &[
            "转正日期",
            "转正时间",
            "转为正式党员日期",
            "转为正式党员时间",
            "转正年月",
        ],
    ),
];

const LEDGER_HEADERS: Synonyms = &[
    (F::Uscc, &["统一社会信用代码", "社会信用代码"]),
    (F::Name, &["单位名称", "名称"]),
    (
        F::Instructor,
        &[
            "党建工作指导员",
            "指导员",
            "党建指导员",
            "是否选派党建工作指导员",
            "党建工作指导员姓名",
        ],
    ),
    (F::Union, &["工会", "工会组织", "是否建立工会", "工会情况"]),
    (
        F::YouthLeague,
        &[
            "团组织",
            "共青团",
            "共青团组织",
            "是否建立团组织",
            "团组织情况",
        ],
    ),
    (
        F::Employees,
        &[
            "职工人数",
            "从业人数",
            "从业人员",
            "从业人员数",
            "职工总数",
            "员工人数",
            "在职人数",
            "人员规模",
        ],
    ),
    (
        F::NoOrgReason,
        &["未建党组织原因", "未建原因", "未建立党组织原因"],
    ),
    (
        F::Reported,
        &[
            "填报日期",
            "填报时间",
            "填表日期",
            "更新日期",
            "更新时间",
            "最后更新时间",
            "统计日期",
            "统计时间",
            "统计月份",
            "报送日期",
            "报送时间",
        ],
    ),
];

/// The forms a header is matched by, in order: the whole (normalized), then, for a
/// header spread over two rows (`党员情况 / 正式党员`, as the reader joins them), its
/// parts read as one (所在单位统一社会信用代码), then each part from the last.
fn forms(header: &str) -> Vec<String> {
    let mut forms = vec![normalize(header)];
    let parts: Vec<&str> = header.split(crate::extract::reader::HEADER_PARTS).collect();
    if parts.len() > 1 {
        // A group header names what the columns under it are of (所在单位 over
        // 统一社会信用代码 and 名称): read together first.
        forms.push(normalize(&parts.concat()));
        forms.extend(parts.iter().rev().map(|p| normalize(p)));
    }
    let asked: Vec<String> = forms.iter().filter_map(|f| asked_about(f)).collect();
    forms.extend(asked);
    forms
}

/// What a header put as a question is about, last of its forms: 是否选派党建指导员 →
/// 党建指导员, 是否建立工会 → 工会, 工会组建情况 → 工会 (a ledger's columns are often
/// written as what the form asks).
fn asked_about(header: &str) -> Option<String> {
    let mut h = header;
    for ask in ["是否", "有无"] {
        h = h.strip_prefix(ask).unwrap_or(h);
    }
    h = h.strip_suffix("情况").unwrap_or(h);
    let mut core = h.to_string();
    for verb in ["建立", "选派", "配备", "组建", "成立"] {
        if let Some(at) = core.find(verb) {
            core.replace_range(at..at + verb.len(), "");
            break;
        }
    }
    (core != header && core.chars().count() >= 2).then_some(core)
}

/// Whether a header names `field` of a source kind.
pub fn names(kind: SourceKind, field: F, header: &str) -> bool {
    let synonyms = headers(kind)
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(&[][..], |(_, n)| *n);
    forms(header).iter().any(|h| synonyms.contains(&h.as_str()))
}

/// The fields of a source kind a header names, by its forms in order, then the
/// fields' order.
pub fn fields_named(kind: SourceKind, header: &str) -> Vec<F> {
    let mut out = Vec::new();
    for h in forms(header) {
        for (f, names) in headers(kind) {
            if names.contains(&h.as_str()) && !out.contains(f) {
                out.push(*f);
            }
        }
    }
    out
}

/// The headers each canonical field of a source kind goes by, most specific first.
pub fn headers(kind: SourceKind) -> Synonyms {
    match kind {
        SourceKind::UnitRegistry => UNIT_HEADERS,
        SourceKind::PartyOrgs => ORG_HEADERS,
        SourceKind::JointCoverage => JOINT_HEADERS,
        SourceKind::Members => MEMBER_HEADERS,
        SourceKind::Ledger => LEDGER_HEADERS,
    }
}

/// The fields whose header alone tells a source's kind, checked in this order: an ID
/// number is a member list, an instructor a ledger, a formation or level a
/// party-organization list (whose host unit's columns a joint-coverage list may share:
/// 单位统一社会信用代码), then a covered unit a joint-coverage list.
pub const TELLING: [(SourceKind, F); 6] = [
    (SourceKind::Members, F::IdNumber),
    (SourceKind::Ledger, F::Instructor),
    (SourceKind::PartyOrgs, F::Formation),
    (SourceKind::PartyOrgs, F::Level),
    (SourceKind::JointCoverage, F::UnitUscc),
    (SourceKind::JointCoverage, F::UnitName),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_compare_after_folding_spaces_and_notes() {
        assert_eq!(normalize("统一社会信用代码（必填）"), "统一社会信用代码");
        assert_eq!(normalize(" 统一社会 信用代码 "), "统一社会信用代码");
        assert_eq!(normalize("*企业名称"), "企业名称");
        assert_eq!(normalize("(备注)"), "(备注)");
    }

    #[test]
    fn a_header_put_as_a_question_names_what_it_asks_about() {
        let ledger = |h| fields_named(SourceKind::Ledger, h);
        assert_eq!(ledger("是否选派党建指导员"), [F::Instructor]);
        assert_eq!(ledger("是否配备党建工作指导员"), [F::Instructor]);
        assert_eq!(ledger("工会组建情况"), [F::Union]);
        assert_eq!(ledger("是否成立团组织"), [F::YouthLeague]);
        assert_eq!(ledger("有无工会"), [F::Union]);
        assert!(ledger("是否").is_empty());
        // When the row was filled in, however the form calls it.
        for reported in ["填报日期", "统计月份", "更新时间", "填报日期（必填）"]
        {
            assert_eq!(ledger(reported), [F::Reported], "{reported}");
        }
        // A header that names a field as it is keeps it.
        assert_eq!(
            fields_named(SourceKind::PartyOrgs, "组建方式"),
            [F::Formation]
        );
    }

    /// A park's or building's header names nothing else (园区名称 is no unit's 名称).
    #[test]
    fn parks_and_buildings_go_by_their_exports_headers() {
        let unit = |h| fields_named(SourceKind::UnitRegistry, h);
        for park in ["所在园区", "园区名称", "所属开发区", "园区（开发区）"] {
            assert_eq!(unit(park), [F::Park], "{park}");
        }
        assert_eq!(unit("所在楼宇"), [F::Building]);
    }

    /// 核准日期 is the date of the record's latest approved change (it tells a renamed
    /// company's current record from one not yet updated), not the date it was founded.
    #[test]
    fn the_date_of_the_latest_change_is_not_the_date_of_founding() {
        let unit = |h| fields_named(SourceKind::UnitRegistry, h);
        for approved in ["核准日期", "变更日期", "最近变更日期", "核准日期（变更）"]
        {
            assert_eq!(unit(approved), [F::Approved], "{approved}");
        }
        for founded in ["成立日期", "成立时间", "登记日期"] {
            assert_eq!(unit(founded), [F::Established], "{founded}");
        }
    }

    #[test]
    fn every_synonym_names_a_field_of_its_kind_and_every_word_is_canonical() {
        for kind in crate::config::SOURCE_KINDS {
            let fields = crate::config::fields(kind);
            for (field, names) in headers(kind) {
                let spec = fields.iter().find(|f| f.field == *field);
                assert!(spec.is_some(), "{field} is no field of {}", kind.as_str());
                assert!(!names.is_empty());
                for (_, _, word) in super::super::words::values(kind, *field) {
                    assert!(spec.unwrap().values.contains(word), "{word} for {field}");
                }
            }
        }
    }
}
