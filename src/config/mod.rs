//! The pipeline file (`pipelines/<name>.toml`): where a deployment's exports are, how
//! their headers and raw values map to the canonical fields of the design brief, the
//! districts of the city, and every threshold of the rulebook.
//!
//! A new export layout is a new TOML file, not new code: this module owns the catalogue
//! of canonical fields and values that a pipeline file may name, and rejects a file that
//! names anything else before a single input row is read.

mod district_names;
mod fields;
mod periods;
mod reference;
mod source;

pub use fields::*;
pub use periods::*;
pub use reference::pipeline_reference;
pub use source::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::error::{Error, Result};
use crate::vocabulary::{
    Formation, MemberCategory, MemberStatus, OrgLevel, OrgStatus, RegistrationLevel,
    RegistryStatus, SourceField, SubCategory, UnitKind, Vocabulary,
};

/// A whole pipeline file.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
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
    #[serde(default)]
    pub campaign: Campaign,
    #[serde(default)]
    pub feedback: FeedbackFiles,
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
    /// The districts' names as `district_in` searches for them, made at its first call
    /// (`districts` is not changed once the file is read).
    #[serde(skip)]
    district_names: std::sync::OnceLock<district_names::DistrictNames>,
}

/// The deployment: its name and the city its districts belong to.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineMeta {
    /// The deployment's name (the manifest and the dashboard show it).
    pub name: String,
    /// What the pipeline file is for, in a sentence.
    #[serde(default)]
    pub description: String,
    /// Code of the city-total rows (全市), e.g. 110000.
    pub city_code: String,
    /// The city's name, as the reports' titles and a roll-up write it.
    pub city_name: String,
    /// Leading parts of unit names that say nothing about the unit (北京市, 北京).
    #[serde(default)]
    pub name_prefixes: Vec<String>,
}

/// Where the key of the member pseudonyms comes from. The key never enters an output.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
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

/// Where the districts' returned work packs (反馈_<区名>_<period>.xlsx) arrive: file
/// patterns like a source's (`{yyyymm}`, `{period}`, `*`), relative to the pipeline file,
/// for the month being run. A pattern that matches nothing is no error: a month in which
/// no district sent anything back.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackFiles {
    #[serde(default)]
    pub files: Vec<String>,
}

/// Every number of the rulebook. Defaults are those of the 2016 notice (docs/domain.md).
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
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
    /// Whether 个体工商户 (individual businesses) are counted (the notice: not).
    pub individual_business_in_scope: bool,
    /// Whether 农民专业合作社 (farmer co-operatives) are counted: by default they are, as
    /// the enterprise sector's (a 93 USCC, registered by 市场监管); the design brief's
    /// units out of scope do not name them, and the notice is silent.
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
            farmer_coop_in_scope: true,
            rate_denominator: RateDenominator::InScope,
            professional_firm_names: firms,
        }
    }
}

pub use crate::vocabulary::RateDenominator;

impl Default for RateDenominator {
    /// The notice's rates are over every unit in scope.
    fn default() -> Self {
        RateDenominator::InScope
    }
}

pub use crate::vocabulary::AppraisalTarget;

impl AppraisalTarget {
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

/// The year-end appraisal: which month's figures are the year-end ones (the targets
/// are the campaign's, [`Campaign`]).
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Appraisal {
    /// Month (1-12) whose period is the year-end one; 12 when not set.
    pub year_end_month: Option<u32>,
}

impl Appraisal {
    pub fn year_end_month(&self) -> u32 {
        self.year_end_month.unwrap_or(12)
    }
}

/// The campaign (专项行动) the monthly bulletin (定期通报) and the year-end appraisal
/// measure: the month its progress counts from, and the targets — the notice's by
/// default; a district may have its own (各区研究制定提升目标). Said once here for both.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Campaign {
    /// Period (YYYY-MM) whose figures the bulletin's changes since the baseline are
    /// taken from; the first period of the output folder when not set.
    pub baseline_period: Option<String>,
    /// Target → fraction, overriding the notice's figure for every district.
    pub targets: BTreeMap<AppraisalTarget, f64>,
    /// District code → target → fraction, for districts with targets of their own.
    pub district_targets: BTreeMap<String, BTreeMap<AppraisalTarget, f64>>,
    /// The rise since the baseline (a difference of fractions) at or above which the
    /// year-end appraisal calls a rate's rise marked (明显提升); 0.05 when not set.
    pub marked_improvement: Option<f64>,
}

/// One target in force: the city-wide value (district None) or a district's own.
#[derive(Debug, Clone)]
pub struct TargetValue {
    pub target: AppraisalTarget,
    pub district_code: Option<String>,
    pub value: f64,
}

impl Campaign {
    pub fn marked_improvement(&self) -> f64 {
        self.marked_improvement.unwrap_or(0.05)
    }

    /// The city-wide target value.
    pub fn target(&self, t: AppraisalTarget) -> f64 {
        self.targets.get(&t).copied().unwrap_or(t.notice_value())
    }

    /// Every target in force: each city-wide one, then the districts' own.
    pub fn target_values(&self) -> Vec<TargetValue> {
        let city = AppraisalTarget::ALL.iter().map(|&t| TargetValue {
            target: t,
            district_code: None,
            value: self.target(t),
        });
        let districts = self.district_targets.iter().flat_map(|(d, m)| {
            m.iter().map(|(&t, &value)| TargetValue {
                target: t,
                district_code: Some(d.clone()),
                value,
            })
        });
        city.chain(districts).collect()
    }
}

/// Thresholds of scored name matching (see `matching`): scores are weighted Dice
/// coefficients of name bigrams, 0 to 1.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
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
        let c = &self.campaign;
        let values = c
            .targets
            .values()
            .chain(c.district_targets.values().flat_map(|m| m.values()));
        if let Some(v) = values.into_iter().find(|v| !(0.0..=1.0).contains(*v)) {
            return Err(err(format!(
                "campaign targets are fractions between 0 and 1, found {v}"
            )));
        }
        if let Some(d) = c
            .district_targets
            .keys()
            .find(|d| !self.districts.contains_key(*d))
        {
            return Err(err(format!(
                "campaign.district_targets names `{d}`, which is not in [districts]"
            )));
        }
        if !(0.0..=1.0).contains(&c.marked_improvement()) {
            return Err(err(format!(
                "campaign.marked_improvement is a difference of fractions between 0 and 1, found {}",
                c.marked_improvement()
            )));
        }
        if let Some(b) = &c.baseline_period {
            periods::check_period(b).map_err(|m| err(format!("campaign.baseline_period: {m}")))?;
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
        let known = |name: &str| specs.iter().find(|f| f.name() == name);
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
                    specs
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        for spec in specs.iter().filter(|f| f.required) {
            let mapped = |name: &str| s.columns.contains_key(name) || s.defaults.contains_key(name);
            let stand_in = fields::stand_in(s.kind, spec.field);
            if !mapped(spec.name()) && !stand_in.iter().any(|f| mapped(f.as_str())) {
                return Err(format!(
                    "required field `{}` has no column and no default",
                    spec.name()
                ));
            }
        }
        let alternatives = one_of(s.kind);
        if !alternatives.is_empty()
            && !alternatives
                .iter()
                .any(|a| s.columns.contains_key(a.as_str()))
        {
            let names: Vec<&str> = alternatives.iter().map(|a| a.as_str()).collect();
            return Err(format!("needs a column for one of {}", names.join(", ")));
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

    /// The returned work packs of a period: every file the `[feedback]` patterns match.
    pub fn feedback_files(&self, period: &str) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for path in self.feedback_patterns(period) {
            if crate::glob::has_wildcards(&path.to_string_lossy()) {
                out.extend(crate::glob::matches(&path));
            } else if path.is_file() {
                out.push(path);
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The `[feedback]` patterns of a period, as paths under the pipeline's folder.
    fn feedback_patterns<'a>(&'a self, period: &'a str) -> impl Iterator<Item = PathBuf> + 'a {
        self.feedback
            .files
            .iter()
            .map(move |pattern| self.base_dir.join(expand_period(pattern, period)))
    }

    /// The folders the `[feedback]` patterns read from (a pattern's folder, where it has no
    /// wildcard), for a period.
    pub fn feedback_folders(&self, period: &str) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self
            .feedback_patterns(period)
            .filter_map(|path| {
                let folder = path.parent()?.to_path_buf();
                (!crate::glob::has_wildcards(&folder.to_string_lossy())).then_some(folder)
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Name of a district code, if the city has it.
    pub fn district_name(&self, code: &str) -> Option<&str> {
        self.districts.get(code).map(String::as_str)
    }

    /// The district a text names: a district code of the pipeline, or a text holding a
    /// district's name (东城区, 北京市东城区市场监督管理局).
    pub fn district_in(&self, text: &str) -> Option<String> {
        let t = text.trim();
        if self.districts.contains_key(t) {
            return Some(t.to_string());
        }
        // A 统计用区划代码 of the district or of a street in it (110105000000,
        // 110105001000, 110105001): its first six digits.
        if matches!(t.len(), 9 | 12) && t.bytes().all(|b| b.is_ascii_digit()) {
            return self
                .districts
                .contains_key(&t[..6])
                .then(|| t[..6].to_string());
        }
        let names = self
            .district_names
            .get_or_init(|| district_names::DistrictNames::new(&self.districts));
        names
            .named_in(t)
            .or_else(|| names.by_short_name(t, &self.pipeline.name_prefixes))
            .map(str::to_string)
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
