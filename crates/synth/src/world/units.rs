//! Drawing one unit: its registry, name, codes, status, staff, members and
//! organization plan, and the branches of companies.

use super::*;

pub(super) fn make_unit(
    rng: &mut Rng,
    seq: usize,
    names: &mut NameBook,
    propensity: &[f64],
    messiness: f64,
    law_e_codes: bool,
) -> TrueUnit {
    let district = rng.below(region().districts.len());
    let street = rng.below(3);
    let (dcode, _, _) = region().districts[district];
    let roll = rng.unit();
    let registry = if roll < 0.84 {
        Registry::Enterprise
    } else if roll < 0.97 {
        Registry::Social
    } else {
        Registry::Law
    };
    let mut u = TrueUnit {
        registry,
        uscc: String::new(),
        reg_no: reg_no(dcode, seq),
        name: String::new(),
        trade: String::new(),
        short_name: String::new(),
        old_name: None,
        entity_raw: "",
        status_raw: "",
        district,
        moved_from: None,
        street,
        park: false,
        industry: "",
        employees: employees(rng),
        reg_level_raw: String::new(),
        sub_category_raw: "",
        formal: 0,
        probationary: 0,
        org: OrgPlan::None,
        instructor: false,
        union: false,
        youth: false,
        parent: None,
        corrected_employees: None,
        corrected_deregistered: false,
        corrected_now: false,
    };
    match registry {
        Registry::Enterprise => draw_enterprise(rng, &mut u, names, seq),
        Registry::Social => draw_social(rng, &mut u, names, seq),
        Registry::Law => draw_law_firm(rng, &mut u, names, seq, law_e_codes),
    }
    // A unit that moved is still listed as 迁出 by its old district's export.
    if registry == Registry::Enterprise && u.in_scope() && rng.chance(0.01 * messiness) {
        u.moved_from = Some(
            (district + 1 + rng.below(region().districts.len() - 1)) % region().districts.len(),
        );
    }
    // Which enterprises are in the park is drawn from stable hashes: the other draws of
    // the month stay as they were before parks were drawn.
    u.park = registry == Registry::Enterprise
        && u.moved_from.is_none()
        && Rng::stable_chance(&u.uscc, "in the district's park", 0.15);
    if rng.chance(0.01 * messiness) {
        let (old, _) = names.draw(rng, |t, _| u.name.replacen(u.trade.as_str(), t, 1));
        u.old_name = Some(old);
    }
    draw_members_and_organization(rng, &mut u, propensity[district]);
    u
}

/// An enterprise's legal form, industry, name, USCC and registry status.
pub(super) fn draw_enterprise(rng: &mut Rng, u: &mut TrueUnit, names: &mut NameBook, seq: usize) {
    let (dcode, dname, _) = region().districts[u.district];
    let (prefix, entity) = match rng.unit() {
        r if r < 0.70 => ("91", "有限责任公司(自然人投资或控股)"),
        r if r < 0.75 => ("91", "有限责任公司(外商投资)"),
        r if r < 0.78 => ("91", "有限责任公司(国有独资)"),
        r if r < 0.79 => ("91", "集体所有制"),
        r if r < 0.90 => ("92", "个体工商户"),
        r if r < 0.91 => ("93", "农民专业合作社"),
        r if r < 0.95 => ("91", "普通合伙企业"),
        _ => ("91", "股份有限公司(非上市)"),
    };
    u.entity_raw = entity;
    let (industry, code) = *rng.pick(INDUSTRIES);
    u.industry = code;
    let (name, trade) = match entity {
        "个体工商户" => names.draw(rng, |t, _| format!("{dname}{t}{industry}店")),
        "农民专业合作社" => {
            names.draw(rng, |t, _| format!("{}{t}种植专业合作社", region().short))
        }
        "普通合伙企业" => names.draw(rng, |t, r| {
            let kind = if r.chance(0.6) {
                "会计师事务所"
            } else {
                "税务师事务所"
            };
            format!("{}{t}{kind}（普通合伙）", region().short)
        }),
        _ => names.draw(rng, |t, r| {
            let prefix = *r.pick(&[region().short, region().city, region().short]);
            let form = r.pick(LEGAL_FORMS);
            // A company of a group registers the city in brackets after its 字号
            // (某某（北京）科技有限公司); members write it 北京某某科技有限公司 too.
            if Rng::stable_chance(t, "city in brackets", 0.05) {
                format!("{t}（{}）{industry}{form}", region().short)
            } else if Rng::stable_chance(t, "group in brackets", 0.02) {
                // A group's company registers （集团） before its form (某某科技（集团）有限
                // 公司); members write it with or without the brackets.
                format!("{prefix}{t}{industry}（集团）{form}")
            } else {
                format!("{prefix}{t}{industry}{form}")
            }
        }),
    };
    u.short_name = format!("{trade}{industry}");
    u.trade = trade;
    u.name = name;
    u.uscc = uscc(prefix, dcode, seq);
    u.status_raw = match rng.unit() {
        r if r < 0.86 => "存续",
        r if r < 0.89 => "在业",
        r if r < 0.93 => "吊销",
        r if r < 0.98 => "注销",
        _ => "清算",
    };
}

/// A social organization's kind, registering office, name, USCC and status.
pub(super) fn draw_social(rng: &mut Rng, u: &mut TrueUnit, names: &mut NameBook, seq: usize) {
    let (dcode, dname, _) = region().districts[u.district];
    let (prefix, kind) = match rng.unit() {
        r if r < 0.45 => ("51", "社会团体"),
        r if r < 0.95 => ("52", "民办非企业单位"),
        _ => ("53", "基金会"),
    };
    u.entity_raw = kind;
    let municipal = rng.chance(0.3);
    u.reg_level_raw = if municipal {
        format!("{}民政局", region().city)
    } else {
        format!("{dname}民政局")
    };
    let area = if municipal { region().code } else { dcode };
    let (name, trade) = match kind {
        // Social organizations are named for their field as well as their 字号
        // (北京市××软件行业协会, 北京××教育发展基金会): a name of 字号 and type alone
        // would put several one-edit neighbours beside almost every society of the city.
        "社会团体" => names.draw(rng, |t, r| {
            format!(
                "{}{t}{}{}",
                region().city,
                r.pick(SOCIETY_FIELDS),
                r.pick(&["协会", "学会", "商会", "促进会", "研究会"])
            )
        }),
        "基金会" => names.draw(rng, |t, r| {
            format!(
                "{}{t}{}基金会",
                region().short,
                r.pick(&[
                    "慈善",
                    "公益",
                    "教育发展",
                    "助学",
                    "文化发展",
                    "医疗救助",
                    "科技创新",
                    "生态环保"
                ])
            )
        }),
        _ => names.draw(rng, |t, r| {
            format!(
                "{}{dname}{t}{}",
                region().short,
                r.pick(&[
                    "培训学校",
                    "职业技能培训学校",
                    "艺术培训学校",
                    "养老服务中心",
                    "社区服务中心",
                    "心理咨询服务中心",
                    "社会工作事务所",
                    "社会工作服务中心",
                    "康复医院",
                    "中医医院",
                    "幼儿园",
                    "双语幼儿园"
                ])
            )
        }),
    };
    u.short_name = trade.clone();
    u.trade = trade;
    u.name = name;
    u.sub_category_raw = if u.name.ends_with("学校") || u.name.ends_with("幼儿园") {
        "民办学校"
    } else if u.name.ends_with("医院") {
        "民办医院"
    } else {
        ""
    };
    u.employees = u.employees.min(800);
    u.uscc = uscc(prefix, area, seq);
    u.status_raw = match rng.unit() {
        r if r < 0.92 => "正常",
        r if r < 0.97 => "注销",
        _ => "撤销",
    };
}

/// A law firm's name, code (an E code in the samr layout) and status.
pub(super) fn draw_law_firm(
    rng: &mut Rng,
    u: &mut TrueUnit,
    names: &mut NameBook,
    seq: usize,
    law_e_codes: bool,
) {
    let (name, trade) = names.draw(rng, |t, _| format!("{}{t}律师事务所", region().city));
    u.short_name = trade.clone();
    u.trade = trade;
    u.name = name;
    u.uscc = if law_e_codes {
        e_code(seq)
    } else {
        uscc("31", region().code, seq)
    };
    u.employees = u.employees.min(600);
    u.status_raw = if rng.chance(0.95) { "执业" } else { "注销" };
}

/// Members cluster in larger units: on average about 0.6% of staff in enterprises,
/// 2% in social organizations and firms (about two member records per unit); the
/// organization plan follows the members and, outside enterprises, the district's
/// propensity to organize.
pub(super) fn draw_members_and_organization(rng: &mut Rng, u: &mut TrueUnit, propensity: f64) {
    let registry = u.registry;
    let rate = match registry {
        Registry::Enterprise => 0.006,
        _ => 0.02,
    } * rng.unit()
        * 2.0;
    u.formal = (u.employees as f64 * rate).floor() as u32;
    if u.formal == 0 && rng.chance(0.25) {
        u.formal = 1 + rng.below(2) as u32;
    }
    u.probationary = u32::from(u.formal > 0 && rng.chance(0.2));
    u.org = if registry == Registry::Enterprise {
        match u.formal {
            f if f >= 3 => match rng.unit() {
                r if r < 0.85 => OrgPlan::Own,
                r if r < 0.95 => OrgPlan::Joint,
                _ => OrgPlan::None,
            },
            1 | 2 => match rng.unit() {
                r if r < 0.55 => OrgPlan::Joint,
                r if r < 0.65 => OrgPlan::Functional,
                _ => OrgPlan::None,
            },
            _ if rng.chance(0.08) => OrgPlan::Joint,
            _ => OrgPlan::None,
        }
    } else if rng.chance(propensity) {
        if u.formal >= 3 {
            OrgPlan::Own
        } else {
            OrgPlan::Joint
        }
    } else if u.formal > 0 && rng.chance(0.15) {
        OrgPlan::Functional
    } else {
        OrgPlan::None
    };
    if u.formal == 0 && u.probationary == 0 && u.org == OrgPlan::None {
        u.instructor = rng.chance(0.3);
    }
    u.union = u.employees >= 25 && rng.chance(0.3);
    u.youth = rng.chance(0.08);
}

/// About 4% of private companies are branches (分公司) of an earlier company: the
/// parent's name and the branch's district, a USCC of their own, a unit of their own.
pub(super) fn make_branches(rng: &mut Rng, units: &mut [TrueUnit], names: &mut NameBook) {
    const PRIVATE: &str = "有限责任公司(自然人投资或控股)";
    let mut parents: Vec<usize> = Vec::new();
    for i in 0..units.len() {
        if units[i].entity_raw != PRIVATE {
            continue;
        }
        if !parents.is_empty() && rng.chance(0.04) {
            let p = parents[rng.below(parents.len())];
            let district = region().districts[units[i].district]
                .1
                .trim_end_matches('区');
            let name = format!("{}{district}分公司", units[p].name);
            if names.claim(&name) {
                let (trade, short) = (
                    units[p].trade.clone(),
                    format!("{}{district}分公司", units[p].short_name),
                );
                let b = &mut units[i];
                b.name = name;
                b.trade = trade;
                b.short_name = short;
                b.entity_raw = "有限责任公司分公司(自然人投资或控股)";
                b.old_name = None;
                b.parent = Some(p);
                continue;
            }
        }
        parents.push(i);
    }
}
