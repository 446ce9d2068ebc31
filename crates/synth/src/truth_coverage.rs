//! A true unit's facts under the default rulebook, and the true `coverage_by_district`
//! of a synthetic month: every figure of coverage's
//! declaration (`coverage::figures`) counted over the true units' facts, one CSV column
//! each, in the declaration's order.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use coverage::figures;
use coverage::vocabulary::{OrgForm, Vocabulary};

use super::world::region;

/// A true unit under the default rulebook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitFacts {
    pub unit: String,
    pub uscc: String,
    pub name: String,
    pub district_code: String,
    pub sector: String,
    pub in_scope: bool,
    /// The registry status as the rulebook reads it: deregistered (注销), revoked
    /// (吊销, 撤销) or active (any other) — deregistered where the district's returned
    /// workbook says so (status_corrected).
    pub status: String,
    pub status_corrected: bool,
    /// The district's staff count replaced the registry's this month.
    pub staff_corrected_now: bool,
    pub formal_members: u32,
    pub probationary_members: u32,
    /// 组织关系未转入: members in normal standing working here whose organization
    /// neither hosts nor covers the unit.
    pub members_not_transferred: u32,
    pub org_form: String,
    pub has_instructor: bool,
    pub has_mass_org: bool,
    pub org_covered: bool,
    pub work_covered: bool,
    pub employees: u32,
    /// A social group registered by the municipal civil-affairs bureau (市级以上社会团体).
    pub municipal_group: bool,
    /// A private school or hospital, or a law, accounting or tax firm (实体性社会组织).
    pub substantive_org: bool,
    /// Its park as the exports show it (所属园区; empty where they give none).
    #[serde(default)]
    pub park: String,
}

/// One row of `coverage_by_district` as truth: every figure of coverage's declaration
/// (`coverage::figures`), one CSV column each, in its order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoverageRow {
    pub district_code: String,
    pub district_name: String,
    pub sector: String,
    /// The value of each of `figures::COUNTS`, in order.
    pub counts: Vec<u64>,
    /// Each of `figures::RATES` over the units in scope (the synthetic pipelines'
    /// denominator), in order.
    pub rates: Vec<Option<f64>>,
}

impl CoverageRow {
    /// A count by its name in the declaration.
    pub fn count(&self, name: &str) -> u64 {
        self.counts[figures::COUNTS
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| panic!("no figure {name}"))]
    }

    /// A rate by its name in the declaration.
    pub fn rate(&self, name: &str) -> Option<f64> {
        self.rates[figures::RATES
            .iter()
            .position(|r| r.name == name)
            .unwrap_or_else(|| panic!("no rate {name}"))]
    }
}

impl Serialize for CoverageRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = s.serialize_struct(
            "CoverageRow",
            3 + figures::COUNTS.len() + figures::RATES.len(),
        )?;
        row.serialize_field("district_code", &self.district_code)?;
        row.serialize_field("district_name", &self.district_name)?;
        row.serialize_field("sector", &self.sector)?;
        for (c, v) in figures::COUNTS.iter().zip(&self.counts) {
            row.serialize_field(c.name, v)?;
        }
        for (r, v) in figures::RATES.iter().zip(&self.rates) {
            row.serialize_field(r.name, v)?;
        }
        row.end()
    }
}

impl<'de> Deserialize<'de> for CoverageRow {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut row: HashMap<String, String> = HashMap::deserialize(d)?;
        let mut take = |column: &str| {
            row.remove(column)
                .ok_or_else(|| D::Error::custom(format!("no column {column}")))
        };
        let district_code = take("district_code")?;
        let district_name = take("district_name")?;
        let sector = take("sector")?;
        let counts = figures::COUNTS
            .iter()
            .map(|c| take(c.name)?.parse().map_err(D::Error::custom))
            .collect::<std::result::Result<_, _>>()?;
        let rates = figures::RATES
            .iter()
            .map(|r| match take(r.name)?.as_str() {
                "" => Ok(None),
                v => v.parse().map(Some).map_err(D::Error::custom),
            })
            .collect::<std::result::Result<_, _>>()?;
        Ok(CoverageRow {
            district_code,
            district_name,
            sector,
            counts,
            rates,
        })
    }
}

/// The metrics of `sql/coverage_by_district.sql` computed from unit facts, in the same
/// row order (sector, then districts by code, city row last within the sector).
pub fn coverage(facts: &[UnitFacts]) -> Vec<CoverageRow> {
    let mut out = Vec::new();
    for sector in ["enterprise", "social_org"] {
        let mut rows: Vec<CoverageRow> = region()
            .districts
            .iter()
            .map(|&(code, name, _)| {
                let units: Vec<&UnitFacts> = facts
                    .iter()
                    .filter(|f| f.in_scope && f.sector == sector && f.district_code == code)
                    .collect();
                let counts = figures::COUNTS
                    .iter()
                    .map(|c| c.count(&units, |u| u.figures()))
                    .collect();
                row(code, name, sector, counts)
            })
            .collect();
        // The city row is the sum of the districts' rows, as in coverage_by_district.
        let sums = (0..figures::COUNTS.len())
            .map(|i| rows.iter().map(|r| r.counts[i]).sum())
            .collect();
        rows.push(row(region().code, "全市", sector, sums));
        out.extend(rows);
    }
    out
}

/// The counts coverage_breakdown gives for each value of a dimension.
pub const BREAKDOWN_COUNTS: [&str; 5] = [
    "units_in_scope",
    "units_org_covered",
    "units_single_org",
    "units_work_covered",
    "units_3plus_formal",
];

/// coverage_breakdown's rows of the dimension `park` as truth: by (park, or 未填报 where
/// the exports give none; sector), each of `BREAKDOWN_COUNTS` over the units in scope.
pub fn counts_by_park(facts: &[UnitFacts]) -> BTreeMap<(String, String), Vec<u64>> {
    let mut parks: BTreeMap<(String, String), Vec<&UnitFacts>> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.in_scope) {
        let park = match f.park.as_str() {
            "" => "未填报",
            park => park,
        };
        parks
            .entry((park.to_string(), f.sector.clone()))
            .or_default()
            .push(f);
    }
    parks
        .into_iter()
        .map(|(key, units)| {
            let counts = BREAKDOWN_COUNTS
                .iter()
                .map(|&name| figures::count(name).count(&units, |u| u.figures()))
                .collect();
            (key, counts)
        })
        .collect()
}

/// A truth row of counts (in the declaration's order), with its rates.
fn row(code: &str, name: &str, sector: &str, counts: Vec<u64>) -> CoverageRow {
    CoverageRow {
        district_code: code.into(),
        district_name: name.into(),
        sector: sector.into(),
        rates: figures::RATES
            .iter()
            .map(|r| figures::rate_in_scope(r, &counts))
            .collect(),
        counts,
    }
}

impl UnitFacts {
    /// The unit's columns as the figures read them.
    fn figures(&self) -> figures::UnitFacts {
        figures::UnitFacts {
            has_members: self.formal_members + self.probationary_members > 0,
            formal_3plus: self.formal_members >= 3,
            org_form: OrgForm::parse(&self.org_form)
                .unwrap_or_else(|| panic!("org_form {}", self.org_form)),
            org_covered: self.org_covered,
            work_covered: self.work_covered,
            members_not_transferred: u64::from(self.members_not_transferred),
        }
    }
}

/// The figures of `coverage_by_district` evaluate compares: every count, then every
/// rate, of coverage's declaration.
pub(crate) fn coverage_metrics() -> impl Iterator<Item = &'static str> {
    figures::COUNTS
        .iter()
        .map(|c| c.name)
        .chain(figures::RATES.iter().map(|r| r.name))
}

impl CoverageRow {
    /// A figure's true value (a rate with no denominator as 0).
    pub(crate) fn metric(&self, name: &str) -> f64 {
        match figures::RATES.iter().position(|r| r.name == name) {
            Some(i) => self.rates[i].unwrap_or(0.0),
            None => self.count(name) as f64,
        }
    }
}
