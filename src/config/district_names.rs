//! Which of the city's districts a text names (a district cell, a 登记机关, a member's
//! 工作单位, a returned pack's 所在区): asked once or more for every row of every export,
//! so the districts' names are searched for together, by one automaton made the first
//! time a pipeline is asked, not district by district.

use std::collections::BTreeMap;

use aho_corasick::AhoCorasick;

use crate::FastMap;

/// The districts' names as texts are searched for them.
#[derive(Debug, Clone)]
pub(super) struct DistrictNames {
    /// District codes in code order; a pattern's index is its code's.
    codes: Vec<String>,
    /// Every district's full name (朝阳区), pattern `i` the name of `codes[i]`.
    full: AhoCorasick,
    /// A district's name without its 区 or 县 (朝阳), of at least two characters → the
    /// index of the first district in code order that has it.
    short: FastMap<String, usize>,
}

impl DistrictNames {
    pub(super) fn new(districts: &BTreeMap<String, String>) -> DistrictNames {
        let full = AhoCorasick::new(districts.values())
            .expect("a few district names make a small automaton");
        let mut short = FastMap::default();
        for (i, name) in districts.values().enumerate() {
            let s = name.strip_suffix('区').or_else(|| name.strip_suffix('县'));
            if let Some(s) = s.filter(|s| s.chars().count() >= 2) {
                short.entry(s.to_string()).or_insert(i);
            }
        }
        DistrictNames {
            codes: districts.keys().cloned().collect(),
            full,
            short,
        }
    }

    /// The first district in code order whose full name is in `text`.
    pub(super) fn named_in(&self, text: &str) -> Option<&str> {
        let first = self
            .full
            .find_overlapping_iter(text)
            .map(|m| m.pattern().as_usize())
            .min()?;
        Some(&self.codes[first])
    }

    /// A district written without its 区 or 县 (朝阳, 北京市朝阳): the whole cell, after
    /// the city's name, is the district's name without it. Only the whole cell: 朝阳 is
    /// also the start of 朝阳门 (a street of 东城).
    pub(super) fn by_short_name(&self, text: &str, prefixes: &[String]) -> Option<&str> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let t = prefixes
            .iter()
            .find_map(|p| t.strip_prefix(p.as_str()))
            .unwrap_or(&t);
        self.short.get(t).map(|&i| self.codes[i].as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> DistrictNames {
        let districts = [
            ("110101", "东城区"),
            ("110105", "朝阳区"),
            ("110108", "海淀区"),
            ("110229", "延庆县"),
            ("110999", "X区"),
        ]
        .into_iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect();
        DistrictNames::new(&districts)
    }

    /// A text naming two districts is the first in code order, wherever it is written
    /// (海淀 before 朝阳 in the text, 110105 before 110108 in code order).
    #[test]
    fn a_text_names_the_first_district_in_code_order() {
        let n = names();
        assert_eq!(n.named_in("北京市朝阳区市场监督管理局"), Some("110105"));
        assert_eq!(n.named_in("海淀区某某公司朝阳区分公司"), Some("110105"));
        assert_eq!(n.named_in("朝阳门"), None);
        assert_eq!(n.named_in(""), None);
    }

    /// Short names are whole cells of at least two characters (X区 has none).
    #[test]
    fn short_names_are_whole_cells() {
        let n = names();
        let prefixes = ["北京市".to_string(), "北京".to_string()];
        assert_eq!(n.by_short_name("朝阳", &prefixes), Some("110105"));
        assert_eq!(n.by_short_name(" 北京市 朝阳 ", &prefixes), Some("110105"));
        assert_eq!(n.by_short_name("延庆", &prefixes), Some("110229"));
        assert_eq!(n.by_short_name("朝阳门", &prefixes), None);
        assert_eq!(n.by_short_name("X", &prefixes), None);
    }
}
