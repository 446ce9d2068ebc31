use super::*;

fn decision(
    id: &str,
    kind: FeedbackKind,
    unit: &str,
    value: Option<&str>,
    period: &str,
) -> Decision {
    Decision {
        id: id.into(),
        kind,
        district_code: "110105".into(),
        unit_id: unit.into(),
        employer_text: Some("北京市中东律师事务所".into()),
        employer_key: Some("中东律师事务所".into()),
        field: None,
        value: value.map(str::to_string),
        registry_value: None,
        basis: None,
        lineage: Lineage::new(SOURCE, "反馈_朝阳区_2026-11.xlsx[党员工作单位待确认]", 3),
        period_received: period.into(),
        superseded_by: None,
    }
}

/// December confirms U1 for the text (d1). January: the same workbook again (d2, the
/// same decision: not recorded, flagged repeated), then the district rejects U1 for the
/// text (d3): d1 is superseded by d3 (flagged), and U1 is rejected from then on.
#[test]
fn a_repeated_decision_is_kept_once_and_a_new_one_replaces_the_old() {
    let d1 = decision("d1", FeedbackKind::LinkConfirmed, "U1", None, "2026-12");
    let mut flags = Vec::new();
    let all = merge(Vec::new(), vec![d1.clone()], &mut flags);
    assert_eq!((all.len(), flags.len()), (1, 0));
    let d2 = decision("d2", FeedbackKind::LinkConfirmed, "U1", None, "2027-01");
    let all = merge(all, vec![d2], &mut flags);
    assert_eq!(all.len(), 1);
    assert_eq!(flags[0].kind, IssueKind::FeedbackRepeated);
    let d3 = decision("d3", FeedbackKind::LinkRejected, "U1", None, "2027-01");
    let all = merge(all, vec![d3], &mut flags);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].superseded_by.as_deref(), Some("d3"));
    assert!(all[1].in_force());
    assert_eq!(flags[1].kind, IssueKind::FeedbackSupersedes);
}

/// One month, two rows: one confirms U1 for the text, the other U2. Neither is applied
/// (two rejects); a third row rejecting U3 for the same text stands.
#[test]
fn two_rows_of_one_month_that_disagree_are_both_rejected() {
    let a = decision("a", FeedbackKind::LinkConfirmed, "U1", None, "2026-12");
    let b = decision("b", FeedbackKind::LinkConfirmed, "U2", None, "2026-12");
    let c = decision("c", FeedbackKind::LinkRejected, "U3", None, "2026-12");
    let mut rejects = Vec::new();
    let kept = drop_contradictions(vec![a, b, c], &mut rejects);
    assert_eq!(
        kept.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["c"]
    );
    assert_eq!(rejects.len(), 2);
    assert!(rejects
        .iter()
        .all(|r| r.kind == IssueKind::FeedbackContradiction));
}

/// `merge` looks earlier decisions up by slot and by text and unit; on generated months
/// it decides as comparing every new decision with every earlier one does (the rule
/// said plainly, below): the same decisions superseded, the same flags in the same
/// order. 5 months of 300 decisions over 4 texts, 6 units, 3 kinds of link decision and
/// 3 of a joint list's name, corrections of 2 fields and plans, with repeated values (pseudo-random, fixed seed).
#[test]
fn merge_decides_as_comparing_every_earlier_decision_does() {
    fn reference(
        mut all: Vec<Decision>,
        new: Vec<Decision>,
        flags: &mut Vec<RowIssue>,
    ) -> Vec<Decision> {
        'next: for d in new {
            for e in all.iter().filter(|e| e.in_force()) {
                if e.slot() == d.slot() && e.same_decision(&d) {
                    let reason = format!("already in force since {} ({})", e.period_received, e.id);
                    flags.push(issue(&d, IssueKind::FeedbackRepeated, reason));
                    continue 'next;
                }
            }
            for e in all.iter_mut().filter(|e| e.in_force()) {
                if e.slot() == d.slot() || d.overturns(e) {
                    let reason =
                        format!("replaces the decision of {} ({})", e.period_received, e.id);
                    flags.push(issue(&d, IssueKind::FeedbackSupersedes, reason));
                    e.superseded_by = Some(d.id.clone());
                }
            }
            all.push(d);
        }
        all
    }
    let mut state = 11u64;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let kinds = [
        FeedbackKind::LinkConfirmed,
        FeedbackKind::LinkRedirected,
        FeedbackKind::LinkRejected,
        FeedbackKind::JointConfirmed,
        FeedbackKind::JointRedirected,
        FeedbackKind::JointRejected,
        FeedbackKind::Correction,
        FeedbackKind::Plan,
    ];
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    let (mut fast_flags, mut slow_flags) = (Vec::new(), Vec::new());
    for month in 1..=5 {
        let period = format!("2026-{month:02}");
        let new: Vec<Decision> = (0..300)
            .map(|i| {
                let kind = kinds[next(kinds.len() as u64) as usize];
                let unit = format!("U{}", next(6));
                let value = format!("v{}", next(3));
                let mut d = decision(&format!("{period}/{i}"), kind, &unit, Some(&value), &period);
                let text = format!("文本{}", next(4));
                d.employer_key = Some(text.clone());
                d.employer_text = Some(text);
                if kind == FeedbackKind::Correction {
                    d.field =
                        Some([FeedbackField::Employees, FeedbackField::Status][next(2) as usize]);
                }
                d
            })
            .collect();
        fast = merge(fast, new.clone(), &mut fast_flags);
        slow = reference(slow, new, &mut slow_flags);
    }
    assert_eq!(fast, slow);
    assert_eq!(fast_flags.len(), slow_flags.len());
    assert!(
        fast_flags.len() > 1_000,
        "the months decide the same slots often"
    );
    for (f, s) in fast_flags.iter().zip(&slow_flags) {
        assert_eq!((f.kind, &f.reason, &f.value), (s.kind, &s.reason, &s.value));
    }
}

/// 确认结果 written over the drop-down as people write yes and no.
#[test]
fn a_verdict_written_in_other_words_is_read_as_its_word() {
    use super::form::{verdict, CONFIRM, REJECT};
    for yes in ["是", " 同意 ", "√", "确认", "已确认", "属实", "Y"] {
        assert_eq!(verdict(yes), CONFIRM, "{yes}");
    }
    for no in ["否", "不是", "×", "否决", "已否决", "驳回", "不属实", "N"] {
        assert_eq!(verdict(no), REJECT, "{no}");
    }
    assert_eq!(verdict("待定"), "待定");
    assert_eq!(verdict(" 已待定 "), "已待定");
}

/// 登记状态更正 written over the drop-down without its 已, or 不在本区 in other words.
#[test]
fn a_status_correction_written_in_other_words_is_read_as_its_choice() {
    use super::form::{status_choice, NOT_IN_DISTRICT};
    assert_eq!(status_choice("注销"), Some("已注销"));
    assert_eq!(status_choice(" 已吊销 "), Some("已吊销"));
    assert_eq!(status_choice("迁出"), Some("已迁出"));
    assert_eq!(status_choice("非本区"), Some(NOT_IN_DISTRICT));
    assert_eq!(status_choice("停业"), None);
}
