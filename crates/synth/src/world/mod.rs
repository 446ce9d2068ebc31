//! The synthetic world: the true units, party organizations and members of one month,
//! before any export is written. Ground truth is computed from this, never from the
//! exports.

use std::collections::{BTreeMap, HashSet};

use coverage::ids;
use coverage::names::normalize_name;

use super::rng::Rng;

mod members;
mod moves;
mod orgs;
mod region;
mod units;

use members::*;
pub use members::{stale_listings, with_stale_rows};
pub use moves::StaleListing;
use moves::*;
use orgs::*;
pub use region::*;
use units::*;

pub const TRADE_CHARS: &[&str] = &[
    "星", "河", "云", "帆", "青", "禾", "明", "远", "东", "方", "华", "夏", "智", "联", "百", "川",
    "正", "信", "仁", "和", "瑞", "丰", "泰", "安", "鼎", "盛", "新", "宇", "博", "睿", "嘉", "源",
    "恒", "达", "汇", "通", "金", "石", "长", "城", "天", "诚", "景", "润", "德", "顺", "兴", "旺",
    "中", "科", "创", "易", "思", "卓", "越", "蓝", "海", "峰", "启", "航",
];
const INDUSTRIES: &[(&str, &str)] = &[
    ("科技", "I"),
    ("网络科技", "I"),
    ("商贸", "F"),
    ("餐饮", "H"),
    ("咨询", "L"),
    ("文化传媒", "R"),
    ("建筑工程", "E"),
    ("物流", "G"),
    ("生物医药", "C"),
    ("教育科技", "P"),
    ("房地产经纪", "K"),
    ("物业管理", "K"),
];
/// The fields 社会团体 are named for.
const SOCIETY_FIELDS: &[&str] = &[
    "软件行业",
    "餐饮行业",
    "物流行业",
    "建筑装饰",
    "电子商务",
    "文化交流",
    "摄影",
    "书法",
    "收藏",
    "旅游",
    "环保",
    "养老服务",
    "青年创业",
    "健康",
    "体育",
    "茶叶",
];
pub const LEGAL_FORMS: &[&str] = &["有限公司", "有限责任公司", "股份有限公司"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Registry {
    Enterprise,
    Social,
    Law,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OrgPlan {
    Own,
    Joint,
    Functional,
    None,
}

#[derive(Debug, Clone)]
pub struct TrueUnit {
    pub registry: Registry,
    pub uscc: String,
    pub reg_no: String,
    pub name: String,
    /// 字号, the distinctive part of the name.
    pub trade: String,
    /// Trade name and industry word: what a member writes when abbreviating.
    pub short_name: String,
    /// The name before a rename, where the unit was renamed.
    pub old_name: Option<String>,
    pub entity_raw: &'static str,
    pub status_raw: &'static str,
    pub district: usize,
    /// District of the export that still lists the unit as 迁出, for a unit that moved.
    pub moved_from: Option<usize>,
    pub street: usize,
    /// In its district's park (`park_name`): the 所属园区 of the export; the park's
    /// working committee may hold the members of a unit without an organization.
    pub park: bool,
    pub industry: &'static str,
    pub employees: u32,
    pub reg_level_raw: String,
    pub sub_category_raw: &'static str,
    pub formal: u32,
    pub probationary: u32,
    pub org: OrgPlan,
    pub instructor: bool,
    pub union: bool,
    pub youth: bool,
    /// For a branch (分公司): the company it belongs to.
    pub parent: Option<usize>,
    /// What the district's returned workbook says instead of the registry (the exports
    /// keep the registry's): its staff count, and that the unit is deregistered; with
    /// the period the correction arrived in.
    pub corrected_employees: Option<u32>,
    pub corrected_deregistered: bool,
    /// The correction arrived this month (its figures change now).
    pub corrected_now: bool,
}

#[derive(Debug, Clone)]
pub struct TrueOrg {
    pub id: String,
    pub name: String,
    pub level_raw: &'static str,
    pub formation_raw: &'static str,
    pub host: Option<usize>,
    pub host_by_name: bool,
    pub parent: String,
    pub status_raw: &'static str,
    /// Units of the joint-coverage list (joint organizations only).
    pub covered: Vec<usize>,
}

/// Where a row of an organization goes in an export that lists it twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// Before every other row of the export.
    First,
    /// After every other row.
    Last,
}

impl TrueOrg {
    /// Where a ledger not yet updated still gives this dissolved organization as 正常 (a
    /// third of them, the same every month), where that row goes: half before every
    /// other row (so that the first row of the id is the stale one), half after.
    pub fn still_active_in_a_ledger(&self) -> Option<Placed> {
        let stale = self.status_raw == "已撤销"
            && Rng::stable_chance(&self.id, "still 正常 in a ledger", 0.33);
        stale.then(
            || match Rng::stable_chance(&self.id, "stale org first", 0.5) {
                true => Placed::First,
                false => Placed::Last,
            },
        )
    }

    /// An organization in normal standing of a level and formation, named and placed
    /// by the caller (struct update syntax fills the rest).
    fn new(level_raw: &'static str, formation_raw: &'static str) -> Self {
        TrueOrg {
            id: String::new(),
            name: String::new(),
            level_raw,
            formation_raw,
            host: None,
            host_by_name: false,
            parent: String::new(),
            status_raw: "正常",
            covered: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TrueMember {
    pub id_number: String,
    pub category_raw: &'static str,
    pub status_raw: &'static str,
    pub org_id: String,
    /// The registry unit the member works in; None for an employer in no registry.
    pub employer: Option<usize>,
    /// Name of an employer that no registry holds.
    pub elsewhere: Option<String>,
    /// The member's organization hosts or covers the unit they work in; false is
    /// 组织关系未转入 (a former employer's, the group's or the street's organization).
    pub relation_here: bool,
    /// What the member writes as 工作单位 this month instead of the exports' own draw: a
    /// mover's typo one edit from both their new and their old unit.
    pub writes: Option<String>,
}

pub struct World {
    pub units: Vec<TrueUnit>,
    pub orgs: Vec<TrueOrg>,
    pub members: Vec<TrueMember>,
    /// What later months draw from: names in use, district propensities, the mess level
    /// and the kind of law-firm codes.
    names: NameBook,
    propensity: Vec<f64>,
    messiness: f64,
    law_e_codes: bool,
    /// People who changed jobs (see `moves`).
    moves: Moves,
}

impl World {
    /// The units of one registry, with their index in `units`.
    pub fn units_of(&self, registry: Registry) -> impl Iterator<Item = (usize, &TrueUnit)> {
        self.units
            .iter()
            .enumerate()
            .filter(move |(_, u)| u.registry == registry)
    }

    /// The dissolved organizations a ledger not yet updated still gives as 正常, whose
    /// row goes `at` (see `TrueOrg::still_active_in_a_ledger`).
    pub fn orgs_still_active_in_a_ledger(&self, at: Placed) -> impl Iterator<Item = &TrueOrg> {
        let orgs = self.orgs.iter();
        orgs.filter(move |o| o.still_active_in_a_ledger() == Some(at))
    }
}

/// What a unit's records say where an export lags behind it.
impl TrueUnit {
    /// The status of its record in its district's export and of the one in the district
    /// it left, where it moved this month: the district left has not always updated its
    /// export yet (30% of such units, the same ones every month: still 存续 there, not
    /// 迁出), and the new district's then says 迁入.
    pub fn move_statuses(&self) -> (&'static str, &'static str) {
        let pending = self.moved_from.is_some()
            && Rng::stable_chance(&self.uscc, "old district not yet updated", 0.3);
        match pending {
            true => ("迁入", "存续"),
            false => (self.status_raw, "迁出"),
        }
    }

    /// Its status as an export not yet updated writes it (`salt` names the export): still
    /// 存续 for a share `p` of the units deregistered or revoked since (the same units
    /// every month), as it is for the others.
    pub fn status_lagging(&self, salt: &str, p: f64) -> &'static str {
        match self.status_raw {
            "注销" | "吊销" if Rng::stable_chance(&self.uscc, salt, p) => "存续",
            s => s,
        }
    }
}

/// How the rulebook reads a unit: in scope, and its sector.
impl TrueUnit {
    pub fn in_scope(&self) -> bool {
        let active = matches!(self.status_raw, "存续" | "在业" | "清算" | "正常" | "执业");
        let kind_ok = !matches!(
            self.entity_raw,
            "有限责任公司(国有独资)" | "集体所有制" | "个体工商户"
        );
        active && kind_ok
    }

    pub fn social_sector(&self) -> bool {
        self.registry != Registry::Enterprise || self.entity_raw == "普通合伙企业"
    }
}

pub fn uscc(prefix: &str, area: &str, seq: usize) -> String {
    let org8 = format!("{:08}", 10_000_000 + 30_000_000 * region().index + seq);
    let org9 = format!("{org8}{}", ids::org_code_check_char(&org8).expect("digits"));
    let first17 = format!("{prefix}{area}{org9}");
    let check = ids::uscc_check_char(&first17).expect("alphabet");
    format!("{first17}{check}")
}

/// A 司法行政 USCC as law firms carry it: 31, the area, `E` and seven digits as the
/// 主体标识码 (with its GB 11714 character), then the MOD 31 check character, e.g.
/// `31110000E492955504`.
pub fn e_code(seq: usize) -> String {
    let body = format!("E{:07}", (seq + 3_000_000 * region().index) % 10_000_000);
    let org9 = format!(
        "{body}{}",
        ids::org_code_check_char(&body).expect("E and digits")
    );
    let first17 = format!("31{}{org9}", region().code);
    let check = ids::uscc_check_char(&first17).expect("alphabet");
    format!("{first17}{check}")
}

fn reg_no(area: &str, seq: usize) -> String {
    let first14 = format!("{area}{:08}", seq % 100_000_000);
    let check = ids::reg_no_check_digit(&first14).expect("digits");
    format!("{first14}{check}")
}

/// A member's ID number, the same in every month: a person keeps theirs. `place` says
/// who the member is — the unit's index and the member's place among its members
/// (`unit * 1000 + k`), or for a member whose employer is in no registry its index among
/// them — and `region` tells the two kinds apart. The birth date carries what does not
/// fit in the seven sequence digits, so numbers stay distinct up to 10.27M units.
fn id_number(region: &str, place: u64) -> String {
    const DATES: u64 = 52 * 12 * 28;
    let mut mix = Rng::new(place);
    let d = ((place / 10_000_000) * 17 + mix.next_u64() % 17) % DATES;
    let (year, month, day) = (1950 + d / (12 * 28), 1 + d / 28 % 12, 1 + d % 28);
    let first17 = format!(
        "{region}{:04}{year:04}{month:02}{day:02}{:03}",
        place / 1000 % 10_000,
        place % 1000
    );
    let check = ids::id_check_char(&first17).expect("digits");
    format!("{first17}{check}")
}

/// Employees from 1 to 5000 with a heavy tail (most units are small).
fn employees(rng: &mut Rng) -> u32 {
    let u = rng.unit().powf(2.2);
    (5000f64.powf(u)).floor().clamp(1.0, 5000.0) as u32
}

/// Two or three characters (字号).
pub fn trade_name(rng: &mut Rng) -> String {
    let mut name = format!("{}{}", rng.pick(TRADE_CHARS), rng.pick(TRADE_CHARS));
    if rng.chance(0.5) {
        let third: &&str = rng.pick(TRADE_CHARS);
        name.push_str(third);
    }
    name
}

/// Names whose normal forms are all different, so that a name points to one unit.
pub struct NameBook {
    used: HashSet<String>,
    prefixes: Vec<String>,
}

impl NameBook {
    pub fn new() -> Self {
        NameBook {
            used: HashSet::new(),
            prefixes: vec![region().city.to_string(), region().short.to_string()],
        }
    }

    /// Whether a name's normal form is some unit's.
    pub fn is_taken(&self, name: &str) -> bool {
        self.used.contains(&normalize_name(name, &self.prefixes))
    }

    /// Takes a name if its normal form is still free.
    pub fn claim(&mut self, name: &str) -> bool {
        self.used.insert(normalize_name(name, &self.prefixes))
    }

    /// Draws names until one is new; returns it with the trade name used. A kind of
    /// unit whose two- and three-character names are nearly all taken (a 10M-unit
    /// month has more 合作社 than 242k trade names) gets a character more each 64 tries,
    /// so the draw ends; smaller months never get that far and keep their bytes.
    pub fn draw(
        &mut self,
        rng: &mut Rng,
        make: impl Fn(&str, &mut Rng) -> String,
    ) -> (String, String) {
        for tries in 0usize.. {
            let mut trade = trade_name(rng);
            for _ in 0..tries / 64 {
                let more: &&str = rng.pick(TRADE_CHARS);
                trade.push_str(more);
            }
            let name = make(&trade, rng);
            if self.used.insert(normalize_name(&name, &self.prefixes)) {
                return (name, trade);
            }
        }
        unreachable!("the tries never run out")
    }
}

impl Default for NameBook {
    fn default() -> Self {
        Self::new()
    }
}

/// Community (street) party committee of a street: hosts members of units without an
/// organization; it is no unit's organization.
pub fn community_org_id(district: usize, street: usize) -> String {
    format!("SQ{}{street}", region().districts[district].0)
}

/// The park (园区) of a district: some enterprises are in it, and its working committee
/// (a `park_org_id`, hosting no unit) holds members of park units without an
/// organization, as a street's committee does.
pub fn park_name(district: usize) -> String {
    let name = region().districts[district].1;
    let short = ["新区", "区", "县"]
        .iter()
        .find_map(|end| name.strip_suffix(end))
        .unwrap_or(name);
    format!("{short}科技园区")
}

/// The working committee of a district's park.
pub fn park_org_id(district: usize) -> String {
    format!("YQ{}", region().districts[district].0)
}

/// Draws the true world. `law_e_codes`: law firms carry 司法行政 E-codes.
pub fn generate(rng: &mut Rng, n_units: usize, messiness: f64, law_e_codes: bool) -> World {
    // Social-organization coverage per district spreads around the 40% target.
    let propensity: Vec<f64> = (0..region().districts.len())
        .map(|_| 0.2 + 0.45 * rng.unit())
        .collect();
    let mut names = NameBook::new();
    let mut units: Vec<TrueUnit> = (0..n_units)
        .map(|i| make_unit(rng, i + 1, &mut names, &propensity, messiness, law_e_codes))
        .collect();
    make_branches(rng, &mut units, &mut names);
    let mut world = World {
        units,
        orgs: Vec::new(),
        members: Vec::new(),
        names,
        propensity,
        messiness,
        law_e_codes,
        moves: Moves::default(),
    };
    populate(rng, &mut world);
    world
}

/// The month after: units register, deregister, move, are renamed; organizations are
/// formed and dissolved; members join, leave and become formal; instructors come and
/// go. Organizations and members are then drawn again from the units.
pub fn next_month(rng: &mut Rng, world: &mut World) {
    let n = world.units.len();
    for i in 0..n {
        let u = &mut world.units[i];
        u.moved_from = None;
        u.old_name = None;
        let active = u.in_scope();
        if active && rng.chance(0.004) {
            u.status_raw = "注销";
            continue;
        }
        if active && u.registry == Registry::Enterprise && rng.chance(0.003) {
            u.moved_from = Some(u.district);
            u.district = (u.district + 1 + rng.below(region().districts.len() - 1))
                % region().districts.len();
            u.street = rng.below(3);
            u.park = false;
        }
        if rng.chance(0.003) && !u.name.contains("分公司") {
            let (old_trade, old_name) = (u.trade.clone(), u.name.clone());
            let (name, trade) = world
                .names
                .draw(rng, |t, _| old_name.replacen(old_trade.as_str(), t, 1));
            let u = &mut world.units[i];
            u.short_name = u.short_name.replacen(old_trade.as_str(), &trade, 1);
            u.old_name = Some(old_name);
            u.name = name;
            u.trade = trade;
        }
        let u = &mut world.units[i];
        if rng.chance(0.02) {
            u.formal += 1;
        } else if u.formal > 0 && rng.chance(0.01) {
            u.formal -= 1;
        } else if u.probationary > 0 && rng.chance(0.05) {
            u.probationary -= 1;
            u.formal += 1;
        }
        u.org = match u.org {
            OrgPlan::None if u.formal >= 3 && rng.chance(0.05) => OrgPlan::Own,
            OrgPlan::None if u.formal > 0 && rng.chance(0.02) => OrgPlan::Joint,
            OrgPlan::Own if rng.chance(0.005) => OrgPlan::None,
            plan => plan,
        };
        if rng.chance(0.01) {
            u.instructor = !u.instructor;
        }
    }
    draw_moves(rng, world);
    let new_units = (n as f64 * 0.008).round() as usize;
    for k in 0..new_units {
        let u = make_unit(
            rng,
            n + k + 1,
            &mut world.names,
            &world.propensity,
            world.messiness,
            world.law_e_codes,
        );
        world.units.push(u);
    }
    populate(rng, world);
}

/// Organizations and members of the world's units.
fn populate(rng: &mut Rng, world: &mut World) {
    let mut orgs = community_orgs();
    let (org_of_unit, by_street) = organize_units(rng, &world.units, &mut orgs);
    let org_of_unit = organize_joint(rng, &by_street, &mut orgs, org_of_unit);
    world.orgs = orgs;
    world.members = draw_members(rng, world, &org_of_unit);
}
