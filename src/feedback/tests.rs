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
