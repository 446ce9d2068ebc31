//! The mess real exports have, shared by both layouts: how much of it (`Mess`), names
//! and codes written as another export writes them or wrongly (variants, typos, bad
//! check characters), and a member's 工作单位 as written.

use super::rng::Rng;
use super::world::{region, TrueUnit, LEGAL_FORMS, TRADE_CHARS};

/// Probabilities of each kind of mess, already scaled by the messiness level.
pub(super) struct Mess {
    pub(super) m: f64,
}

impl Mess {
    pub(super) fn p(&self, base: f64) -> f64 {
        base * self.m
    }

    /// A unit's name as an export writes it: now and then a variant of it.
    pub(super) fn name(&self, rng: &mut Rng, name: &str) -> String {
        if rng.chance(self.p(0.05)) {
            name_variant(rng, name)
        } else {
            name.to_string()
        }
    }
}

/// The same name as another export writes it: full-width or half-width brackets, a
/// stray space, 北京 for 北京市, 北京某某科技 for 某某（北京）科技, 有限责任公司 for
/// 有限公司. Its normal form is unchanged.
pub(super) fn name_variant(rng: &mut Rng, name: &str) -> String {
    let city_in_brackets = format!("（{}）", region().short);
    match rng.below(4) {
        0 => name.replace('（', "(").replace('）', ")"),
        1 => {
            let chars: Vec<char> = name.chars().collect();
            let at = 1 + rng.below(chars.len().saturating_sub(1).max(1));
            let (a, b) = chars.split_at(at.min(chars.len()));
            format!(
                "{} {}",
                a.iter().collect::<String>(),
                b.iter().collect::<String>()
            )
        }
        2 if name.contains(&city_in_brackets) => {
            format!(
                "{}{}",
                region().short,
                name.replacen(&city_in_brackets, "", 1)
            )
        }
        2 if name.starts_with(region().city) => name.replacen(region().city, region().short, 1),
        2 if name.starts_with(region().short) => name.replacen(region().short, region().city, 1),
        _ if name.ends_with("有限公司")
            && !name.ends_with("股份有限公司")
            && !name.ends_with("有限责任公司") =>
        {
            format!("{}有限责任公司", name.trim_end_matches("有限公司"))
        }
        // Quoted, as a name pasted from a document is (“北京某某有限公司”).
        _ if name.chars().count().is_multiple_of(2) => format!("“{name}”"),
        _ => format!(" {name} "),
    }
}

/// The name with the other company form: 股份有限公司 for a 有限公司 or 有限责任公司,
/// 有限公司 for a 股份有限公司.
fn other_form(name: &str) -> Option<String> {
    if let Some(core) = name.strip_suffix("股份有限公司") {
        return Some(format!("{core}有限公司"));
    }
    let core = name
        .strip_suffix("有限责任公司")
        .or_else(|| name.strip_suffix("有限公司"))?;
    Some(format!("{core}股份有限公司"))
}

/// One character of the trade name replaced, or for a fifth two neighbouring ones
/// swapped (华信 typed 信华): a typo no normal form repairs.
pub(super) fn typo(rng: &mut Rng, u: &TrueUnit) -> String {
    let chars: Vec<char> = u.trade.chars().collect();
    let at = rng.below(chars.len());
    let mut new_trade = chars.clone();
    loop {
        let c = rng.pick(TRADE_CHARS).chars().next().expect("char");
        if c != chars[at] {
            new_trade[at] = c;
            break;
        }
    }
    // Decided by a hash of the draw, so the draws that follow stay as they were.
    let replaced: String = new_trade.iter().collect();
    if chars.len() >= 2 && Rng::stable_chance(&replaced, "neighbours swapped", 0.2) {
        let i = at.min(chars.len() - 2);
        new_trade = chars;
        new_trade.swap(i, i + 1);
    }
    let typed: String = new_trade.iter().collect();
    u.name.replacen(u.trade.as_str(), &typed, 1)
}

/// A code as an office types it: full-width, lower case or with spaces.
pub(super) fn code_variant(rng: &mut Rng, code: &str) -> String {
    match rng.below(3) {
        0 => code
            .chars()
            .map(|c| {
                char::from_u32(c as u32 + 0xFEE0)
                    .filter(|_| c.is_ascii_alphanumeric())
                    .unwrap_or(c)
            })
            .collect(),
        1 => code.to_lowercase(),
        _ => format!(" {} {} ", &code[..6], &code[6..]),
    }
}

/// A USCC with a wrong check character.
pub(super) fn bad_check(code: &str) -> String {
    let last = if code.ends_with('0') { '1' } else { '0' };
    format!("{}{last}", &code[..code.len() - 1])
}

/// How often (cumulative fractions, times the mess factor) a member's 工作单位 is written
/// with a typo, under the unit's old name, or with the USCC in brackets after the name
/// (a tenth of them mistyped);
/// below 0.04 it is the short name, below 0.09 a bracket / space / prefix variant; then
/// 0.04 more write the name and the member's post, 0.03 more the name with the unit's
/// district after the city, and 0.02 more a party organization's name after the unit.
pub(crate) struct EmployerMess {
    pub typo: f64,
    pub old_name: f64,
    pub with_uscc: f64,
}

/// A member's 工作单位 as written: the unit's name, or one of the ways people write it.
pub(crate) fn employer_as_written(
    rng: &mut Rng,
    mess: &Mess,
    u: &TrueUnit,
    m: EmployerMess,
) -> String {
    let r = rng.unit();
    let p = mess.m;
    if r < 0.04 * p {
        let form = LEGAL_FORMS.iter().any(|f| u.name.ends_with(f)) || u.name.ends_with("分公司");
        if form {
            u.short_name.clone()
        } else {
            u.name.clone()
        }
    } else if r < 0.09 * p {
        let variant = name_variant(rng, &u.name);
        // One in a hundred write the other legal form (股份有限公司 for a 有限公司).
        match other_form(&u.name) {
            Some(other) if ((r * 1e8) as usize).is_multiple_of(100) => other,
            _ => variant,
        }
    } else if r < m.typo * p {
        typo(rng, u)
    } else if r < m.old_name * p && u.old_name.is_some() {
        let old = u.old_name.clone().expect("checked");
        // Now and then both names, the former in brackets (甲公司（原乙公司）).
        if ((r * 1e7) as usize).is_multiple_of(3) {
            format!("{}（原{old}）", u.name)
        } else {
            old
        }
    } else if r < m.with_uscc * p {
        // A tenth write the code with its check character wrong: the name still names
        // the unit.
        if ((r * 1e8) as usize).is_multiple_of(10) {
            format!("{}（{}）", u.name, bad_check(&u.uscc))
        } else {
            format!("{}（{}）", u.name, u.uscc)
        }
    } else if r < (m.with_uscc.max(m.old_name) + 0.04) * p {
        with_post(r, &u.name)
    } else if r < (m.with_uscc.max(m.old_name) + 0.07) * p {
        with_district(u)
    } else if r < (m.with_uscc.max(m.old_name) + 0.09) * p {
        // The party organization's name for the unit's (中共某某有限公司支部委员会).
        let form = ["中共{}支部委员会", "{}党支部", "{}党委"][(r * 1e9) as usize % 3];
        form.replace("{}", &u.name)
    } else {
        u.name.clone()
    }
}

/// The name with the unit's district after the city (北京市朝阳区某某科技有限公司 for
/// 北京某某科技有限公司), where the name has none of its own, or for some units after
/// the name in brackets.
fn with_district(u: &TrueUnit) -> String {
    let r = region();
    let district = r.districts[u.district].1;
    // Or after the name, in brackets (北京某某科技有限公司（朝阳区）).
    if Rng::stable_chance(&u.name, "district in brackets", 0.3) {
        return format!("{}（{district}）", u.name);
    }
    let rest = [r.city, r.short]
        .iter()
        .find_map(|c| u.name.strip_prefix(c))
        .filter(|rest| !r.districts.iter().any(|d| rest.starts_with(d.1)));
    match rest {
        Some(rest) => format!("{}{district}{rest}", r.city),
        None => u.name.clone(),
    }
}

/// The name and the member's post, as a 工作单位及职务 column holds them (北京某某有限公司
/// 经理, 某某中心（会计）, 某某有限公司财务部副总经理), the department alone (某某有限
/// 公司财务部), or a branch the registry does not hold (某某有限公司第一分公司). The post is chosen by `r`, the draw that chose this branch, so that the
/// draws of every later row stay as they were.
fn with_post(r: f64, name: &str) -> String {
    const POSTS: [&str; 8] = [
        "经理",
        "职员",
        "会计",
        "副总经理",
        "党支部书记",
        "工程师",
        "员工",
        "办公室主任",
    ];
    const SEPARATORS: [&str; 4] = ["", " ", "/", "（"];
    const DEPARTMENTS: [&str; 4] = ["财务部", "技术部", "办公室", "人力资源部"];
    const BRANCHES: [&str; 4] = ["第一分公司", "第二分公司", "销售分公司", "第三分公司"];
    let k = (r * 1e9) as usize;
    // An eighth of those at a company write a branch the registry does not hold
    // (某某有限公司第一分公司): they work for the company.
    if name.ends_with("公司") && !name.ends_with("分公司") && (k / 320).is_multiple_of(8) {
        return format!("{name}{}", BRANCHES[(k / 2560) % BRANCHES.len()]);
    }
    // A fifth write the department alone (某某有限公司财务部).
    let post = match (k / 32) % 5 {
        0 => DEPARTMENTS[(k / 160) % DEPARTMENTS.len()],
        _ => POSTS[k % POSTS.len()],
    };
    match SEPARATORS[(k / POSTS.len()) % SEPARATORS.len()] {
        "（" => format!("{name}（{post}）"),
        sep => format!("{name}{sep}{post}"),
    }
}
