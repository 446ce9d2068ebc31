//! What `coverage init` knows of real exports: the headers each canonical field goes by
//! (one synonym table per source kind), the values each canonical word goes by, and how
//! a header is normalized before it is compared. Said once here; docs/pipeline.md and
//! `init`'s drafts quote what was matched.

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
            "登记机关",
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
            "核准日期",
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

/// How a raw value maps onto a canonical word: the whole value, or a text inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Exact,
    Contains,
}

use Match::*;

type ValueRules = &'static [(Match, &'static str, &'static str)];

const REGISTRY_STATUS: ValueRules = &[
    (Exact, "存续", "active"),
    (Exact, "在业", "active"),
    (Exact, "开业", "active"),
    (Exact, "在营", "active"),
    (Exact, "正常", "active"),
    (Exact, "执业", "active"),
    (Exact, "登记", "active"),
    (Exact, "成立", "active"),
    (Exact, "有效", "active"),
    // How civil affairs and the justice bureau write it: 已登记, 正常登记, 正常执业.
    (Exact, "已登记", "active"),
    (Exact, "正常登记", "active"),
    (Exact, "登记成立", "active"),
    (Exact, "已成立", "active"),
    (Exact, "正常经营", "active"),
    (Exact, "营业", "active"),
    (Exact, "迁入", "moved_in"),
    (Exact, "迁出", "moved_out"),
    (Exact, "停业", "suspended"),
    (Exact, "歇业", "suspended"),
    (Exact, "清算", "liquidation"),
    (Exact, "撤销", "revoked"),
    (Contains, "吊销", "revoked"),
    (Contains, "注销", "deregistered"),
    (Contains, "迁出", "moved_out"),
    (Contains, "迁入", "moved_in"),
    (Contains, "撤销", "revoked"),
    (Contains, "清算", "liquidation"),
    (Contains, "停业", "suspended"),
    (Contains, "歇业", "suspended"),
    (Contains, "存续", "active"),
    (Contains, "在营", "active"),
    (Contains, "在业", "active"),
    (Contains, "开业", "active"),
    (Contains, "在册", "active"),
    // A law firm's 执业状态: 正常执业, 执业中 — after 注销 and 吊销 above, and once
    // practice stopped (停止执业, 暂停执业) is read as suspended.
    (Contains, "停止执业", "suspended"),
    (Contains, "暂停执业", "suspended"),
    (Contains, "执业", "active"),
];

const UNIT_KINDS: ValueRules = &[
    (Exact, "社会团体", "social_group"),
    (Exact, "民办非企业单位", "private_non_enterprise"),
    (Exact, "社会服务机构", "private_non_enterprise"),
    (Exact, "基金会", "foundation"),
    (Exact, "律师事务所", "law_firm"),
    (Exact, "会计师事务所", "accounting_firm"),
    (Exact, "税务师事务所", "tax_firm"),
    (Contains, "社会团体", "social_group"),
    (Contains, "民办非企业", "private_non_enterprise"),
    (Contains, "社会服务机构", "private_non_enterprise"),
    (Contains, "基金会", "foundation"),
    // The short forms clerks write: 社团, 民非.
    (Contains, "社团", "social_group"),
    (Contains, "民非", "private_non_enterprise"),
    (Contains, "律师", "law_firm"),
    (Contains, "会计师", "accounting_firm"),
    (Contains, "税务师", "tax_firm"),
    (Contains, "国有", "state_owned"),
    (Contains, "全民所有制", "state_owned"),
    (Contains, "集体", "collective"),
    (Contains, "个体", "individual_business"),
    (Contains, "农民专业合作社", "farmer_coop"),
    (Contains, "合作社", "farmer_coop"),
    (Contains, "外商", "foreign_enterprise"),
    (Contains, "港澳台", "foreign_enterprise"),
    (Contains, "外资", "foreign_enterprise"),
    // The registry's own spelling: 有限责任公司(台港澳法人独资), (台港澳与境内合资).
    (Contains, "台港澳", "foreign_enterprise"),
    (Contains, "中外合资", "foreign_enterprise"),
    (Contains, "中外合作", "foreign_enterprise"),
    (Contains, "外国", "foreign_enterprise"),
];

const REGISTRATION_LEVELS: ValueRules = &[
    (Contains, "民政部", "national"),
    (Contains, "区民政局", "district"),
    (Contains, "县民政局", "district"),
    (Contains, "市民政局", "municipal"),
    (Contains, "全国", "national"),
    (Contains, "国家级", "national"),
    (Contains, "市级", "municipal"),
    (Contains, "市本级", "municipal"),
    (Contains, "省级", "municipal"),
    (Contains, "区级", "district"),
    (Contains, "县级", "district"),
    (Exact, "市", "municipal"),
    (Exact, "区", "district"),
    (Exact, "县", "district"),
];

const SUB_CATEGORIES: ValueRules = &[
    (Exact, "民办学校", "private_school"),
    (Exact, "民办医院", "private_hospital"),
    (Contains, "学校", "private_school"),
    (Contains, "幼儿园", "private_school"),
    // 民办教育机构, 培训学校; 民营医院, 民办医疗机构, 诊所.
    (Contains, "教育", "private_school"),
    (Contains, "培训", "private_school"),
    (Contains, "医院", "private_hospital"),
    (Contains, "医疗", "private_hospital"),
    (Contains, "诊所", "private_hospital"),
];

const ORG_LEVELS: ValueRules = &[
    (Exact, "党委", "committee"),
    (Exact, "党总支", "general_branch"),
    (Exact, "党支部", "branch"),
    (Exact, "联合党支部", "branch"),
    (Exact, "党小组", "group"),
    (Contains, "党小组", "group"),
    (Contains, "总支", "general_branch"),
    (Contains, "支部", "branch"),
    (Contains, "党委", "committee"),
    (Contains, "党组", "committee"),
    (Contains, "工委", "committee"),
    (Contains, "委员会", "committee"),
];

const FORMATIONS: ValueRules = &[
    (Exact, "单独组建", "single"),
    (Exact, "联合组建", "joint"),
    (Exact, "功能型", "functional"),
    (Exact, "挂靠组建", "affiliated"),
    (Contains, "挂靠", "affiliated"),
    (Contains, "单独", "single"),
    (Contains, "独立", "single"),
    // 单建 / 联建: the short forms beside each other in the campaign's own papers.
    (Contains, "单建", "single"),
    (Contains, "独建", "single"),
    (Contains, "联合", "joint"),
    (Contains, "功能", "functional"),
    // The notice's ways of forming a joint organization: 片区联建, 同业共建, 派驻帮建,
    // 龙头带建 (挂靠组建 is affiliated, above).
    (Contains, "联建", "joint"),
    (Contains, "共建", "joint"),
    (Contains, "帮建", "joint"),
    (Contains, "带建", "joint"),
];

const ORG_STATUSES: ValueRules = &[
    (Exact, "正常", "active"),
    (Exact, "已撤销", "dissolved"),
    (Exact, "撤销", "dissolved"),
    (Contains, "撤销", "dissolved"),
    (Contains, "注销", "dissolved"),
    (Contains, "解散", "dissolved"),
    (Contains, "撤并", "dissolved"),
    (Contains, "合并", "dissolved"),
    (Contains, "取消", "dissolved"),
    // 已撤, 撤: a dissolved organization written short.
    (Contains, "撤", "dissolved"),
    (Contains, "正常", "active"),
    (Contains, "在册", "active"),
    (Contains, "有效", "active"),
    (Contains, "存续", "active"),
    (Contains, "现存", "active"),
];

const MEMBER_CATEGORIES: ValueRules = &[
    (Exact, "正式党员", "formal"),
    (Exact, "预备党员", "probationary"),
    (Contains, "预备", "probationary"),
    (Contains, "正式", "formal"),
];

const MEMBER_STANDINGS: ValueRules = &[
    (Exact, "正常", "normal"),
    (Exact, "停止党籍", "suspended"),
    (Exact, "失联", "lost_contact"),
    (Exact, "出党", "left"),
    (Exact, "死亡", "left"),
    (Exact, "退党", "left"),
    (Exact, "除名", "left"),
    (Contains, "停止党籍", "suspended"),
    (Contains, "失联", "lost_contact"),
    (Contains, "出党", "left"),
    (Contains, "退党", "left"),
    (Contains, "除名", "left"),
    (Contains, "开除", "left"),
    (Contains, "死亡", "left"),
    (Contains, "去世", "left"),
    (Contains, "病故", "left"),
    (Contains, "劝退", "left"),
    (Contains, "失去联系", "lost_contact"),
    (Contains, "转出", "transferred_out"),
    (Contains, "正常", "normal"),
    // A record in the register (在册), a floating member (流动党员) keeps their 党籍.
    (Contains, "在册", "normal"),
    (Contains, "流动", "normal"),
];

/// The values each canonical word of a field goes by, per source kind: (how, text,
/// word). Contains-rules are tried in this order, so 吊销 (吊销，未注销) comes before 注销.
pub fn values(kind: SourceKind, field: F) -> ValueRules {
    match (kind, field) {
        (SourceKind::UnitRegistry, F::Status) => REGISTRY_STATUS,
        (SourceKind::UnitRegistry, F::EntityType) => UNIT_KINDS,
        (SourceKind::UnitRegistry, F::RegistrationLevel) => REGISTRATION_LEVELS,
        (SourceKind::UnitRegistry, F::SubCategory) => SUB_CATEGORIES,
        (SourceKind::PartyOrgs, F::Level) => ORG_LEVELS,
        (SourceKind::PartyOrgs, F::Formation) => FORMATIONS,
        (SourceKind::PartyOrgs, F::Status) => ORG_STATUSES,
        (SourceKind::Members, F::Category) => MEMBER_CATEGORIES,
        (SourceKind::Members, F::Status) => MEMBER_STANDINGS,
        _ => &[],
    }
}

/// The word for values no rule names, where a field has one that the domain gives:
/// an enterprise type the registry spells otherwise is a private enterprise (私营 is
/// the rest of 非公有制), a sub-category not named by the rulebook is `other`.
pub fn fallback(kind: SourceKind, field: F, social: bool) -> Option<&'static str> {
    match (kind, field) {
        (SourceKind::UnitRegistry, F::EntityType) if !social => Some("private_enterprise"),
        (SourceKind::UnitRegistry, F::SubCategory) => Some("other"),
        _ => None,
    }
}

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

    #[test]
    fn every_synonym_names_a_field_of_its_kind_and_every_word_is_canonical() {
        for kind in crate::config::SOURCE_KINDS {
            let fields = crate::config::fields(kind);
            for (field, names) in headers(kind) {
                let spec = fields.iter().find(|f| f.field == *field);
                assert!(spec.is_some(), "{field} is no field of {}", kind.as_str());
                assert!(!names.is_empty());
                for (_, _, word) in values(kind, *field) {
                    assert!(spec.unwrap().values.contains(word), "{word} for {field}");
                }
            }
        }
    }
}
