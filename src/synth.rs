//! `coverage synth`: a synthetic month in the layouts `coverage run` reads — enterprise
//! registry as GBK CSV split over two overlapping district exports, social-organization
//! registry as XLSX with a title row, a law-firm registry, party organizations, the
//! joint-coverage list, members (UTF-8 with BOM) and the work ledger — plus the
//! pipeline file for them.
//!
//! Everything is drawn from one seeded generator, so the same arguments give the same
//! bytes. ID numbers use the area code 99xxxx, which no real person has; names of
//! people are never written (the member export's 姓名 column holds a placeholder).

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use crate::error::{Error, Result};
use crate::ids;
use crate::names::normalize_name;

pub struct SynthOptions {
    pub out: PathBuf,
    pub units: usize,
    pub seed: u64,
    pub period: String,
    /// Where to write the pipeline file (default: `out/pipeline.toml`).
    pub pipeline: Option<PathBuf>,
}

/// Files written and their data rows.
pub struct SynthSummary {
    pub files: Vec<(PathBuf, usize)>,
    pub pipeline: PathBuf,
}

/// The 16 districts of Beijing (GB/T 2260) with three streets or towns each.
pub const DISTRICTS: [(&str, &str, [&str; 3]); 16] = [
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

const TRADE_CHARS: &[&str] = &[
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
const LEGAL_FORMS: &[&str] = &["有限公司", "有限责任公司", "股份有限公司"];

/// SplitMix64: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Registry {
    Enterprise,
    Social,
    Law,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum OrgPlan {
    Own,
    Joint,
    Functional,
    None,
}

struct SynthUnit {
    registry: Registry,
    uscc: String,
    name: String,
    entity_raw: &'static str,
    status_raw: &'static str,
    district: usize,
    street: usize,
    industry: &'static str,
    employees: u32,
    reg_level_raw: String,
    sub_category_raw: &'static str,
    formal: u32,
    probationary: u32,
    org: OrgPlan,
    instructor: bool,
    union: bool,
    youth: bool,
}

fn uscc(prefix: &str, area: &str, seq: usize) -> String {
    let org8 = format!("{:08}", 10_000_000 + seq);
    let org9 = format!("{org8}{}", ids::org_code_check_char(&org8).expect("digits"));
    let first17 = format!("{prefix}{area}{org9}");
    let check = ids::uscc_check_char(&first17).expect("alphabet");
    format!("{first17}{check}")
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

/// Two or three characters (字号); `unique` draws again on a clash.
fn trade_name(rng: &mut Rng) -> String {
    let mut name = format!("{}{}", rng.pick(TRADE_CHARS), rng.pick(TRADE_CHARS));
    if rng.chance(0.5) {
        name.push_str(*rng.pick(TRADE_CHARS));
    }
    name
}

/// A name whose normal form no other unit has, so that an employer written by name
/// points to one unit only.
fn unique(rng: &mut Rng, used: &mut HashSet<String>, make: impl Fn(&mut Rng) -> String) -> String {
    let prefixes = ["北京市".to_string(), "北京".to_string()];
    loop {
        let name = make(rng);
        if used.insert(normalize_name(&name, &prefixes)) {
            return name;
        }
    }
}

fn make_unit(
    rng: &mut Rng,
    seq: usize,
    used: &mut HashSet<String>,
    social_propensity: &[f64],
) -> SynthUnit {
    let district = rng.below(DISTRICTS.len());
    let street = rng.below(3);
    let (dcode, dname, _) = DISTRICTS[district];
    let roll = rng.unit();
    let registry = if roll < 0.84 {
        Registry::Enterprise
    } else if roll < 0.97 {
        Registry::Social
    } else {
        Registry::Law
    };
    let mut u = SynthUnit {
        registry,
        uscc: String::new(),
        name: String::new(),
        entity_raw: "",
        status_raw: "",
        district,
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
    };
    match registry {
        Registry::Enterprise => {
            let r = rng.unit();
            let (prefix, entity) = match r {
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
            u.name = match entity {
                "个体工商户" => unique(rng, used, |r| {
                    format!("{dname}{}{}店", trade_name(r), industry)
                }),
                "农民专业合作社" => unique(rng, used, |r| {
                    format!("北京{}种植专业合作社", trade_name(r))
                }),
                "普通合伙企业" => unique(rng, used, |r| {
                    let kind = if r.chance(0.6) {
                        "会计师事务所"
                    } else {
                        "税务师事务所"
                    };
                    format!("北京{}{kind}（普通合伙）", trade_name(r))
                }),
                _ => unique(rng, used, |r| {
                    let prefix = *r.pick(&["北京", "北京市", "北京"]);
                    format!("{prefix}{}{industry}{}", trade_name(r), r.pick(LEGAL_FORMS))
                }),
            };
            u.uscc = uscc(prefix, dcode, seq);
            u.status_raw = match rng.unit() {
                r if r < 0.84 => "存续",
                r if r < 0.87 => "在业",
                r if r < 0.91 => "吊销",
                r if r < 0.96 => "注销",
                r if r < 0.98 => "迁出",
                _ => "清算",
            };
        }
        Registry::Social => {
            let r = rng.unit();
            let (prefix, kind) = if r < 0.45 {
                ("51", "社会团体")
            } else if r < 0.95 {
                ("52", "民办非企业单位")
            } else {
                ("53", "基金会")
            };
            u.entity_raw = kind;
            let municipal = rng.chance(0.3);
            u.reg_level_raw = if municipal {
                "北京市民政局".into()
            } else {
                format!("{dname}民政局")
            };
            let area = if municipal { "110000" } else { dcode };
            u.name = match kind {
                "社会团体" => unique(rng, used, |r| {
                    format!(
                        "北京市{}{}",
                        trade_name(r),
                        r.pick(&["协会", "学会", "商会", "促进会"])
                    )
                }),
                "基金会" => unique(rng, used, |r| {
                    format!(
                        "北京{}{}基金会",
                        trade_name(r),
                        r.pick(&["慈善", "公益", "教育"])
                    )
                }),
                _ => unique(rng, used, |r| {
                    format!(
                        "北京{dname}{}{}",
                        trade_name(r),
                        r.pick(&[
                            "培训学校",
                            "养老服务中心",
                            "社会工作事务所",
                            "康复医院",
                            "幼儿园"
                        ])
                    )
                }),
            };
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
        Registry::Law => {
            u.name = unique(rng, used, |r| format!("北京市{}律师事务所", trade_name(r)));
            u.uscc = uscc("31", "110000", seq);
            u.employees = u.employees.min(600);
            u.status_raw = if rng.chance(0.95) { "执业" } else { "注销" };
        }
    }
    // Members cluster in larger units: about 4% of staff, more in professional firms.
    let rate = match registry {
        Registry::Enterprise => 0.04,
        _ => 0.08,
    } * rng.unit()
        * 2.0;
    u.formal = (u.employees as f64 * rate).floor() as u32;
    if u.formal == 0 && rng.chance(0.2) {
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
    } else if rng.chance(social_propensity[district]) {
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
    u
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::output(path, e))
}

fn csv_text(rows: &[Vec<String>]) -> Result<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r)
            .map_err(|e| Error::Internal(format!("csv: {e}")))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("csv: {e}")))
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// Writes a synthetic month.
pub fn synth(opts: &SynthOptions) -> Result<SynthSummary> {
    let mut rng = Rng(opts.seed ^ 0x636F_7665_7261_6765);
    let propensity: Vec<f64> = (0..DISTRICTS.len())
        .map(|_| 0.2 + 0.45 * rng.unit())
        .collect();
    let mut used = HashSet::new();
    let units: Vec<SynthUnit> = (0..opts.units)
        .map(|i| make_unit(&mut rng, i + 1, &mut used, &propensity))
        .collect();
    let out = &opts.out;
    let mut files = Vec::new();
    let mut record = |path: PathBuf, rows: usize| files.push((path, rows));

    // Enterprise registry: two district exports; 3% of units appear in both.
    let head = row(&[
        "统一社会信用代码",
        "企业名称",
        "企业类型",
        "登记状态",
        "所属区",
        "街道乡镇",
        "行业门类",
        "从业人数",
    ]);
    let mut exports = [vec![head.clone()], vec![head]];
    for u in units.iter().filter(|u| u.registry == Registry::Enterprise) {
        let (_, dname, streets) = DISTRICTS[u.district];
        let line = row(&[
            &u.uscc,
            &u.name,
            u.entity_raw,
            u.status_raw,
            dname,
            streets[u.street],
            u.industry,
            &u.employees.to_string(),
        ]);
        let home = usize::from(u.district >= DISTRICTS.len() / 2);
        if rng.chance(0.03) {
            exports[1 - home].push(line.clone());
        }
        exports[home].push(line);
    }
    for (i, rows) in exports.iter().enumerate() {
        let path = out.join(format!("enterprises_{}.csv", ["a", "b"][i]));
        let text = csv_text(rows)?;
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        write_bytes(&path, &gbk)?;
        record(path, rows.len() - 1);
    }

    // Social organizations: XLSX with a title row above the header.
    let path = out.join("social_orgs.xlsx");
    let mut book = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(2026, 1, 1).map_err(|e| Error::Internal(e.to_string()))?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = book.add_worksheet();
    let xl = |e: rust_xlsxwriter::XlsxError| Error::output(&path, e);
    sheet.set_name("社会组织").map_err(xl)?;
    sheet
        .write_string(0, 0, format!("北京市社会组织登记信息（{}）", opts.period))
        .map_err(xl)?;
    let head = [
        "统一社会信用代码",
        "社会组织名称",
        "社会组织类型",
        "登记管理机关",
        "登记状态",
        "所在区",
        "街道",
        "从业人员数",
        "类别",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).map_err(xl)?;
    }
    let mut r = 2u32;
    for u in units.iter().filter(|u| u.registry == Registry::Social) {
        let (_, dname, streets) = DISTRICTS[u.district];
        let cells = [
            u.uscc.as_str(),
            u.name.as_str(),
            u.entity_raw,
            u.reg_level_raw.as_str(),
            u.status_raw,
            dname,
            streets[u.street],
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, *v).map_err(xl)?;
        }
        sheet.write_number(r, 7, u.employees as f64).map_err(xl)?;
        sheet.write_string(r, 8, u.sub_category_raw).map_err(xl)?;
        r += 1;
    }
    book.save(&path).map_err(xl)?;
    record(path.clone(), (r - 2) as usize);

    // Law firms from the 司法行政 registry.
    let mut rows = vec![row(&[
        "统一社会信用代码",
        "律师事务所名称",
        "执业状态",
        "所在区",
        "执业人数",
    ])];
    for u in units.iter().filter(|u| u.registry == Registry::Law) {
        rows.push(row(&[
            &u.uscc,
            &u.name,
            u.status_raw,
            DISTRICTS[u.district].1,
            &u.employees.to_string(),
        ]));
    }
    let path = out.join("law_firms.csv");
    write_bytes(&path, csv_text(&rows)?.as_bytes())?;
    record(path, rows.len() - 1);

    // Party organizations, joint organizations grouped by street, members, ledger.
    let mut orgs = vec![row(&[
        "党组织编码",
        "党组织名称",
        "党组织类别",
        "组建方式",
        "所在单位统一社会信用代码",
        "所在单位名称",
        "上级党组织编码",
        "状态",
    ])];
    let mut joint_rows = vec![row(&[
        "联合党组织编码",
        "覆盖单位统一社会信用代码",
        "覆盖单位名称",
    ])];
    let mut org_of_unit: Vec<Option<String>> = vec![None; units.len()];
    for (dcode, dname, streets) in DISTRICTS.iter() {
        for (s, street) in streets.iter().enumerate() {
            orgs.push(row(&[
                &format!("SQ{dcode}{s}"),
                &format!("中共北京市{dname}{street}工作委员会"),
                "党委",
                "单独组建",
                "",
                "",
                "",
                "正常",
            ]));
        }
    }
    let mut by_street: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, u) in units.iter().enumerate() {
        match u.org {
            OrgPlan::Own => {
                let id = format!("DZ{i:07}");
                let level = match u.formal {
                    f if f >= 50 => "党委",
                    f if f >= 15 => "党总支",
                    _ => "党支部",
                };
                let suffix = match level {
                    "党委" => "委员会",
                    "党总支" => "总支部委员会",
                    _ => "支部委员会",
                };
                let host_by_name = rng.chance(0.2);
                orgs.push(row(&[
                    &id,
                    &format!("中共{}{suffix}", u.name),
                    level,
                    "单独组建",
                    if host_by_name { "" } else { u.uscc.as_str() },
                    if host_by_name { u.name.as_str() } else { "" },
                    &format!("SQ{}{}", DISTRICTS[u.district].0, u.street),
                    "正常",
                ]));
                org_of_unit[i] = Some(id);
            }
            OrgPlan::Functional => {
                let id = format!("GN{i:07}");
                orgs.push(row(&[
                    &id,
                    &format!("{}功能型党支部", u.name),
                    "党支部",
                    "功能型",
                    &u.uscc,
                    "",
                    "",
                    "正常",
                ]));
                org_of_unit[i] = Some(id);
            }
            OrgPlan::Joint => by_street.entry((u.district, u.street)).or_default().push(i),
            OrgPlan::None => {
                if u.formal > 0 && rng.chance(0.1) {
                    orgs.push(row(&[
                        &format!("XZ{i:07}"),
                        &format!("{}党小组", u.name),
                        "党小组",
                        "单独组建",
                        &u.uscc,
                        "",
                        "",
                        "正常",
                    ]));
                }
                if rng.chance(0.02) {
                    orgs.push(row(&[
                        &format!("CX{i:07}"),
                        &format!("中共{}支部委员会", u.name),
                        "党支部",
                        "单独组建",
                        &u.uscc,
                        "",
                        "",
                        "已撤销",
                    ]));
                }
            }
        }
    }
    let mut joint_no = 0;
    for ((d, s), members) in &by_street {
        let (dcode, dname, streets) = DISTRICTS[*d];
        let mut rest = members.as_slice();
        while !rest.is_empty() {
            let size = (2 + rng.below(14)).min(rest.len());
            let (group, tail) = rest.split_at(size);
            rest = tail;
            joint_no += 1;
            let id = format!("LH{joint_no:06}");
            let affiliated = rng.chance(0.1);
            let host = &units[group[0]];
            let street_host = rng.chance(0.3);
            orgs.push(row(&[
                &id,
                &format!(
                    "中共{dname}{}{}联合支部委员会",
                    streets[*s],
                    if affiliated { "挂靠" } else { "非公企业" }
                ),
                "联合党支部",
                if affiliated {
                    "挂靠组建"
                } else {
                    "联合组建"
                },
                if street_host { "" } else { host.uscc.as_str() },
                "",
                &format!("SQ{dcode}{s}"),
                "正常",
            ]));
            for &i in group {
                joint_rows.push(row(&[&id, &units[i].uscc, &units[i].name]));
                org_of_unit[i] = Some(id.clone());
            }
        }
    }
    let path = out.join("party_orgs.csv");
    write_bytes(&path, csv_text(&orgs)?.as_bytes())?;
    record(path, orgs.len() - 1);
    let path = out.join("joint_coverage.csv");
    write_bytes(&path, csv_text(&joint_rows)?.as_bytes())?;
    record(path, joint_rows.len() - 1);

    let mut members = vec![row(&[
        "姓名",
        "公民身份号码",
        "人员类别",
        "所在党组织编码",
        "工作单位",
        "工作单位统一社会信用代码",
        "党籍状态",
    ])];
    let mut seq = 0usize;
    for (i, u) in units.iter().enumerate() {
        let org = org_of_unit[i]
            .clone()
            .unwrap_or_else(|| format!("SQ{}{}", DISTRICTS[u.district].0, u.street));
        let extra = u32::from(u.formal > 0 && rng.chance(0.05));
        for k in 0..(u.formal + u.probationary + extra) {
            seq += 1;
            let category = if k >= u.formal && k < u.formal + u.probationary {
                "预备党员"
            } else {
                "正式党员"
            };
            let status = if k >= u.formal + u.probationary {
                *rng.pick(&["停止党籍", "失联"])
            } else {
                "正常"
            };
            let with_uscc = rng.chance(0.5);
            members.push(row(&[
                "（略）",
                &id_number(&mut rng, seq),
                category,
                &org,
                &u.name,
                if with_uscc { u.uscc.as_str() } else { "" },
                status,
            ]));
        }
    }
    let path = out.join("members.csv");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(csv_text(&members)?.as_bytes());
    write_bytes(&path, &bytes)?;
    record(path, members.len() - 1);

    let mut ledger = vec![row(&[
        "统一社会信用代码",
        "单位名称",
        "党建工作指导员",
        "工会",
        "团组织",
        "职工人数",
        "未建党组织原因",
    ])];
    for (i, u) in units.iter().enumerate() {
        if u.instructor || u.union || u.youth || (org_of_unit[i].is_none() && u.employees >= 50) {
            let reason = if org_of_unit[i].is_none() && u.formal == 0 {
                "无党员"
            } else {
                ""
            };
            ledger.push(row(&[
                &u.uscc,
                &u.name,
                if u.instructor { "是" } else { "否" },
                if u.union { "已建" } else { "未建" },
                if u.youth { "是" } else { "否" },
                &u.employees.to_string(),
                reason,
            ]));
        }
    }
    let path = out.join("ledger.csv");
    write_bytes(&path, csv_text(&ledger)?.as_bytes())?;
    record(path, ledger.len() - 1);

    let key_path = out.join("pseudonym.key");
    write_bytes(
        &key_path,
        format!("synthetic-sample-key-not-secret-{}\n", opts.seed).as_bytes(),
    )?;

    let pipeline = opts
        .pipeline
        .clone()
        .unwrap_or_else(|| out.join("pipeline.toml"));
    let rel = relative_dir(pipeline.parent().unwrap_or(Path::new(".")), out);
    let text = PIPELINE_TEMPLATE
        .replace("{dir}", &rel)
        .replace("{districts}", &district_table())
        .replace("{seed}", &opts.seed.to_string())
        .replace("{units}", &opts.units.to_string());
    let mut f = std::fs::File::create(&pipeline).map_err(|e| Error::output(&pipeline, e))?;
    f.write_all(text.as_bytes())
        .map_err(|e| Error::output(&pipeline, e))?;
    Ok(SynthSummary { files, pipeline })
}

fn district_table() -> String {
    DISTRICTS
        .iter()
        .map(|(code, name, _)| format!("\"{code}\" = \"{name}\"\n"))
        .collect()
}

/// `to` as seen from `from` (both relative to the working folder or both absolute),
/// with a trailing slash, e.g. `../data-samples/2026-11/`.
fn relative_dir(from: &Path, to: &Path) -> String {
    let norm = |p: &Path| -> Vec<String> {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let (a, b) = (norm(from), norm(to));
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(b[common..].iter().cloned());
    parts.iter().map(|p| format!("{p}/")).collect()
}

const PIPELINE_TEMPLATE: &str = r#"# Written by `coverage synth --seed {seed} --units {units}`: a synthetic month of the
# 16 Beijing districts. ID numbers use the non-existent area code 99xxxx.
[pipeline]
name = "synthetic"
description = "synthetic month from coverage synth"
city_code = "110000"
city_name = "北京市"
name_prefixes = ["北京市", "北京"]

[privacy]
# Only synthetic data may name a key file in the repository; real deployments set
# COVERAGE_PSEUDONYM_KEY (or a key file kept outside the repository).
key_file = "{dir}pseudonym.key"

[rules]
formal_members_for_own_org = 3
enterprise_employees_need_members = 50
enterprise_employees_need_org = 100
social_org_staff_need_org = 30
social_org_target_rate = 0.40
functional_counts_as_org_coverage = false
affiliated_counts_as_joint = true
probationary_count_as_members = true
joint_org_max_units = 10
individual_business_in_scope = false
farmer_coop_in_scope = false

[districts]
{districts}
[[source]]
name = "enterprises"
kind = "unit_registry"
files = ["{dir}enterprises_a.csv", "{dir}enterprises_b.csv"]
encoding = "auto"
[source.columns]
uscc = ["统一社会信用代码", "信用代码"]
name = ["企业名称", "名称"]
entity_type = "企业类型"
status = "登记状态"
district = ["所属区", "所在区"]
street = "街道乡镇"
industry = "行业门类"
employees = ["从业人数", "职工人数"]
[source.values.entity_type]
contains = [["国有", "state_owned"], ["集体", "collective"], ["个体", "individual_business"], ["农民专业合作社", "farmer_coop"], ["外商", "foreign_enterprise"], ["港澳台", "foreign_enterprise"]]
default = "private_enterprise"
[source.values.status]
exact = { "存续" = "active", "在业" = "active", "开业" = "active", "迁入" = "moved_in", "迁出" = "moved_out", "吊销" = "revoked", "注销" = "deregistered", "停业" = "suspended", "清算" = "liquidation" }
contains = [["吊销", "revoked"], ["注销", "deregistered"]]

[[source]]
name = "social_orgs"
kind = "unit_registry"
files = ["{dir}social_orgs.xlsx"]
sheet = "社会组织"
header_row = 2
[source.columns]
uscc = "统一社会信用代码"
name = "社会组织名称"
entity_type = "社会组织类型"
registration_level = "登记管理机关"
status = "登记状态"
district = "所在区"
street = "街道"
employees = "从业人员数"
sub_category = "类别"
[source.values.entity_type]
exact = { "社会团体" = "social_group", "民办非企业单位" = "private_non_enterprise", "社会服务机构" = "private_non_enterprise", "基金会" = "foundation" }
[source.values.registration_level]
contains = [["民政部", "national"], ["区民政局", "district"], ["市民政局", "municipal"]]
[source.values.status]
exact = { "正常" = "active", "注销" = "deregistered", "撤销" = "revoked" }
[source.values.sub_category]
exact = { "民办学校" = "private_school", "民办医院" = "private_hospital" }
default = "other"

[[source]]
name = "law_firms"
kind = "unit_registry"
files = ["{dir}law_firms.csv"]
[source.columns]
uscc = "统一社会信用代码"
name = "律师事务所名称"
status = "执业状态"
district = "所在区"
employees = "执业人数"
[source.values.status]
exact = { "执业" = "active", "注销" = "deregistered", "停业" = "suspended" }

[[source]]
name = "party_orgs"
kind = "party_orgs"
files = ["{dir}party_orgs.csv"]
[source.columns]
org_id = "党组织编码"
name = "党组织名称"
level = "党组织类别"
formation = "组建方式"
host_uscc = "所在单位统一社会信用代码"
host_name = "所在单位名称"
parent_id = "上级党组织编码"
status = "状态"
[source.values.level]
exact = { "党委" = "committee", "党总支" = "general_branch", "党支部" = "branch", "联合党支部" = "branch", "党小组" = "group" }
[source.values.formation]
exact = { "单独组建" = "single", "联合组建" = "joint", "功能型" = "functional", "挂靠组建" = "affiliated" }
[source.values.status]
exact = { "正常" = "active", "已撤销" = "dissolved" }

[[source]]
name = "joint_coverage"
kind = "joint_coverage"
files = ["{dir}joint_coverage.csv"]
[source.columns]
org_id = "联合党组织编码"
unit_uscc = "覆盖单位统一社会信用代码"
unit_name = "覆盖单位名称"

[[source]]
name = "members"
kind = "members"
files = ["{dir}members.csv"]
[source.columns]
id_number = "公民身份号码"
category = "人员类别"
org_id = "所在党组织编码"
employer_name = "工作单位"
employer_uscc = "工作单位统一社会信用代码"
status = "党籍状态"
[source.values.category]
exact = { "正式党员" = "formal", "预备党员" = "probationary" }
[source.values.status]
exact = { "正常" = "normal", "停止党籍" = "suspended", "失联" = "lost_contact", "出党" = "left", "死亡" = "left" }

[[source]]
name = "ledger"
kind = "ledger"
files = ["{dir}ledger.csv"]
[source.columns]
uscc = "统一社会信用代码"
name = "单位名称"
instructor = "党建工作指导员"
union = "工会"
youth_league = "团组织"
employees = "职工人数"
no_org_reason = "未建党组织原因"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dirs() {
        assert_eq!(
            relative_dir(Path::new("pipelines"), Path::new("data-samples/2026-11")),
            "../data-samples/2026-11/"
        );
        assert_eq!(relative_dir(Path::new("out"), Path::new("out")), "");
        assert_eq!(relative_dir(Path::new(""), Path::new("x")), "x/");
    }

    #[test]
    fn generated_codes_are_valid() {
        let mut rng = Rng(7);
        assert!(ids::is_valid_uscc(&uscc("91", "110105", 42)));
        let id = id_number(&mut rng, 12345);
        assert!(matches!(ids::parse_id_number(&id), ids::IdNumber::Valid(_)));
        assert!(id.starts_with("99"));
    }
}
