//! `coverage synth`: a synthetic month in the layouts `coverage run` reads, with the
//! mess real exports have, plus its ground truth and the pipeline file that reads it.
//!
//! The world (true units, organizations, members) is drawn first (`world`), then
//! written as exports with messiness (`exports`), and the truth is computed from the
//! world (`truth`). Everything comes from one seeded generator: the same arguments give
//! the same bytes. ID numbers use the area code 99xxxx, which no real person has; the
//! member export's 姓名 column holds a placeholder, never a name.

pub mod exports;
pub mod rng;
pub mod samr;
pub mod truth;
pub mod world;

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

pub use world::DISTRICTS;

/// How messy the exports are; each kind of mess scales with the factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Messiness {
    None,
    Low,
    Default,
    High,
}

impl Messiness {
    pub fn factor(self) -> f64 {
        match self {
            Messiness::None => 0.0,
            Messiness::Low => 0.5,
            Messiness::Default => 1.0,
            Messiness::High => 2.0,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Messiness::None => "none",
            Messiness::Low => "low",
            Messiness::Default => "default",
            Messiness::High => "high",
        }
    }
}

/// How the month's exports are laid out (see `exports` and `samr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// Two district exports, fixed file names, codes in code columns.
    Standard,
    /// 市场监管 files named by YYYYMM, an old-system history file, a two-sheet 民政
    /// workbook, E-coded law firms, members naming their organization.
    Samr,
}

/// The most units one synthetic month may have: twice a province (10M registry rows),
/// and what the world of one run fits in (about 300 bytes a unit before its members).
pub const MAX_UNITS: usize = 20_000_000;

/// `--units`: a count from 1 to `MAX_UNITS`, refused before anything is allocated.
pub fn check_unit_count(s: &str) -> std::result::Result<usize, String> {
    let n: usize = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of units"))?;
    if n == 0 || n > MAX_UNITS {
        return Err(format!(
            "{n} units: a synthetic month has 1 to {MAX_UNITS} units"
        ));
    }
    Ok(n)
}

pub struct SynthOptions {
    pub out: PathBuf,
    pub units: usize,
    pub seed: u64,
    pub period: String,
    pub messiness: Messiness,
    /// Where to write the pipeline file (default: `out/pipeline.toml`).
    pub pipeline: Option<PathBuf>,
    pub layout: Layout,
    /// Consecutive months of one world from `period` on (1: a single month in OUT;
    /// more: OUT/<period>/ each, with the truth of the changes between them).
    pub months: usize,
}

/// Files written and their data rows.
pub struct SynthSummary {
    pub files: Vec<(PathBuf, usize)>,
    pub pipeline: PathBuf,
    pub members: usize,
}

/// Writes a synthetic month, its truth (`out/truth/`) and its pipeline file.
pub fn synth(opts: &SynthOptions) -> Result<SynthSummary> {
    let mut rng = rng::Rng::new(opts.seed);
    let factor = opts.messiness.factor();
    let mut world = world::generate(&mut rng, opts.units, factor, opts.layout == Layout::Samr);
    let template = match opts.layout {
        Layout::Standard => PIPELINE_TEMPLATE,
        Layout::Samr => SAMR_PIPELINE_TEMPLATE,
    };
    let periods = crate::config::period_range(&opts.period)
        .map_err(|m| Error::Internal(format!("synth period: {m}")))?;
    let first = periods[0].clone();
    let months = crate::config::period_range(&format!(
        "{first}..{}",
        add_months(&first, opts.months.max(1) - 1)
    ))
    .map_err(|m| Error::Internal(format!("synth months: {m}")))?;
    let mut files = Vec::new();
    let mut previous: Option<(String, Vec<truth::UnitFacts>)> = None;
    for (k, period) in months.iter().enumerate() {
        // One month: its exports in OUT; several: each in OUT/<period>/.
        let dir = if months.len() == 1 {
            opts.out.clone()
        } else {
            opts.out.join(period)
        };
        if k > 0 {
            world::next_month(&mut rng, &mut world);
        }
        let written = match opts.layout {
            Layout::Standard => exports::write(&world, &dir, period, factor, &mut rng)?,
            Layout::Samr => samr::write(&world, &dir, period, factor, &mut rng)?,
        };
        let facts = truth::write(&dir.join("truth"), &world, &written)?;
        if months.len() > 1 {
            let before = previous.as_ref().map(|(p, f)| (p.as_str(), f.as_slice()));
            truth::write_changes(&dir.join("truth"), period, before, &facts)?;
        }
        previous = Some((period.clone(), facts));
        files.extend(written.files);
    }

    let key_path = opts.out.join("pseudonym.key");
    std::fs::write(
        &key_path,
        format!("synthetic-sample-key-not-secret-{}\n", opts.seed),
    )
    .map_err(|e| Error::output(&key_path, e))?;
    let pipeline = opts
        .pipeline
        .clone()
        .unwrap_or_else(|| opts.out.join("pipeline.toml"));
    let rel = relative_dir(pipeline.parent().unwrap_or(Path::new(".")), &opts.out);
    // Several months: one pipeline file reads OUT/<period>/ for each (the key stays in OUT).
    let data_dir = if months.len() == 1 {
        rel.clone()
    } else {
        format!("{rel}{{period}}/")
    };
    let text = SHARED_SNIPPETS
        .iter()
        .fold(template.to_string(), |t, (key, snippet)| {
            t.replace(key, snippet)
        })
        .replace("{dir}pseudonym.key", &format!("{rel}pseudonym.key"))
        .replace("{dir}", &data_dir)
        .replace("{districts}", &district_table())
        .replace("{seed}", &opts.seed.to_string())
        .replace("{units}", &opts.units.to_string())
        .replace("{messiness}", opts.messiness.name());
    let mut f = std::fs::File::create(&pipeline).map_err(|e| Error::output(&pipeline, e))?;
    f.write_all(text.as_bytes())
        .map_err(|e| Error::output(&pipeline, e))?;
    Ok(SynthSummary {
        files,
        pipeline,
        members: world.members.len(),
    })
}

/// The period `n` months after `period` (YYYY-MM).
fn add_months(period: &str, n: usize) -> String {
    let (y, m): (usize, usize) = (
        period[..4].parse().unwrap_or(2026),
        period[5..].parse().unwrap_or(1),
    );
    let k = y * 12 + (m - 1) + n;
    format!("{:04}-{:02}", k / 12, k % 12 + 1)
}

fn district_table() -> String {
    world::DISTRICTS
        .iter()
        .map(|(code, name, _)| format!("\"{code}\" = \"{name}\"\n"))
        .collect()
}

/// `to` as seen from `from` (both relative to the working folder or both absolute),
/// with a trailing slash, e.g. `../data-samples/2026-11/`.
fn relative_dir(from: &Path, to: &Path) -> String {
    let norm = |p: &Path| -> Vec<String> {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let (a, b) = (norm(from), norm(to));
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(b[common..].iter().cloned());
    parts.iter().map(|p| format!("{p}/")).collect()
}

/// Value maps and columns both layouts' pipeline files share, said once.
const SHARED_SNIPPETS: [(&str, &str); 5] = [
    (
        "{enterprise_kinds}",
        r#"[source.values.entity_type]
contains = [["国有", "state_owned"], ["集体", "collective"], ["个体", "individual_business"], ["农民专业合作社", "farmer_coop"], ["外商", "foreign_enterprise"], ["港澳台", "foreign_enterprise"]]
default = "private_enterprise""#,
    ),
    (
        "{social_values}",
        r#"[source.values.entity_type]
exact = { "社会团体" = "social_group", "民办非企业单位" = "private_non_enterprise", "社会服务机构" = "private_non_enterprise", "基金会" = "foundation" }
[source.values.registration_level]
contains = [["民政部", "national"], ["区民政局", "district"], ["市民政局", "municipal"]]
[source.values.status]
exact = { "正常" = "active", "注销" = "deregistered", "撤销" = "revoked" }
[source.values.sub_category]
exact = { "民办学校" = "private_school", "民办医院" = "private_hospital" }
default = "other""#,
    ),
    (
        "{org_values}",
        r#"[source.values.level]
exact = { "党委" = "committee", "党总支" = "general_branch", "党支部" = "branch", "联合党支部" = "branch", "党小组" = "group" }
[source.values.formation]
exact = { "单独组建" = "single", "联合组建" = "joint", "功能型" = "functional", "挂靠组建" = "affiliated" }
[source.values.status]
exact = { "正常" = "active", "已撤销" = "dissolved" }"#,
    ),
    (
        "{member_values}",
        r#"[source.values.category]
exact = { "正式党员" = "formal", "预备党员" = "probationary" }
[source.values.status]
exact = { "正常" = "normal", "停止党籍" = "suspended", "失联" = "lost_contact", "出党" = "left", "死亡" = "left" }"#,
    ),
    (
        "{ledger_columns}",
        r#"[source.columns]
uscc = "统一社会信用代码"
name = "单位名称"
instructor = "党建工作指导员"
union = "工会"
youth_league = "团组织"
employees = "职工人数"
no_org_reason = "未建党组织原因""#,
    ),
];

const PIPELINE_TEMPLATE: &str = r#"# Written by `coverage synth --seed {seed} --units {units} --messiness {messiness}`: a synthetic month of the
# 16 Beijing districts. ID numbers use the non-existent area code 99xxxx.
[pipeline]
name = "synthetic"
description = "synthetic month from coverage synth"
city_code = "110000"
city_name = "北京市"
name_prefixes = ["北京市", "北京"]

[privacy]
# Only synthetic data may name a key file in the repository; real deployments set
# COVERAGE_PSEUDONYM_KEY (or a key file kept outside the repository).
key_file = "{dir}pseudonym.key"

[rules]
formal_members_for_single_org = 3
enterprise_employees_need_members = 50
enterprise_employees_need_org = 100
social_org_staff_need_org = 30
social_org_target_rate = 0.40
functional_counts_as_org_coverage = false
affiliated_counts_as_joint = true
probationary_count_as_members = true
joint_org_max_units = 10
individual_business_in_scope = false
farmer_coop_in_scope = false

[districts]
{districts}
[[source]]
name = "enterprises"
kind = "unit_registry"
files = ["{dir}enterprises_a.csv", "{dir}enterprises_b.csv"]
encoding = "auto"
[source.columns]
uscc = ["统一社会信用代码", "信用代码"]
reg_no = "注册号"
org_code = "组织机构代码"
name = ["企业名称", "名称"]
entity_type = "企业类型"
status = "登记状态"
district = ["所属区", "所在区"]
street = "街道乡镇"
industry = "行业门类"
employees = ["从业人数", "职工人数"]
{enterprise_kinds}
[source.values.status]
exact = { "存续" = "active", "在业" = "active", "开业" = "active", "迁入" = "moved_in", "迁出" = "moved_out", "吊销" = "revoked", "注销" = "deregistered", "停业" = "suspended", "清算" = "liquidation" }
contains = [["吊销", "revoked"], ["注销", "deregistered"]]

[[source]]
name = "social_orgs"
kind = "unit_registry"
files = ["{dir}social_orgs.xlsx"]
sheet = "社会组织"
header_row = 2
[source.columns]
uscc = "统一社会信用代码"
name = "社会组织名称"
entity_type = "社会组织类型"
registration_level = "登记管理机关"
status = "登记状态"
district = "所在区"
street = "街道"
employees = "从业人员数"
sub_category = "类别"
{social_values}

[[source]]
name = "law_firms"
kind = "unit_registry"
files = ["{dir}law_firms.csv"]
[source.columns]
uscc = "统一社会信用代码"
name = "律师事务所名称"
status = "执业状态"
district = "所在区"
employees = "执业人数"
[source.values.status]
exact = { "执业" = "active", "注销" = "deregistered", "停业" = "suspended" }

[[source]]
name = "party_orgs"
kind = "party_orgs"
files = ["{dir}party_orgs.csv"]
[source.columns]
org_id = "党组织编码"
name = "党组织名称"
level = "党组织类别"
formation = "组建方式"
host_uscc = "所在单位统一社会信用代码"
host_name = "所在单位名称"
parent_id = "上级党组织编码"
status = "状态"
{org_values}

[[source]]
name = "joint_coverage"
kind = "joint_coverage"
files = ["{dir}joint_coverage.csv"]
[source.columns]
org_id = "联合党组织编码"
unit_uscc = "覆盖单位统一社会信用代码"
unit_name = "覆盖单位名称"

[[source]]
name = "members"
kind = "members"
files = ["{dir}members.csv"]
# A mistyped employer USCC should not cost the member: it is flagged and not used.
invalid_check_digit = "flag"
[source.columns]
id_number = "公民身份号码"
category = "人员类别"
org_id = "所在党组织编码"
employer_name = "工作单位"
employer_uscc = "工作单位统一社会信用代码"
status = "党籍状态"
{member_values}

[[source]]
name = "ledger"
kind = "ledger"
files = ["{dir}ledger.csv"]
{ledger_columns}
"#;

const SAMR_PIPELINE_TEMPLATE: &str = r#"# Written by `coverage synth --layout samr --seed {seed} --units {units} --messiness {messiness}`:
# a synthetic month of the 16 Beijing districts as another city's offices export it. One
# file for every month: names carry the month as {yyyymm}. ID numbers use the
# non-existent area code 99xxxx.
[pipeline]
name = "synthetic-samr"
description = "synthetic month from coverage synth --layout samr"
city_code = "110000"
city_name = "北京市"
name_prefixes = ["北京市", "北京"]

[privacy]
key_file = "{dir}pseudonym.key"

[districts]
{districts}
[[source]]
name = "samr_enterprises"
kind = "unit_registry"
files = ["{dir}市场监管_企业登记信息_*_{yyyymm}.csv"]
[source.columns]
uscc = "统一社会信用代码"
name = "企业名称"
entity_type = "市场主体类型"
status = "登记状态"
district = "登记机关"
address = "住所"
established = "成立日期"
employees = "从业人员"
industry = "行业门类"
{enterprise_kinds}
[source.values.status]
exact = { "存续" = "active", "在业" = "active", "开业" = "active", "迁入" = "moved_in", "迁出" = "moved_out", "吊销" = "revoked", "注销" = "deregistered", "停业" = "suspended", "清算" = "liquidation" }

[[source]]
name = "history"
kind = "unit_registry"
# The old system (原工商系统): 注册号 and 组织机构代码 only, and no district column;
# its rows are placed by the current records they match.
files = ["{dir}原工商系统_历史登记_{yyyymm}.csv"]
[source.columns]
reg_no = "注册号"
org_code = "组织机构代码"
name = "企业名称"
entity_type = "企业类型"
status = "登记状态"
address = "住所"
{enterprise_kinds}
[source.values.status]
exact = { "存续" = "active", "在业" = "active", "迁出" = "moved_out", "吊销" = "revoked", "注销" = "deregistered", "清算" = "liquidation" }

[[source]]
name = "social_orgs"
kind = "unit_registry"
files = ["{dir}社会组织名录_{yyyymm}.xlsx"]
sheet = ["市级社会组织", "区级社会组织"]
header_row = 2
[source.columns]
uscc = "统一社会信用代码"
name = "社会组织名称"
entity_type = "社会组织类型"
registration_level = "登记管理机关"
status = "登记状态"
address = "住所"
established = "成立登记日期"
employees = "从业人员"
sub_category = "类别"
{social_values}

[[source]]
name = "firms"
kind = "unit_registry"
files = ["{dir}专业服务机构名录_{yyyymm}.csv"]
[source.columns]
uscc = "统一社会信用代码"
name = "机构名称"
entity_type = "机构类型"
status = "执业状态"
district = "所在区"
employees = "执业人数"
[source.values.entity_type]
exact = { "律师事务所" = "law_firm", "会计师事务所" = "accounting_firm", "税务师事务所" = "tax_firm" }
[source.values.status]
exact = { "执业" = "active", "注销" = "deregistered", "停业" = "suspended" }

[[source]]
name = "party_orgs"
kind = "party_orgs"
files = ["{dir}党组织信息_{yyyymm}.csv"]
[source.columns]
org_id = "党组织编码"
name = "党组织名称"
level = "党组织类别"
formation = "组建方式"
host_uscc = "单位统一社会信用代码"
host_name = "单位名称"
parent_id = "上级党组织编码"
status = "状态"
[source.defaults]
# 党小组 rows leave 组建方式 blank.
formation = "single"
{org_values}

[[source]]
name = "joint_coverage"
kind = "joint_coverage"
files = ["{dir}联合党组织覆盖单位_{yyyymm}.csv"]
[source.columns]
org_id = "联合党组织编码"
unit_uscc = "覆盖单位统一社会信用代码"
unit_name = "覆盖单位名称"

[[source]]
name = "members"
kind = "members"
files = ["{dir}党员信息_{yyyymm}.csv"]
[source.columns]
id_number = "身份证号"
category = "党员类别"
org_name = "所在党组织"
employer_name = "工作单位"
status = "党籍状态"
{member_values}

[[source]]
name = "ledger"
kind = "ledger"
files = ["{dir}党建工作台账_{yyyymm}.xlsx"]
sheet = ["企业", "社会组织"]
{ledger_columns}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dirs() {
        assert_eq!(
            relative_dir(Path::new("pipelines"), Path::new("data-samples/2026-11")),
            "../data-samples/2026-11/"
        );
        assert_eq!(relative_dir(Path::new("out"), Path::new("out")), "");
        assert_eq!(relative_dir(Path::new(""), Path::new("x")), "x/");
    }

    #[test]
    fn generated_codes_are_valid() {
        assert!(crate::ids::is_valid_uscc(&world::uscc("91", "110105", 42)));
    }
}
