//! The synthetic world: the true units, party organizations and members of one month,
//! before any export is written. Ground truth is computed from this, never from the
//! exports.

use std::collections::{BTreeMap, HashSet};

use coverage::ids;
use coverage::names::normalize_name;

use super::rng::Rng;

/// A district: its GB/T 2260 code, its name and three streets or towns.
pub type District = (&'static str, &'static str, [&'static str; 3]);

/// The city a synthetic world is drawn in (`coverage-synth write --region`).
#[derive(Debug)]
pub struct Region {
    /// Its name on the command line, and in English.
    pub key: &'static str,
    pub english: &'static str,
    /// GB/T 2260 code of the city, e.g. 110000.
    pub code: &'static str,
    /// 北京市; and the short form names use, 北京.
    pub city: &'static str,
    pub short: &'static str,
    pub districts: &'static [District],
    /// Which of the regions it is (0, 1, …): organization codes of region k start at
    /// 10,000,000 + 30,000,000 k, so that two regions' units never share an identifier
    /// (as two real cities' units do not).
    pub index: usize,
}

pub const BEIJING: Region = Region {
    key: "beijing",
    english: "Beijing",
    code: "110000",
    city: "北京市",
    short: "北京",
    districts: &BEIJING_DISTRICTS,
    index: 0,
};

pub const TIANJIN: Region = Region {
    key: "tianjin",
    english: "Tianjin",
    code: "120000",
    city: "天津市",
    short: "天津",
    districts: &TIANJIN_DISTRICTS,
    index: 1,
};

pub const SHANGHAI: Region = Region {
    key: "shanghai",
    english: "Shanghai",
    code: "310000",
    city: "上海市",
    short: "上海",
    districts: &SHANGHAI_DISTRICTS,
    index: 2,
};

pub const REGIONS: [&Region; 3] = [&BEIJING, &TIANJIN, &SHANGHAI];

static REGION: std::sync::OnceLock<&'static Region> = std::sync::OnceLock::new();

/// Draws this process's worlds in `region` (Beijing unless set); once per process.
pub fn set_region(region: &'static Region) -> bool {
    REGION.set(region).is_ok() || std::ptr::eq(*REGION.get().expect("set"), region)
}

/// The region this process's worlds are drawn in.
pub fn region() -> &'static Region {
    REGION.get().copied().unwrap_or(&BEIJING)
}

const TIANJIN_DISTRICTS: [District; 16] = [
    (
        "120101",
        "和平区",
        ["劝业场街道", "小白楼街道", "五大道街道"],
    ),
    ("120102", "河东区", ["大王庄街道", "向阳楼街道", "春华街道"]),
    ("120103", "河西区", ["友谊路街道", "小海地街道", "梅江街道"]),
    ("120104", "南开区", ["长虹街道", "向阳路街道", "学府街道"]),
    (
        "120105",
        "河北区",
        ["光复道街道", "望海楼街道", "鸿顺里街道"],
    ),
    (
        "120106",
        "红桥区",
        ["西于庄街道", "丁字沽街道", "三条石街道"],
    ),
    ("120110", "东丽区", ["张贵庄街道", "万新街道", "军粮城街道"]),
    ("120111", "西青区", ["杨柳青镇", "中北镇", "李七庄街道"]),
    ("120112", "津南区", ["咸水沽镇", "双港镇", "辛庄镇"]),
    ("120113", "北辰区", ["果园新村街道", "集贤里街道", "天穆镇"]),
    ("120114", "武清区", ["杨村街道", "下朱庄街道", "黄庄街道"]),
    ("120115", "宝坻区", ["海滨街道", "宝平街道", "钰华街道"]),
    ("120116", "滨海新区", ["塘沽街道", "新港街道", "泰达街道"]),
    ("120117", "宁河区", ["芦台街道", "桥北街道", "宁河镇"]),
    ("120118", "静海区", ["静海镇", "华康街道", "朝阳街道"]),
    ("120119", "蓟州区", ["文昌街道", "渔阳镇", "洇溜镇"]),
];

const SHANGHAI_DISTRICTS: [District; 16] = [
    ("310101", "黄浦区", ["南京东路街道", "外滩街道", "豫园街道"]),
    (
        "310104",
        "徐汇区",
        ["徐家汇街道", "天平路街道", "漕河泾街道"],
    ),
    (
        "310105",
        "长宁区",
        ["华阳路街道", "江苏路街道", "新华路街道"],
    ),
    (
        "310106",
        "静安区",
        ["静安寺街道", "南京西路街道", "江宁路街道"],
    ),
    (
        "310107",
        "普陀区",
        ["曹杨新村街道", "长风新村街道", "真如镇街道"],
    ),
    (
        "310109",
        "虹口区",
        ["四川北路街道", "嘉兴路街道", "欧阳路街道"],
    ),
    (
        "310110",
        "杨浦区",
        ["五角场街道", "控江路街道", "平凉路街道"],
    ),
    ("310112", "闵行区", ["江川路街道", "古美街道", "莘庄镇"]),
    ("310113", "宝山区", ["友谊路街道", "吴淞街道", "大场镇"]),
    ("310114", "嘉定区", ["嘉定镇街道", "新成路街道", "安亭镇"]),
    ("310115", "浦东新区", ["陆家嘴街道", "花木街道", "张江镇"]),
    ("310116", "金山区", ["石化街道", "朱泾镇", "枫泾镇"]),
    ("310117", "松江区", ["岳阳街道", "方松街道", "泗泾镇"]),
    ("310118", "青浦区", ["夏阳街道", "盈浦街道", "朱家角镇"]),
    ("310120", "奉贤区", ["南桥镇", "奉浦街道", "西渡街道"]),
    ("310151", "崇明区", ["城桥镇", "堡镇", "陈家镇"]),
];

/// The 16 districts of Beijing (GB/T 2260) with three streets or towns each.
const BEIJING_DISTRICTS: [District; 16] = [
    ("110101", "东城区", ["东华门街道", "东四街道", "和平里街道"]),
    (
        "110102",
        "西城区",
        ["西长安街街道", "金融街街道", "德胜街道"],
    ),
    ("110105", "朝阳区", ["建外街道", "望京街道", "三里屯街道"]),
    ("110106", "丰台区", ["丰台街道", "卢沟桥街道", "方庄街道"]),
    ("110107", "石景山区", ["八宝山街道", "古城街道", "鲁谷街道"]),
    ("110108", "海淀区", ["中关村街道", "海淀街道", "学院路街道"]),
    ("110109", "门头沟区", ["大峪街道", "城子街道", "永定镇"]),
    ("110111", "房山区", ["拱辰街道", "良乡镇", "长阳镇"]),
    ("110112", "通州区", ["新华街道", "中仓街道", "永顺镇"]),
    ("110113", "顺义区", ["胜利街道", "光明街道", "后沙峪镇"]),
    (
        "110114",
        "昌平区",
        ["城北街道", "回龙观街道", "天通苑北街道"],
    ),
    ("110115", "大兴区", ["兴丰街道", "清源街道", "亦庄镇"]),
    ("110116", "怀柔区", ["泉河街道", "龙山街道", "雁栖镇"]),
    ("110117", "平谷区", ["滨河街道", "兴谷街道", "马坊镇"]),
    ("110118", "密云区", ["鼓楼街道", "果园街道", "溪翁庄镇"]),
    ("110119", "延庆区", ["儒林街道", "百泉街道", "康庄镇"]),
];

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

impl TrueOrg {
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
}

impl World {
    /// The units of one registry, with their index in `units`.
    pub fn units_of(&self, registry: Registry) -> impl Iterator<Item = (usize, &TrueUnit)> {
        self.units
            .iter()
            .enumerate()
            .filter(move |(_, u)| u.registry == registry)
    }
}

/// How the rulebook reads a unit: in scope, and its sector.
impl TrueUnit {
    pub fn in_scope(&self) -> bool {
        let active = matches!(self.status_raw, "存续" | "在业" | "清算" | "正常" | "执业");
        let kind_ok = !matches!(
            self.entity_raw,
            "有限责任公司(国有独资)" | "集体所有制" | "个体工商户" | "农民专业合作社"
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

fn id_number(rng: &mut Rng, seq: usize) -> String {
    let year = 1950 + rng.below(52);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let first17 = format!(
        "99{:04}{year:04}{month:02}{day:02}{:03}",
        seq / 1000 % 10_000,
        seq % 1000
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

    /// Takes a name if its normal form is still free.
    pub fn claim(&mut self, name: &str) -> bool {
        self.used.insert(normalize_name(name, &self.prefixes))
    }

    /// Draws names until one is new; returns it with the trade name used.
    pub fn draw(
        &mut self,
        rng: &mut Rng,
        make: impl Fn(&str, &mut Rng) -> String,
    ) -> (String, String) {
        loop {
            let trade = trade_name(rng);
            let name = make(&trade, rng);
            if self.used.insert(normalize_name(&name, &self.prefixes)) {
                return (name, trade);
            }
        }
    }
}

impl Default for NameBook {
    fn default() -> Self {
        Self::new()
    }
}

fn make_unit(
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
    if rng.chance(0.01 * messiness) {
        let (old, _) = names.draw(rng, |t, _| u.name.replacen(u.trade.as_str(), t, 1));
        u.old_name = Some(old);
    }
    draw_members_and_organization(rng, &mut u, propensity[district]);
    u
}

/// An enterprise's legal form, industry, name, USCC and registry status.
fn draw_enterprise(rng: &mut Rng, u: &mut TrueUnit, names: &mut NameBook, seq: usize) {
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
            format!("{prefix}{t}{industry}{}", r.pick(LEGAL_FORMS))
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
fn draw_social(rng: &mut Rng, u: &mut TrueUnit, names: &mut NameBook, seq: usize) {
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
fn draw_law_firm(
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
fn draw_members_and_organization(rng: &mut Rng, u: &mut TrueUnit, propensity: f64) {
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
fn make_branches(rng: &mut Rng, units: &mut [TrueUnit], names: &mut NameBook) {
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

/// Community (street) party committee of a street: hosts members of units without an
/// organization; it is no unit's organization.
pub fn community_org_id(district: usize, street: usize) -> String {
    format!("SQ{}{street}", region().districts[district].0)
}

/// Draws the world of one month.
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
    world.members = draw_members(rng, world, &org_of_unit);
    world.orgs = orgs;
}

/// The street working committees (街道工委) every district has: the parents of unit
/// organizations and the organizations of members with no organization at work.
fn community_orgs() -> Vec<TrueOrg> {
    let mut orgs = Vec::new();
    for (d, (_, dname, streets)) in region().districts.iter().enumerate() {
        for (s, street) in streets.iter().enumerate() {
            orgs.push(TrueOrg {
                id: community_org_id(d, s),
                name: format!("中共{}{dname}{street}工作委员会", region().city),
                parent: String::new(),
                host: None,
                ..TrueOrg::new("党委", "单独组建")
            });
        }
    }
    orgs
}

/// Units joined by a street's joint organizations, by (district, street).
type JointCandidates = BTreeMap<(usize, usize), Vec<usize>>;

/// Each unit's own or functional organization, plus the 党小组 and dissolved
/// organizations that must not count; units planned for a joint organization are
/// gathered by street.
fn organize_units(
    rng: &mut Rng,
    units: &[TrueUnit],
    orgs: &mut Vec<TrueOrg>,
) -> (Vec<Option<String>>, JointCandidates) {
    let mut org_of_unit: Vec<Option<String>> = vec![None; units.len()];
    let mut by_street = JointCandidates::new();
    for (i, u) in units.iter().enumerate() {
        let parent = community_org_id(u.district, u.street);
        match u.org {
            OrgPlan::Own => {
                let (level, suffix) = match u.formal {
                    f if f >= 50 => ("党委", "委员会"),
                    f if f >= 15 => ("党总支", "总支部委员会"),
                    _ => ("党支部", "支部委员会"),
                };
                let id = format!("DZ{i:07}");
                orgs.push(TrueOrg {
                    id: id.clone(),
                    name: format!("中共{}{suffix}", u.name),
                    host: Some(i),
                    host_by_name: rng.chance(0.2),
                    parent,
                    ..TrueOrg::new(level, "单独组建")
                });
                org_of_unit[i] = Some(id);
            }
            OrgPlan::Functional => {
                let id = format!("GN{i:07}");
                orgs.push(TrueOrg {
                    id: id.clone(),
                    name: format!("{}功能型党支部", u.name),
                    host: Some(i),
                    parent,
                    ..TrueOrg::new("党支部", "功能型")
                });
                org_of_unit[i] = Some(id);
            }
            OrgPlan::Joint => by_street.entry((u.district, u.street)).or_default().push(i),
            OrgPlan::None => {
                if u.formal > 0 && rng.chance(0.1) {
                    orgs.push(TrueOrg {
                        id: format!("XZ{i:07}"),
                        name: format!("{}党小组", u.name),
                        host: Some(i),
                        parent: parent.clone(),
                        ..TrueOrg::new("党小组", "单独组建")
                    });
                }
                if rng.chance(0.02) {
                    orgs.push(TrueOrg {
                        id: format!("CX{i:07}"),
                        name: format!("中共{}支部委员会", u.name),
                        host: Some(i),
                        parent,
                        status_raw: "已撤销",
                        ..TrueOrg::new("党支部", "单独组建")
                    });
                }
            }
        }
    }
    (org_of_unit, by_street)
}

/// Joint (联合) and affiliated (挂靠) organizations of 2 to 15 units of one street,
/// hosted by the street or by the group's first unit.
fn organize_joint(
    rng: &mut Rng,
    by_street: &JointCandidates,
    orgs: &mut Vec<TrueOrg>,
    mut org_of_unit: Vec<Option<String>>,
) -> Vec<Option<String>> {
    let mut joint_no = 0;
    for ((d, s), group_units) in by_street {
        let (_, dname, streets) = region().districts[*d];
        let mut rest = group_units.as_slice();
        while !rest.is_empty() {
            let size = (2 + rng.below(14)).min(rest.len());
            let (group, tail) = rest.split_at(size);
            rest = tail;
            joint_no += 1;
            let id = format!("LH{joint_no:06}");
            let affiliated = rng.chance(0.1);
            let street_host = rng.chance(0.3);
            let formation = if affiliated {
                "挂靠组建"
            } else {
                "联合组建"
            };
            orgs.push(TrueOrg {
                id: id.clone(),
                name: format!(
                    "中共{dname}{}{}联合支部委员会",
                    streets[*s],
                    if affiliated { "挂靠" } else { "非公企业" }
                ),
                host: if street_host { None } else { Some(group[0]) },
                parent: community_org_id(*d, *s),
                covered: group.to_vec(),
                ..TrueOrg::new("联合党支部", formation)
            });
            for &i in group {
                org_of_unit[i] = Some(id.clone());
            }
        }
    }
    org_of_unit
}

/// Every unit's members in its organization (or its street's committee), the members
/// not in normal standing that never count, and members whose employer is in no
/// registry (a unit of another city, a public body). Where the month is messy, some
/// members' 组织关系 is not where they work (see `organization_of_member`).
fn draw_members(
    rng: &mut Rng,
    world: &mut World,
    org_of_unit: &[Option<String>],
) -> Vec<TrueMember> {
    let mut members = Vec::new();
    let mut seq = 0usize;
    let own_units: Vec<usize> = (0..world.units.len())
        .filter(|&j| world.units[j].org == OrgPlan::Own)
        .collect();
    for (i, u) in world.units.iter().enumerate() {
        let home = org_of_unit[i]
            .clone()
            .unwrap_or_else(|| community_org_id(u.district, u.street));
        let group_org = group_organization(rng, world, i, org_of_unit);
        let extra = u32::from(u.formal > 0 && rng.chance(0.05));
        for k in 0..(u.formal + u.probationary + extra) {
            seq += 1;
            let category_raw = if k >= u.formal && k < u.formal + u.probationary {
                "预备党员"
            } else {
                "正式党员"
            };
            let status_raw = if k >= u.formal + u.probationary {
                *rng.pick(&["停止党籍", "失联"])
            } else {
                "正常"
            };
            let org_id = organization_of_member(rng, world, i, &own_units, org_of_unit)
                .or_else(|| group_org.clone())
                .unwrap_or_else(|| home.clone());
            members.push(TrueMember {
                id_number: id_number(rng, seq),
                category_raw,
                status_raw,
                relation_here: org_of_unit[i].as_deref() == Some(org_id.as_str()),
                org_id,
                employer: Some(i),
                elsewhere: None,
            });
        }
    }
    let elsewhere = (members.len() as f64 * 0.01 * world.messiness).round() as usize;
    for _ in 0..elsewhere {
        seq += 1;
        let d = rng.below(region().districts.len());
        let (name, _) = world.names.draw(rng, |t, _| format!("天津{t}贸易有限公司"));
        members.push(TrueMember {
            id_number: id_number(rng, seq),
            category_raw: "正式党员",
            status_raw: "正常",
            org_id: community_org_id(d, rng.below(3)),
            employer: None,
            elsewhere: Some(name),
            relation_here: false,
        });
    }
    members
}

/// A job changer (2% of members, times the mess factor): their 组织关系 stays with the
/// own organization of a former employer, another unit, while 工作单位 names the new one.
fn organization_of_member(
    rng: &mut Rng,
    world: &World,
    unit: usize,
    own_units: &[usize],
    org_of_unit: &[Option<String>],
) -> Option<String> {
    if world.messiness == 0.0 || own_units.is_empty() || !rng.chance(0.02 * world.messiness) {
        return None;
    }
    let former = own_units[rng.below(own_units.len())];
    (former != unit)
        .then(|| org_of_unit[former].clone())
        .flatten()
}

/// A branch (分公司) without an organization of its own whose company has one: in most
/// such groups the company's organization holds the branch's members.
fn group_organization(
    rng: &mut Rng,
    world: &World,
    unit: usize,
    org_of_unit: &[Option<String>],
) -> Option<String> {
    let u = &world.units[unit];
    let parent = u.parent?;
    if world.messiness == 0.0 || u.org != OrgPlan::None || world.units[parent].org != OrgPlan::Own {
        return None;
    }
    rng.chance(0.7)
        .then(|| org_of_unit[parent].clone())
        .flatten()
}
