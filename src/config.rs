//! The pipeline file (`pipelines/<name>.toml`): where a deployment's exports are, how
//! their headers and raw values map to the canonical fields of the design brief, the
//! districts of the city, and every threshold of the rulebook.
//!
//! A new export layout is a new TOML file, not new code: this module owns the catalogue
//! of canonical fields and values that a pipeline file may name, and rejects a file that
//! names anything else before a single input row is read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::error::{Error, Result};
use crate::vocabulary::{
    Formation, MemberCategory, MemberStatus, OrgLevel, OrgStatus, RegistrationLevel,
    RegistryStatus, SubCategory, UnitKind, Vocabulary,
};

/// A whole pipeline file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    pub pipeline: PipelineMeta,
    #[serde(default)]
    pub privacy: Privacy,
    #[serde(default)]
    pub rules: Rules,
    #[serde(default)]
    pub matching: Matching,
    #[serde(default)]
    pub appraisal: Appraisal,
    /// District code (GB/T 2260) → district name, e.g. `"110105" = "朝阳区"`.
    pub districts: BTreeMap<String, String>,
    #[serde(rename = "source")]
    pub sources: Vec<SourceSpec>,
    /// Folder the pipeline file is in; relative input paths start here.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// SHA-256 of the pipeline file's bytes as parsed (for the manifest).
    #[serde(skip)]
    pub sha256: String,
    /// Path of the pipeline file as given.
    #[serde(skip)]
    pub path: PathBuf,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineMeta {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Code of the city-total rows (全市), e.g. 110000.
    pub city_code: String,
    pub city_name: String,
    /// Leading parts of unit names that say nothing about the unit (北京市, 北京).
    #[serde(default)]
    pub name_prefixes: Vec<String>,
}

/// Where the key of the member pseudonyms comes from. The key never enters an output.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Environment variable holding the key (checked first).
    #[serde(default = "default_key_env")]
    pub key_env: String,
    /// Key file, relative to the pipeline file. Real deployments keep it outside the
    /// repository; only a synthetic sample may ship one.
    #[serde(default)]
    pub key_file: Option<String>,
}

fn default_key_env() -> String {
    "COVERAGE_PSEUDONYM_KEY".into()
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            key_env: default_key_env(),
            key_file: None,
        }
    }
}

/// Every number of the rulebook. Defaults are those of the 2016 notice (docs/domain.md).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// 3 名以上正式党员 → must form its own organization (单独组建). The name it had
    /// before the vocabulary was made one (`formal_members_for_own_org`) is still read.
    #[serde(alias = "formal_members_for_own_org")]
    pub formal_members_for_single_org: i64,
    /// 职工50人以上的要有党员.
    pub enterprise_employees_need_members: i64,
    /// 100人以上的要建立党组织.
    pub enterprise_employees_need_org: i64,
    /// 从业人员30人以上的民办学校、民办医院、律师/会计师/税务师事务所.
    pub social_org_staff_need_org: i64,
    /// 社会组织党组织覆盖率达到40%左右.
    pub social_org_target_rate: f64,
    /// Whether a 功能型 organization counts as organization coverage (default: work only).
    pub functional_counts_as_org_coverage: bool,
    /// Whether a 挂靠 organization counts as joint coverage.
    pub affiliated_counts_as_joint: bool,
    /// Whether probationary (预备) members count for "has members".
    pub probationary_count_as_members: bool,
    /// A joint organization covering more units than this is listed for re-organization.
    pub joint_org_max_units: i64,
    pub individual_business_in_scope: bool,
    pub farmer_coop_in_scope: bool,
    /// Denominator of the three rates: every in-scope unit (`in_scope`), or only the
    /// units "with conditions", those with 3+ formal members (`formal_3plus`).
    pub rate_denominator: RateDenominator,
    /// Name endings that make a unit a law / accounting / tax firm wherever registered.
    pub professional_firm_names: BTreeMap<UnitKind, Vec<String>>,
}

impl Default for Rules {
    fn default() -> Self {
        let mut firms = BTreeMap::new();
        firms.insert(UnitKind::LawFirm, vec!["律师事务所".into()]);
        firms.insert(UnitKind::AccountingFirm, vec!["会计师事务所".into()]);
        firms.insert(UnitKind::TaxFirm, vec!["税务师事务所".into()]);
        Rules {
            formal_members_for_single_org: 3,
            enterprise_employees_need_members: 50,
            enterprise_employees_need_org: 100,
            social_org_staff_need_org: 30,
            social_org_target_rate: 0.40,
            functional_counts_as_org_coverage: false,
            affiliated_counts_as_joint: true,
            probationary_count_as_members: true,
            joint_org_max_units: 10,
            individual_business_in_scope: false,
            farmer_coop_in_scope: false,
            rate_denominator: RateDenominator::InScope,
            professional_firm_names: firms,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateDenominator {
    #[default]
    InScope,
    Formal3plus,
}

impl RateDenominator {
    pub fn as_str(self) -> &'static str {
        match self {
            RateDenominator::InScope => "in_scope",
            RateDenominator::Formal3plus => "formal_3plus",
        }
    }
}

/// A target of the year-end appraisal (述职评议考核); see sql/appraisal_scorecard.sql.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppraisalTarget {
    SocialOrgCoverage,
    Enterprise100Org,
    Enterprise50Members,
    ShouldFormOwn,
    EnterpriseWorkCoverage,
    SocialOrgWorkCoverage,
}

impl AppraisalTarget {
    pub const ALL: [AppraisalTarget; 6] = [
        AppraisalTarget::SocialOrgCoverage,
        AppraisalTarget::Enterprise100Org,
        AppraisalTarget::Enterprise50Members,
        AppraisalTarget::ShouldFormOwn,
        AppraisalTarget::EnterpriseWorkCoverage,
        AppraisalTarget::SocialOrgWorkCoverage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppraisalTarget::SocialOrgCoverage => "social_org_coverage",
            AppraisalTarget::Enterprise100Org => "enterprise_100_org",
            AppraisalTarget::Enterprise50Members => "enterprise_50_members",
            AppraisalTarget::ShouldFormOwn => "should_form_own",
            AppraisalTarget::EnterpriseWorkCoverage => "enterprise_work_coverage",
            AppraisalTarget::SocialOrgWorkCoverage => "social_org_work_coverage",
        }
    }

    /// The target's name in the appraisal's own words.
    pub fn name_zh(self) -> &'static str {
        match self {
            AppraisalTarget::SocialOrgCoverage => "社会组织党组织覆盖率",
            AppraisalTarget::Enterprise100Org => "100人以上企业建立党组织率",
            AppraisalTarget::Enterprise50Members => "50人以上企业有党员率",
            AppraisalTarget::ShouldFormOwn => "应建尽建率",
            AppraisalTarget::EnterpriseWorkCoverage => "非公有制企业工作覆盖率",
            AppraisalTarget::SocialOrgWorkCoverage => "社会组织工作覆盖率",
        }
    }

    /// The notice's figure: 40% for social organizations (党组织覆盖率达到40%左右),
    /// every unit for the rules that say 要 (50人以上要有党员, 100人以上要建立党组织,
    /// 3 名以上正式党员都要成立党组织, 党的工作不留空白点).
    pub fn notice_value(self) -> f64 {
        match self {
            AppraisalTarget::SocialOrgCoverage => 0.40,
            _ => 1.0,
        }
    }
}

/// The year-end appraisal: which month's figures are the year-end ones, and the targets
/// (the notice's by default; a district may have its own, 各区研究制定提升目标).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Appraisal {
    /// Month (1-12) whose period is the year-end one; 12 when not set.
    pub year_end_month: Option<u32>,
    /// Target → fraction, overriding the notice's figure for every district.
    pub targets: BTreeMap<AppraisalTarget, f64>,
    /// District code → target → fraction, for districts with targets of their own.
    pub district_targets: BTreeMap<String, BTreeMap<AppraisalTarget, f64>>,
}

impl Appraisal {
    pub fn year_end_month(&self) -> u32 {
        self.year_end_month.unwrap_or(12)
    }

    /// The city-wide target value.
    pub fn target(&self, t: AppraisalTarget) -> f64 {
        self.targets.get(&t).copied().unwrap_or(t.notice_value())
    }
}

/// Thresholds of scored name matching (see `matching`): scores are weighted Dice
/// coefficients of name bigrams, 0 to 1.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Matching {
    /// At or above: a match is taken (registry records without a USCC, members).
    pub name_accept: f64,
    /// At or above (and below accept): a member's link goes to `link_review` with its
    /// candidates and is not counted — unless the candidate is covered by the member's
    /// own organization, which makes it a match.
    pub name_review: f64,
    /// Whether registry records without a USCC are joined to others by scored name.
    pub fuzzy_units: bool,
}

impl Default for Matching {
    fn default() -> Self {
        Matching {
            name_accept: 0.95,
            name_review: 0.5,
            fuzzy_units: true,
        }
    }
}

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// 工商 / 民政 / 司法行政 registry of units.
    UnitRegistry,
    /// 党组织 records.
    PartyOrgs,
    /// Joint organization → covered unit list (联合党组织覆盖单位).
    JointCoverage,
    /// 党员信息.
    Members,
    /// 台账: instructors, mass organizations, employees, reasons.
    Ledger,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::UnitRegistry => "unit_registry",
            SourceKind::PartyOrgs => "party_orgs",
            SourceKind::JointCoverage => "joint_coverage",
            SourceKind::Members => "members",
            SourceKind::Ledger => "ledger",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// BOM, else strict UTF-8, else GB18030 (a superset of GBK).
    #[default]
    Auto,
    #[serde(alias = "utf-8")]
    Utf8,
    #[serde(alias = "gbk", alias = "gb2312")]
    Gb18030,
}

/// What a defective code (wrong check digit, scientific notation) does to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckPolicy {
    /// The row goes to `rejects`.
    Reject,
    /// The row is kept, the code is not used for matching, and the row is flagged: a
    /// mistyped code must not take a real unit out of the denominator.
    #[default]
    Flag,
}

/// A sheet chosen by name or by 0-based index.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum SheetChoice {
    Index(usize),
    Name(String),
}

/// `sheet = "市级"` or `sheet = ["市级", "区级"]`: several sheets of one layout (a 民政
/// directory with a sheet per registration level) are one source.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Sheets {
    One(SheetChoice),
    Many(Vec<SheetChoice>),
}

/// One header or several synonyms.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Headers {
    One(String),
    Many(Vec<String>),
}

impl Headers {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Headers::One(h) => vec![h.as_str()],
            Headers::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Raw value → canonical value: exact matches first, then the first `contains` rule
/// whose text occurs in the raw value, then the default. No match and no default
/// rejects the row, naming the value.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ValueMap {
    #[serde(default)]
    pub exact: BTreeMap<String, String>,
    #[serde(default)]
    pub contains: Vec<(String, String)>,
    #[serde(default)]
    pub default: Option<String>,
}

impl ValueMap {
    pub fn map(&self, raw: &str) -> Option<&str> {
        if let Some(v) = self.exact.get(raw) {
            return Some(v);
        }
        for (needle, v) in &self.contains {
            if raw.contains(needle.as_str()) {
                return Some(v);
            }
        }
        self.default.as_deref()
    }

    fn outputs(&self) -> impl Iterator<Item = &str> {
        self.exact
            .values()
            .map(String::as_str)
            .chain(self.contains.iter().map(|(_, v)| v.as_str()))
            .chain(self.default.as_deref())
    }
}

/// One export (or several files of the same layout).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    pub name: String,
    pub kind: SourceKind,
    /// Paths relative to the pipeline file. `{period}` (2026-11), `{yyyymm}` (202611),
    /// `{yyyy}` and `{mm}` are replaced by the run's period; `*`, `?` and `[…]` are
    /// wildcards (see [`Pipeline::files_of`]).
    pub files: Vec<String>,
    #[serde(default)]
    pub encoding: Encoding,
    /// 1-based row of the header (XLSX and CSV exports often carry title rows above it).
    #[serde(default = "one")]
    pub header_row: usize,
    /// How many rows the header spans (merged two-level headers), from `header_row` down.
    #[serde(default = "one")]
    pub header_rows: usize,
    #[serde(default)]
    pub sheet: Option<Sheets>,
    #[serde(default)]
    pub invalid_check_digit: CheckPolicy,
    /// Canonical field → header(s) in this export.
    pub columns: BTreeMap<String, Headers>,
    /// Canonical field → raw-value mapping.
    #[serde(default)]
    pub values: BTreeMap<String, ValueMap>,
    /// Canonical field → value used where the export has no such column or the cell is
    /// empty. A canonical value is taken as it is; any other goes through `values`.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// Mapped fields whose column a file may lack. Any other mapped column that a file
    /// lacks stops the run: a renamed column must not pass as an unmapped one.
    #[serde(default)]
    pub optional_columns: Vec<String>,
    /// A file with a header and no data rows is accepted (otherwise it stops the run: it
    /// is what a failed export looks like).
    #[serde(default)]
    pub allow_empty: bool,
}

fn one() -> usize {
    1
}

impl SourceSpec {
    /// The source as read sheet by sheet: one spec per sheet it names (itself when it
    /// names one sheet or none).
    pub fn per_sheet(&self) -> Vec<std::borrow::Cow<'_, SourceSpec>> {
        match &self.sheet {
            Some(Sheets::Many(list)) => list
                .iter()
                .map(|choice| {
                    let mut one = self.clone();
                    one.sheet = Some(Sheets::One(choice.clone()));
                    std::borrow::Cow::Owned(one)
                })
                .collect(),
            _ => vec![std::borrow::Cow::Borrowed(self)],
        }
    }
}

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

impl Pipeline {
    /// Reads and checks a pipeline file.
    pub fn load(path: &Path) -> Result<Pipeline> {
        let bytes = std::fs::read(path).map_err(|e| Error::config(path, e.to_string()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::config(path, "the pipeline file is not UTF-8 text"))?;
        let mut p: Pipeline =
            toml::from_str(&text).map_err(|e| Error::config(path, e.to_string()))?;
        p.sha256 = hex::encode(&sha2::Sha256::digest(text.as_bytes())[..]);
        p.path = path.to_path_buf();
        p.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        p.validate()?;
        Ok(p)
    }

    fn validate(&self) -> Result<()> {
        let err = |m: String| Error::config(&self.path, m);
        if self.districts.is_empty() {
            return Err(err("[districts] lists no district".into()));
        }
        let r = &self.rules;
        if !(0.0..=1.0).contains(&r.social_org_target_rate) {
            return Err(err(format!(
                "rules.social_org_target_rate must be a fraction between 0 and 1, found {}",
                r.social_org_target_rate
            )));
        }
        let m = &self.matching;
        if !(0.0 < m.name_review && m.name_review <= m.name_accept && m.name_accept <= 1.0) {
            return Err(err(format!(
                "matching: need 0 < name_review ≤ name_accept ≤ 1, found {} and {}",
                m.name_review, m.name_accept
            )));
        }
        let a = &self.appraisal;
        if !(1..=12).contains(&a.year_end_month()) {
            return Err(err(format!(
                "appraisal.year_end_month must be 1 to 12, found {}",
                a.year_end_month()
            )));
        }
        let values = a
            .targets
            .values()
            .chain(a.district_targets.values().flat_map(|m| m.values()));
        if let Some(v) = values.into_iter().find(|v| !(0.0..=1.0).contains(*v)) {
            return Err(err(format!(
                "appraisal targets are fractions between 0 and 1, found {v}"
            )));
        }
        if let Some(d) = a
            .district_targets
            .keys()
            .find(|d| !self.districts.contains_key(*d))
        {
            return Err(err(format!(
                "appraisal.district_targets names `{d}`, which is not in [districts]"
            )));
        }
        if r.formal_members_for_single_org < 1 {
            return Err(err(
                "rules.formal_members_for_single_org must be at least 1".into(),
            ));
        }
        for kind in r.professional_firm_names.keys() {
            if !kind.is_professional_firm() {
                return Err(err(format!(
                    "rules.professional_firm_names: `{kind}` is not law_firm, accounting_firm or tax_firm"
                )));
            }
        }
        for kind in [SourceKind::UnitRegistry, SourceKind::Members] {
            if !self.sources.iter().any(|s| s.kind == kind) {
                return Err(err(format!("no [[source]] of kind {}", kind.as_str())));
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for s in &self.sources {
            if !names.insert(&s.name) {
                return Err(err(format!("two sources are named `{}`", s.name)));
            }
            self.validate_source(s)
                .map_err(|m| err(format!("source `{}`: {m}", s.name)))?;
        }
        Ok(())
    }

    fn validate_source(&self, s: &SourceSpec) -> std::result::Result<(), String> {
        let specs = fields(s.kind);
        let known = |name: &str| specs.iter().find(|f| f.name == name);
        if s.files.is_empty() {
            return Err("lists no file".into());
        }
        if matches!(&s.sheet, Some(Sheets::Many(list)) if list.is_empty()) {
            return Err("sheet = [] names no sheet".into());
        }
        if s.header_row == 0 {
            return Err("header_row is 1-based".into());
        }
        if s.header_rows == 0 {
            return Err("header_rows must be at least 1".into());
        }
        for field in s
            .columns
            .keys()
            .chain(s.defaults.keys())
            .chain(&s.optional_columns)
        {
            if known(field.as_str()).is_none() {
                return Err(format!(
                    "`{field}` is not a field of a {} source (fields: {})",
                    s.kind.as_str(),
                    specs.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        for spec in specs.iter().filter(|f| f.required) {
            if !s.columns.contains_key(spec.name) && !s.defaults.contains_key(spec.name) {
                return Err(format!(
                    "required field `{}` has no column and no default",
                    spec.name
                ));
            }
        }
        let alternatives = one_of(s.kind);
        if !alternatives.is_empty() && !alternatives.iter().any(|a| s.columns.contains_key(*a)) {
            return Err(format!(
                "needs a column for one of {}",
                alternatives.join(", ")
            ));
        }
        for (field, map) in &s.values {
            let spec = known(field.as_str())
                .ok_or_else(|| format!("values for unknown field `{field}`"))?;
            if spec.values.is_empty() {
                return Err(format!(
                    "field `{field}` is free text and takes no value map"
                ));
            }
            for v in map.outputs() {
                if !spec.values.contains(&v) {
                    return Err(format!(
                        "values.{field} maps to `{v}`, which is not one of {}",
                        spec.values.join(", ")
                    ));
                }
            }
        }
        for (field, v) in &s.defaults {
            let spec = known(field.as_str()).expect("checked above");
            if !spec.values.is_empty()
                && !spec.values.contains(&v.as_str())
                && !s.values.contains_key(field)
            {
                return Err(format!(
                    "default for `{field}` is `{v}`, which is not one of {}",
                    spec.values.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// The files of a source for a period, resolved against the pipeline file's folder,
    /// each with the pattern it came from. A pattern with wildcards gives every match in
    /// name order and must match at least one file; a plain path is taken as it is (a
    /// missing file is reported when it is read).
    pub fn files_of(&self, s: &SourceSpec, period: &str) -> Result<Vec<(String, PathBuf)>> {
        let mut out = Vec::new();
        for pattern in &s.files {
            let expanded = expand_period(pattern, period);
            let path = self.base_dir.join(&expanded);
            if !crate::glob::has_wildcards(&expanded) {
                out.push((pattern.clone(), path));
                continue;
            }
            let found = crate::glob::matches(&path);
            if found.is_empty() {
                return Err(Error::Input {
                    path,
                    message: format!(
                        "source `{}`: the pattern `{pattern}` matches no file",
                        s.name
                    ),
                });
            }
            out.extend(found.into_iter().map(|f| (pattern.clone(), f)));
        }
        Ok(out)
    }

    /// Name of a district code, if the city has it.
    pub fn district_name(&self, code: &str) -> Option<&str> {
        self.districts.get(code).map(String::as_str)
    }
}

/// A file pattern with the period's placeholders filled in: `{period}` → 2026-11,
/// `{yyyymm}` → 202611, `{yyyy}` → 2026, `{mm}` → 11.
pub fn expand_period(pattern: &str, period: &str) -> String {
    let (yyyy, mm) = period.split_once('-').unwrap_or((period, ""));
    pattern
        .replace("{period}", period)
        .replace("{yyyymm}", &format!("{yyyy}{mm}"))
        .replace("{yyyy}", yyyy)
        .replace("{mm}", mm)
}

/// The months of a backfill, `2026-01..2026-12` (both ends included, in order), or the
/// one month of `2026-11`.
pub fn period_range(spec: &str) -> std::result::Result<Vec<String>, String> {
    let Some((from, to)) = spec.split_once("..") else {
        check_period(spec)?;
        return Ok(vec![spec.to_string()]);
    };
    check_period(from)?;
    check_period(to)?;
    let month = |p: &str| -> i64 {
        p[..4].parse::<i64>().unwrap_or(0) * 12 + p[5..].parse::<i64>().unwrap_or(1) - 1
    };
    let (a, b) = (month(from), month(to));
    if a > b {
        return Err(format!("period range `{spec}` ends before it starts"));
    }
    Ok((a..=b)
        .map(|m| format!("{:04}-{:02}", m / 12, m % 12 + 1))
        .collect())
}

/// Checks a period of the form YYYY-MM.
pub fn check_period(period: &str) -> std::result::Result<(), String> {
    let ok = period.len() == 7
        && period.as_bytes()[4] == b'-'
        && period[..4].bytes().all(|b| b.is_ascii_digit())
        && matches!(period[5..].parse::<u32>(), Ok(1..=12));
    if ok {
        Ok(())
    } else {
        Err(format!("period must be YYYY-MM, found `{period}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_map_order_is_exact_contains_default() {
        let m = ValueMap {
            exact: [("存续".to_string(), "active".to_string())].into(),
            contains: vec![("吊销".into(), "revoked".into())],
            default: None,
        };
        assert_eq!(m.map("存续"), Some("active"));
        assert_eq!(m.map("吊销，未注销"), Some("revoked"));
        assert_eq!(m.map("其他"), None);
    }

    #[test]
    fn period_placeholders() {
        assert_eq!(
            expand_period("{period}/党员信息_{yyyymm}.csv", "2026-11"),
            "2026-11/党员信息_202611.csv"
        );
        assert_eq!(
            expand_period("{yyyy}年{mm}月/a.xlsx", "2026-01"),
            "2026年01月/a.xlsx"
        );
    }

    #[test]
    fn period_ranges_for_a_backfill() {
        assert_eq!(period_range("2026-11").unwrap(), vec!["2026-11"]);
        assert_eq!(
            period_range("2025-11..2026-02").unwrap(),
            vec!["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert!(period_range("2026-03..2026-01").is_err());
        assert!(period_range("2026-01..2026-13").is_err());
    }

    #[test]
    fn periods() {
        assert!(check_period("2026-11").is_ok());
        assert!(check_period("2026-13").is_err());
        assert!(check_period("202611").is_err());
    }
}
