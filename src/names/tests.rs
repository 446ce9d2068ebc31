//! Names in normal form, keys of 工作单位 texts and what they hold, worked by hand.
use super::*;

fn prefixes() -> Vec<String> {
    vec!["北京市".into(), "北京".into()]
}

#[test]
fn the_city_in_brackets_inside_a_name_is_the_city_prefix() {
    let key = |t: &str| normalize_name(t, &prefixes());
    assert_eq!(key("星河（北京）科技有限公司"), "星河科技有限公司");
    assert_eq!(
        key("星河(北京市)科技有限责任公司"),
        key("北京星河科技有限公司")
    );
    assert_eq!(key("星河科技有限公司（北京）"), "星河科技有限公司");
    assert_eq!(key("（北京）"), "(北京)");
    assert_eq!(
        key("北京星河科技（集团）有限公司"),
        key("北京星河科技集团有限公司")
    );
}

#[test]
fn a_renamed_units_current_name_is_the_key() {
    let key = |t: &str| employer_key(t, &prefixes());
    assert_eq!(
        key("北京甲科技有限公司（原北京乙商贸有限公司）"),
        "甲科技有限公司"
    );
    assert_eq!(
        key("北京乙商贸有限公司(现北京甲科技有限公司)"),
        "甲科技有限公司"
    );
    assert_eq!(
        key("北京甲科技有限公司（原北京乙商贸有限公司） 经理"),
        "甲科技有限公司"
    );
    assert_eq!(
        key("中共北京甲科技有限公司（原北京乙商贸有限公司）支部委员会"),
        "甲科技有限公司"
    );
    assert_eq!(
        key("北京丙会计师事务所（普通合伙）（原北京丁会计师事务所）"),
        "丙会计师事务所(普通合伙)"
    );
    // A former or new name with its own bracketed form.
    assert_eq!(
        key("北京丙会计师事务所（普通合伙）（原北京丁会计师事务所（普通合伙））"),
        "丙会计师事务所(普通合伙)"
    );
    assert_eq!(
        key("北京丁会计师事务所（普通合伙）（现北京丙会计师事务所（普通合伙））"),
        "丙会计师事务所(普通合伙)"
    );
    assert_eq!(key("北京甲科技有限公司（现场管理部）"), "甲科技有限公司");
    // A bracket that says nothing of a name stays: a form of the name.
    assert_eq!(
        key("北京甲会计师事务所（普通合伙）"),
        "甲会计师事务所(普通合伙)"
    );
}

#[test]
fn a_place_in_brackets_or_quotation_marks_are_no_part_of_the_name() {
    let key = |t: &str| employer_key(t, &prefixes());
    assert_eq!(key("北京甲科技有限公司（朝阳区）"), "甲科技有限公司");
    // Under a post or an organization's name, after a bracketed form.
    assert_eq!(key("北京甲科技有限公司（朝阳区） 经理"), "甲科技有限公司");
    assert_eq!(
        key("中共北京甲科技有限公司（朝阳区）支部委员会"),
        "甲科技有限公司"
    );
    assert_eq!(
        key("北京乙税务师事务所（普通合伙）（通州区）/党支部书记"),
        "乙税务师事务所(普通合伙)"
    );
    // An address in brackets (a road or building and a number).
    assert_eq!(key("北京甲科技有限公司（建国路88号）"), "甲科技有限公司");
    assert_eq!(
        key("北京甲科技有限公司(望京街10号院3号楼)"),
        "甲科技有限公司"
    );
    // A bracket with neither stays: it may be part of the name.
    assert_eq!(
        key("北京甲科技有限公司（第一分部）"),
        "甲科技有限公司(第一分部)"
    );
    assert_eq!(key("“北京甲科技有限公司”"), "甲科技有限公司");
    assert_eq!(
        normalize_name("「北京甲科技有限公司」", &prefixes()),
        "甲科技有限公司"
    );
    // A district inside the name stays (the city is the city prefix, see above).
    assert_eq!(key("甲（朝阳）科技有限公司"), "甲(朝阳)科技有限公司");
}

#[test]
fn a_code_that_is_no_valid_uscc_after_the_name_is_no_part_of_it() {
    let key = |t: &str| employer_key(t, &prefixes());
    // The check character mistyped (…37P as …370), a 注册号, an organization code.
    assert_eq!(
        key("北京甲咨询有限公司（911101181000330370）"),
        "甲咨询有限公司"
    );
    assert_eq!(key("北京甲咨询有限公司 110105000012345"), "甲咨询有限公司");
    assert_eq!(key("北京甲咨询有限公司(10000029-4)"), "甲咨询有限公司");
    // Letters and digits that are part of a name, or too few digits for a code.
    assert_eq!(key("北京甲咨询有限公司（A座）"), "甲咨询有限公司(A座)");
    assert_eq!(key("北京3D打印科技有限公司"), "3D打印科技有限公司");
}

#[test]
fn a_department_after_the_name_goes() {
    let key = |t: &str| employer_key(t, &prefixes());
    assert_eq!(key("北京甲科技有限公司财务部"), "甲科技有限公司");
    assert_eq!(key("北京甲科技有限公司（技术部）"), "甲科技有限公司");
    assert_eq!(
        key("北京丙会计师事务所（普通合伙）（人力资源部）职员"),
        "丙会计师事务所(普通合伙)"
    );
    assert_eq!(
        key("北京丙会计师事务所（普通合伙）（人力资源部）"),
        "丙会计师事务所(普通合伙)"
    );
    assert_eq!(key("北京甲科技有限公司/办公室"), "甲科技有限公司");
    assert_eq!(key("北京市第一医院内科"), "第一医院");
    assert_eq!(
        key("北京甲会计师事务所（特殊普通合伙）审计二部"),
        "甲会计师事务所(特殊普通合伙)"
    );
    // Departments that are units of their own stay.
    assert_eq!(
        key("北京甲医疗管理有限公司门诊部"),
        "甲医疗管理有限公司门诊部"
    );
    assert_eq!(key("北京甲有限公司营业部"), "甲有限公司营业部");
    assert_eq!(key("北京甲文化中心俱乐部"), "甲文化中心俱乐部");
}

#[test]
fn a_path_of_organizations_names_its_last() {
    let path = "中共北京市委员会\\中共北京市朝阳区委员会\\中共北京甲有限公司支部委员会";
    assert_eq!(innermost_org(path), "中共北京甲有限公司支部委员会");
    assert_eq!(
        innermost_org("区委 ＞ 街道工委 ＞ 甲公司支部 "),
        "甲公司支部"
    );
    assert_eq!(
        innermost_org("中共北京甲有限公司支部委员会"),
        "中共北京甲有限公司支部委员会"
    );
    assert_eq!(innermost_org("甲公司支部/"), "甲公司支部");
}

#[test]
fn punctuation_around_a_name_is_no_part_of_it() {
    let key = |t: &str| normalize_name(t, &prefixes());
    let plain = key("北京星河科技有限公司");
    for written in [
        "北京星河科技有限公司。",
        "北京星河科技有限公司；",
        "、北京星河科技有限公司",
        "《北京星河科技有限公司》",
        "【北京星河科技有限公司】",
        "(北京星河科技有限公司)",
    ] {
        assert_eq!(key(written), plain, "{written}");
    }
    // Around a short name or one with a post after it: the text inside is read.
    for (written, inside) in [
        ("【星河科技】", "星河科技"),
        (
            "《北京星河科技有限公司技术部》",
            "北京星河科技有限公司技术部",
        ),
    ] {
        assert_eq!(key(written), key(inside), "{written}");
    }
    // A bracket that is part of the name stays.
    assert_eq!(
        key("北京甲会计师事务所（普通合伙）"),
        "甲会计师事务所(普通合伙)"
    );
    assert_eq!(key("（北京）"), "(北京)");
}

#[test]
fn variants_of_one_name_are_equal() {
    let a = normalize_name("北京市星河科技有限责任公司", &prefixes());
    let b = normalize_name("星河科技有限公司", &prefixes());
    let c = normalize_name(" 北京 星河科技有限公司", &prefixes());
    assert_eq!(a, "星河科技有限公司");
    assert_eq!(a, b);
    assert_eq!(a, c);
}

#[test]
fn brackets_and_full_width_fold() {
    let a = normalize_name("北京星河（中国）科技有限公司", &prefixes());
    let b = normalize_name("北京星河(中国)科技有限公司", &prefixes());
    let c = normalize_name("北京星河【中国】科技ＡＢＣ有限公司", &prefixes());
    assert_eq!(a, b);
    assert_eq!(c, "星河(中国)科技ABC有限公司");
}

#[test]
fn branch_stays_distinct_from_parent() {
    let parent = normalize_name("北京星河科技有限公司", &prefixes());
    let branch = normalize_name("北京星河科技有限公司朝阳分公司", &prefixes());
    assert_ne!(parent, branch);
}

#[test]
fn organization_names_with_and_without_the_party_words_are_one() {
    let p = prefixes();
    let key = org_name_key("中共北京星河科技有限公司支部委员会", &p);
    assert_eq!(key, "星河科技有限公司支部");
    assert_eq!(org_name_key("北京星河科技有限责任公司支部", &p), key);
    assert_eq!(
        org_name_key("中国共产党北京星河科技有限公司支部委员会", &p),
        key
    );
    // A 党委 keeps what tells it from the branch.
    assert_ne!(org_name_key("中共北京星河科技有限公司委员会", &p), key);
    // A member list's short forms are the export's full names.
    assert_eq!(org_name_key("北京星河科技有限公司党支部", &p), key);
    let same = |short: &str, full: &str| {
        assert_eq!(org_name_key(short, &p), org_name_key(full, &p), "{short}");
    };
    same("北京星河科技有限公司党委", "中共北京星河科技有限公司委员会");
    same(
        "北京星河科技有限公司党总支",
        "中共北京星河科技有限公司总支部委员会",
    );
    same("朝阳区建外街道党工委", "中共北京市朝阳区建外街道工作委员会");
    same(
        "朝阳区望京街道非公企业联合党支部（第29）",
        "中共朝阳区望京街道非公企业联合支部委员会（第29）",
    );
    // Levels stay apart, and a numbering stays part of the name.
    assert_ne!(
        org_name_key("北京星河科技有限公司党总支", &p),
        org_name_key("北京星河科技有限公司党支部", &p)
    );
    assert_ne!(
        org_name_key("朝阳区望京街道非公企业联合党支部（第29）", &p),
        org_name_key("朝阳区望京街道非公企业联合党支部（第2）", &p)
    );
}

#[test]
fn a_post_after_the_units_name_is_not_part_of_it() {
    let p = prefixes();
    let key = |s: &str| employer_key(s, &p);
    // The post after a name, with or without a separator or brackets.
    assert_eq!(key("北京星河科技有限公司 经理"), "星河科技有限公司");
    assert_eq!(key("北京星河科技有限公司副总经理"), "星河科技有限公司");
    assert_eq!(key("星河科技有限公司/职员"), "星河科技有限公司");
    assert_eq!(key("某某律师事务所（律师）"), "某某律师事务所");
    assert_eq!(key("某某律师事务所合伙人"), "某某律师事务所");
    assert_eq!(key("某某会计师事务所注册会计师"), "某某会计师事务所");
    assert_eq!(key("某某养老服务中心护士"), "某某养老服务中心");
    assert_eq!(key("某某便利店店长"), "某某便利店");
    assert_eq!(key("某某科技有限公司工作人员"), "某某科技有限公司");
    // A short form, or a name that ends in its partnership's bracket.
    assert_eq!(key("信恒餐饮员工"), "信恒餐饮");
    assert_eq!(
        key("丰石税务师事务所（普通合伙）会计"),
        "丰石税务师事务所(普通合伙)"
    );
    assert_eq!(
        key("丰石税务师事务所（普通合伙）（经理）"),
        "丰石税务师事务所(普通合伙)"
    );
    // A department between the name and the post goes with the post, after a
    // bracketed form too …
    assert_eq!(
        key("北京景卓河会计师事务所（普通合伙） 办公室主任"),
        "景卓河会计师事务所(普通合伙)"
    );
    assert_eq!(key("星河科技有限公司财务部会计"), "星河科技有限公司");
    assert_eq!(key("某某协会办公室主任"), "某某协会");
    assert_eq!(key("某某幼儿园党支部书记"), "某某幼儿园");
    assert_eq!(key("某某有限公司海淀营业部经理"), "某某有限公司海淀营业部");
    // … but a branch is a unit of its own.
    assert_eq!(
        key("星河科技有限公司海淀分公司职员"),
        "星河科技有限公司海淀分公司"
    );
    // A text that is all name, or a post after no name, stays whole.
    assert_eq!(key("北京星河科技有限公司"), "星河科技有限公司");
    assert_eq!(key("某某教师进修学校"), "某某教师进修学校");
    assert_eq!(key("张经理"), "张经理");
    // The member's party organization written for the unit it is named after.
    assert_eq!(
        key("中共北京星河科技有限公司支部委员会"),
        "星河科技有限公司"
    );
    assert_eq!(key("北京星河科技有限公司党委"), "星河科技有限公司");
    assert_eq!(key("中共北京星河科技有限公司委员会"), "星河科技有限公司");
    assert_eq!(key("中共某某协会功能型党支部"), "某某协会");
    assert_eq!(key("中共信恒餐饮党支部"), "信恒餐饮");
    // Two or three deep.
    assert_eq!(key("北京星河科技有限公司（会计） 经理"), "星河科技有限公司");
    assert_eq!(
        key("中共北京星河科技有限公司支部委员会/党支部书记"),
        "星河科技有限公司"
    );
    assert_eq!(key("中共某某党支部"), "中共某某党支部");
    assert_eq!(key("华信达会计"), "华信达会计");
    assert_eq!(key("个体经营者"), "个体经营者");
    assert_eq!(key("星河科技有限公司(海淀)"), "星河科技有限公司(海淀)");
}

#[test]
fn a_bare_prefix_is_kept() {
    assert_eq!(normalize_name("北京", &prefixes()), "北京");
}
