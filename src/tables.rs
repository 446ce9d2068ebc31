//! The hand-off from the row stages to SQL: every table that extract, resolve, link
//! and assess produce is loaded, with its period, into a DuckDB database where the
//! definitions in `sql/` turn it into metrics. Column lists live here, once.

use duckdb::types::Value;
use duckdb::{appender_params_from_iter, Connection};

use crate::assess::UnitStatus;
use crate::config::Pipeline;
use crate::error::{DbContext, Result};
use crate::extract::Staged;
use crate::identity::Identity;
use crate::link::Linked;
use crate::model::Lineage;
use crate::resolve::Resolved;

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn opt(s: Option<&str>) -> Value {
    s.map_or(Value::Null, text)
}

fn int(n: i64) -> Value {
    Value::BigInt(n)
}

fn opt_int(n: Option<i64>) -> Value {
    n.map_or(Value::Null, Value::BigInt)
}

fn lineage(l: &Lineage) -> [Value; 3] {
    [text(&l.source), text(&l.file), int(l.row as i64)]
}

fn list(ids: &[String]) -> Value {
    if ids.is_empty() {
        Value::Null
    } else {
        text(&ids.join(";"))
    }
}

/// Creates `name` with `period` as first column followed by `columns`, then appends rows.
fn load<I>(
    conn: &Connection,
    period: &str,
    name: &str,
    columns: &[(&str, &str)],
    rows: I,
) -> Result<()>
where
    I: IntoIterator<Item = Vec<Value>>,
{
    let ddl = std::iter::once("period VARCHAR NOT NULL".to_string())
        .chain(columns.iter().map(|(c, t)| format!("{c} {t}")))
        .collect::<Vec<_>>()
        .join(", ");
    conn.execute_batch(&format!("CREATE TABLE {name} ({ddl});"))
        .db(&format!("create {name}"))?;
    let mut app = conn.appender(name).db(&format!("append to {name}"))?;
    for row in rows {
        // A row that does not fit the declared columns is a bug; the release build (the
        // one tests and users run) checks it too.
        if row.len() != columns.len() {
            return Err(crate::Error::Internal(format!(
                "{name}: a row of {} values for {} columns",
                row.len(),
                columns.len()
            )));
        }
        let values = std::iter::once(text(period)).chain(row);
        app.append_row(appender_params_from_iter(values))
            .db(&format!("append to {name}"))?;
    }
    app.flush().db(&format!("append to {name}"))
}

const LINEAGE: [(&str, &str); 3] = [
    ("source", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("source_row", "BIGINT"),
];

fn with_lineage(cols: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    cols.iter().copied().chain(LINEAGE).collect()
}

/// Loads every stage table of one run.
#[allow(clippy::too_many_arguments)]
pub fn load_all(
    conn: &Connection,
    p: &Pipeline,
    period: &str,
    staged: &Staged,
    resolved: &Resolved,
    linked: &Linked,
    status: &[UnitStatus],
    identity: &Identity,
) -> Result<()> {
    load(
        conn,
        period,
        "unit_id_events",
        &[
            ("old_unit_id", "VARCHAR"),
            ("new_unit_id", "VARCHAR"),
            ("reason", "VARCHAR"),
        ],
        identity
            .events
            .iter()
            .map(|e| vec![text(&e.old_unit_id), text(&e.new_unit_id), text(e.reason)]),
    )?;
    // Not published as a table of the period: merged into the id registry.
    load(
        conn,
        period,
        "run_unit_keys",
        &[
            ("kind", "VARCHAR"),
            ("key", "VARCHAR"),
            ("unit_id", "VARCHAR"),
        ],
        identity
            .keys
            .iter()
            .map(|(kind, key, id)| vec![text(kind.as_str()), text(key), text(id)]),
    )?;
    let units = &resolved.units;
    let unit_id = |i: usize| text(&units[i].unit_id);

    load(
        conn,
        period,
        "settings",
        &[
            ("city_code", "VARCHAR"),
            ("city_name", "VARCHAR"),
            ("formal_members_for_own_org", "BIGINT"),
            ("enterprise_employees_need_members", "BIGINT"),
            ("enterprise_employees_need_org", "BIGINT"),
            ("social_org_staff_need_org", "BIGINT"),
            ("social_org_target_rate", "VARCHAR"),
            ("joint_org_max_units", "BIGINT"),
            ("rate_denominator", "VARCHAR"),
        ],
        [vec![
            text(&p.pipeline.city_code),
            text(&p.pipeline.city_name),
            int(p.rules.formal_members_for_own_org),
            int(p.rules.enterprise_employees_need_members),
            int(p.rules.enterprise_employees_need_org),
            int(p.rules.social_org_staff_need_org),
            // Through text, so that 0.4 is exactly 0.4000 and ceil(0.4 × 15) is 6.
            text(&format!("{:.4}", p.rules.social_org_target_rate)),
            int(p.rules.joint_org_max_units),
            text(p.rules.rate_denominator.as_str()),
        ]],
    )?;
    conn.execute_batch("ALTER TABLE settings ALTER social_org_target_rate TYPE DECIMAL(9,4);")
        .db("settings")?;

    load(
        conn,
        period,
        "districts",
        &[("district_code", "VARCHAR"), ("district_name", "VARCHAR")],
        p.districts.iter().map(|(c, n)| vec![text(c), text(n)]),
    )?;

    load(
        conn,
        period,
        "units",
        &with_lineage(&[
            ("unit_id", "VARCHAR"),
            ("uscc", "VARCHAR"),
            ("org_code", "VARCHAR"),
            ("reg_no", "VARCHAR"),
            ("name", "VARCHAR"),
            ("sector", "VARCHAR"),
            ("unit_kind", "VARCHAR"),
            ("status", "VARCHAR"),
            ("district_code", "VARCHAR"),
            ("district_name", "VARCHAR"),
            ("street", "VARCHAR"),
            ("industry", "VARCHAR"),
            ("park", "VARCHAR"),
            ("building", "VARCHAR"),
            ("employees_registry", "BIGINT"),
            ("established", "DATE"),
            ("registration_level", "VARCHAR"),
            ("sub_category", "VARCHAR"),
            ("record_count", "BIGINT"),
        ]),
        units.iter().map(|u| {
            let mut row = vec![
                text(&u.unit_id),
                opt(u.uscc.as_deref()),
                opt(u.org_code.as_deref()),
                opt(u.reg_no.as_deref()),
                text(&u.name),
                text(u.sector.as_str()),
                text(&u.kind),
                text(&u.status),
                opt(u.district_code.as_deref()),
                opt(u.district_code.as_deref().and_then(|d| p.district_name(d))),
                opt(u.street.as_deref()),
                opt(u.industry.as_deref()),
                opt(u.park.as_deref()),
                opt(u.building.as_deref()),
                opt_int(u.employees),
                opt(u.established.as_deref()),
                opt(u.registration_level.as_deref()),
                opt(u.sub_category.as_deref()),
                int(u.record_count as i64),
            ];
            row.extend(lineage(&u.representative));
            row
        }),
    )?;

    load(
        conn,
        period,
        "unit_sources",
        &with_lineage(&[
            ("unit_id", "VARCHAR"),
            ("rule", "VARCHAR"),
            ("score", "DOUBLE"),
        ]),
        resolved.sources.iter().map(|s| {
            let mut row = vec![
                text(&s.unit_id),
                text(s.rule.as_str()),
                Value::Double(s.score),
            ];
            row.extend(lineage(&s.lineage));
            row
        }),
    )?;

    load(
        conn,
        period,
        "party_orgs",
        &with_lineage(&[
            ("org_id", "VARCHAR"),
            ("name", "VARCHAR"),
            ("level", "VARCHAR"),
            ("formation", "VARCHAR"),
            ("status", "VARCHAR"),
            ("parent_id", "VARCHAR"),
            ("counts", "BOOLEAN"),
            ("host_unit_id", "VARCHAR"),
            ("host_rule", "VARCHAR"),
        ]),
        linked.orgs.iter().map(|o| {
            let mut row = vec![
                text(&o.org_id),
                text(&o.name),
                text(&o.level),
                text(&o.formation),
                text(&o.status),
                opt(o.parent_id.as_deref()),
                Value::Boolean(o.counts),
                o.host_unit.map_or(Value::Null, unit_id),
                opt(o.host_rule),
            ];
            row.extend(lineage(&o.lineage));
            row
        }),
    )?;

    load(
        conn,
        period,
        "org_units",
        &with_lineage(&[
            ("org_id", "VARCHAR"),
            ("unit_id", "VARCHAR"),
            ("role", "VARCHAR"),
            ("rule", "VARCHAR"),
        ]),
        linked.org_units.iter().map(|l| {
            let mut row = vec![
                text(&linked.orgs[l.org].org_id),
                unit_id(l.unit),
                text(l.role),
                text(l.rule),
            ];
            row.extend(lineage(&l.lineage));
            row
        }),
    )?;

    load(
        conn,
        period,
        "members",
        &with_lineage(&[
            ("member_key", "VARCHAR"),
            ("category", "VARCHAR"),
            ("status", "VARCHAR"),
            ("org_id", "VARCHAR"),
            ("employer_name", "VARCHAR"),
            ("employer_uscc", "VARCHAR"),
            ("employer_org_code", "VARCHAR"),
            ("unit_id", "VARCHAR"),
            ("link_rule", "VARCHAR"),
            ("link_score", "DOUBLE"),
            ("counted", "BOOLEAN"),
            ("not_counted_reason", "VARCHAR"),
        ]),
        linked.members.iter().map(|m| {
            let r = &staged.members[m.record];
            let mut row = vec![
                text(&r.member_key),
                text(&r.category),
                text(&r.status),
                opt(r.org_id.as_deref()),
                opt(r.employer.name.as_deref()),
                opt(r.employer.uscc.as_deref()),
                opt(r.employer.org_code.as_deref()),
                m.unit.map_or(Value::Null, unit_id),
                text(m.rule),
                m.score.map_or(Value::Null, Value::Double),
                Value::Boolean(m.counted),
                opt(m.not_counted_reason.as_deref()),
            ];
            row.extend(lineage(&r.lineage));
            row
        }),
    )?;

    load(
        conn,
        period,
        "link_review",
        &with_lineage(&[
            ("member_key", "VARCHAR"),
            ("employer_name", "VARCHAR"),
            ("rank", "BIGINT"),
            ("candidate_unit_id", "VARCHAR"),
            ("candidate_name", "VARCHAR"),
            ("score", "DOUBLE"),
        ]),
        linked.members.iter().flat_map(|m| {
            let r = &staged.members[m.record];
            m.candidates.iter().enumerate().map(move |(rank, c)| {
                let mut row = vec![
                    text(&r.member_key),
                    opt(r.employer.name.as_deref()),
                    int(rank as i64 + 1),
                    unit_id(c.unit),
                    text(&units[c.unit].name),
                    Value::Double(c.score),
                ];
                row.extend(lineage(&r.lineage));
                row
            })
        }),
    )?;

    load(
        conn,
        period,
        "link_issues",
        &with_lineage(&[
            ("what", "VARCHAR"),
            ("reason", "VARCHAR"),
            ("value", "VARCHAR"),
        ]),
        linked.issues.iter().map(|i| {
            let mut row = vec![text(i.what), text(&i.reason), opt(i.value.as_deref())];
            row.extend(lineage(&i.lineage));
            row
        }),
    )?;

    let issue_cols = with_lineage(&[
        ("field", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("value", "VARCHAR"),
    ]);
    for (name, issues) in [("rejects", &staged.rejects), ("flags", &staged.flags)] {
        load(
            conn,
            period,
            name,
            &issue_cols,
            issues.iter().map(|r| {
                let mut row = vec![text(&r.field), text(&r.reason), opt(r.value.as_deref())];
                row.extend(lineage(&r.lineage));
                row
            }),
        )?;
    }

    load(
        conn,
        period,
        "unit_status",
        &[
            ("unit_id", "VARCHAR"),
            ("name", "VARCHAR"),
            ("name_key", "VARCHAR"),
            ("name_keys", "VARCHAR"),
            ("uscc", "VARCHAR"),
            ("sector", "VARCHAR"),
            ("unit_kind", "VARCHAR"),
            ("status", "VARCHAR"),
            ("district_code", "VARCHAR"),
            ("district_name", "VARCHAR"),
            ("street", "VARCHAR"),
            ("industry", "VARCHAR"),
            ("park", "VARCHAR"),
            ("building", "VARCHAR"),
            ("registration_level", "VARCHAR"),
            ("sub_category", "VARCHAR"),
            ("in_scope", "BOOLEAN"),
            ("out_of_scope_reason", "VARCHAR"),
            ("formal_members", "BIGINT"),
            ("probationary_members", "BIGINT"),
            ("has_members", "BOOLEAN"),
            ("formal_3plus", "BOOLEAN"),
            ("own_org_level", "VARCHAR"),
            ("own_org_ids", "VARCHAR"),
            ("joint_org_ids", "VARCHAR"),
            ("functional_org_ids", "VARCHAR"),
            ("org_form", "VARCHAR"),
            ("has_instructor", "BOOLEAN"),
            ("has_mass_org", "BOOLEAN"),
            ("org_covered", "BOOLEAN"),
            ("work_covered", "BOOLEAN"),
            ("employees", "BIGINT"),
            ("employees_source", "VARCHAR"),
            ("no_org_reason", "VARCHAR"),
        ],
        status.iter().map(|s| {
            let u = &units[s.unit];
            vec![
                text(&u.unit_id),
                text(&u.name),
                text(&u.name_key),
                list(&u.name_keys),
                opt(u.uscc.as_deref()),
                text(u.sector.as_str()),
                text(&u.kind),
                text(&u.status),
                opt(u.district_code.as_deref()),
                text(&s.district_name),
                opt(u.street.as_deref()),
                opt(u.industry.as_deref()),
                opt(u.park.as_deref()),
                opt(u.building.as_deref()),
                opt(u.registration_level.as_deref()),
                opt(u.sub_category.as_deref()),
                Value::Boolean(s.in_scope),
                opt(s.out_of_scope_reason),
                int(s.formal_members),
                int(s.probationary_members),
                Value::Boolean(s.has_members),
                Value::Boolean(s.formal_3plus),
                opt(s.own_org_level.as_deref()),
                list(&s.own_org_ids),
                list(&s.joint_org_ids),
                list(&s.functional_org_ids),
                text(s.org_form),
                Value::Boolean(s.has_instructor),
                Value::Boolean(s.has_mass_org),
                Value::Boolean(s.org_covered),
                Value::Boolean(s.work_covered),
                opt_int(s.employees),
                opt(s.employees_source),
                opt(s.no_org_reason.as_deref()),
            ]
        }),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_of_the_wrong_width_is_an_error_in_every_build() {
        let conn = crate::database::open(None).unwrap();
        let columns = [("a", "VARCHAR"), ("b", "BIGINT")];
        let err = load(&conn, "2026-11", "t", &columns, [vec![text("x")]]).unwrap_err();
        assert!(
            matches!(err, crate::Error::Internal(ref m) if m.contains("1 values for 2 columns")),
            "{err}"
        );
        load(&conn, "2026-11", "u", &columns, [vec![text("x"), int(1)]]).unwrap();
    }
}
