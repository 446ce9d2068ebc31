//! Ground truth of a synthetic month, from the generator's own knowledge of the true
//! units (never by deduplicating the exports): every export row's true unit, every
//! member's true employer, each unit's facts under the rulebook, and the true value of
//! every metric of `coverage_by_district` and `social_org_target`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use coverage::error::{Error, Result};
use coverage::figures;
use coverage::vocabulary::{OrgForm, RegistryStatus, Sector};

pub(crate) use super::truth_coverage::coverage_metrics;
pub use super::truth_coverage::{coverage, CoverageRow, UnitFacts};

use super::exports::{RowTruth, TruthRow, Written};
use super::world::{park_name, region, OrgPlan, Registry, World};

/// The target of the synthetic pipeline file, in basis points (40%).
pub const TARGET_BP: u64 = 4000;

/// One row of `social_org_target` as truth.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TargetRow {
    pub district_code: String,
    pub district_name: String,
    pub social_orgs_in_scope: u64,
    pub covered: u64,
    pub coverage_rate: Option<f64>,
    pub target_count: u64,
    pub gap: u64,
}

pub fn unit_label(i: usize) -> String {
    format!("T{i:07}")
}

const SEEN: &str = "a unit's broken member rows are rows of its own members";

/// Per-unit facts of the month. A member whose only row is broken (`broken_members`) is
/// not counted: the run rejects that row, so the exports do not show the member at all
/// (docs/decisions.md, "Truth counts what the exports show").
pub fn facts(world: &World, written: &Written) -> Vec<UnitFacts> {
    let broken_members = &written.broken_members;
    let mut not_transferred = vec![0u32; world.units.len()];
    let mut unseen_formal = vec![0u32; world.units.len()];
    let mut unseen_probationary = vec![0u32; world.units.len()];
    let broken: std::collections::HashSet<usize> = broken_members.iter().copied().collect();
    for (k, m) in world.members.iter().enumerate() {
        let (Some(i), "正常") = (m.employer, m.status_raw) else {
            continue;
        };
        if !broken.contains(&k) {
            not_transferred[i] += u32::from(!m.relation_here);
        } else if m.category_raw == "预备党员" {
            unseen_probationary[i] += 1;
        } else {
            unseen_formal[i] += 1;
        }
    }
    world
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let org_form = match u.org {
                OrgPlan::Own => OrgForm::Single,
                OrgPlan::Joint => OrgForm::Joint,
                OrgPlan::Functional => OrgForm::Functional,
                OrgPlan::None => OrgForm::NoOrg,
            };
            let org_covered = matches!(u.org, OrgPlan::Own | OrgPlan::Joint);
            let has_mass_org = u.union || u.youth;
            UnitFacts {
                unit: unit_label(i),
                uscc: u.uscc.clone(),
                name: u.name.clone(),
                district_code: region().districts[u.district].0.to_string(),
                sector: if u.social_sector() {
                    Sector::SocialOrg
                } else {
                    Sector::Enterprise
                }
                .to_string(),
                in_scope: u.in_scope() && !u.corrected_deregistered,
                status: match u.status_raw {
                    _ if u.corrected_deregistered => RegistryStatus::Deregistered,
                    "注销" => RegistryStatus::Deregistered,
                    "吊销" | "撤销" => RegistryStatus::Revoked,
                    _ => RegistryStatus::Active,
                }
                .to_string(),
                status_corrected: u.corrected_deregistered,
                staff_corrected_now: u.corrected_now && u.corrected_employees.is_some(),
                formal_members: u.formal.checked_sub(unseen_formal[i]).expect(SEEN),
                probationary_members: u
                    .probationary
                    .checked_sub(unseen_probationary[i])
                    .expect(SEEN),
                members_not_transferred: not_transferred[i],
                org_form: org_form.to_string(),
                has_instructor: u.instructor,
                has_mass_org,
                org_covered,
                work_covered: u.org != OrgPlan::None || u.instructor || has_mass_org,
                employees: u.corrected_employees.unwrap_or(u.employees),
                municipal_group: u.entity_raw == "社会团体"
                    && u.reg_level_raw == format!("{}民政局", region().city),
                substantive_org: !u.sub_category_raw.is_empty()
                    || u.registry == Registry::Law
                    || u.entity_raw == "普通合伙企业",
                park: match written.parks_written && u.park {
                    true => park_name(u.district),
                    false => String::new(),
                },
            }
        })
        .collect()
}

/// `social_org_target` from the social-organization rows of `coverage`.
pub fn target(coverage: &[CoverageRow]) -> Vec<TargetRow> {
    coverage
        .iter()
        .filter(|r| r.sector == Sector::SocialOrg.as_str())
        .map(|r| {
            let in_scope = r.count(figures::DENOMINATOR);
            let covered = r.count("units_org_covered");
            let target_count = (TARGET_BP * in_scope).div_ceil(10_000);
            TargetRow {
                district_code: r.district_code.clone(),
                district_name: r.district_name.clone(),
                social_orgs_in_scope: in_scope,
                covered,
                coverage_rate: r.rate("org_coverage_rate"),
                target_count,
                gap: target_count.saturating_sub(covered),
            }
        })
        .collect()
}

fn truth_label(t: RowTruth) -> String {
    match t {
        RowTruth::Unit(i) => unit_label(i),
        RowTruth::NoUnit => "none".into(),
        RowTruth::Broken => "broken".into(),
    }
}

pub(crate) fn write_csv<T: Serialize>(
    path: &Path,
    rows: impl IntoIterator<Item = T>,
) -> Result<()> {
    let mut w = csv::Writer::from_path(path).map_err(|e| Error::output(path, e))?;
    for r in rows {
        w.serialize(r).map_err(|e| Error::output(path, e))?;
    }
    w.flush().map_err(|e| Error::output(path, e))
}

#[derive(Serialize, Deserialize)]
pub struct RowTruthRecord {
    pub file: String,
    pub row: u64,
    pub unit: String,
}

/// The rows' truth as written, made one at a time (a 10M-unit month has 30M rows).
fn rows(v: &[TruthRow]) -> impl Iterator<Item = RowTruthRecord> + '_ {
    v.iter().map(|r| RowTruthRecord {
        file: r.file.to_string(),
        row: r.row,
        unit: truth_label(r.truth),
    })
}

/// A counting joint organization and how many units it truly covers.
#[derive(Serialize)]
pub struct JointOrgTruth {
    pub org_id: String,
    pub units: usize,
}

fn joint_orgs(world: &World) -> Vec<JointOrgTruth> {
    world
        .orgs
        .iter()
        .filter(|o| !o.covered.is_empty())
        .map(|o| JointOrgTruth {
            org_id: o.id.clone(),
            units: o.covered.len(),
        })
        .collect()
}

/// Writes `truth/` beside the exports.
/// Writes the truth of one month; returns its per-unit facts.
pub fn write(dir: &Path, world: &World, written: &Written) -> Result<Vec<UnitFacts>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    let facts = facts(world, written);
    let coverage = coverage(&facts);
    write_csv(&dir.join("registry_rows.csv"), rows(&written.registry_rows))?;
    write_csv(&dir.join("member_rows.csv"), rows(&written.member_rows))?;
    write_csv(&dir.join("units.csv"), &facts)?;
    write_csv(&dir.join("joint_orgs.csv"), joint_orgs(world))?;
    write_csv(&dir.join("coverage_by_district.csv"), &coverage)?;
    write_csv(&dir.join("social_org_target.csv"), target(&coverage))?;
    Ok(facts)
}

/// Which month this truth is of, and the month before it (empty for the first).
#[derive(Debug, Serialize, Deserialize)]
pub struct MonthRow {
    pub period: String,
    pub previous_period: String,
}

/// One true change of a unit since the month before (the kinds of `unit_changes`).
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ChangeRow {
    pub unit: String,
    pub district_code: String,
    pub sector: String,
    pub change: String,
    pub before: String,
    pub after: String,
}

/// The true changes from `before` to `after` (facts of the same world, a month apart).
pub fn changes(before: &[UnitFacts], after: &[UnitFacts]) -> Vec<ChangeRow> {
    let old: std::collections::HashMap<&str, &UnitFacts> =
        before.iter().map(|f| (f.unit.as_str(), f)).collect();
    let mut out = Vec::new();
    for f in after {
        let row = |change: &str, b: &str, a: &str| ChangeRow {
            unit: f.unit.clone(),
            district_code: f.district_code.clone(),
            sector: f.sector.clone(),
            change: change.into(),
            before: b.into(),
            after: a.into(),
        };
        let Some(p) = old.get(f.unit.as_str()) else {
            out.push(row("new", "", &f.name));
            continue;
        };
        let three = |g: &UnitFacts| g.formal_members >= 3;
        let checks = [
            (
                "moved_district",
                p.district_code != f.district_code,
                p.district_code.as_str(),
                f.district_code.as_str(),
            ),
            ("scope_in", f.in_scope && !p.in_scope, "", ""),
            ("scope_out", p.in_scope && !f.in_scope, "", ""),
            (
                "form_changed",
                p.org_form != f.org_form,
                p.org_form.as_str(),
                f.org_form.as_str(),
            ),
            ("members_3plus_reached", three(f) && !three(p), "", ""),
            ("members_3plus_lost", three(p) && !three(f), "", ""),
            (
                "instructor_assigned",
                f.has_instructor && !p.has_instructor,
                "",
                "",
            ),
            (
                "instructor_removed",
                p.has_instructor && !f.has_instructor,
                "",
                "",
            ),
            (
                "renamed",
                p.name != f.name,
                p.name.as_str(),
                f.name.as_str(),
            ),
        ];
        for (change, happened, b, a) in checks {
            if happened {
                out.push(row(change, b, a));
            }
        }
    }
    out
}

/// Writes `month.csv` and `unit_changes.csv` (empty for the first month).
pub fn write_changes(
    dir: &Path,
    period: &str,
    before: Option<(&str, &[UnitFacts])>,
    after: &[UnitFacts],
) -> Result<()> {
    write_csv(
        &dir.join("month.csv"),
        &[MonthRow {
            period: period.into(),
            previous_period: before.map(|b| b.0.to_string()).unwrap_or_default(),
        }],
    )?;
    let rows = before.map(|(_, b)| changes(b, after)).unwrap_or_default();
    write_csv(&dir.join("unit_changes.csv"), &rows)
}

/// The file name of a path as the run's lineage gives it (truth names files alone).
pub(crate) fn base_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads a truth file back.
pub(crate) fn read_csv<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let mut r = csv::Reader::from_path(path).map_err(|e| Error::Input {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    r.deserialize()
        .collect::<std::result::Result<Vec<T>, _>>()
        .map_err(|e| Error::Input {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

/// Metrics of `coverage_by_district` (by district and sector) with their true value.
/// A metric's name and how to read its true value from a truth row.
pub(crate) type Metric<R> = (&'static str, fn(&R) -> f64);

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn unit(
        district: &str,
        sector: &str,
        in_scope: bool,
        formal: u32,
        prob: u32,
        form: &str,
        instr: bool,
        mass: bool,
    ) -> UnitFacts {
        let org_covered = matches!(form, "single" | "joint");
        UnitFacts {
            unit: String::new(),
            uscc: String::new(),
            name: String::new(),
            district_code: district.into(),
            sector: sector.into(),
            in_scope,
            status: "active".into(),
            status_corrected: false,
            staff_corrected_now: false,
            formal_members: formal,
            probationary_members: prob,
            members_not_transferred: 0,
            org_form: form.into(),
            has_instructor: instr,
            has_mass_org: mass,
            org_covered,
            work_covered: form != "none" || instr || mass,
            employees: 0,
            municipal_group: false,
            substantive_org: false,
            park: String::new(),
        }
    }

    #[test]
    fn a_hand_checked_case_follows_the_rulebook() {
        // 东城 enterprises: a (3 formal, own org), b (1 formal + 1 probationary, joint),
        // c (no members, instructor), d (2 formal, functional), e (out of scope, own org).
        // 东城 social: f (joint), g (none), h (none), i (none), j (probationary only).
        let facts = vec![
            unit("110101", "enterprise", true, 3, 0, "single", false, false),
            unit("110101", "enterprise", true, 1, 1, "joint", false, false),
            unit("110101", "enterprise", true, 0, 0, "none", true, false),
            unit(
                "110101",
                "enterprise",
                true,
                2,
                0,
                "functional",
                false,
                false,
            ),
            unit("110101", "enterprise", false, 5, 0, "single", false, false),
            unit("110101", "social_org", true, 0, 0, "joint", false, false),
            unit("110101", "social_org", true, 0, 0, "none", false, false),
            unit("110101", "social_org", true, 0, 0, "none", false, false),
            unit("110101", "social_org", true, 0, 0, "none", false, true),
            unit("110101", "social_org", true, 0, 1, "none", false, false),
        ];
        let cov = coverage(&facts);
        let dc = cov
            .iter()
            .find(|r| r.sector == "enterprise" && r.district_code == "110101")
            .unwrap();
        // scope 4 (e out); members a, b, d; 3+ a; single a; joint b; org a, b; work a, b, c, d;
        // among the 3+ (a): org, single and work covered 1 each; none not transferred.
        let counts: Vec<u64> = [
            "units_in_scope",
            "units_with_members",
            "units_3plus_formal",
            "units_single_org",
            "units_joint_org",
            "units_org_covered",
            "units_work_covered",
            "units_3plus_org_covered",
            "units_3plus_single",
            "units_3plus_work_covered",
            "members_not_transferred",
        ]
        .iter()
        .map(|name| dc.count(name))
        .collect();
        assert_eq!(counts, vec![4, 3, 1, 1, 1, 2, 4, 1, 1, 1, 0]);
        assert_eq!(dc.rate("org_coverage_rate"), Some(0.5));
        assert_eq!(dc.rate("single_rate"), Some(0.25));
        assert_eq!(dc.rate("work_coverage_rate"), Some(1.0));
        let city = cov
            .iter()
            .find(|r| r.sector == "enterprise" && r.district_code == region().code)
            .unwrap();
        assert_eq!(city.count("units_in_scope"), 4);
        let empty = cov
            .iter()
            .find(|r| r.sector == "enterprise" && r.district_code == "110102")
            .unwrap();
        assert_eq!(
            (
                empty.count("units_in_scope"),
                empty.rate("org_coverage_rate")
            ),
            (0, None)
        );
        // Social 东城: 5 in scope, 1 covered; target ceil(0.4 × 5) = 2, gap 1.
        let t = target(&cov);
        let dt = t.iter().find(|r| r.district_code == "110101").unwrap();
        assert_eq!(
            (dt.social_orgs_in_scope, dt.covered, dt.target_count, dt.gap),
            (5, 1, 2, 1)
        );
        // ceil is exact: 0.4 × 15 = 6, not 7.
        assert_eq!((TARGET_BP * 15).div_ceil(10_000), 6);
    }
}
