//! Streets (街道, 镇, 乡, 地区) as exports write them: in a committee's name, after a
//! district in an address, or in a street column with the office's name or a community
//! after it; and whether two written streets are one.

/// The 街道, 镇, 乡 or 地区 a text names right after `place` (a district's name): 卢沟桥街道
/// in 北京市丰台区卢沟桥街道108号 or 中共北京市东城区东华门街道工作委员会. Street names
/// are short; the first such ending within eight characters, with at least one
/// character before it, is the street — or, where a 镇, 街道 or 地区 follows at once,
/// that longer name: 良乡 is not the street of 良乡镇, nor 真如镇 of 真如镇街道 (a 乡
/// after it is not taken: 长阳镇乡村路 is a road of 长阳镇). A committee named as the
/// district committee's (中共北京市朝阳区委望京街道工作委员会) names its street after 委.
pub fn street_after(text: &str, place: &str) -> Option<String> {
    let (_, rest) = text.split_once(place)?;
    let rest = rest.strip_prefix('委').unwrap_or(rest);
    let chars: Vec<char> = rest
        .chars()
        .take_while(|c| !c.is_ascii() && !c.is_numeric() && !"（(，,、 ".contains(*c))
        .take(8)
        .collect();
    let first = (2..=chars.len()).find(|&n| {
        let s: String = chars[..n].iter().collect();
        street_core(&s).is_some()
    })?;
    let after: String = chars[first..].iter().collect();
    let longer = ["镇", "街道", "地区"]
        .iter()
        .find(|end| after.starts_with(*end))
        .map_or(0, |end| end.chars().count());
    Some(chars[..first + longer].iter().collect())
}

/// A street as a street column writes it, in one form: the office's name is the
/// street's (望京街道办事处, 良乡镇人民政府 → 望京街道, 良乡镇), and a street with its
/// community after it is the street (望京街道花家地社区 → 望京街道); a value that names
/// no street stays as written.
pub fn street_name(written: &str) -> String {
    let written = written.trim();
    let is_street = |s: &str| street_core(s).is_some();
    let without_office = ["办事处", "人民政府", "政府"]
        .iter()
        .find_map(|office| written.strip_suffix(office))
        .filter(|street| is_street(street))
        .unwrap_or(written);
    match is_street(without_office) {
        true => without_office.to_string(),
        false => street_after(without_office, "").unwrap_or_else(|| written.to_string()),
    }
}

/// Whether two streets as written are one: the same name but for its ending (望京街道
/// and 望京地区, as a street that is also an area is written either way).
pub fn same_street(a: &str, b: &str) -> bool {
    a == b || street_core(a).is_some_and(|core| street_core(b) == Some(core))
}

/// Whether two streets as written are known to be two: both are streets' names, and not
/// the same one. A value that is no street's name (望京, a code) says neither.
pub fn other_street(a: &str, b: &str) -> bool {
    matches!((street_core(a), street_core(b)), (Some(x), Some(y)) if x != y)
}

/// A street's name without its ending (望京 of 望京街道), if it is one.
fn street_core(street: &str) -> Option<&str> {
    STREET_ENDINGS
        .iter()
        .find_map(|end| street.strip_suffix(end))
        .filter(|core| !core.is_empty())
}

/// How the name of an administration under a district ends.
const STREET_ENDINGS: [&str; 4] = ["街道", "镇", "乡", "地区"];

#[cfg(test)]
mod tests {
    use super::*;

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
        // A street whose name has an ending inside it is named whole.
        assert_eq!(
            st("中共北京市丰台区良乡镇工作委员会").as_deref(),
            Some("良乡镇")
        );
        assert_eq!(st("丰台区良乡地区长虹路9号").as_deref(), Some("良乡地区"));
        assert_eq!(
            st("丰台区真如镇街道兰溪路1号").as_deref(),
            Some("真如镇街道")
        );
        assert_eq!(st("丰台区长阳镇乡村路1号").as_deref(), Some("长阳镇"));
        assert_eq!(
            st("中共北京市丰台区委卢沟桥街道工作委员会").as_deref(),
            Some("卢沟桥街道")
        );
        assert_eq!(st("丰台区卢沟桥街道办事处").as_deref(), Some("卢沟桥街道"));
    }

    #[test]
    fn streets_written_two_ways_are_one() {
        assert!(same_street("望京街道", "望京地区"));
        assert!(same_street("良乡镇", "良乡镇"));
        assert!(!same_street("望京街道", "三里屯街道"));
        assert!(other_street("望京街道", "三里屯街道"));
        // 望京 alone, or a code, is no street's name: neither one nor known to be two.
        assert!(!same_street("望京", "望京街道"));
        assert!(!other_street("望京", "三里屯街道"));
        assert!(!other_street("110105001", "三里屯街道"));
    }

    #[test]
    fn a_street_column_names_the_street_not_its_office() {
        assert_eq!(street_name("望京街道办事处"), "望京街道");
        assert_eq!(street_name("良乡镇人民政府"), "良乡镇");
        assert_eq!(street_name("南磨房地区办事处 "), "南磨房地区");
        assert_eq!(street_name("望京街道"), "望京街道");
        // No street's name before the office: as written.
        assert_eq!(street_name("区政府"), "区政府");
        assert_eq!(street_name("望京街道花家地社区"), "望京街道");
        assert_eq!(street_name("花家地社区"), "花家地社区");
    }
}
