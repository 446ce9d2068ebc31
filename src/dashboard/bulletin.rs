//! The dashboard's 定期通报 section: each target's ranking of the districts (bars with
//! the target marked), and a table of every district's targets with the change since
//! last month and since the campaign's baseline as arrows — read from `bulletin`.

use std::fmt::Write as _;

use duckdb::Connection;

use super::{escape, percent, query, svg};
use crate::error::Result;

/// One row of `bulletin` as the section shows it.
struct Row {
    district: String,
    target_name: String,
    value: Option<f64>,
    since_previous: Option<f64>,
    since_baseline: Option<f64>,
    rank: Option<i64>,
    target_value: f64,
    baseline_period: String,
    /// The city-total row (全市), told by its code.
    is_city: bool,
}

/// A change of a rate as an arrow and percentage points: ↑0.3, ↓1.2, →0.0; blank when
/// there is nothing to compare with.
fn arrow(change: Option<f64>) -> String {
    match change {
        None => String::new(),
        Some(c) => {
            let points = 100.0 * c;
            let a = if points >= 0.05 {
                "↑"
            } else if points <= -0.05 {
                "↓"
            } else {
                "→"
            };
            format!("{a}{:.1}", points.abs())
        }
    }
}

fn rows(conn: &Connection, period: &str) -> Result<Vec<Row>> {
    query(
        conn,
        "read bulletin",
        "SELECT district_name, target_name, value, change_since_previous, change_since_baseline, \
         rank, target_value, baseline_period, is_city(district_code) FROM bulletin WHERE period = ? \
         ORDER BY target, is_city(district_code), rank NULLS LAST, district_code",
        &[period],
        |r| {
            Ok(Row {
                district: r.get(0)?,
                target_name: r.get(1)?,
                value: r.get(2)?,
                since_previous: r.get(3)?,
                since_baseline: r.get(4)?,
                rank: r.get(5)?,
                target_value: r.get(6)?,
                baseline_period: r.get(7)?,
                is_city: r.get(8)?,
            })
        },
    )
}

/// The section; nothing for a folder published before the bulletin existed.
pub(super) fn bulletin_section(h: &mut String, conn: &Connection, period: &str) -> Result<()> {
    let present: Vec<i64> = query(
        conn,
        "look for bulletin",
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND database_name = current_database()",
        &["bulletin"],
        |r| r.get(0),
    )?;
    if present.first() != Some(&1) {
        return Ok(());
    }
    let rows = rows(conn, period)?;
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let _ = write!(
        h,
        "<section><h2>定期通报：各区排名与变化</h2><p class=\"note\">箭头为较上月、较基期（{}）\
         的变化（百分点）；排名按本月比率从高到低。</p><div class=\"grid2\">",
        escape(&first.baseline_period)
    );
    let mut targets: Vec<&str> = rows.iter().map(|r| r.target_name.as_str()).collect();
    targets.dedup();
    for t in &targets {
        let of: Vec<&Row> = rows.iter().filter(|r| r.target_name == *t).collect();
        let bars: Vec<svg::Bar> = of
            .iter()
            .filter(|r| !r.is_city)
            .map(|r| svg::Bar {
                label: r.district.clone(),
                value: r.value,
                text: format!(
                    "{} {}",
                    percent(r.value),
                    r.rank.map_or(String::new(), |n| format!("第{n}"))
                ),
            })
            .collect();
        let mark = of.iter().find(|r| r.is_city).map(|r| svg::Mark {
            value: r.target_value,
            text: format!("目标 {}", percent(Some(r.target_value))),
        });
        h.push_str(&svg::bar_chart(t, &bars, mark.as_ref(), 1.0));
    }
    h.push_str(
        "</div><table><thead><tr><th>指标</th><th>区</th><th>本月</th><th>排名</th>\
                <th>较上月</th><th>较基期</th><th>目标</th></tr></thead>",
    );
    for r in &rows {
        let _ = write!(
            h,
            "<tr{}><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            if r.is_city { " class=\"city\"" } else { "" },
            escape(&r.target_name),
            escape(&r.district),
            percent(r.value),
            r.rank.map_or(String::new(), |n| n.to_string()),
            arrow(r.since_previous),
            arrow(r.since_baseline),
            percent(Some(r.target_value))
        );
    }
    h.push_str("</table></section>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Changes as arrows in percentage points, rounded to one decimal: a change under
    /// 0.05 points shows as level.
    #[test]
    fn changes_are_arrows_in_points() {
        assert_eq!(super::arrow(Some(0.003)), "↑0.3");
        assert_eq!(super::arrow(Some(-0.012)), "↓1.2");
        assert_eq!(super::arrow(Some(0.0001)), "→0.0");
        assert_eq!(super::arrow(None), "");
    }
}
