//! The figures of `coverage_by_district` (and of the roll-up's `coverage_by_region`),
//! declared once: each count's name, Chinese label and what it counts over a unit's
//! flags, and each rate's numerator under either denominator setting. The SQL column
//! lists of sql/ are written from this list (see [`expand`]), and so are the dashboard's
//! table, the synthetic truth and its evaluation: adding a figure is adding a line here.
//!
//! In a file of sql/, a line naming `{figure}` is written once per count, in this order,
//! with `{figure}` its name and `{counted}` the aggregate that counts it; a line naming
//! `{rate}` once per rate, with `{rate}`, `{numerator}` and `{numerator_3plus}`. The
//! copies are separated by commas; the line's own trailing comma, if any, follows the
//! last. `{unit_columns}` is the comma list of the unit columns the counts read.

use crate::vocabulary::OrgForm;

/// A fact of one in-scope unit that a count can ask about (a column of unit_status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// 有党员: at least one counted member (formal or probationary).
    HasMembers,
    /// 3名以上正式党员: the units "with conditions" of the notice.
    Formal3plus,
    /// The unit's organization form (org_form) is this one.
    Form(OrgForm),
    /// 组织覆盖: covered by an organization of its own or a joint one.
    OrgCovered,
    /// 工作覆盖: covered by an organization, an instructor or a mass organization.
    WorkCovered,
}

impl Flag {
    /// The flag as a SQL condition over the unit columns.
    fn sql(self) -> String {
        match self {
            Flag::HasMembers => "has_members".into(),
            Flag::Formal3plus => "formal_3plus".into(),
            Flag::Form(form) => format!("org_form = '{}'", form.as_str()),
            Flag::OrgCovered => "org_covered".into(),
            Flag::WorkCovered => "work_covered".into(),
        }
    }
}

/// What a figure adds up over the in-scope units of its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// The units for which every flag holds (every unit where there is none).
    Units(&'static [Flag]),
    /// 组织关系未转入党员数: the sum of the units' members_not_transferred (members, not
    /// units).
    MembersNotTransferred,
}

/// One count of coverage_by_district.
#[derive(Debug, Clone, Copy)]
pub struct Count {
    pub name: &'static str,
    pub label: &'static str,
    pub counted: Counted,
}

/// One rate: its numerator over units_in_scope (the default setting) or over
/// units_3plus_formal (`rate_denominator = "formal_3plus"`); NULL where that is 0.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    pub name: &'static str,
    pub label: &'static str,
    pub numerator: &'static str,
    pub numerator_3plus: &'static str,
}

/// The count every rate is over by default, and the one "with conditions".
pub const DENOMINATOR: &str = "units_in_scope";
pub const DENOMINATOR_3PLUS: &str = "units_3plus_formal";

const fn units(name: &'static str, label: &'static str, flags: &'static [Flag]) -> Count {
    Count {
        name,
        label,
        counted: Counted::Units(flags),
    }
}

use Flag::*;

/// Every count, in the order of the tables' columns.
pub const COUNTS: &[Count] = &[
    units(DENOMINATOR, "纳入统计单位数", &[]),
    units("units_with_members", "有党员的单位数", &[HasMembers]),
    units(
        DENOMINATOR_3PLUS,
        "有3名以上正式党员的单位数",
        &[Formal3plus],
    ),
    units(
        "units_single_org",
        "单独组建单位数",
        &[Form(OrgForm::Single)],
    ),
    units("units_joint_org", "联合组建单位数", &[Form(OrgForm::Joint)]),
    units("units_org_covered", "组织覆盖单位数", &[OrgCovered]),
    units("units_work_covered", "工作覆盖单位数", &[WorkCovered]),
    units(
        "units_3plus_org_covered",
        "有3名以上正式党员且组织覆盖的单位数",
        &[Formal3plus, OrgCovered],
    ),
    units(
        "units_3plus_single",
        "有3名以上正式党员且单独组建的单位数",
        &[Formal3plus, Form(OrgForm::Single)],
    ),
    units(
        "units_3plus_work_covered",
        "有3名以上正式党员且工作覆盖的单位数",
        &[Formal3plus, WorkCovered],
    ),
    Count {
        name: "members_not_transferred",
        label: "组织关系未转入党员数",
        counted: Counted::MembersNotTransferred,
    },
];

/// The three rates of the notice.
pub const RATES: &[Rate] = &[
    Rate {
        name: "org_coverage_rate",
        label: "组织覆盖率",
        numerator: "units_org_covered",
        numerator_3plus: "units_3plus_org_covered",
    },
    Rate {
        name: "single_rate",
        label: "单独组建率",
        numerator: "units_single_org",
        numerator_3plus: "units_3plus_single",
    },
    Rate {
        name: "work_coverage_rate",
        label: "工作覆盖率",
        numerator: "units_work_covered",
        numerator_3plus: "units_3plus_work_covered",
    },
];

/// A SQL expression giving the label of the rate named in `column` (NULL for another
/// word), for tables that hold a rate's name as a value.
pub fn rate_label_sql(column: &str) -> String {
    let cases: String = RATES
        .iter()
        .map(|r| format!(" WHEN '{}' THEN '{}'", r.name, r.label))
        .collect();
    format!("CASE {column}{cases} END")
}

/// The unit columns the counts read, in their order.
pub const UNIT_COLUMNS: &[&str] = &[
    "has_members",
    "formal_3plus",
    "org_form",
    "org_covered",
    "work_covered",
    "members_not_transferred",
];

impl Count {
    /// The aggregate that counts it over a group of unit rows.
    pub fn sql(&self) -> String {
        match self.counted {
            Counted::Units([]) => "count(*)".into(),
            Counted::Units(flags) => {
                let when: Vec<String> = flags.iter().map(|f| f.sql()).collect();
                format!("count(*) FILTER (WHERE {})", when.join(" AND "))
            }
            Counted::MembersNotTransferred => "sum(members_not_transferred)".into(),
        }
    }

    /// Its value over some units, each seen through `facts`.
    pub fn count<U>(&self, units: &[U], facts: impl Fn(&U) -> UnitFacts) -> u64 {
        units
            .iter()
            .map(|u| {
                let f = facts(u);
                match self.counted {
                    Counted::Units(flags) => u64::from(flags.iter().all(|&g| f.holds(g))),
                    Counted::MembersNotTransferred => f.members_not_transferred,
                }
            })
            .sum()
    }
}

/// The unit columns of one unit, for counting outside SQL (the synthetic truth).
#[derive(Debug, Clone, Copy)]
pub struct UnitFacts {
    pub has_members: bool,
    pub formal_3plus: bool,
    pub org_form: OrgForm,
    pub org_covered: bool,
    pub work_covered: bool,
    pub members_not_transferred: u64,
}

impl UnitFacts {
    fn holds(&self, flag: Flag) -> bool {
        match flag {
            Flag::HasMembers => self.has_members,
            Flag::Formal3plus => self.formal_3plus,
            Flag::Form(form) => self.org_form == form,
            Flag::OrgCovered => self.org_covered,
            Flag::WorkCovered => self.work_covered,
        }
    }
}

/// A count by name.
pub fn count(name: &str) -> &'static Count {
    COUNTS
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no figure {name}"))
}

/// The counts a summary shows beside the rates: the default denominator, then each
/// rate's numerator, in the rates' order.
pub fn headline_counts() -> impl Iterator<Item = &'static Count> {
    std::iter::once(DENOMINATOR)
        .chain(RATES.iter().map(|r| r.numerator))
        .map(count)
}

/// A rate's value under the default denominator, from the counts' values (in
/// [`COUNTS`] order): what the synthetic truth computes.
pub fn rate_in_scope(rate: &Rate, counts: &[u64]) -> Option<f64> {
    let at = |name: &str| counts[COUNTS.iter().position(|c| c.name == name).unwrap()];
    let denominator = at(DENOMINATOR);
    (denominator > 0).then(|| at(rate.numerator) as f64 / denominator as f64)
}

/// What the column of a figure (a count or a rate) means, as the data dictionary says
/// it (src/dictionary.rs); None for another column.
pub fn about(column: &str) -> Option<String> {
    if let Some(c) = COUNTS.iter().find(|c| c.name == column) {
        return Some(match c.counted {
            Counted::Units(flags) => {
                let when: Vec<String> = flags.iter().map(|f| f.sql()).collect();
                let which = if when.is_empty() {
                    String::new()
                } else {
                    format!(" with {}", when.join(" and "))
                };
                format!("{}: the in-scope units{which} (count)", c.label)
            }
            Counted::MembersNotTransferred => format!(
                "{}: the sum of unit_status.members_not_transferred over the in-scope units (members, not units)",
                c.label
            ),
        });
    }
    let r = RATES.iter().find(|r| r.name == column)?;
    Some(format!(
        "{}: {} / {} (rate_denominator in_scope), or {} / {} (formal_3plus); a fraction 0–1, NULL where the denominator is 0",
        r.label, r.numerator, DENOMINATOR, r.numerator_3plus, DENOMINATOR_3PLUS
    ))
}

/// Whether a file of sql/ names figures to be written out.
pub fn names_figures(sql: &str) -> bool {
    ["{figure}", "{rate}", "{unit_columns}"]
        .iter()
        .any(|p| sql.contains(p))
}

/// A file of sql/ with its figure lines written out (see the module's doc).
pub fn expand(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() * 2);
    for line in sql.lines() {
        let template = line.contains("{figure}") || line.contains("{rate}");
        let copies: Vec<String> = if line.contains("{figure}") {
            COUNTS
                .iter()
                .map(|c| {
                    body(line)
                        .replace("{figure}", c.name)
                        .replace("{counted}", &c.sql())
                })
                .collect()
        } else if line.contains("{rate}") {
            RATES
                .iter()
                .map(|r| {
                    body(line)
                        .replace("{rate}", r.name)
                        .replace("{numerator_3plus}", r.numerator_3plus)
                        .replace("{numerator}", r.numerator)
                })
                .collect()
        } else {
            vec![line.to_string()]
        };
        out.push_str(&copies.join(",\n"));
        if template && line.trim_end().ends_with(',') {
            out.push(',');
        }
        out.push('\n');
    }
    out.replace("{unit_columns}", &UNIT_COLUMNS.join(", "))
}

/// A repeated line without its trailing comma.
fn body(line: &str) -> &str {
    let t = line.trim_end();
    t.strip_suffix(',').unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Copies are comma-separated; the template's own trailing comma follows the last;
    /// a line without placeholders is kept as it is.
    #[test]
    fn figure_lines_are_written_once_per_figure() {
        let sql = expand("SELECT\n    {counted} AS {figure},\n    0 AS is_city\n");
        let lines: Vec<&str> = sql.lines().collect();
        assert_eq!(lines.len(), 2 + COUNTS.len());
        assert_eq!(lines[1], "    count(*) AS units_in_scope,");
        assert_eq!(
            lines[2],
            "    count(*) FILTER (WHERE has_members) AS units_with_members,"
        );
        for line in [
            "    count(*) FILTER (WHERE formal_3plus AND org_covered) AS units_3plus_org_covered,",
            "    sum(members_not_transferred) AS members_not_transferred,",
        ] {
            assert!(lines.contains(&line), "{line}");
        }
        for (c, line) in COUNTS.iter().zip(&lines[1..]) {
            assert_eq!(*line, format!("    {} AS {},", c.sql(), c.name));
        }
        assert_eq!(lines[COUNTS.len() + 1], "    0 AS is_city");
        let rates = expand("  x.{numerator}/x.{numerator_3plus} AS {rate}\nFROM t");
        assert_eq!(
            rates,
            "  x.units_org_covered/x.units_3plus_org_covered AS org_coverage_rate,\n  \
             x.units_single_org/x.units_3plus_single AS single_rate,\n  \
             x.units_work_covered/x.units_3plus_work_covered AS work_coverage_rate\nFROM t\n"
        );
    }

    /// Every rate's numerators are counts, and every flag's column is a unit column.
    #[test]
    fn rates_are_over_declared_counts() {
        for r in RATES {
            count(r.numerator);
            count(r.numerator_3plus);
        }
        count(DENOMINATOR);
        count(DENOMINATOR_3PLUS);
        for c in COUNTS {
            if let Counted::Units(flags) = c.counted {
                for f in flags {
                    let column = f.sql();
                    let column = column.split(' ').next().unwrap();
                    assert!(UNIT_COLUMNS.contains(&column), "{column}");
                }
            }
        }
    }

    /// Hand-worked: units a (members, 3+, single), b (members, joint), c (none, 2
    /// members not transferred): with_members 2 (a, b), 3plus_single 1 (a), joint 1 (b),
    /// not_transferred 2; org_coverage_rate = org_covered 2 / in_scope 3.
    #[test]
    fn counts_outside_sql() {
        let f = |m, f3, form, cov, nt| UnitFacts {
            has_members: m,
            formal_3plus: f3,
            org_form: form,
            org_covered: cov,
            work_covered: cov,
            members_not_transferred: nt,
        };
        let units = [
            f(true, true, OrgForm::Single, true, 0),
            f(true, false, OrgForm::Joint, true, 0),
            f(false, false, OrgForm::NoOrg, false, 2),
        ];
        let values: Vec<u64> = COUNTS.iter().map(|c| c.count(&units, |u| *u)).collect();
        let at = |n: &str| values[COUNTS.iter().position(|c| c.name == n).unwrap()];
        assert_eq!(at("units_in_scope"), 3);
        assert_eq!(at("units_with_members"), 2);
        assert_eq!(at("units_3plus_single"), 1);
        assert_eq!(at("units_joint_org"), 1);
        assert_eq!(at("members_not_transferred"), 2);
        assert_eq!(rate_in_scope(&RATES[0], &values), Some(2.0 / 3.0));
    }
}
