//! GB/T 2260 at the province level: the names the roll-up gives provinces, and the
//! name `coverage init` gives a municipality (北京市, 天津市, 上海市, 重庆市) whose
//! districts it read.

/// GB/T 2260 provinces (first two digits of a code): the names of the province level.
pub const PROVINCES: [(&str, &str); 34] = [
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
    ("71", "台湾省"),
    ("81", "香港特别行政区"),
    ("82", "澳门特别行政区"),
];

/// The four municipalities directly under the central government: their districts are
/// the city's (a code XX0000 names the city).
pub const MUNICIPALITIES: [&str; 4] = ["11", "12", "31", "50"];

/// The province-level name of a code's first two digits.
pub fn province_name(code: &str) -> Option<&'static str> {
    let prefix = code.get(..2)?;
    PROVINCES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, n)| *n)
}
