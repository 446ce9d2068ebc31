//! The dashboard's sections as HTML: summary cards, each sector's charts and table,
//! the 40% target, the trend, the lists, data quality and provenance.

use std::fmt::Write as _;

use duckdb::Connection;

use super::*;

pub(super) fn city_row(rows: &[District]) -> Option<&District> {
    rows.iter().find(|d| d.is_city)
}

pub(super) fn summary_cards(h: &mut String, enterprise: &[District], social: &[District]) {
    h.push_str("<section><div class=\"cards\">");
    for (sector, rows) in [
        (Sector::Enterprise, enterprise),
        (Sector::SocialOrg, social),
    ] {
        let Some(c) = city_row(rows) else { continue };
        let _ = write!(
            h,
            "<div class=\"card\"><div class=\"k\">{} 纳入统计</div><div class=\"v\">{}</div></div>",
            sector.label(),
            c.in_scope()
        );
        for (i, name) in RATES.iter().map(|r| r.label).enumerate() {
            let _ = write!(
                h,
                "<div class=\"card\"><div class=\"k\">{} {name}</div><div class=\"v\">{}</div></div>",
                sector.label(),
                percent(c.rates[i])
            );
        }
    }
    h.push_str("</div></section>\n");
}

/// A sector's three rate charts and its table of every figure (the table is what the
/// test compares with coverage_by_district, cell for cell).
pub(super) fn sector_section(h: &mut String, sector: Sector, rows: &[District]) {
    let _ = write!(h, "<section><h2>{}：分区覆盖情况</h2>", sector.label());
    if rows.is_empty() {
        h.push_str("<p class=\"note\">本期没有此类单位。</p></section>\n");
        return;
    }
    let city = city_row(rows);
    let districts: Vec<&District> = rows.iter().filter(|d| !d.is_city).collect();
    h.push_str("<div class=\"grid\">");
    for (i, name) in RATES.iter().map(|r| r.label).enumerate() {
        let bars: Vec<svg::Bar> = districts
            .iter()
            .map(|d| svg::Bar {
                label: d.name.clone(),
                value: d.rates[i],
                text: percent(d.rates[i]),
            })
            .collect();
        let mark = city.and_then(|c| c.rates[i]).map(|v| svg::Mark {
            value: v,
            text: format!("全市 {}", percent(Some(v))),
        });
        h.push_str(&svg::bar_chart(name, &bars, mark.as_ref(), 1.0));
    }
    h.push_str("</div><table><thead><tr><th>区</th>");
    for name in headline_counts()
        .map(|c| c.label)
        .chain(RATES.iter().map(|r| r.label))
    {
        let _ = write!(h, "<th>{name}</th>");
    }
    h.push_str("</tr></thead>");
    for d in rows {
        let _ = write!(
            h,
            "<tr data-sector=\"{}\" data-district=\"{}\"{}><td>{}</td>",
            sector.as_str(),
            escape(&d.code),
            if d.is_city { " class=\"city\"" } else { "" },
            escape(&d.name)
        );
        for (i, col) in headline_counts().map(|c| c.name).enumerate() {
            let _ = write!(
                h,
                "<td class=\"n\" data-figure=\"{col}\">{}</td>",
                d.counts[i]
            );
        }
        for (i, col) in RATES.iter().map(|r| r.name).enumerate() {
            let _ = write!(
                h,
                "<td class=\"n\" data-figure=\"{col}\">{}</td>",
                percent(d.rates[i])
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</table></section>\n");
}

/// Social organizations against the target rate: each district's rate with the target
/// marked, and how many units it still has to cover.
pub(super) fn target_section(h: &mut String, conn: &Connection, period: &str) -> Result<()> {
    type Row = (String, String, i64, i64, Option<f64>, f64, i64, i64, bool);
    let rows: Vec<Row> = query(
        conn,
        "read social_org_target",
        "SELECT district_code, district_name, social_orgs_in_scope, covered, coverage_rate, \
         target_rate, target_count, gap, is_city(district_code) FROM social_org_target \
         WHERE period = ? \
         ORDER BY is_city(district_code), district_code",
        &[period],
        |r| {
            let g = |i| r.get::<_, i64>(i);
            Ok((
                r.get(0)?,
                r.get(1)?,
                g(2)?,
                g(3)?,
                r.get(4)?,
                r.get(5)?,
                g(6)?,
                g(7)?,
                r.get(8)?,
            ))
        },
    )?;
    let Some(target) = rows.first().map(|r| r.5) else {
        return Ok(());
    };
    let _ = write!(
        h,
        "<section><h2>社会组织党组织覆盖率与{}目标的差距</h2><div class=\"grid2\">",
        percent(Some(target))
    );
    let bars: Vec<svg::Bar> = rows
        .iter()
        .filter(|r| !r.8)
        .map(|r| svg::Bar {
            label: r.1.clone(),
            value: r.4,
            text: if r.7 > 0 {
                format!("{}，差{}家", percent(r.4), r.7)
            } else {
                format!("{}，已达标", percent(r.4))
            },
        })
        .collect();
    let mark = svg::Mark {
        value: target,
        text: format!("目标 {}", percent(Some(target))),
    };
    h.push_str(&svg::bar_chart(
        "组织覆盖率（社会组织）",
        &bars,
        Some(&mark),
        1.0,
    ));
    h.push_str(
        "<table><thead><tr><th>区</th><th>纳入统计</th><th>已覆盖</th><th>覆盖率</th>\
         <th>达标需覆盖</th><th>尚差</th></tr></thead>",
    );
    for r in &rows {
        let _ = write!(
            h,
            "<tr data-target=\"{}\"{}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\" data-figure=\"gap\">{}</td></tr>",
            escape(&r.0),
            if r.8 { " class=\"city\"" } else { "" },
            escape(&r.1),
            r.2,
            r.3,
            percent(r.4),
            r.6,
            r.7
        );
    }
    h.push_str("</table></div></section>\n");
    Ok(())
}

/// City-wide rates month by month, when the folder holds more than one month.
pub(super) fn trend_section(h: &mut String, conn: &Connection, periods: &[String]) -> Result<()> {
    h.push_str("<section><h2>逐月趋势（全市）</h2>");
    if periods.len() < 2 {
        let _ = write!(
            h,
            "<p class=\"note\">输出目录中只有 {} 一个期别，积累两个以上期别后显示趋势。</p></section>",
            periods.first().map_or("", |p| p.as_str())
        );
        return Ok(());
    }
    h.push_str("<div class=\"grid2\">");
    for sector in [Sector::Enterprise, Sector::SocialOrg] {
        let mut series = Vec::new();
        for (col, name) in RATES.iter().map(|r| (r.name, r.label)) {
            let sql = format!(
                "SELECT period, {col} FROM coverage_by_district \
                 WHERE sector = ? AND is_city(district_code)"
            );
            let by_period: std::collections::BTreeMap<String, Option<f64>> =
                query(conn, "read the trend", &sql, &[sector.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .into_iter()
                .collect();
            let values = periods
                .iter()
                .map(|p| by_period.get(p).copied().flatten())
                .collect();
            series.push(svg::Series {
                name: name.to_string(),
                values,
            });
        }
        h.push_str(&svg::line_chart(sector.label(), periods, &series));
    }
    h.push_str("</div></section>\n");
    Ok(())
}

/// How many units each compliance list names, linked to the workbook that lists them.
pub(super) fn lists_section(h: &mut String, conn: &Connection, period: &str) -> Result<()> {
    let rows: Vec<(String, i64, i64)> = query(
        conn,
        "read compliance_lists",
        &format!(
            "SELECT list_name, count(*)::BIGINT, count(*) FILTER (WHERE sector = '{}')::BIGINT \
             FROM compliance_lists WHERE period = ? GROUP BY list, list_name ORDER BY min(list), list_name",
            crate::vocabulary::Sector::Enterprise
        ),
        &[period],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let joint: i64 = conn
        .query_row(
            "SELECT count(*) FROM list_joint_org_too_large WHERE period = ?",
            [period],
            |r| r.get(0),
        )
        .db("read list_joint_org_too_large")?;
    let book = format!("{}.xlsx", crate::publish::compliance_book(period));
    let plan = format!("{}.xlsx", crate::publish::action_plan_book(period));
    let _ = write!(
        h,
        "<section><h2>合规清单</h2><p class=\"note\">名单见 <a href=\"{b}\">{b}</a>，\
         未覆盖单位的推进方案见 <a href=\"{p}\">{p}</a>（与本文件在同一文件夹）。</p>\
         <table><tr><th>清单</th><th>单位数</th><th>其中企业</th><th>其中社会组织</th></tr>",
        b = escape(&book),
        p = escape(&plan)
    );
    for (name, n, enterprises) in &rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{n}</td><td class=\"n\">{enterprises}</td><td class=\"n\">{}</td></tr>",
            escape(name),
            n - enterprises
        );
    }
    let _ = write!(
        h,
        "<tr><td>覆盖单位过多、应优化设置的联合党组织</td><td class=\"n\">{joint}</td><td></td><td></td></tr></table></section>"
    );
    Ok(())
}

/// Rows rejected and flagged, by file and field, and how members were placed.
pub(super) fn quality_section(h: &mut String, conn: &Connection, period: &str) -> Result<()> {
    h.push_str("<section><h2>数据质量</h2><div class=\"grid2\"><div>");
    for (table, title) in [("rejects", "拒收的行"), ("flags", "标记的值（已接收）")] {
        let sql = format!(
            "SELECT regexp_extract(t.source_file, '[^/\\\\]+$'), label('field', t.field), \
             label('issue', t.kind), count(*)::BIGINT FROM {table} t \
             WHERE t.period = ? GROUP BY ALL ORDER BY 4 DESC, 1, 2, 3 LIMIT 15"
        );
        let rows: Vec<(String, String, String, i64)> =
            query(conn, "read the rejects", &sql, &[period], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        let total: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE period = ?"),
                [period],
                |r| r.get(0),
            )
            .db("read the rejects")?;
        let _ = write!(
            h,
            "<h3>{title}：{total} 行</h3><table><tr><th>文件</th><th>字段</th><th>原因</th><th>行数</th></tr>"
        );
        for (file, field, kind, n) in &rows {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"n\">{n}</td></tr>",
                escape(file),
                escape(field),
                escape(kind)
            );
        }
        h.push_str("</table>");
    }
    h.push_str(
        "<p class=\"note\">每一行的原因、原值位置见 coverage.duckdb 的 <code>rejects</code> 和 \
         <code>flags</code> 表。</p></div><div>",
    );
    let rows: Vec<(String, i64)> = query(
        conn,
        "read members",
        "SELECT label('link_rule', link_rule), count(*)::BIGINT FROM members \
         WHERE period = ? GROUP BY ALL ORDER BY 2 DESC, 1",
        &[period],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    h.push_str("<h3>党员与单位的关联方式</h3><table><tr><th>关联方式</th><th>党员数</th></tr>");
    for (rule, n) in &rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{n}</td></tr>",
            escape(rule)
        );
    }
    h.push_str(
        "</table><p class=\"note\">“待人工确认”的候选单位见 <code>link_review</code> 表，\
         “未匹配”的见 <code>unmatched_members</code> 表。</p></div></div></section>\n",
    );
    Ok(())
}

/// The run behind the figures: its input files with their hashes, the pipeline, times.
pub(super) fn provenance_section(h: &mut String, m: Option<&Manifest>) {
    h.push_str("<section><h2>数据来源</h2>");
    let Some(m) = m else {
        h.push_str(
            "<p class=\"note\">本期的运行清单（manifest.json）不在输出目录中。</p></section>\n",
        );
        return;
    };
    let _ = write!(
        h,
        "<p>流水线 {}（<code>{}</code>，SHA-256 <code>{}</code>）；coverage {}；\
         开始 {}，结束 {}；读入 {} 行，接收 {} 行，拒收 {} 行。</p>",
        escape(&m.pipeline.name),
        escape(&m.pipeline.path),
        escape(&m.pipeline.sha256),
        escape(&m.version),
        escape(&m.started_at),
        escape(&m.finished_at),
        m.rows_read,
        m.rows_accepted,
        m.rows_rejected
    );
    h.push_str(
        "<table><tr><th>来源</th><th>文件</th><th>格式</th><th>读入</th><th>接收</th><th>拒收</th><th>SHA-256</th></tr>",
    );
    for f in &m.inputs {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td></tr>",
            escape(&f.source),
            escape(&f.path),
            escape(&f.format),
            f.rows_read,
            f.rows_accepted,
            f.rows_rejected,
            escape(&f.sha256)
        );
    }
    h.push_str("</table>");
    let stages: Vec<String> = m
        .stage_seconds
        .iter()
        .map(|(stage, seconds)| {
            let name = STAGES
                .iter()
                .find(|s| s.0 == stage.as_str())
                .map_or(stage.as_str(), |s| s.1);
            format!("{name} {seconds:.1} 秒")
        })
        .collect();
    let _ = write!(
        h,
        "<p class=\"note\">各阶段用时：{}</p></section>",
        escape(&stages.join("，"))
    );
}
