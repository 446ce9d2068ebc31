//! coverage-synth: synthetic months for testing and benchmarking the pipeline, and how
//! far a run is from their truth (`evaluate`). Not part of the pipeline: the `coverage`
//! library never calls it.
//!
//! `coverage-synth write`: a synthetic month in the layouts `coverage run` reads, with the
//! mess real exports have, plus its ground truth and the pipeline file that reads it.
//!
//! The world (true units, organizations, members) is drawn first (`world`), then
//! written as exports with messiness (`exports`), and the truth is computed from the
//! world (`truth`). Everything comes from one seeded generator: the same arguments give
//! the same bytes. ID numbers use the area code 99xxxx, which no real person has; the
//! member export's 姓名 column holds a placeholder, never a name.

mod csv_out;
pub mod evaluate;
pub mod evaluate_feedback;
pub mod evaluate_months;
pub mod exports;
pub mod feedback;
pub mod ledger;
mod mess;
pub mod rng;
mod run_rows;
pub mod samr;
pub mod truth;
mod truth_coverage;
mod work_ledger;
pub mod world;

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use coverage::error::{Error, Result};

pub use world::{region, set_region, Region, REGIONS};

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

/// What `coverage-synth write` draws; the fields are its command-line flags.
#[derive(clap::Args)]
pub struct SynthOptions {
    /// Folder for the exports.
    #[arg(long)]
    pub out: PathBuf,
    /// Number of units to draw (at most MAX_UNITS, 20,000,000).
    #[arg(long, default_value_t = 400, value_parser = check_unit_count)]
    pub units: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Period the exports are for, YYYY-MM.
    #[arg(long, value_parser = check_period)]
    pub period: String,
    /// How messy the exports are.
    #[arg(long, value_enum, default_value_t = Messiness::Default)]
    pub messiness: Messiness,
    /// Where to write the pipeline file (default: OUT/pipeline.toml).
    #[arg(long)]
    pub pipeline: Option<PathBuf>,
    /// Export layout: `standard` (district exports, fixed names) or `samr`
    /// (市场监管 monthly files named by YYYYMM, an old-system history file, a
    /// two-sheet 民政 workbook, E-coded law firms, members naming their organization).
    #[arg(long, value_enum, default_value_t = Layout::Standard)]
    pub layout: Layout,
    /// Consecutive months of one world, from --period on: each month in
    /// OUT/<period>/ with its truth and the truth of its changes; one pipeline file.
    #[arg(long, default_value_t = 1)]
    pub months: usize,
    /// The city: beijing (110000, the default), tianjin (120000) or shanghai (310000),
    /// each with its 16 districts; two regions' units share no identifier, so their
    /// deployments roll up without overlap.
    #[arg(long, default_value = "beijing", value_parser = ["beijing", "tianjin", "shanghai"])]
    pub region: String,
}

/// A period flag's value, YYYY-MM.
pub fn check_period(s: &str) -> std::result::Result<String, String> {
    coverage::config::check_period(s).map(|()| s.to_string())
}

/// Files written and their data rows.
pub struct SynthSummary {
    pub files: Vec<(PathBuf, usize)>,
    pub pipeline: PathBuf,
    pub members: usize,
}

/// Writes a synthetic month, its truth (`out/truth/`) and its pipeline file.
pub fn synth(opts: &SynthOptions) -> Result<SynthSummary> {
    let region = world::REGIONS
        .into_iter()
        .find(|r| r.key == opts.region)
        .ok_or_else(|| Error::Internal(format!("no region {}", opts.region)))?;
    if !world::set_region(region) {
        return Err(Error::Internal(format!(
            "this process draws {}; one region a process",
            world::region().key
        )));
    }
    let mut rng = rng::Rng::new(opts.seed);
    let factor = opts.messiness.factor();
    let mut world = world::generate(&mut rng, opts.units, factor, opts.layout == Layout::Samr);
    let template = match opts.layout {
        Layout::Standard => PIPELINE_TEMPLATE,
        Layout::Samr => SAMR_PIPELINE_TEMPLATE,
    };
    let periods = coverage::config::period_range(&opts.period)
        .map_err(|m| Error::Internal(format!("synth period: {m}")))?;
    let first = periods[0].clone();
    let months = coverage::config::period_range(&format!(
        "{first}..{}",
        add_months(&first, opts.months.max(1) - 1)
    ))
    .map_err(|m| Error::Internal(format!("synth months: {m}")))?;
    let mut files = Vec::new();
    let mut social_sheets = 1;
    let mut previous: Option<(String, Vec<truth::UnitFacts>)> = None;
    let mut ledger: Vec<ledger::Item> = Vec::new();
    let mut returned = feedback::Returned::default();
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
        let mut written = match opts.layout {
            Layout::Standard => exports::write(&world, &dir, period, factor, &mut rng)?,
            Layout::Samr => samr::write(&world, &dir, period, factor, &mut rng)?,
        };
        if k > 0 {
            let open: Vec<ledger::Item> = ledger
                .iter()
                .filter(|i| i.closed.is_empty())
                .cloned()
                .collect();
            let month = (k, months[k - 1].as_str(), dir.as_path());
            let files = districts_return(opts, &mut world, &written, &open, month, &mut returned)?;
            written.files.extend(files);
        }
        let facts = truth::write(&dir.join("truth"), &world, &written)?;
        ledger = ledger::next(&ledger, &facts, period);
        truth::write_csv(
            &dir.join("truth/list_items_by_district.csv"),
            ledger::counts(&ledger, period),
        )?;
        truth::write_csv(
            &dir.join("truth/list_items.csv"),
            ledger::of_month(&ledger, period),
        )?;
        if months.len() > 1 {
            let before = previous.as_ref().map(|(p, f)| (p.as_str(), f.as_slice()));
            truth::write_changes(&dir.join("truth"), period, before, &facts)?;
        }
        previous = Some((period.clone(), facts));
        social_sheets = social_sheets.max(written.social_sheets);
        files.extend(written.files);
    }

    let pipeline = write_pipeline(opts, template, months.len() > 1, social_sheets)?;
    Ok(SynthSummary {
        files,
        pipeline,
        members: world.members.len(),
    })
}

/// The pseudonym key and the pipeline file that reads the months written (`several`:
/// each in OUT/<period>/, with the districts' returned workbooks; the standard layout's
/// social organizations in `social_sheets` sheets).
fn write_pipeline(
    opts: &SynthOptions,
    template: &str,
    several: bool,
    social_sheets: usize,
) -> Result<PathBuf> {
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
    let data_dir = if !several {
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
        .replace("{city_code}", world::region().code)
        .replace("{city_name}", world::region().city)
        .replace("{city_short}", world::region().short)
        .replace("{region_en}", world::region().english)
        .replace("{seed}", &opts.seed.to_string())
        .replace("{units}", &opts.units.to_string())
        .replace("{messiness}", opts.messiness.name())
        .replace("{social_sheets}", &toml_sheets(social_sheets));
    // Where the districts' returned workbooks of each month arrive (src/feedback.rs):
    // several months have them; one month has the section with no files yet, as a
    // deployment's first month would.
    let text = format!(
        "{text}\n[feedback]\n# The districts' returned work packs, in the month they arrive.\n\
         files = [\"{data_dir}反馈/*.xlsx\"]\n"
    );
    let mut f = std::fs::File::create(&pipeline).map_err(|e| Error::output(&pipeline, e))?;
    f.write_all(text.as_bytes())
        .map_err(|e| Error::output(&pipeline, e))?;
    Ok(pipeline)
}

/// The districts' returned packs of the month before month `k` (in `dir`), with a
/// generator of their own so that the world's months do not depend on what the districts
/// write.
fn districts_return(
    opts: &SynthOptions,
    world: &mut world::World,
    written: &exports::Written,
    open: &[ledger::Item],
    (k, previous_period, dir): (usize, &str, &Path),
    returned: &mut feedback::Returned,
) -> Result<Vec<(PathBuf, usize)>> {
    let mut frng = rng::Rng::new(opts.seed.wrapping_mul(1_000_003).wrapping_add(k as u64));
    feedback::write(
        world,
        written,
        open,
        dir,
        previous_period,
        &mut frng,
        returned,
    )
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

/// The social-organization sheets as the pipeline names them: one by its name, several
/// as a list.
fn toml_sheets(sheets: usize) -> String {
    let names = exports::social_sheet_names(sheets);
    match names.as_slice() {
        [one] => format!("\"{one}\""),
        many => format!(
            "[{}]",
            many.iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn district_table() -> String {
    world::region()
        .districts
        .iter()
        .map(|(code, name, _)| format!("\"{code}\" = \"{name}\"\n"))
        .collect()
}

/// `to` as seen from `from`, with a trailing slash, e.g. `../data-samples/2026-11/`; one
/// relative and one absolute are both taken from the working folder.
fn relative_dir(from: &Path, to: &Path) -> String {
    if from.is_absolute() != to.is_absolute() {
        if let Ok(here) = std::env::current_dir() {
            return relative_dir(&here.join(from), &here.join(to));
        }
    }
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

/// The pipeline files of the two layouts, with `{placeholders}` filled by `synth`
/// (data, kept as the TOML they become).
const PIPELINE_TEMPLATE: &str = include_str!("../templates/standard.toml.in");
const SAMR_PIPELINE_TEMPLATE: &str = include_str!("../templates/samr.toml.in");

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
        // A pipeline in the working folder's pipelines/ reading an absolute folder.
        let here = std::env::current_dir().unwrap();
        let out = here.parent().unwrap().join("months");
        assert_eq!(relative_dir(Path::new("pipelines"), &out), "../../months/");
    }

    /// One sheet is named as before (`sheet = "社会组织"`: smaller months' pipeline files
    /// keep their bytes); above a million rows the sheets are listed in order.
    #[test]
    fn social_organization_sheets_as_the_pipeline_names_them() {
        assert_eq!(toml_sheets(1), "\"社会组织\"");
        assert_eq!(toml_sheets(0), "\"社会组织\"");
        assert_eq!(
            toml_sheets(3),
            "[\"社会组织\", \"社会组织2\", \"社会组织3\"]"
        );
    }

    #[test]
    fn generated_codes_are_valid() {
        assert!(coverage::ids::is_valid_uscc(&world::uscc(
            "91", "110105", 42
        )));
    }
}
