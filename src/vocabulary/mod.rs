//! The domain's words, each a typed value with one spelling: what a pipeline's value
//! maps produce, what the stages compare, and what the tables and sql/ hold. A word is
//! declared once here (`vocabulary!`), with its text; nothing else spells it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A closed set of words with one text each.
pub trait Vocabulary: Copy + Sized + 'static {
    /// The set's name in the `labels` table (the column its words are stored in).
    const SET: &'static str;
    /// Every text of the set, in declaration order.
    const NAMES: &'static [&'static str];
    /// The Chinese label of each text, in the same order: what people read in a report.
    const LABELS: &'static [&'static str];
    fn as_str(self) -> &'static str;
    fn parse(text: &str) -> Option<Self>;
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident = $set:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal => $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl Vocabulary for $name {
            const SET: &'static str = $set;
            const NAMES: &'static [&'static str] = &[$($text,)+];
            const LABELS: &'static [&'static str] = &[$($label,)+];

            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $name {
            /// Every word of the set, in its order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                Vocabulary::as_str(self)
            }

            /// The word as people read it (标签).
            pub fn label(self) -> &'static str {
                <$name as Vocabulary>::LABELS[self as usize]
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "enum": <$name as Vocabulary>::NAMES,
                    "x-vocabulary": $set,
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                <$name as Vocabulary>::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "`{text}` is not one of {}",
                        <$name as Vocabulary>::NAMES.join(", ")
                    ))
                })
            }
        }
    };
}

vocabulary! {
    /// 单位类型: the first six are kinds of the enterprise sector, the rest of the
    /// social-organization sector (law, accounting and tax firms wherever registered).
    UnitKind = "unit_kind" {
        PrivateEnterprise = "private_enterprise" => "私营企业",
        ForeignEnterprise = "foreign_enterprise" => "外商投资企业",
        StateOwned = "state_owned" => "国有企业",
        Collective = "collective" => "集体企业",
        IndividualBusiness = "individual_business" => "个体工商户",
        FarmerCoop = "farmer_coop" => "农民专业合作社",
        SocialGroup = "social_group" => "社会团体",
        PrivateNonEnterprise = "private_non_enterprise" => "民办非企业单位",
        Foundation = "foundation" => "基金会",
        LawFirm = "law_firm" => "律师事务所",
        AccountingFirm = "accounting_firm" => "会计师事务所",
        TaxFirm = "tax_firm" => "税务师事务所",
    }
}

impl UnitKind {
    /// A kind whose unit becomes a professional firm when its name says so.
    pub fn may_be_a_firm(self) -> bool {
        matches!(
            self,
            UnitKind::PrivateEnterprise
                | UnitKind::ForeignEnterprise
                | UnitKind::PrivateNonEnterprise
        )
    }

    pub fn is_professional_firm(self) -> bool {
        matches!(
            self,
            UnitKind::LawFirm | UnitKind::AccountingFirm | UnitKind::TaxFirm
        )
    }
}

vocabulary! {
    /// 登记状态 of a registry record.
    RegistryStatus = "status" {
        Active = "active" => "存续",
        MovedIn = "moved_in" => "迁入",
        Suspended = "suspended" => "停业",
        Liquidation = "liquidation" => "清算",
        MovedOut = "moved_out" => "迁出",
        Revoked = "revoked" => "吊销",
        Deregistered = "deregistered" => "注销",
    }
}

vocabulary! {
    /// 社会组织 sub-category the rulebook names (民办学校, 民办医院).
    SubCategory = "sub_category" {
        PrivateSchool = "private_school" => "民办学校",
        PrivateHospital = "private_hospital" => "民办医院",
        Other = "other" => "其他",
    }
}

vocabulary! {
    /// 登记管理机关级别.
    RegistrationLevel = "registration_level" {
        National = "national" => "全国性",
        Municipal = "municipal" => "市级",
        District = "district" => "区级",
    }
}

vocabulary! {
    /// 人员类别.
    MemberCategory = "member_category" {
        /// 正式党员.
        Formal = "formal" => "正式党员",
        /// 预备党员.
        Probationary = "probationary" => "预备党员",
    }
}

vocabulary! {
    /// 党籍状态: only `normal` members count.
    MemberStatus = "member_status" {
        Normal = "normal" => "正常",
        Suspended = "suspended" => "停止党籍",
        LostContact = "lost_contact" => "失联",
        Left = "left" => "已出党",
        /// 组织关系已转出: the relation moved to an organization elsewhere; the member
        /// counts where it arrived (the same person there, if the export holds them).
        TransferredOut = "transferred_out" => "组织关系已转出",
    }
}

vocabulary! {
    /// 党组织类别; a 党小组 (`group`) is not an organization and never counts.
    OrgLevel = "org_level" {
        /// 党委.
        Committee = "committee" => "党委",
        /// 党总支.
        GeneralBranch = "general_branch" => "党总支",
        /// 党支部 (also 联合党支部).
        Branch = "branch" => "党支部",
        /// 党小组.
        Group = "group" => "党小组",
    }
}

vocabulary! {
    /// 组建方式 of an organization, and the organization form of a unit (`OrgForm`).
    Formation = "formation" {
        /// 单独组建: the unit's own organization.
        Single = "single" => "单独组建",
        /// 联合组建.
        Joint = "joint" => "联合组建",
        /// 功能型 (work coverage, not organization coverage, by default).
        Functional = "functional" => "功能型",
        /// 挂靠组建 (joint coverage unless `affiliated_counts_as_joint = false`).
        Affiliated = "affiliated" => "挂靠组建",
    }
}

vocabulary! {
    /// 党组织状态.
    OrgStatus = "org_status" {
        Active = "active" => "正常",
        Dissolved = "dissolved" => "已撤销",
    }
}

vocabulary! {
    /// How an organization relates to a unit (org_units.role).
    OrgRole = "org_role" {
        /// The unit the organization is set up in (所在单位).
        Host = "host" => "所在单位",
        /// A unit a joint organization covers (联合党组织覆盖单位).
        Covered = "covered" => "覆盖单位",
    }
}

vocabulary! {
    /// Why a unit is not counted (unit_status.out_of_scope_reason).
    ScopeReason = "out_of_scope_reason" {
        Deregistered = "deregistered" => "已注销",
        Revoked = "revoked" => "已吊销",
        MovedOut = "moved_out" => "已迁出",
        /// No record of the unit says where it is.
        NoDistrict = "no_district" => "无所在区",
        StateOwned = "state_owned" => "国有企业",
        Collective = "collective" => "集体企业",
        IndividualBusiness = "individual_business" => "个体工商户",
        FarmerCoop = "farmer_coop" => "农民专业合作社",
    }
}

vocabulary! {
    /// How a member was placed in a unit (members.link_rule), strongest first.
    MemberRule = "link_rule" {
        /// The unit of the member's own (single) organization.
        SingleOrgHost = "single_org_host" => "所在党组织的单位",
        EmployerUscc = "employer_uscc" => "工作单位统一社会信用代码",
        /// A USCC written inside 工作单位.
        EmployerUsccInName = "employer_uscc_in_name" => "工作单位中写明的统一社会信用代码",
        EmployerOrgCode = "employer_org_code" => "工作单位组织机构代码",
        EmployerRegNo = "employer_reg_no" => "工作单位注册号",
        EmployerName = "employer_name" => "工作单位名称一致",
        /// The one unit named as written but for the legal form (股份有限公司 written for
        /// a 有限公司), where no unit of the written form is a typo away.
        EmployerOtherForm = "employer_other_form" => "工作单位名称一致（组织形式写法不同）",
        /// 某某有限公司第一分公司 where no such branch is registered: the company, the
        /// legal person the member works for.
        EmployerBranchCompany = "employer_branch_company" => "工作单位为未登记的分公司（计入所属公司）",
        /// A branch's exact name beside its company's code (the company's USCC copied for
        /// a branch with a code of its own): the branch, where the member works.
        EmployerBranch = "employer_branch" => "工作单位为所填代码企业的分公司",
        /// One character of the 字号 off, one unit within reach.
        EmployerTypo = "employer_typo" => "工作单位名称一字之差",
        /// A joint-organization member whose typo spells another company's exact name.
        EmployerTypoOrg = "employer_typo_org" => "工作单位名称一字之差（本组织覆盖单位）",
        /// A street committee's member whose typo spells the exact name of a company of
        /// another district: the one unit of the committee's district one edit away.
        EmployerTypoDistrict = "employer_typo_district" => "工作单位名称一字之差（本组织所在区、街道）",
        /// A typo one edit from several units, one of them where other members of the
        /// member's organization work.
        EmployerTypoColleagues = "employer_typo_colleagues" => "工作单位名称一字之差（同组织党员所在单位）",
        EmployerFuzzy = "employer_fuzzy" => "工作单位名称相近",
        /// Scored name among the units of the member's organization.
        EmployerFuzzyOrg = "employer_fuzzy_org" => "工作单位名称相近（本组织覆盖单位）",
        /// A name several units match equally well, one of them in the district (or
        /// street) of the member's street committee.
        EmployerFuzzyDistrict = "employer_fuzzy_district" => "工作单位名称相近（本组织所在区、街道）",
        /// 工作单位 names several units, one of them the unit the same member (by their
        /// pseudonymized key) was counted in the latest earlier period.
        PreviousPeriod = "previous_period" => "工作单位有歧义，同一党员上期所在单位",
        /// 工作单位 says the member works nowhere (退休, 待业, 学生 …): in no unit.
        NoEmployer = "no_employer" => "无工作单位（离退休、待业等）",
        /// 工作单位 text a district confirmed (or pointed to another unit) in its returned
        /// work pack (feedback_decisions): linked so every month the text appears.
        Reviewed = "reviewed" => "区县已确认",
        /// Candidates for a person to choose from (link_review).
        Review = "review" => "待人工确认",
        Unmatched = "unmatched" => "未匹配",
    }
}

vocabulary! {
    /// What a row of `link_issues` is about: a reference that found nothing, or a member
    /// whose organization is not where they work.
    LinkIssueKind = "link_issue" {
        /// An organization id given twice (the first record is used, or the 已撤销 one).
        DuplicateOrg = "party_org" => "党组织编码重复",
        /// An organization's host unit that is no registry unit.
        OrgHost = "party_org_host" => "党组织所在单位未找到",
        /// A joint-coverage row whose organization or unit is not found, or whose unit a
        /// district is asked to confirm (an organization named by a name several share; a
        /// unit of another district named while units of the organization's district are
        /// one edit from the name): `unit_id` then says where it is counted meanwhile.
        JointCoverage = "joint_coverage" => "联合党组织覆盖单位未找到或待确认",
        /// A ledger row that matches no unit.
        Ledger = "ledger" => "台账单位未找到",
        /// A ledger row that a later-dated row of the same unit supersedes (填报日期): its
        /// facts are not used.
        LedgerSuperseded = "ledger_superseded" => "台账记录已被更新",
        /// 组织关系不在工作单位: the member works in a unit their organization neither hosts
        /// nor covers, though it belongs to other units.
        MemberOrgElsewhere = "member_org_elsewhere" => "组织关系不在工作单位",
    }
}

vocabulary! {
    /// What an export holds (a pipeline file's `kind` of a source).
    SourceKind = "source_kind" {
        /// 工商 / 民政 / 司法行政 registry of units.
        UnitRegistry = "unit_registry" => "单位登记名录",
        /// 党组织 records.
        PartyOrgs = "party_orgs" => "党组织信息",
        /// Joint organization → covered unit list.
        JointCoverage = "joint_coverage" => "联合党组织覆盖单位",
        Members = "members" => "党员信息",
        /// Instructors, mass organizations, employees, reasons.
        Ledger = "ledger" => "台账",
    }
}

vocabulary! {
    /// What the rates are over (`[rules] rate_denominator`): every unit in scope, or the
    /// units "with conditions" (3 or more formal members).
    RateDenominator = "rate_denominator" {
        InScope = "in_scope" => "在册单位",
        Formal3plus = "formal_3plus" => "有3名以上正式党员的单位",
    }
}

vocabulary! {
    /// How a reference to a unit (a host, a covered unit, a ledger row, an employer)
    /// found it in the registry: org_units.rule and party_orgs.host_rule.
    UnitFoundBy = "unit_found_by" {
        Uscc = "uscc" => "统一社会信用代码",
        /// Written as an organization code, or embedded in the USCC written.
        OrgCode = "org_code" => "组织机构代码",
        RegNo = "reg_no" => "注册号",
        /// The exact normalized name of one unit.
        Name = "name" => "单位名称",
        /// The unit's name inside the organization's name (中共××有限公司支部委员会).
        OrgName = "org_name" => "党组织名称所含单位名称",
        /// One edit (a character replaced, added, dropped, or two neighbours swapped)
        /// from the name of exactly one unit of the same legal form, in the
        /// organization's district where it has one, that no other organization holds
        /// (its own host first): a name typed by hand into a list.
        NameTypo = "name_typo" => "单位名称一字之差",
        /// One edit from the names of several units, the one of them where members of
        /// the organization work (their 工作单位 by code or exact name): a joint
        /// organization's list typed by hand.
        NameTypoMembers = "name_typo_members" => "单位名称一字之差（本组织党员在该单位工作）",
        /// One edit from the names of several units, the one of them the organization
        /// covered in the latest earlier period: a list retyped each month.
        NameTypoPreviousPeriod = "name_typo_previous_period" => "单位名称一字之差（上期覆盖该单位）",
        /// The unit a district confirmed for the name as written (or pointed it to by
        /// its USCC) in a returned work pack: a joint list's row no rule could place.
        Reviewed = "reviewed" => "区县已确认",
    }
}

vocabulary! {
    /// A target of the year-end appraisal (述职评议考核; sql/appraisal_scorecard.sql), with
    /// its name in the appraisal's own words.
    AppraisalTarget = "target" {
        SocialOrgCoverage = "social_org_coverage" => "社会组织党组织覆盖率",
        Enterprise100Org = "enterprise_100_org" => "100人以上企业建立党组织率",
        Enterprise50Members = "enterprise_50_members" => "50人以上企业有党员率",
        ShouldFormOwn = "should_form_own" => "应建尽建率",
        EnterpriseWorkCoverage = "enterprise_work_coverage" => "非公有制企业工作覆盖率",
        SocialOrgWorkCoverage = "social_org_work_coverage" => "社会组织工作覆盖率",
    }
}

vocabulary! {
    /// What kind of identifier a registry key is, strongest first (unit_id_registry.kind).
    IdKind = "id_kind" {
        Uscc = "uscc" => "统一社会信用代码",
        OrgCode = "org_code" => "组织机构代码",
        RegNo = "reg_no" => "注册号",
        /// Normalized name and district code.
        NameDistrict = "name_district" => "名称和所在区",
    }
}

vocabulary! {
    /// How a record joined its unit, strongest first (unit_sources.rule).
    MatchRule = "match_rule" {
        Uscc = "uscc" => "统一社会信用代码相同",
        OrgCode = "org_code" => "组织机构代码相同",
        RegNo = "reg_no" => "注册号相同",
        NameDistrict = "name_district" => "同区名称相同",
        /// A record without a district (old-system history) joined to the one unit in
        /// the city that has its exact normalized name.
        NameCity = "name_city" => "全市唯一同名单位",
        /// A scored name match within the district, for a record without a valid USCC.
        FuzzyName = "fuzzy_name" => "同区名称相近",
        /// The only record of its unit.
        Single = "single" => "单位仅此一条记录",
    }
}

vocabulary! {
    /// Why a unit id changed this month (unit_id_events.reason).
    IdEventReason = "id_event" {
        /// Two known units are one now; the old id is retired.
        Merged = "merged" => "合并（旧编号停用）",
        /// A known unit's records make two units; the second takes a new id.
        Split = "split" => "拆分（新编号）",
    }
}

vocabulary! {
    /// Where a unit's employee count comes from (unit_status.employees_source): the
    /// work ledger's count outranks the registry's.
    EmployeesSource = "employees_source" {
        /// 实际职工人数 a district corrected in its returned work pack.
        Feedback = "feedback" => "区县更正",
        Ledger = "ledger" => "党建工作台账",
        Registry = "registry" => "登记信息",
    }
}

vocabulary! {
    /// 企业 or 社会组织: the two sectors the notice counts separately.
    Sector = "sector" {
        Enterprise = "enterprise" => "非公有制企业",
        SocialOrg = "social_org" => "社会组织",
    }
}

vocabulary! {
    /// 组建形式 of a unit (unit_status.org_form): its strongest organization, or none.
    OrgForm = "org_form" {
        Single = "single" => "单独组建",
        Joint = "joint" => "联合组建",
        Functional = "functional" => "功能型",
        NoOrg = "none" => "未建",
    }
}

vocabulary! {
    /// What is wrong with an input row (rejects) or one of its fields (flags): the
    /// kind a report counts by; `reason` says the particulars.
    IssueKind = "issue" {
        WrongColumns = "wrong_columns" => "列数与表头不符",
        /// A row that sums the rows above it (合计, 总计, 小计), as exports end their
        /// tables: no record.
        TotalsRow = "totals_row" => "合计行（非数据行）",
        Empty = "empty" => "必填字段为空",
        NotInMapping = "not_in_mapping" => "取值不在映射表中",
        Unreadable = "unreadable" => "无法识别（置空）",
        InvalidCode = "invalid_code" => "代码无效（长度、字符或校验位）",
        Scientific = "scientific" => "代码被写成科学计数法",
        OldCodeInUscc = "old_code_in_uscc" => "信用代码栏填写的是组织机构代码或注册号",
        NoIdentity = "no_identity" => "既无可用代码也无名称",
        UnknownKind = "unknown_kind" => "无法确定单位类型",
        UnknownDistrict = "unknown_district" => "不是本市的区",
        NoDistrict = "no_district" => "未填所在区",
        InvalidIdNumber = "invalid_id_number" => "公民身份号码有误",
        ControlCharacters = "control_characters" => "含控制字符（已去除）",
        /// Far longer than any real value of the field; kept as written.
        ImplausibleLength = "implausible_length" => "长度异常（已保留）",
        /// A head count written as a band (50-99人, 100人以上), read as its lower bound,
        /// or as about so many (约80人), read as that many.
        CountBand = "count_band" => "人数为区间或约数（取下限）",
        /// A code written in lower case or full-width characters, read in standard form.
        CodeNormalized = "code_normalized" => "代码写法不规范（已转为标准写法）",
        /// A ledger's 填报日期 after the month that follows the run's period (a mistyped
        /// year, 2062 for 2026): read as undated, so that it supersedes no other row.
        DateAfterPeriod = "date_after_period" => "填报日期晚于统计期次月（按未填处理）",
        /// A returned work pack's row naming a unit this month's registry does not hold.
        FeedbackUnknownUnit = "feedback_unknown_unit" => "反馈：单位编号不存在",
        /// A returned row whose tool columns (protected, greyed) were changed.
        FeedbackProtectedEdited = "feedback_protected_edited" => "反馈：受保护列被修改",
        /// A returned row of a unit of another district, or a workbook of no district.
        FeedbackOtherDistrict = "feedback_other_district" => "反馈：非本区单位或工作簿",
        /// Two rows of one month decide one thing two ways.
        FeedbackContradiction = "feedback_contradiction" => "反馈：同月决定相互矛盾",
        /// A value the tool does not accept in a decision or correction column, or a
        /// column the pack does not have.
        FeedbackNotAccepted = "feedback_not_accepted" => "反馈：取值或字段不被接受",
        /// A decision replacing one of an earlier month (applied; flagged).
        FeedbackSupersedes = "feedback_supersedes" => "反馈：替代此前的决定",
        /// A decision already in force, sent again (a workbook returned twice).
        FeedbackRepeated = "feedback_repeated" => "反馈：重复报送（已在执行）",
    }
}

vocabulary! {
    /// What a district's decision in its returned work pack is about (feedback_decisions).
    FeedbackKind = "feedback_kind" {
        /// 工作单位 as written is this candidate unit.
        LinkConfirmed = "link_confirmed" => "确认工作单位",
        /// 工作单位 as written is not this candidate unit: never proposed again for it.
        LinkRejected = "link_rejected" => "否决候选单位",
        /// 工作单位 as written is the unit of the USCC the district gave.
        LinkRedirected = "link_redirected" => "改为其他单位",
        /// A joint list's name as written (党组织覆盖单位待确认) is this candidate unit.
        JointConfirmed = "joint_confirmed" => "确认覆盖单位",
        /// A joint list's name as written is not this candidate unit.
        JointRejected = "joint_rejected" => "否决覆盖候选单位",
        /// A joint list's name as written is the unit of the USCC the district gave.
        JointRedirected = "joint_redirected" => "覆盖单位改为其他单位",
        /// A registry fact of the unit, corrected.
        Correction = "correction" => "单位信息更正",
        /// A field of the unit's 一企一策 / 一社一策.
        Plan = "plan" => "一企一策",
    }
}

vocabulary! {
    /// The field a correction or plan decision sets (feedback_decisions.field).
    FeedbackField = "feedback_field" {
        Employees = "employees" => "实际职工人数",
        Status = "status" => "登记状态",
        District = "district" => "所在区",
        Measures = "measures" => "任务措施",
        Schedule = "schedule" => "进度安排",
        Due = "due" => "计划完成时间",
        Owner = "owner" => "责任人",
        Progress = "progress" => "当前进展",
        Note = "note" => "备注",
    }
}

vocabulary! {
    /// Why an item of the 销号 ledger (list_items.close_reason) was closed: the first that
    /// applies, in this order (sql/list_items.sql).
    CloseReason = "close_reason" {
        /// The month's exports hold no record of the unit.
        Absent = "absent" => "本月登记数据中无此单位",
        Deregistered = "deregistered" => "已注销",
        Revoked = "revoked" => "已吊销",
        MovedOut = "moved_out" => "已迁出",
        /// Now in another district, whose own item opens if it is still listed there.
        MovedDistrict = "moved_district" => "已迁至他区",
        /// A correction of the district's returned work pack (status, district or staff)
        /// took the unit off the list.
        Corrected = "corrected" => "区县更正",
        /// Out of scope for another reason (out_of_scope_reason).
        OutOfScope = "out_of_scope" => "不再属于统计范围",
        /// The unit now meets what the list asks (met_by says how).
        Covered = "covered" => "已覆盖（整改完成）",
        /// No longer reaches the list's threshold (members, staff) or kind.
        BelowThreshold = "below_threshold" => "已不符合列入条件",
    }
}

vocabulary! {
    /// How a unit meets what a unit list asks of it (sql/list_met_by.sql): the form of the
    /// organization now covering it, a member, an instructor or a mass organization.
    ListMetBy = "met_by" {
        Single = "single" => "单独组建党组织",
        Joint = "joint" => "联合组建党组织",
        Functional = "functional" => "功能型党组织",
        Members = "members" => "已有党员",
        Instructor = "instructor" => "已选派党建工作指导员",
        MassOrg = "mass_org" => "已建立群团组织",
    }
}

vocabulary! {
    /// A canonical field of the exports: what a pipeline file maps an export's column to
    /// (`[sources.columns]`), and what a reject or flag names. Which fields each source
    /// kind has, and which it requires, is config's catalogue (src/config/fields.rs);
    /// the label is the same in every kind.
    SourceField = "field" {
        Uscc = "uscc" => "统一社会信用代码",
        RegNo = "reg_no" => "注册号",
        OrgCode = "org_code" => "组织机构代码",
        Name = "name" => "名称",
        FormerName = "former_name" => "曾用名",
        EntityType = "entity_type" => "单位类型",
        Status = "status" => "状态",
        District = "district" => "所在区",
        Address = "address" => "地址",
        Authority = "authority" => "登记机关",
        Street = "street" => "街道",
        Industry = "industry" => "行业",
        Park = "park" => "园区",
        Building = "building" => "楼宇",
        Employees = "employees" => "职工人数",
        Established = "established" => "成立日期",
        Approved = "approved" => "核准日期",
        DeregisteredDate = "deregistered_date" => "注销日期",
        RevokedDate = "revoked_date" => "吊销日期",
        RegistrationLevel = "registration_level" => "登记管理机关级别",
        Supervisor = "supervisor" => "业务主管单位",
        SubCategory = "sub_category" => "社会组织类别",
        OrgId = "org_id" => "党组织编码",
        Level = "level" => "党组织类别",
        Formation = "formation" => "组建方式",
        HostUscc = "host_uscc" => "所在单位统一社会信用代码",
        HostName = "host_name" => "所在单位名称",
        ParentId = "parent_id" => "上级党组织编码",
        UnitUscc = "unit_uscc" => "覆盖单位统一社会信用代码",
        UnitName = "unit_name" => "覆盖单位名称",
        IdNumber = "id_number" => "公民身份号码",
        Category = "category" => "人员类别",
        OrgName = "org_name" => "所在党组织名称",
        EmployerName = "employer_name" => "工作单位",
        EmployerUscc = "employer_uscc" => "工作单位统一社会信用代码",
        LostContact = "lost_contact" => "是否失联党员",
        FormalDate = "formal_date" => "转正日期",
        Instructor = "instructor" => "党建工作指导员",
        Union = "union" => "工会",
        YouthLeague = "youth_league" => "共青团",
        NoOrgReason = "no_org_reason" => "未建党组织原因",
        Reported = "reported" => "填报日期",
    }
}

#[cfg(test)]
mod tests;
