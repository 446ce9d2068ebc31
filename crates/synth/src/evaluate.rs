//! `coverage-synth evaluate`: how far a run is from the ground truth of a synthetic month —
//! unit deduplication and member links as pairwise precision / recall / F1, and for
//! every metric the largest difference from truth over districts.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::run_rows::{run_map, Key};
use crate::truth::{coverage_metrics, read_csv, CoverageRow, Metric, RowTruthRecord, TargetRow};
use crate::truth_coverage::{counts_by_park, UnitFacts, BREAKDOWN_COUNTS};
use coverage::error::{DbContext, Error, Result};
use coverage::{database, publish};

/// Which run to score against which truth; the fields are the command-line flags of
/// `coverage-synth evaluate`.
#[derive(clap::Args)]
pub struct EvalOptions {
    /// Folder written by `coverage-synth write` (holds truth/).
    #[arg(long)]
    pub truth: PathBuf,
    /// Output folder of `coverage run` (holds coverage.duckdb).
    #[arg(long)]
    pub run: PathBuf,
    #[arg(long, value_parser = crate::check_period)]
    pub period: String,
}

#[derive(Debug, Serialize)]
pub struct Evaluation {
    pub period: String,
    pub units: PairScores,
    pub members: LinkScores,
    /// Largest absolute difference from truth per metric, with where it occurs.
    pub metrics: Vec<MetricDiff>,
    /// For a month of `synth --months` after the first: changes and unit ids.
    pub changes: Option<crate::evaluate_months::ChangeScores>,
    /// `list_items_by_district` (opened, closed by reason, open at the end) per district
    /// and list, for a truth that has the ledger.
    pub ledger: Option<crate::evaluate_months::CellScores>,
    /// The districts' returned workbooks, for a month that has them.
    pub feedback: Option<crate::evaluate_feedback::FeedbackScores>,
}

#[derive(Debug, Serialize)]
pub struct PairScores {
    /// Registry rows that truth says belong to a unit, and that the run accepted.
    pub records: u64,
    /// Rows truth says belong to a unit but the run rejected.
    pub records_lost: u64,
    /// Rows truth says are broken but the run accepted.
    pub broken_accepted: u64,
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Run units whose name (in normal form) is not the name truth gives their
    /// majority true unit: a renamed unit shown under its former name.
    pub named_otherwise: u64,
}

/// Member links counted over some of the member rows the run accepted and truth does
/// not call broken.
#[derive(Debug, Serialize)]
pub struct LinkCounts {
    pub members: u64,
    /// Of those, members whose true employer is a registry unit.
    pub with_true_unit: u64,
    /// Members the run placed in a unit.
    pub linked: u64,
    /// Placed in the unit that truth names.
    pub correct: u64,
    /// correct / linked.
    pub precision: f64,
    /// correct / with_true_unit.
    pub recall: f64,
}

impl LinkCounts {
    fn of([members, with_true_unit, linked, correct]: [u64; 4]) -> Self {
        LinkCounts {
            members,
            with_true_unit,
            linked,
            correct,
            precision: ratio(correct, linked),
            recall: ratio(correct, with_true_unit),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct LinkScores {
    /// Over every member row.
    #[serde(flatten)]
    pub all: LinkCounts,
    pub f1: f64,
    /// The same per link rule, by rule name.
    pub by_rule: Vec<RuleScores>,
}

/// Member links of one rule. Precision: of the members the rule placed, those placed in
/// their true unit. Recall: of the members the rule was given whose true employer is a
/// registry unit, those placed in it (0 for `review` and `unmatched`, which place no
/// one; truth does not say which rule should have placed a member, so a member the
/// run left unplaced lowers the recall of those rules, not of the others).
#[derive(Debug, Serialize)]
pub struct RuleScores {
    pub rule: String,
    #[serde(flatten)]
    pub counts: LinkCounts,
}

#[derive(Debug, Serialize)]
pub struct MetricDiff {
    pub table: &'static str,
    pub metric: &'static str,
    pub max_abs_diff: f64,
    /// District code and sector of the largest difference (empty when there is none).
    pub at: String,
    /// Largest |run − truth| / |truth| over the rows where truth is not 0 (a difference
    /// where truth is 0 shows in max_abs_diff), so a count off by 27 reads against its size.
    pub max_rel_diff: f64,
    pub rel_at: String,
    /// The same over whole districts (a count's sectors summed; the city's row left
    /// out), where a district × sector row is small (a district's few law firms):
    /// None for a rate, which does not sum.
    pub district_rel_diff: Option<f64>,
    pub district_rel_at: String,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn ratio(n: u64, d: u64) -> f64 {
    if d == 0 {
        1.0
    } else {
        n as f64 / d as f64
    }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

fn truth_map(path: &Path) -> Result<HashMap<Key, String>> {
    Ok(read_csv::<RowTruthRecord>(path)?
        .into_iter()
        .map(|r| ((r.file, r.row), r.unit))
        .collect())
}

/// A run member: its unit_id (NULL as None) and link rule.
type RunMember = (Option<String>, String);

pub fn evaluate(opts: &EvalOptions) -> Result<Evaluation> {
    let truth_dir = opts.truth.join("truth");
    let registry_truth = truth_map(&truth_dir.join("registry_rows.csv"))?;
    let member_truth = truth_map(&truth_dir.join("member_rows.csv"))?;
    let db = opts.run.join(publish::DATABASE_FILE);
    if !db.exists() {
        return Err(Error::Input {
            path: db,
            message: "no coverage.duckdb here: run `coverage run` first".into(),
        });
    }
    let conn = database::open(Some(&db))?;
    let run_units = run_map(
        &conn,
        "SELECT source_file, source_row, unit_id FROM unit_sources WHERE period = ?",
        &opts.period,
        |r| r.get::<_, Option<String>>(2),
    )?;
    let run_members: HashMap<Key, RunMember> = run_map(
        &conn,
        "SELECT source_file, source_row, unit_id, link_rule FROM members WHERE period = ?",
        &opts.period,
        |r| Ok((r.get(2)?, r.get(3)?)),
    )?;

    let facts: Vec<UnitFacts> = read_csv(&truth_dir.join("units.csv"))?;
    let (mut units, true_of_pred) = score_units(&registry_truth, &run_units);
    units.named_otherwise = named_otherwise(&conn, &facts, &opts.period, &true_of_pred)?;
    let members = score_members(&member_truth, &run_members, &true_of_pred);
    let metrics = metric_diffs(&conn, &truth_dir, &facts, &opts.period)?;
    let changes = crate::evaluate_months::evaluate_changes(&conn, &truth_dir, &opts.period)?;
    let ledger = crate::evaluate_months::evaluate_ledger(&conn, &truth_dir, &opts.period)?;
    let links = crate::evaluate_feedback::Links {
        member_truth: &member_truth,
        true_of_pred: &true_of_pred,
    };
    let feedback = crate::evaluate_feedback::evaluate_feedback(
        &conn,
        &truth_dir,
        &opts.run,
        &opts.period,
        &links,
    )?;
    Ok(Evaluation {
        period: opts.period.clone(),
        units,
        members,
        metrics,
        changes,
        ledger,
        feedback,
    })
}

/// Deduplication, pairwise over the rows both sides hold; with the true unit most of
/// each run unit's rows belong to, to judge member links by.
fn score_units(
    registry_truth: &HashMap<Key, String>,
    run_units: &HashMap<Key, Option<String>>,
) -> (PairScores, HashMap<String, String>) {
    let mut cell: HashMap<(&str, &str), u64> = HashMap::new();
    let mut by_true: HashMap<&str, u64> = HashMap::new();
    let mut by_pred: HashMap<&str, u64> = HashMap::new();
    let (mut records, mut lost, mut broken_accepted) = (0, 0, 0);
    // Majority true unit of each run unit, to judge member links.
    let mut votes: HashMap<&str, HashMap<&str, u64>> = HashMap::new();
    for (key, t) in registry_truth {
        let pred = run_units.get(key).and_then(|u| u.as_deref());
        match (t.as_str(), pred) {
            ("broken", Some(_)) => broken_accepted += 1,
            ("broken", None) => {}
            (_, None) => lost += 1,
            (t, Some(p)) => {
                records += 1;
                *cell.entry((t, p)).or_default() += 1;
                *by_true.entry(t).or_default() += 1;
                *by_pred.entry(p).or_default() += 1;
                *votes.entry(p).or_default().entry(t).or_default() += 1;
            }
        }
    }
    let correct_pairs: u64 = cell.values().map(|&n| pairs(n)).sum();
    let true_pairs: u64 = by_true.values().map(|&n| pairs(n)).sum();
    let predicted_pairs: u64 = by_pred.values().map(|&n| pairs(n)).sum();
    let (p, r) = (
        ratio(correct_pairs, predicted_pairs),
        ratio(correct_pairs, true_pairs),
    );
    let units = PairScores {
        records,
        records_lost: lost,
        broken_accepted,
        true_pairs,
        predicted_pairs,
        correct_pairs,
        precision: p,
        recall: r,
        f1: f1(p, r),
        named_otherwise: 0,
    };
    let true_of_pred: HashMap<String, String> = votes
        .iter()
        .map(|(p, v)| {
            let majority = v
                .iter()
                .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)))
                .map_or("", |(t, _)| *t);
            (p.to_string(), majority.to_string())
        })
        .collect();
    (units, true_of_pred)
}

/// How many run units are named otherwise than their majority true unit (names
/// compared in normal form, as the run compares them).
fn named_otherwise(
    conn: &duckdb::Connection,
    truth: &[UnitFacts],
    period: &str,
    true_of_pred: &HashMap<String, String>,
) -> Result<u64> {
    let region = crate::world::region();
    let prefixes = [region.city.to_string(), region.short.to_string()];
    let normal = |name: &str| coverage::names::normalize_name(name, &prefixes);
    let true_names: HashMap<&str, String> = truth
        .iter()
        .map(|f| (f.unit.as_str(), normal(&f.name)))
        .collect();
    let mut stmt = conn
        .prepare("SELECT unit_id, name FROM units WHERE period = ?")
        .db("read the run's units")?;
    let rows = stmt
        .query_map([period], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .db("read the run's units")?;
    let mut off = 0;
    for row in rows {
        let (unit_id, name) = row.db("read the run's units")?;
        let true_name = true_of_pred
            .get(&unit_id)
            .and_then(|t| true_names.get(t.as_str()));
        if true_name.is_some_and(|t| *t != normal(&name)) {
            off += 1;
        }
    }
    Ok(off)
}

/// Member links: a member is linked right when its run unit's majority true unit is
/// the member's true employer; overall and per link rule.
fn score_members(
    member_truth: &HashMap<Key, String>,
    run_members: &HashMap<Key, RunMember>,
    true_of_pred: &HashMap<String, String>,
) -> LinkScores {
    // [members, with_true_unit, linked, correct], overall and by rule.
    let mut all = [0u64; 4];
    let mut by_rule: std::collections::BTreeMap<String, [u64; 4]> = Default::default();
    for (key, t) in member_truth {
        if t == "broken" {
            continue;
        }
        let Some((pred, rule)) = run_members.get(key) else {
            continue;
        };
        let n = [
            1,
            u64::from(t != "none"),
            u64::from(pred.is_some()),
            u64::from(
                pred.as_ref()
                    .is_some_and(|p| true_of_pred.get(p) == Some(t)),
            ),
        ];
        for c in [&mut all, by_rule.entry(rule.clone()).or_default()] {
            for (x, y) in c.iter_mut().zip(n) {
                *x += y;
            }
        }
    }
    let all = LinkCounts::of(all);
    LinkScores {
        f1: f1(all.precision, all.recall),
        all,
        by_rule: by_rule
            .into_iter()
            .map(|(rule, counts)| RuleScores {
                rule,
                counts: LinkCounts::of(counts),
            })
            .collect(),
    }
}

type Key2 = (String, String);

/// Metrics of `social_org_target` (by district) with their true value.
const TARGET_METRICS: [Metric<TargetRow>; 5] = [
    ("social_orgs_in_scope", |r| r.social_orgs_in_scope as f64),
    ("covered", |r| r.covered as f64),
    ("coverage_rate", |r| r.coverage_rate.unwrap_or(0.0)),
    ("target_count", |r| r.target_count as f64),
    ("gap", |r| r.gap as f64),
];

/// A figure of a run's table, with its true value by row.
struct MetricTruth {
    /// The table as the report names it; the run's table, and which of its rows (a
    /// condition and AND, or nothing).
    table: &'static str,
    from: &'static str,
    only: &'static str,
    metric: &'static str,
    /// The run's row key: its place column (a district code, a park) and its sector.
    place: &'static str,
    sector: &'static str,
    /// The rows are districts: a count's sectors are summed to whole districts too.
    by_district: bool,
    truth: Vec<(Key2, f64)>,
}

/// coverage_by_district's and social_org_target's figures, and coverage_breakdown's
/// counts by park, each with its true value by row.
fn metric_truths(truth_dir: &Path, facts: &[UnitFacts]) -> Result<Vec<MetricTruth>> {
    let coverage: Vec<CoverageRow> = read_csv(&truth_dir.join("coverage_by_district.csv"))?;
    let targets: Vec<TargetRow> = read_csv(&truth_dir.join("social_org_target.csv"))?;
    let by_district = |table, metric, sector, truth| MetricTruth {
        table,
        from: table,
        only: "",
        metric,
        place: "district_code",
        sector,
        by_district: true,
        truth,
    };
    let mut metrics: Vec<MetricTruth> = Vec::new();
    for name in coverage_metrics() {
        let truth = coverage
            .iter()
            .map(|r| ((r.district_code.clone(), r.sector.clone()), r.metric(name)))
            .collect();
        metrics.push(by_district("coverage_by_district", name, "sector", truth));
    }
    for (name, f) in TARGET_METRICS {
        let truth = targets
            .iter()
            .map(|r| ((r.district_code.clone(), "social_org".to_string()), f(r)))
            .collect();
        metrics.push(by_district(
            "social_org_target",
            name,
            "'social_org'",
            truth,
        ));
    }
    let parks = counts_by_park(facts);
    for (i, name) in BREAKDOWN_COUNTS.into_iter().enumerate() {
        metrics.push(MetricTruth {
            table: "coverage_breakdown (park)",
            from: "coverage_breakdown",
            only: "dimension = 'park' AND ",
            metric: name,
            place: "value",
            sector: "sector",
            by_district: false,
            truth: parks
                .iter()
                .map(|(k, c)| (k.clone(), c[i] as f64))
                .collect(),
        });
    }
    Ok(metrics)
}

fn metric_diffs(
    conn: &duckdb::Connection,
    truth_dir: &Path,
    facts: &[UnitFacts],
    period: &str,
) -> Result<Vec<MetricDiff>> {
    let mut out = Vec::new();
    for m in metric_truths(truth_dir, facts)? {
        let (place, sector, metric, from, only) = (m.place, m.sector, m.metric, m.from, m.only);
        let sql = format!(
            "SELECT {place}, {sector}, coalesce({metric}::DOUBLE, 0) FROM {from} WHERE {only}period = ?"
        );
        let mut stmt = conn.prepare(&sql).db("read run metrics")?;
        let run: HashMap<Key2, f64> = stmt
            .query_map([period], |r| {
                Ok((
                    (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                    r.get::<_, f64>(2)?,
                ))
            })
            .db("read run metrics")?
            .collect::<std::result::Result<_, _>>()
            .db("read run metrics")?;
        out.push(worst_difference(&m, &run));
    }
    Ok(out)
}

/// The largest difference of a figure from its truth, absolute and relative, by row and
/// (for a count by district) by whole district.
fn worst_difference(m: &MetricTruth, run: &HashMap<Key2, f64>) -> MetricDiff {
    let metric = m.metric;
    let mut worst = MetricDiff {
        table: m.table,
        metric,
        max_abs_diff: 0.0,
        at: String::new(),
        max_rel_diff: 0.0,
        rel_at: String::new(),
        district_rel_diff: (m.by_district && !metric.ends_with("rate")).then_some(0.0),
        district_rel_at: String::new(),
    };
    let mut districts: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (key, value) in &m.truth {
        let in_run = run.get(key).copied().unwrap_or(0.0);
        if worst.district_rel_diff.is_some() && !key.0.ends_with("0000") {
            let sums = districts.entry(key.0.as_str()).or_default();
            sums.0 += value;
            sums.1 += in_run;
        }
        let diff = (in_run - value).abs();
        if diff > worst.max_abs_diff + 1e-12 {
            worst.max_abs_diff = diff;
            worst.at = format!("{} {}", key.0, key.1);
        }
        let rel = if *value == 0.0 {
            0.0
        } else {
            diff / value.abs()
        };
        if rel > worst.max_rel_diff + 1e-12 {
            worst.max_rel_diff = rel;
            worst.rel_at = format!("{} {}", key.0, key.1);
        }
    }
    // A row the run has and the truth not (a park nobody is in) is off by all of it.
    for (key, in_run) in run
        .iter()
        .filter(|(k, _)| !m.truth.iter().any(|(t, _)| t == *k))
    {
        if in_run.abs() > worst.max_abs_diff + 1e-12 {
            worst.max_abs_diff = in_run.abs();
            worst.at = format!("{} {}", key.0, key.1);
        }
    }
    for (district, (value, in_run)) in districts.into_iter().filter(|(_, (v, _))| *v != 0.0) {
        let rel = (in_run - value).abs() / value.abs();
        if worst.district_rel_diff.is_some_and(|w| rel > w + 1e-12) {
            worst.district_rel_diff = Some(rel);
            worst.district_rel_at = district.to_string();
        }
    }
    worst
}
