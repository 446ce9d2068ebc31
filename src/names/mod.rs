//! Normal form of Chinese unit names, the key for exact name matching (units without
//! codes, joint-coverage rows, members' 工作单位).
//!
//! The same unit is written 北京市某某科技有限责任公司, 某某科技有限公司 or
//! 北京某某科技（有限公司） in different exports; the normal form makes those equal
//! while keeping a 分公司 branch distinct from its parent.

mod streets;
pub use streets::{other_street, same_street, street_after, street_name};

/// Legal-form spellings that mean the same thing, longest first.
const FORM_SYNONYMS: [(&str, &str); 2] =
    [("有限责任公司", "有限公司"), ("股份有限公司", "股份公司")];

/// NFKC (full-width → half-width), whitespace removed, brackets folded to `()`,
/// legal-form synonyms folded, then a leading city prefix (e.g. 北京市, 北京) removed.
pub fn normalize_name(raw: &str, city_prefixes: &[String]) -> String {
    let text = crate::text::nfkc(raw);
    // 【】 or 《》 around the whole text (【北京甲有限公司 经理】) are no part of it; round
    // brackets are weighed below, as a name may begin with one ((北京)…).
    let text = [('【', '】'), ('《', '》'), ('〔', '〕'), ('[', ']')]
        .iter()
        .find_map(|&(open, close)| {
            let inner = text.trim().strip_prefix(open)?.strip_suffix(close)?;
            (!inner.contains([open, close]) && !inner.trim().is_empty()).then_some(inner)
        })
        .unwrap_or(&text);
    // Quotation marks are never part of a name (“北京甲有限公司”).
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !QUOTES.contains(c))
        .map(|c| match c {
            '[' | '【' | '〔' | '{' => '(',
            ']' | '】' | '〕' | '}' => ')',
            c => c,
        })
        .collect();
    // Punctuation typed before or after a name (北京甲有限公司。, 《北京甲有限公司》), or
    // a bracket around the whole of it (【北京甲有限公司】), is no part of it.
    let edged = s.trim_matches(EDGE_MARKS);
    if edged.len() < s.len() && !edged.is_empty() {
        s = edged.to_string();
    }
    if s.starts_with('(') && closing_bracket(&s) == Some(s.len() - 1) {
        let inner = &s[1..s.len() - 1];
        if ends_in_a_name_ending(inner) {
            s = inner.to_string();
        }
    }
    // A group's company registers （集团） before its form (某某科技（集团）有限公司);
    // people write it with or without the brackets.
    if s.contains("(集团)") {
        s = s.replace("(集团)", "集团");
    }
    for (long, short) in FORM_SYNONYMS {
        if s.contains(long) {
            s = s.replace(long, short);
        }
    }
    // The city in brackets inside a name (某某（北京）科技有限公司, the form registered
    // for a company of a group) is the city prefix written elsewhere: members write
    // 北京某某科技有限公司 or 某某科技有限公司 for it. Most names have no bracket: no
    // pattern is built for them.
    if s.contains('(') {
        for prefix in city_prefixes {
            let bracketed = format!("({prefix})");
            if s.contains(&bracketed) && s.len() > bracketed.len() {
                s = s.replace(&bracketed, "");
            }
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

const QUOTES: [char; 10] = ['"', '\'', '“', '”', '‘', '’', '「', '」', '『', '』'];

/// Marks typed before or after a name (in the normal form, full-width ，；：！？ are
/// half-width already).
const EDGE_MARKS: &[char] = &[
    '。', ',', ';', '、', '.', ':', '!', '?', '《', '》', '<', '>',
];

/// The normal form of a member's 工作单位 as written, without the member's post where
/// the text goes on after the unit's name: the 党员名册's column is often 工作单位及职务
/// (北京某某科技有限公司 经理, 某某律师事务所（律师）, 某某餐饮员工, 某某有限公司财务部会计).
/// A post is cut where at least four characters precede it, or three that end as a
/// unit's name does (某某店), so that a short form that ends in a post's word (信达会计)
/// keeps it; a department between name and post (财务部, 办公室) goes with the post when
/// a company's, centre's or association's ending precedes it. No unit's name ends in a
/// post: names end in their legal or organizational form.
///
/// A member who writes their party organization (中共北京某某有限公司支部委员会, 某某有限
/// 公司党委) names the unit it is named after: the key is that unit's name.
///
/// Posts and organization words can come two or three deep (某某有限公司（会计） 经理,
/// 中共某某有限公司支部委员会/党支部书记): each is cut in turn.
pub fn employer_key(raw: &str, city_prefixes: &[String]) -> String {
    let mut key = normalize_name(raw, city_prefixes);
    for _ in 0..4 {
        let before = key.len();
        if let Some(current) = the_current_name(&key, city_prefixes) {
            key = current;
        }
        if let Some(name) = without_place_in_brackets(&key).or_else(|| without_code(&key)) {
            key = name.to_string();
        }
        if let Some(unit) = unit_of_organization(&key, city_prefixes) {
            key = unit;
        }
        if let Some(name) = without_post(&key).or_else(|| without_department(&key)) {
            key = name.to_string();
        }
        if key.len() == before {
            break;
        }
    }
    key
}

/// A 工作单位 that gives a renamed unit's two names, one in brackets, names the unit by
/// its current one: 甲公司（原乙公司） is 甲公司, 乙公司（现甲公司） is 甲公司 (normal forms).
fn the_current_name(key: &str, city_prefixes: &[String]) -> Option<String> {
    const NOW: [&str; 6] = ["现名为", "已更名为", "更名为", "现名", "现为", "现"];
    const WAS: [&str; 6] = ["原名为", "原名", "原为", "曾用名", "更名前", "原"];
    let mut from = 0;
    // Each bracket in turn: a form (普通合伙) may come first.
    while let Some(at) = key[from..].find('(') {
        let open = from + at;
        let close = open + closing_bracket(&key[open..])?;
        let inner = &key[open + 1..close];
        if let Some(now) = NOW.iter().find_map(|w| inner.strip_prefix(w)) {
            // A name (现场管理部 is a department, not 现 + a name).
            let now = now.trim_start_matches([':', '：']);
            let named = now.chars().count() >= 4 && ends_in_a_name_ending(now);
            return named.then(|| normalize_name(now, city_prefixes));
        }
        if WAS.iter().any(|w| inner.starts_with(w)) && open > 0 {
            return Some(format!("{}{}", &key[..open], &key[close + 1..]));
        }
        from = close + 1;
    }
    None
}

/// Where the bracket that opens `text` closes: brackets inside it are counted, as a
/// former name in brackets has its own form in brackets (（原某某事务所（普通合伙））).
fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether `name` ends in one of the endings a department may follow (…有限公司,
/// …事务所（普通合伙）: a bracketed form after the ending counts with it).
fn ends_in_a_name_ending(name: &str) -> bool {
    let core = name
        .strip_suffix(')')
        .and_then(|open| open.rsplit_once('('))
        .map_or(name, |(head, _)| head);
    NAME_ENDINGS.iter().any(|end| core.ends_with(end))
}

/// A place in brackets after the name (某某有限公司（朝阳区）, （北京市）, an address:
/// （建国路88号）, （望京街10号院3号楼）): where the member works, not part of the name;
/// the member's district is read from it all the same.
fn without_place_in_brackets(key: &str) -> Option<&str> {
    let (name, inner) = key.strip_suffix(')')?.rsplit_once('(')?;
    let district = (2..=6).contains(&inner.chars().count())
        && ["区", "县", "市"].iter().any(|end| inner.ends_with(end));
    const ADDRESS: [&str; 10] = [
        "路", "街", "号", "院", "楼", "大厦", "层", "室", "巷", "胡同",
    ];
    let address =
        inner.chars().any(|c| c.is_ascii_digit()) && ADDRESS.iter().any(|w| inner.contains(w));
    let place = district || address;
    let named = ends_as_a_unit_name(name) || ends_in_a_name_ending(name);
    (place && named && reads_as_a_name(name)).then_some(name)
}

/// A code written after the name (某某有限公司（911101181000330370）, 某某有限公司
/// 110105000012345) that is no valid USCC (one mistyped or cut: a valid one is read as
/// the member's code before the name is): no part of the name, which still names the
/// unit. A code is 8 to 20 letters, digits and hyphens, at least 6 of them digits.
fn without_code(key: &str) -> Option<&str> {
    let code_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let is_code = |t: &str| {
        (8..=20).contains(&t.len())
            && t.chars().all(code_char)
            && t.chars().filter(char::is_ascii_digit).count() >= 6
    };
    let name = match key.strip_suffix(')').and_then(|open| open.rsplit_once('(')) {
        Some((name, inner)) if is_code(inner) => name,
        _ => {
            let name = key.trim_end_matches(code_char);
            (name.len() < key.len() && is_code(&key[name.len()..])).then_some(name)?
        }
    };
    let named = ends_as_a_unit_name(name) || ends_in_a_name_ending(name);
    (named && reads_as_a_name(name)).then_some(name)
}

/// `key` without a department written after the unit's name and no post after it
/// (某某有限公司财务部, 某某医院内科, 某某学校教务处). A department that may be a unit
/// of its own (营业部, 门诊部, 俱乐部 …) stays.
fn without_department(key: &str) -> Option<&str> {
    const OWN_UNITS: [&str; 6] = ["门诊部", "俱乐部", "编辑部", "工作室", "卫生室", "医务室"];
    // In brackets: 某某有限公司（财务部）.
    let bracketed = key
        .strip_suffix(')')
        .and_then(|open| open.rsplit_once('('))
        .filter(|(name, inner)| is_department(inner, &OWN_UNITS) && ends_in_a_name_ending(name))
        .map(|(name, _)| name);
    let name = bracketed.or_else(|| name_before_a_department(key, &OWN_UNITS))?;
    reads_as_a_name(name).then_some(name)
}

/// The unit an organization's name (a normal form) is named after: the name without
/// 中共 and its level (支部委员会, 党委, 党总支 …). A joint organization's name
/// (…街道非公企业联合支部委员会) leaves a text that names no unit.
fn unit_of_organization(key: &str, city_prefixes: &[String]) -> Option<String> {
    const LEVELS: &[&str] = &[
        "功能型党支部",
        "联合党支部",
        "总支部委员会",
        "支部委员会",
        "党总支部",
        "党总支",
        "党支部",
        "党委员会",
        "党委",
        "党小组",
        "总支部",
        "支部",
    ];
    let party = ["中国共产党", "中共"]
        .iter()
        .find_map(|p| key.strip_prefix(p));
    let rest = party.unwrap_or(key);
    let level = LEVELS.iter().find_map(|l| rest.strip_suffix(l));
    // 中共某某有限公司委员会 is the company's 党委.
    let unit = level.or_else(|| party.and_then(|r| r.strip_suffix("委员会")))?;
    let unit = normalize_name(unit, city_prefixes);
    reads_as_a_name(&unit).then_some(unit)
}

/// Whether what is left of a text, a post or an organization's level cut off, can be a
/// unit's name as members write it: four characters or more (a short form, 信恒餐饮), or
/// three that end as a unit's name does (某某店).
fn reads_as_a_name(name: &str) -> bool {
    let ends_as_a_name = ends_as_a_unit_name(name) || name.ends_with(')');
    match name.chars().count() {
        3 => ends_as_a_name,
        long => long >= 4,
    }
}

/// Posts a 工作单位及职务 cell ends with (a longer post ends with one of these: 副总经理).
const POSTS: &[&str] = &[
    "员工",
    "工作人员",
    "管理人员",
    "技术人员",
    "普通员工",
    "职员",
    "职工",
    "雇员",
    "人员",
    "经理",
    "副总",
    "会计",
    "出纳",
    "主任",
    "书记",
    "主席",
    "董事长",
    "董事",
    "监事",
    "理事",
    "总监",
    "工程师",
    "技术员",
    "销售",
    "业务员",
    "司机",
    "教师",
    "老师",
    "医生",
    "护士",
    "律师",
    "干部",
    "科员",
    "部长",
    "主管",
    "负责人",
    "代表人",
    "法人",
    "文员",
    "保安",
    "厨师",
    "工人",
    "理事长",
    "秘书长",
    "会长",
    "院长",
    "校长",
    "园长",
    "所长",
    "合伙人",
    "专员",
    "助理",
    "顾问",
    "总裁",
    "店长",
    "厂长",
    "行长",
    "社长",
    "站长",
    "馆长",
    "编辑",
    "研究员",
    "实习生",
    "会计师",
    "经济师",
    "医师",
    "设计师",
];

/// What a post may begin with (副总经理, 高级工程师, 专职副书记).
const RANKS: &[&str] = &[
    "副", "总", "常务", "执行", "首席", "高级", "资深", "专职", "兼职", "主办", "注册",
];

/// How a unit's name ends (the last characters of 有限公司, 事务所, 服务中心, 协会 …).
const UNIT_ENDINGS: &[&str] = &[
    "公司",
    "事务所",
    "中心",
    "会",
    "院",
    "所",
    "校",
    "园",
    "店",
    "厂",
    "社",
    "馆",
    "站",
    "行",
    "局",
    "委",
    "部",
    "集团",
    "室",
    "场",
    "队",
    "团",
    "处",
    "宫",
    "庭",
    "坊",
    "铺",
    "吧",
    "厅",
    "堂",
];

/// Endings after which a department may follow before the post.
const NAME_ENDINGS: &[&str] = &[
    "公司",
    "事务所",
    "中心",
    "会",
    "所",
    "院",
    "校",
    "园",
    "社",
    "馆",
    "站",
    "店",
    "厂",
    "集团",
];

/// A department of a unit, between its name and a post (at most six characters).
const DEPARTMENTS: &[&str] = &["部", "科", "室", "处", "组", "车间"];

/// What looks like a department but is a unit of its own (a branch's 营业部, a shop's
/// 门市部): a post after it stays with it.
const BRANCHES: &[&str] = &["营业部", "门市部", "经营部", "服务部", "分部", "办事处"];

/// The unit's party or mass organization a post is in (党支部书记, 工会主席).
const BODIES: &[&str] = &["党支部", "党总支", "党委", "工会", "团委", "团支部"];

/// Whether `text` ends as a unit's name does (有限公司, 事务所, 服务中心, 协会, 便利店 …).
pub fn ends_as_a_unit_name(text: &str) -> bool {
    UNIT_ENDINGS.iter().any(|e| text.ends_with(e))
}

/// `text` without a post at its end (经理, 副总经理, 党支部书记 …) and the separator
/// before it; the text itself where it ends in none. Unlike `without_post`, what is left
/// need not read as a name: 待业 经理 is 待业.
pub fn without_trailing_post(text: &str) -> &str {
    let Some(post) = POSTS
        .iter()
        .filter(|p| text.ends_with(*p))
        .max_by_key(|p| p.len())
    else {
        return text;
    };
    before_the_post(&text[..text.len() - post.len()])
}

/// What comes before a post once the post is cut: without its ranks (副, 总 …), the body
/// it is in (党支部书记 → 党支部) and the separator before it.
fn before_the_post(head: &str) -> &str {
    let mut head = head;
    while let Some(rest) = RANKS.iter().find_map(|r| head.strip_suffix(r)) {
        head = rest;
    }
    let head = BODIES
        .iter()
        .find_map(|b| head.strip_suffix(b))
        .unwrap_or(head);
    head.trim_end_matches(['/', '-', '|', ',', '、', ':', ';', '·', '_'])
}

/// `key` (a normal form) without a post after the unit's name, if it has one.
fn without_post(key: &str) -> Option<&str> {
    let head = match key.strip_suffix(')') {
        Some(open) => {
            let (head, inner) = open.rsplit_once('(')?;
            POSTS.iter().any(|p| inner.ends_with(p)).then_some(head)?
        }
        None => {
            let post = POSTS
                .iter()
                .filter(|p| key.ends_with(*p))
                .max_by_key(|p| p.len())?;
            &key[..key.len() - post.len()]
        }
    };
    let head = before_the_post(head);
    let name = name_before_a_department(head, &[]).unwrap_or(head);
    reads_as_a_name(name).then_some(name)
}

/// `text` up to a department written after the unit's name (…有限公司财务部, …事务所
/// （普通合伙）办公室), where it ends in one: the name's ending, a bracketed form after it,
/// then one to six characters ending as a department does — not a unit of its own (a
/// 营业部, or one of `also_units`).
fn name_before_a_department<'t>(text: &'t str, also_units: &[&str]) -> Option<&'t str> {
    let at = NAME_ENDINGS
        .iter()
        .filter_map(|end| text.rfind(end).map(|at| at + end.len()))
        .max()
        .map(|at| at + bracketed_form_len(&text[at..]))?;
    is_department(&text[at..], also_units).then(|| &text[..at])
}

/// Whether `tail` reads as a department (财务部, 内科, 办公室): one to six characters
/// ending as one does, and not a unit of its own (a 营业部, or one of `also_units`).
fn is_department(tail: &str, also_units: &[&str]) -> bool {
    (1..=6).contains(&tail.chars().count())
        && DEPARTMENTS.iter().any(|d| tail.ends_with(d))
        && !BRANCHES.iter().chain(also_units).any(|b| tail.contains(b))
}

/// The length of a bracketed form that begins `rest` (`(普通合伙)` after 事务所), which
/// is part of the name: a department written after it (…（普通合伙）办公室主任) is
/// still a department.
fn bracketed_form_len(rest: &str) -> usize {
    match rest.strip_prefix('(').and_then(|r| r.find(')')) {
        Some(close) if rest[..close + 2].chars().count() <= 8 => close + 2,
        _ => 0,
    }
}

/// The organization a member's 所在党组织 names, where the export writes the path from
/// the top down (中共北京市委员会\\中共北京市朝阳区委员会\\中共北京甲有限公司支部委员会,
/// as the 党员信息系统 shows a member's place): the last part.
pub fn innermost_org(written: &str) -> &str {
    written
        .rsplit(['\\', '/', '＼', '／', '>', '＞', '→', '|'])
        .map(str::trim)
        .find(|part| !part.is_empty())
        .unwrap_or(written)
}

/// Normal form of a party organization's name: the unit-name normal form without the
/// leading 中共 / 中国共产党 and the trailing 委员会, which exports write or leave out
/// (中共北京星河科技有限公司支部委员会 ≡ 北京星河科技有限公司支部), and with the level in one
/// form (`org_level_in_one_form`), before a numbering in brackets (…联合支部委员会（第29）).
pub fn org_name_key(raw: &str, city_prefixes: &[String]) -> String {
    let mut s: String = crate::text::nfkc(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for party in ["中国共产党", "中共"] {
        if let Some(rest) = s.strip_prefix(party) {
            s = rest.to_string();
            break;
        }
    }
    let tail_at = s
        .strip_suffix(')')
        .and_then(|inner| inner.rfind('('))
        .filter(|&at| at > 0)
        .unwrap_or(s.len());
    let (stem, tail) = s.split_at(tail_at);
    let stem = match stem.strip_suffix("委员会") {
        Some(rest) if !rest.is_empty() => rest,
        _ => stem,
    };
    normalize_name(&(org_level_in_one_form(stem) + tail), city_prefixes)
}

/// The level words that end an organization's name (after 委员会 is left out), in the
/// form the organization export's full names leave: a member list writes the short
/// forms (北京甲有限公司党支部, 某街道党工委, 某公司党委) of the names the organization
/// export writes in full (中共北京甲有限公司支部委员会, 中共某街道工作委员会,
/// 中共某公司委员会).
fn org_level_in_one_form(stem: &str) -> String {
    const SHORT: [(&str, &str); 7] = [
        ("党总支部", "总支部"),
        ("党总支", "总支部"),
        ("党支部", "支部"),
        ("党工委", "工作"),
        ("工委", "工作"),
        ("党委", ""),
        ("总支", "总支部"),
    ];
    for (short, long) in SHORT {
        if let Some(rest) = stem.strip_suffix(short).filter(|r| !r.is_empty()) {
            return format!("{rest}{long}");
        }
    }
    stem.to_string()
}

#[cfg(test)]
mod tests;
