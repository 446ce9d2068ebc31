//! The returned workbook's form, said once for the pack that writes it (reports) and
//! the read-back that reads it: the sheets, their columns, which columns are the
//! tool's (protected, greyed) and which the district fills in, and the drop-down
//! choices of the decision columns. A row's tool columns are sealed by a check code
//! (`校验码`, hidden), so an edited protected cell is found without the old pack.

use sha2::{Digest, Sha256};

use crate::vocabulary::{FeedbackField, RegistryStatus};

/// The first sheet: which district and which period the pack is for.
pub const ABOUT_SHEET: &str = "说明";
/// Labels of the 说明 sheet's cells (column A), their values in column B.
pub const ABOUT_DISTRICT: &str = "区划代码";
pub const ABOUT_DISTRICT_NAME: &str = "区名";
pub const ABOUT_PERIOD: &str = "期别";

/// Row (0-based) of a sheet's headers; its data start on the row after.
pub const HEADER_ROW: u32 = 1;
pub const CHECK_HEADER: &str = "校验码";

/// What the district may write in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The tool's value: protected.
    Tool,
    /// Free text.
    Text,
    /// A whole number.
    Count,
    /// One of these words (a drop-down).
    Choice(&'static [&'static str]),
    /// A district of the city (a drop-down of the pipeline's districts).
    District,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub entry: Entry,
}

const fn tool(header: &'static str) -> Column {
    Column {
        header,
        entry: Entry::Tool,
    }
}

const fn entry(header: &'static str, entry: Entry) -> Column {
    Column { header, entry }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Plans,
    Review,
    JointReview,
    Corrections,
}

/// One sheet of the returned workbook.
#[derive(Debug, Clone, Copy)]
pub struct FormSheet {
    pub kind: SheetKind,
    pub name: &'static str,
    pub title: &'static str,
    /// The tool's columns first, then the district's; the check code is after them.
    pub columns: &'static [Column],
}

pub const CONFIRM: &str = "确认";
pub const REJECT: &str = "否决";

/// A 确认结果 as a person writes it where the drop-down was pasted over: 是, 对, 同意,
/// 正确, 属实, √, Y mean 确认; 否, 不是, 错误, 不同意, 不属实, 驳回, ×, N mean 否决; with
/// or without 已 (已确认, 已否决). Any other text stays as written (and is not accepted).
pub fn verdict(written: &str) -> &str {
    let t = written.trim();
    match t.strip_prefix('已').unwrap_or(t) {
        "确认" | "是" | "对" | "同意" | "正确" | "确认无误" | "正确无误" | "无误" | "属实"
        | "确定" | "√" | "✓" | "✔" | "Y" | "y" => CONFIRM,
        "否决" | "否" | "不是" | "不对" | "错误" | "不同意" | "不正确" | "不属实" | "有误"
        | "驳回" | "×" | "✗" | "✘" | "N" | "n" => REJECT,
        _ => t,
    }
}

/// 登记状态更正's words: what the registry should say, or that the unit is not in the
/// pack's district (with 所在区更正 naming where it is).
pub const STATUS_CHOICES: &[&str] = &["已注销", "已吊销", "已迁出", "不在本区"];
pub const NOT_IN_DISTRICT: &str = "不在本区";

/// A 登记状态更正 typed over the drop-down as people write it: without its 已 (注销, 吊销,
/// 迁出), or 不在本区 in other words (非本区, 不属于本区). None for any other text.
pub fn status_choice(written: &str) -> Option<&'static str> {
    let t = written.trim();
    let t = t.strip_prefix('已').unwrap_or(t);
    match t {
        "注销" => Some("已注销"),
        "吊销" => Some("已吊销"),
        "迁出" => Some("已迁出"),
        "不在本区" | "非本区" | "不属于本区" | "不在辖区" => Some(NOT_IN_DISTRICT),
        _ => None,
    }
}

/// The registry status a 登记状态更正 word sets (None: 不在本区, a district correction).
pub fn status_of_choice(word: &str) -> Option<RegistryStatus> {
    match word {
        "已注销" => Some(RegistryStatus::Deregistered),
        "已吊销" => Some(RegistryStatus::Revoked),
        "已迁出" => Some(RegistryStatus::MovedOut),
        _ => None,
    }
}

pub const PLANS: FormSheet = FormSheet {
    kind: SheetKind::Plans,
    name: "一企一策",
    title: "一企一策、一社一策：任务措施、进度安排与责任人（灰色列为系统数据，请勿修改）",
    columns: &[
        tool("单位编号"),
        tool("类型"),
        tool("街道"),
        tool("单位名称"),
        tool("统一社会信用代码"),
        tool("职工人数"),
        tool("正式党员"),
        tool("预备党员"),
        tool("所在清单"),
        tool("推进路径"),
        entry("任务措施", Entry::Text),
        entry("进度安排", Entry::Text),
        entry("计划完成时间", Entry::Text),
        entry("责任人", Entry::Text),
        entry("当前进展", Entry::Text),
        entry("备注", Entry::Text),
    ],
};

pub const REVIEW: FormSheet = FormSheet {
    kind: SheetKind::Review,
    name: "党员工作单位待确认",
    title: "党员填写的工作单位待确认：请对每个候选单位选择“确认”或“否决”，或填写实际工作单位的统一社会信用代码",
    columns: &[
        tool("工作单位（党员填写）"),
        tool("涉及党员人数"),
        tool("候选序号"),
        tool("候选单位编号"),
        tool("候选单位名称"),
        tool("候选统一社会信用代码"),
        tool("候选所在区"),
        tool("相似度"),
        entry("确认结果", Entry::Choice(&[CONFIRM, REJECT])),
        entry("实际工作单位统一社会信用代码", Entry::Text),
        entry("备注", Entry::Text),
    ],
};

/// Rows of a joint organization's list (联合党组织覆盖单位) whose name, typed by hand, is
/// one edit from several units and that nothing else decided: the district says which
/// unit the name means, as for a member's 工作单位 — a decision about the name as
/// written, which then holds wherever it is written.
pub const JOINT_REVIEW: FormSheet = FormSheet {
    kind: SheetKind::JointReview,
    name: "党组织覆盖单位待确认",
    title: "联合党组织覆盖名单中的单位名称待确认：请对每个候选单位选择“确认”或“否决”，或填写实际覆盖单位的统一社会信用代码",
    columns: &[
        tool("覆盖单位（名单填写）"),
        tool("名单文件及行号"),
        tool("候选序号"),
        tool("候选单位编号"),
        tool("候选单位名称"),
        tool("候选统一社会信用代码"),
        tool("候选所在区"),
        entry("确认结果", Entry::Choice(&[CONFIRM, REJECT])),
        entry("实际覆盖单位统一社会信用代码", Entry::Text),
        entry("备注", Entry::Text),
    ],
};

pub const CORRECTIONS: FormSheet = FormSheet {
    kind: SheetKind::Corrections,
    name: "单位信息更正",
    title: "决定清单的单位登记信息更正：填写更正值并写明依据",
    columns: &[
        tool("单位编号"),
        tool("单位名称"),
        tool("统一社会信用代码"),
        tool("所在区"),
        tool("登记状态"),
        tool("职工人数（登记）"),
        tool("所在清单"),
        entry("实际职工人数", Entry::Count),
        entry("登记状态更正", Entry::Choice(STATUS_CHOICES)),
        entry("所在区更正", Entry::District),
        entry("依据", Entry::Text),
    ],
};

/// The sheets after 说明, in the workbook's order.
pub const SHEETS: [FormSheet; 4] = [PLANS, REVIEW, JOINT_REVIEW, CORRECTIONS];

/// The plan field of each district column of 一企一策 (the columns after the tool's).
pub const PLAN_FIELDS: [(&str, FeedbackField); 6] = [
    ("任务措施", FeedbackField::Measures),
    ("进度安排", FeedbackField::Schedule),
    ("计划完成时间", FeedbackField::Due),
    ("责任人", FeedbackField::Owner),
    ("当前进展", FeedbackField::Progress),
    ("备注", FeedbackField::Note),
];

impl FormSheet {
    /// For a sheet of names to confirm: the column of the name as written and the one
    /// where the district may give another unit's USCC.
    pub fn review_columns(&self) -> Option<(&'static str, &'static str)> {
        match self.kind {
            SheetKind::Review => Some(("工作单位（党员填写）", "实际工作单位统一社会信用代码")),
            SheetKind::JointReview => {
                Some(("覆盖单位（名单填写）", "实际覆盖单位统一社会信用代码"))
            }
            SheetKind::Plans | SheetKind::Corrections => None,
        }
    }

    pub fn tool_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| c.entry == Entry::Tool)
    }

    /// Index of a column by its header.
    pub fn index(&self, header: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c.header == header)
            .unwrap_or_else(|| panic!("{header}: no column of sheet {}", self.name))
    }

    /// The check code's column: after every declared column.
    pub fn check_column(&self) -> usize {
        self.columns.len()
    }
}

/// The check code of a row: its district, period, sheet and tool values, hashed. The
/// values are the cells' text as written (a number without a fractional part as an
/// integer), so that a cell read back gives the same text.
pub fn check_code(district: &str, period: &str, sheet: &str, tool_values: &[String]) -> String {
    let mut h = Sha256::new();
    for part in [district, period, sheet]
        .into_iter()
        .chain(tool_values.iter().map(String::as_str))
    {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// A number as a cell's text: an integer where it is one.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The file name of a district's returned workbook.
pub fn workbook_name(district_name: &str, period: &str) -> String {
    format!("反馈_{district_name}_{period}.xlsx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_code_changes_with_any_tool_value_and_with_the_district() {
        let values = vec!["UC-1".to_string(), "25".to_string()];
        let code = check_code("110105", "2026-11", PLANS.name, &values);
        assert_eq!(code.len(), 12);
        assert_eq!(code, check_code("110105", "2026-11", PLANS.name, &values));
        let edited = vec!["UC-1".to_string(), "26".to_string()];
        assert_ne!(code, check_code("110105", "2026-11", PLANS.name, &edited));
        assert_ne!(code, check_code("110108", "2026-11", PLANS.name, &values));
    }

    #[test]
    fn numbers_read_back_as_they_were_written() {
        assert_eq!(number_text(25.0), "25");
        assert_eq!(number_text(0.875), "0.875");
    }
}
