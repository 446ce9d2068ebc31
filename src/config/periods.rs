//! Periods (YYYY-MM): checked, expanded into file patterns, and ranges of them.

/// A file pattern with the period's placeholders filled in: `{period}` → 2026-11,
/// `{yyyymm}` → 202611, `{yyyy}` → 2026, `{mm}` → 03, `{m}` → 3 (党员信息_2026年3月.xlsx).
pub fn expand_period(pattern: &str, period: &str) -> String {
    let (yyyy, mm) = period.split_once('-').unwrap_or((period, ""));
    pattern
        .replace("{period}", period)
        .replace("{yyyymm}", &format!("{yyyy}{mm}"))
        .replace("{yyyy}", yyyy)
        .replace("{mm}", mm)
        .replace("{m}", mm.strip_prefix('0').unwrap_or(mm))
}

/// The months of a backfill, `2026-01..2026-12` (both ends included, in order), or the
/// one month of `2026-11`.
pub fn period_range(spec: &str) -> std::result::Result<Vec<String>, String> {
    let Some((from, to)) = spec.split_once("..") else {
        check_period(spec)?;
        return Ok(vec![spec.to_string()]);
    };
    check_period(from)?;
    check_period(to)?;
    let month = |p: &str| month_index(p).unwrap_or(0);
    let (a, b) = (month(from), month(to));
    if a > b {
        return Err(format!("period range `{spec}` ends before it starts"));
    }
    Ok((a..=b).map(period_of_index).collect())
}

/// The period YYYY-MM of a month index (see [`month_index`]).
pub fn period_of_index(m: u32) -> String {
    format!("{:04}-{:02}", m / 12, m % 12 + 1)
}

/// Months since year 0 of a period YYYY-MM (year × 12 + month − 1), so that periods
/// compare and count as numbers; None for a text that is no period.
pub fn month_index(period: &str) -> Option<u32> {
    check_period(period).ok()?;
    Some(period[..4].parse::<u32>().ok()? * 12 + period[5..].parse::<u32>().ok()? - 1)
}

/// Checks a period of the form YYYY-MM.
pub fn check_period(period: &str) -> std::result::Result<(), String> {
    let ok = period.len() == 7
        && period.as_bytes()[4] == b'-'
        && period[..4].bytes().all(|b| b.is_ascii_digit())
        && matches!(period[5..].parse::<u32>(), Ok(1..=12));
    if ok {
        Ok(())
    } else {
        Err(format!("period must be YYYY-MM, found `{period}`"))
    }
}
