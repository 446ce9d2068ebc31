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

/// The 街道, 镇, 乡 or 地区 a text names right after `place` (a district's name): 卢沟桥街道
/// in 北京市丰台区卢沟桥街道108号 or 中共北京市东城区东华门街道工作委员会. Street names
/// are short; the first such ending within eight characters, with at least one
/// character before it, is the street.
pub fn street_after(text: &str, place: &str) -> Option<String> {
    let (_, rest) = text.split_once(place)?;
    let chars: Vec<char> = rest
        .chars()
        .take_while(|c| !c.is_ascii() && !c.is_numeric() && !"（(，,、 ".contains(*c))
        .take(8)
        .collect();
    (2..=chars.len()).find_map(|n| {
        let s: String = chars[..n].iter().collect();
        ["街道", "镇", "乡", "地区"]
            .iter()
            .any(|end| s.len() > end.len() && s.ends_with(end))
            .then_some(s)
    })
}

/// Normal form of a party organization's name: the unit-name normal form without the
/// leading 中共 / 中国共产党 and the trailing 委员会, which exports write or leave out
/// (中共北京星河科技有限公司支部委员会 ≡ 北京星河科技有限公司支部).
pub fn org_name_key(raw: &str, city_prefixes: &[String]) -> String {
    let mut s: String = raw.nfkc().filter(|c| !c.is_whitespace()).collect();
    for party in ["中国共产党", "中共"] {
        if let Some(rest) = s.strip_prefix(party) {
            s = rest.to_string();
            break;
        }
    }
    if let Some(rest) = s.strip_suffix("委员会") {
        if !rest.is_empty() {
            s = rest.to_string();
        }
    }
    normalize_name(&s, city_prefixes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes() -> Vec<String> {
        vec!["北京市".into(), "北京".into()]
    }

    #[test]
    fn the_street_after_a_district() {
        let st = |t: &str| street_after(t, "丰台区");
        assert_eq!(
            st("北京市丰台区卢沟桥街道108号").as_deref(),
            Some("卢沟桥街道")
        );
        assert_eq!(
            st("中共北京市丰台区卢沟桥街道工作委员会").as_deref(),
            Some("卢沟桥街道")
        );
        assert_eq!(st("丰台区长辛店镇政府路2号").as_deref(), Some("长辛店镇"));
        // A road is not a street of the administration; 镇 alone is not a name.
        assert_eq!(st("北京市丰台区镇国寺北街3号"), None);
        assert_eq!(st("北京市丰台区南四环西路188号"), None);
        assert_eq!(st("北京市海淀区卢沟桥街道1号"), None);
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
    fn organization_names_with_and_without_the_party_words_are_one() {
        let p = prefixes();
        let key = org_name_key("中共北京星河科技有限公司支部委员会", &p);
        assert_eq!(key, "星河科技有限公司支部");
        assert_eq!(org_name_key("北京星河科技有限责任公司支部", &p), key);
        assert_eq!(
            org_name_key("中国共产党北京星河科技有限公司支部委员会", &p),
            key
        );
        // A 党委 keeps what tells it from the branch.
        assert_ne!(org_name_key("中共北京星河科技有限公司委员会", &p), key);
    }

    #[test]
    fn a_bare_prefix_is_kept() {
        assert_eq!(normalize_name("北京", &prefixes()), "北京");
    }
}
