//! The cities a synthetic world is drawn in: their codes, districts and streets.

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
