//! Normal form of Chinese unit names, the key for exact name matching (units without
//! codes, joint-coverage rows, members' 工作单位).
//!
//! The same unit is written 北京市某某科技有限责任公司, 某某科技有限公司 or
//! 北京某某科技（有限公司） in different exports; the normal form makes those equal
//! while keeping a 分公司 branch distinct from its parent.

use unicode_normalization::UnicodeNormalization;

/// Legal-form spellings that mean the same thing, longest first.
const FORM_SYNONYMS: [(&str, &str); 2] =
    [("有限责任公司", "有限公司"), ("股份有限公司", "股份公司")];

/// NFKC (full-width → half-width), whitespace removed, brackets folded to `()`,
/// legal-form synonyms folded, then a leading city prefix (e.g. 北京市, 北京) removed.
pub fn normalize_name(raw: &str, city_prefixes: &[String]) -> String {
    let mut s: String = raw
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '【' | '〔' | '{' => '(',
            ']' | '】' | '〕' | '}' => ')',
            c => c,
        })
        .collect();
    for (long, short) in FORM_SYNONYMS {
        if s.contains(long) {
            s = s.replace(long, short);
        }
    }
    for prefix in city_prefixes {
        if let Some(rest) = s.strip_prefix(prefix.as_str()) {
            if !rest.is_empty() {
                s = rest.to_string();
                break;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes() -> Vec<String> {
        vec!["北京市".into(), "北京".into()]
    }

    #[test]
    fn variants_of_one_name_are_equal() {
        let a = normalize_name("北京市星河科技有限责任公司", &prefixes());
        let b = normalize_name("星河科技有限公司", &prefixes());
        let c = normalize_name(" 北京 星河科技有限公司", &prefixes());
        assert_eq!(a, "星河科技有限公司");
        assert_eq!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn brackets_and_full_width_fold() {
        let a = normalize_name("北京星河（中国）科技有限公司", &prefixes());
        let b = normalize_name("北京星河(中国)科技有限公司", &prefixes());
        let c = normalize_name("北京星河【中国】科技ＡＢＣ有限公司", &prefixes());
        assert_eq!(a, b);
        assert_eq!(c, "星河(中国)科技ABC有限公司");
    }

    #[test]
    fn branch_stays_distinct_from_parent() {
        let parent = normalize_name("北京星河科技有限公司", &prefixes());
        let branch = normalize_name("北京星河科技有限公司朝阳分公司", &prefixes());
        assert_ne!(parent, branch);
    }

    #[test]
    fn a_bare_prefix_is_kept() {
        assert_eq!(normalize_name("北京", &prefixes()), "北京");
    }
}
