//! Parsers of the values exports write by hand: head counts, dates, and the telltale
//! of a code that went through a spreadsheet as a number.

use crate::extract::reader::excel_serial_to_date;

/// A cell without the marks exports put around a value to keep a spreadsheet from
/// reading it as a number (and losing a long code's last digits): an Excel text formula
/// `="911101…"` and a leading apostrophe `'911101…` (also ‘ ’ ＇). The marks say how
/// to show the value, not what it is.
pub fn without_text_marks(cell: &str) -> &str {
    let cell = cell
        .strip_prefix("=\"")
        .and_then(|c| c.strip_suffix('"'))
        .map_or(cell, str::trim);
    match cell.strip_prefix(['\'', '‘', '’', '＇']) {
        Some(rest) if rest.starts_with(|c: char| c.is_alphanumeric()) => rest,
        _ => cell,
    }
}

/// A unit's name as the outputs show it: without the quotation marks a name pasted from
/// a document keeps (“北京某某有限公司”) and without spaces typed between Chinese
/// characters (北京某某 有限公司); brackets and Latin words stay as written. Only what is
/// shown: the name's normal form (matching) ignores both anyway.
pub fn shown_name(raw: String) -> String {
    let mut t = raw.trim();
    for (open, close) in [
        ("“", "”"),
        ("\"", "\""),
        ("「", "」"),
        ("『", "』"),
        ("‘", "’"),
    ] {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            t = inner.trim();
        }
    }
    // Most names are clean: kept as they are, without a copy.
    if t.len() == raw.len() && !t.contains(char::is_whitespace) {
        return raw;
    }
    // Each run of spaces or line breaks: none beside a Chinese character, else one space.
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(at) = rest.find(char::is_whitespace) {
        out.push_str(&rest[..at]);
        rest = rest[at..].trim_start();
        let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
        if !wide(out.chars().next_back()) && !wide(rest.chars().next()) {
            out.push(' ');
        }
    }
    out.push_str(rest);
    out
}

/// A cell that says there is none: 无, 暂无, 空, 否, -, /, 0, NULL and the like (full-width
/// or with spaces too). A code cell so written is an old record without the code, not a
/// malformed one; a park, building, street or industry so written is none (未填报 in the
/// breakdowns), not a park called 无.
pub fn says_none(cell: &str) -> bool {
    let t: String = crate::text::nfkc(cell)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    matches!(
        t.to_uppercase().as_str(),
        "无" | "暂无" | "空" | "否" | "-" | "--" | "—" | "/" | "0" | "N/A" | "NA" | "NULL" | "NONE"
    )
}

/// A whole number of people: 120, 120人, 1,200, 120.0, full-width digits.
pub fn parse_count(raw: &str) -> Option<i64> {
    let cleaned: String = crate::text::nfkc(raw)
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let cleaned = cleaned.trim_end_matches('人');
    let n = cleaned.parse::<i64>().ok().or_else(|| {
        cleaned
            .parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e12)
            .map(|f| f as i64)
    })?;
    (n >= 0).then_some(n)
}

/// The lower bound of a head count written as a band, as registries and 年报 write
/// 从业人数 (50-99人, 50～99, 100人以上, 1000人及以上): the unit has at least that many,
/// which is what every staff rule (30, 50, 100 or more) asks; a count given as about
/// so many (约80人) is read as that many, as a person reads it. A bound from above only
/// (50人以下, 不足10人) gives no lower bound: None.
pub fn count_lower_bound(raw: &str) -> Option<i64> {
    let t: String = crate::text::nfkc(raw)
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let t = t
        .strip_prefix("从业人数")
        .unwrap_or(&t)
        .trim_start_matches([':', '：']);
    if let Some(about) = ["大约", "约"].iter().find_map(|w| t.strip_prefix(w)) {
        return parse_count(about);
    }
    let floor = ["人及以上", "人以上", "及以上", "以上", "+"]
        .iter()
        .find_map(|end| t.strip_suffix(end));
    let low = match floor {
        Some(low) => low,
        None => {
            let t = t.trim_end_matches('人');
            let (low, high) = t.split_once(['-', '~', '～', '至', '—', '–'])?;
            let (low, high) = (parse_count(low)?, parse_count(high)?);
            return (low <= high).then_some(low);
        }
    };
    parse_count(low)
}

/// A number written in scientific notation (1.10105E+17): what a spreadsheet makes
/// of a long code stored as a number; its last digits are gone.
pub fn is_scientific(raw: &str) -> bool {
    let t: String = crate::text::nfkc(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let Some(at) = t.find(['e', 'E']) else {
        return false;
    };
    let (mantissa, exponent) = (&t[..at], &t[at + 1..]);
    !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && exponent
            .trim_start_matches(['+', '-'])
            .parse::<u32>()
            .is_ok()
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// A date as YYYY-MM-DD from 2020-01-05, 2020/1/5, 2020.1.5, 2020年1月5日, 20200105,
/// a date-time whose time is dropped, or an Excel serial day number (e.g. 43835).
pub fn parse_date(raw: &str) -> Option<String> {
    let t = date_text(raw);
    let t = t.as_str();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return ymd(&t[..4], &t[4..6], &t[6..]);
    }
    if (4..=6).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        let serial: f64 = t.parse().ok()?;
        return excel_serial_to_date(serial);
    }
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] => ymd(y, m, d),
        _ => None,
    }
}

/// A date as `parse_date` reads it (YYYY-MM-DD), else a month without a day (2026-10,
/// 2026/10, 2026.10, 2026年10月, 202610) as YYYY-MM, which sorts before each of its days.
pub fn parse_date_or_month(raw: &str) -> Option<String> {
    let t = date_text(raw);
    // Six digits are a month (202610) before an Excel day number, which they would be
    // only after the year 2173.
    let parts: Vec<&str> = match t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        true => vec![&t[..4], &t[4..]],
        false => t
            .split(['-', '/', '.', '年', '月'])
            .filter(|p| !p.is_empty())
            .collect(),
    };
    let month = match parts.as_slice() {
        [y, m] => match (y.parse::<i64>(), m.parse::<u32>()) {
            (Ok(y), Ok(m)) if (1900..=2100).contains(&y) && (1..=12).contains(&m) => {
                Some(format!("{y:04}-{m:02}"))
            }
            _ => None,
        },
        _ => None,
    };
    month.or_else(|| parse_date(raw))
}

/// A date cell's text as compared: full-width folded, without a time after it.
fn date_text(raw: &str) -> String {
    let t = crate::text::nfkc(raw);
    t.trim().split([' ', 'T']).next().unwrap_or("").to_string()
}

fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let ok =
        (1900..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m);
    ok.then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_shown_without_quotes_and_stray_spaces() {
        assert_eq!(
            shown_name("“北京星河科技有限公司”".into()),
            "北京星河科技有限公司"
        );
        assert_eq!(
            shown_name(" 北京星河 科技有限公司 ".into()),
            "北京星河科技有限公司"
        );
        assert_eq!(
            shown_name("北京星河科技有限公 司".into()),
            "北京星河科技有限公司"
        );
        assert_eq!(
            shown_name("\"星河（北京）科技有限公司\"".into()),
            "星河（北京）科技有限公司"
        );
        // Latin words keep their spaces; a quotation inside the name stays.
        assert_eq!(shown_name("IBM China Co. Ltd".into()), "IBM China Co. Ltd");
        assert_eq!(
            shown_name("IBM\nChina  北京 分公司".into()),
            "IBM China北京分公司"
        );
        assert_eq!(
            shown_name("北京“星河”科技有限公司".into()),
            "北京“星河”科技有限公司"
        );
    }

    #[test]
    fn cells_that_say_none() {
        for none in ["无", " 暂无 ", "－", "／", "NULL", "n/a", "否"] {
            assert!(says_none(none), "{none}");
        }
        for some in ["中关村科技园区", "无锡路", "0号楼", "东四街道"] {
            assert!(!says_none(some), "{some}");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("120"), Some(120));
        assert_eq!(parse_count("１２０人"), Some(120));
        assert_eq!(parse_count("1,200"), Some(1200));
        assert_eq!(parse_count("35.0"), Some(35));
        assert_eq!(parse_count("约三十人"), None);
        assert_eq!(count_lower_bound("约三十人"), None);
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_count("2.5"), None);
        assert_eq!(parse_count("50-99人"), None);
    }

    #[test]
    fn text_marks_are_not_the_value() {
        assert_eq!(
            without_text_marks("=\"91110101MA0000000X\""),
            "91110101MA0000000X"
        );
        assert_eq!(
            without_text_marks("'110101199001011234"),
            "110101199001011234"
        );
        assert_eq!(without_text_marks("’北京甲有限公司"), "北京甲有限公司");
        assert_eq!(without_text_marks("=\" '0123\""), "0123");
        // An apostrophe alone, or before a sign, is the value.
        assert_eq!(without_text_marks("'"), "'");
        assert_eq!(without_text_marks("'-"), "'-");
        assert_eq!(without_text_marks("=SUM(A1)"), "=SUM(A1)");
    }

    #[test]
    fn count_bands_give_their_lower_bound() {
        assert_eq!(count_lower_bound("50-99人"), Some(50));
        assert_eq!(count_lower_bound("５０～９９"), Some(50));
        assert_eq!(count_lower_bound("100至499人"), Some(100));
        assert_eq!(count_lower_bound("100人以上"), Some(100));
        assert_eq!(count_lower_bound("1000人及以上"), Some(1000));
        assert_eq!(count_lower_bound("从业人数：30-49人"), Some(30));
        assert_eq!(count_lower_bound("约80人"), Some(80));
        assert_eq!(count_lower_bound("50人以下"), None);
        assert_eq!(count_lower_bound("99-50"), None);
        assert_eq!(count_lower_bound("企业选择不公示"), None);
    }

    #[test]
    fn scientific_codes() {
        assert!(is_scientific("1.10105E+17"));
        assert!(is_scientific("9.1110105E17"));
        assert!(!is_scientific("91110105MA01ABCD1E"));
        assert!(!is_scientific("110105194912310021"));
        assert!(!is_scientific("E+17"));
    }

    #[test]
    fn dates() {
        for raw in [
            "2020-01-05",
            "2020/1/5",
            "2020.1.5",
            "2020年1月5日",
            "20200105",
            "2020-01-05 00:00:00",
            "43835",
        ] {
            assert_eq!(parse_date(raw).as_deref(), Some("2020-01-05"), "{raw}");
        }
        assert_eq!(parse_date("2020-02-30"), None);
        assert_eq!(parse_date("2021-02-29"), None);
        assert_eq!(parse_date("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(parse_date("2020-13-01"), None);
        assert_eq!(parse_date("去年"), None);
        for raw in [
            "2026-10",
            "2026/10",
            "2026.10",
            "2026年10月",
            "202610",
            "2026年10月 ",
        ] {
            assert_eq!(
                parse_date_or_month(raw).as_deref(),
                Some("2026-10"),
                "{raw}"
            );
        }
        assert_eq!(
            parse_date_or_month("2026年10月5日").as_deref(),
            Some("2026-10-05")
        );
        assert_eq!(parse_date_or_month("2026-13"), None);
        assert_eq!(parse_date_or_month("10月"), None);
        // A month sorts before each of its days, after the month before.
        assert!("2026-10" < "2026-10-01" && "2026-09-30" < "2026-10");
        // Serial 43835 is 43835 − 25569 = 18266 days after 1970-01-01.
        assert_eq!(crate::calendar::civil_from_days(18266), (2020, 1, 5));
    }
}
