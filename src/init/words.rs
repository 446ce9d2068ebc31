//! What `coverage init` knows of the values real exports write: the values each
//! canonical word of a field goes by, per source kind, and the word for the values no
//! rule names where the domain gives one. Said once here; `init`'s drafts write them
//! into the pipeline file's value maps.

use crate::config::SourceKind;
use crate::vocabulary::SourceField as F;

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
