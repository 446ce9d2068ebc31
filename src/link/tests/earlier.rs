//! A member whose 工作单位 is ambiguous this period, placed by where the same person
//! was counted last period.
use super::*;
use crate::link::earlier::EarlierUnits;

/// A 星河远航科技, B 星河远洋科技 and C 星河远景贸易, all of 朝阳. m2, m3 and m5 write
/// 星河远帆 (one edit from A and B: review); m4 writes B's exact name. No member gives
/// an organization.
fn month(earlier: EarlierUnits) -> (Resolved, Linked) {
    month_with(earlier, |_| Feedback::default())
}

/// `month` with the districts' decisions `feedback` makes of the resolved units.
fn month_with(
    earlier: EarlierUnits,
    feedback: impl Fn(&Resolved) -> Feedback,
) -> (Resolved, Linked) {
    let staged = Staged {
        units: vec![
            unit(2, "北京星河远航科技有限公司", "91350100M000100Y43"),
            unit(3, "北京星河远洋科技有限公司", "91110105100000091K"),
            unit(4, "北京星河远景贸易有限公司", "91110105MA00000017"),
        ],
        members: vec![
            member(2, None, "北京星河远帆科技有限公司"),
            member(3, None, "北京星河远帆科技有限公司"),
            member(4, None, "北京星河远洋科技有限公司"),
            member(5, None, "北京星河远帆科技有限公司"),
        ],
        ..Staged::default()
    };
    run_link_with(&staged, feedback, earlier)
}

#[test]
fn an_ambiguous_employer_keeps_the_unit_the_member_was_counted_in_last_period() {
    // Last period m2 was counted in A, m3 in C, m4 in A, and m5 in A as a member of
    // organization OLD (member keys are the rows, see `member`); only the members in
    // review (m2, m3, m5) are asked about.
    // - m2: review between A and B, A was theirs → A, previous_period, scored as A's
    //   candidate score (one edit in the 6 characters of the core 星河远帆科技: 1 − 1/6).
    // - m3: review between A and B; C is offered too (its scored name, below the accept
    //   threshold: 星河远景贸易 is two edits and a word from 星河远帆科技), so the text
    //   does not name it closely (it may be a new employer) → still review.
    // - m4: B's exact name → B; last period's A does not move a member whose text names
    //   their unit (a job changer).
    // - m5: review between A and B, A was theirs but in another organization than now
    //   (none): they may have moved → still review.
    let (first, _) = month(&no_earlier_period);
    let (a, c) = (
        unit_id_of(&first, "北京星河远航科技有限公司"),
        unit_id_of(&first, "北京星河远景贸易有限公司"),
    );
    let asked = std::cell::RefCell::new(Vec::new());
    let earlier = |keys: &[MemberKey]| {
        asked.borrow_mut().extend_from_slice(keys);
        Ok(counted_before(&[
            (2, &a, None),
            (3, &c, None),
            (4, &a, None),
            (5, &a, Some("OLD")),
        ]))
    };
    let (resolved, linked) = month(&earlier);
    assert_eq!(asked.borrow().len(), 3, "m2, m3 and m5, in review");
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (MemberRule::PreviousPeriod, Some("北京星河远航科技有限公司")),
            (MemberRule::Review, None),
            (MemberRule::EmployerName, Some("北京星河远洋科技有限公司")),
            (MemberRule::Review, None),
        ]
    );
    let kept = &linked.members[0];
    assert!(kept.counted);
    assert_eq!(kept.score(), Some(1.0 - 1.0 / 6.0));
}

#[test]
fn without_an_earlier_period_an_ambiguous_employer_stays_in_review() {
    let (resolved, linked) = month(&no_earlier_period);
    assert_eq!(
        placed(&resolved, &linked)[..2],
        [(MemberRule::Review, None), (MemberRule::Review, None)]
    );
}

#[test]
fn a_districts_decision_on_the_text_gives_way_to_where_the_person_was() {
    // A district confirmed 星河远帆 for B (for the people who wrote it in its pack). m2, m3
    // and m5 write it this month:
    // - m2 and m5 were counted in A last period (same organization: none); the text alone
    //   would leave them for review between A and B, and A is one edit away → A,
    //   previous_period (the decision was about other people's text).
    // - m3 has no earlier period → B, reviewed.
    // Without an earlier period all three are B, reviewed.
    let (first, _) = month(&no_earlier_period);
    let a = unit_id_of(&first, "北京星河远航科技有限公司");
    let confirm_b = confirmed("北京星河远帆科技有限公司", "北京星河远洋科技有限公司");
    let earlier = |_: &[MemberKey]| Ok(counted_before(&[(2, &a, None), (5, &a, None)]));
    let (resolved, linked) = month_with(&earlier, &confirm_b);
    let b = Some("北京星河远洋科技有限公司");
    assert_eq!(
        placed(&resolved, &linked),
        vec![
            (MemberRule::PreviousPeriod, Some("北京星河远航科技有限公司")),
            (MemberRule::Reviewed, b),
            (MemberRule::EmployerName, b),
            (MemberRule::PreviousPeriod, Some("北京星河远航科技有限公司")),
        ]
    );
    let (resolved, linked) = month_with(&no_earlier_period, &confirm_b);
    let rules: Vec<_> = placed(&resolved, &linked)
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(
        rules,
        [
            MemberRule::Reviewed,
            MemberRule::Reviewed,
            MemberRule::EmployerName,
            MemberRule::Reviewed
        ]
    );
}

#[test]
fn a_typo_read_last_period_gives_way_to_the_decision_of_its_own_district() {
    // (`a_text_one_edit_from_a_unit_of_the_members_organization`) The rules alone read
    // 北京航智科技有限公司 as B (the one of J1's units within reach), and last period m2
    // was counted in B so. 朝阳 has since confirmed the text for A, with B among the
    // candidates it saw: the decision stands → A, reviewed. (Where the rules alone name
    // the earlier unit exactly, or it is of another district than the decision's, the
    // person stays.)
    let staged = a_text_one_edit_from_a_unit_of_the_members_organization();
    let (first, linked) = run_link(&staged);
    assert_eq!(
        placed(&first, &linked),
        vec![(MemberRule::EmployerTypo, Some("北京顺智科技有限公司"))]
    );
    let b = unit_id_of(&first, "北京顺智科技有限公司");
    let earlier = |_: &[MemberKey]| Ok(counted_before(&[(2, &b, Some("J1"))]));
    let confirm_a = confirmed("北京航智科技有限公司", "北京景智科技有限公司");
    let (resolved, linked) = run_link_with(&staged, &confirm_a, &earlier);
    assert_eq!(
        placed(&resolved, &linked),
        vec![(MemberRule::Reviewed, Some("北京景智科技有限公司"))]
    );
}

#[test]
fn a_decision_gives_way_to_the_typo_reading_of_a_member_whose_organization_changed() {
    // (`a_text_one_edit_from_a_unit_of_the_members_organization`) 朝阳 confirmed
    // 北京航智科技有限公司 for A. Last period m2 was counted in A as a member of OA (A's own
    // organization, say); now m2 is a member of J1, hosted by B, and still writes the
    // text. The organization moved: the member may have moved with it, and the rules
    // alone read the text as B (the one of J1's units within one edit) → B, by the typo
    // rule. Had m2 stayed in OA (or had no earlier period), the decision stands → A.
    let staged = a_text_one_edit_from_a_unit_of_the_members_organization();
    let (first, _) = run_link(&staged);
    let a = unit_id_of(&first, "北京景智科技有限公司");
    let confirm_a = confirmed("北京航智科技有限公司", "北京景智科技有限公司");
    let moved = |_: &[MemberKey]| Ok(counted_before(&[(2, &a, Some("OA"))]));
    let (resolved, linked) = run_link_with(&staged, &confirm_a, &moved);
    assert_eq!(
        placed(&resolved, &linked),
        vec![(MemberRule::EmployerTypo, Some("北京顺智科技有限公司"))]
    );
    let stayed = |_: &[MemberKey]| Ok(counted_before(&[(2, &a, Some("J1"))]));
    let (resolved, linked) = run_link_with(&staged, &confirm_a, &stayed);
    assert_eq!(
        placed(&resolved, &linked),
        vec![(MemberRule::Reviewed, Some("北京景智科技有限公司"))]
    );
}

/// Where each person had records last period: (member key's row, unit_id, counted).
struct ListedBefore {
    listed: Vec<(u64, String, bool)>,
    asked: std::cell::RefCell<Vec<MemberKey>>,
}

impl crate::link::EarlierPeriod for ListedBefore {
    fn units(
        &self,
        _: &[MemberKey],
    ) -> crate::error::Result<FastMap<MemberKey, crate::link::Earlier>> {
        Ok(FastMap::default())
    }

    fn listed(
        &self,
        keys: &[MemberKey],
    ) -> crate::error::Result<FastMap<MemberKey, Vec<(String, bool)>>> {
        self.asked.borrow_mut().extend_from_slice(keys);
        let mut found: FastMap<MemberKey, Vec<(String, bool)>> = FastMap::default();
        for (row, unit_id, counted) in &self.listed {
            found
                .entry(member_key(*row))
                .or_default()
                .push((unit_id.clone(), *counted));
        }
        Ok(found)
    }
}

/// A person listed in two units counts where the months before say they are now. Units
/// A 星河远航科技, B 星河远洋科技, C 星河远景贸易; every text is a unit's exact name.
/// - P (rows 2, 3: A, then B): last period only A's record, counted → the move is to B:
///   row 3 counts (file order alone counted row 2, the old organization's stale row).
/// - Q (rows 4, 5: A, C): last period records in both, counted in C → C stays, row 5.
/// - R (rows 6, 7: B, C): no record last period → file order, row 6.
/// - S (rows 8, 9: A twice): one unit, nothing to choose, nobody asked → row 8.
///
/// Asked about: P, Q and R.
#[test]
fn a_person_listed_in_two_units_counts_where_they_moved() {
    let (a, b, c) = (
        "北京星河远航科技有限公司",
        "北京星河远洋科技有限公司",
        "北京星河远景贸易有限公司",
    );
    let person = |row, key_row, employer| {
        let mut m = member(row, None, employer);
        m.member_key = member_key(key_row);
        m
    };
    let staged = Staged {
        units: vec![
            unit(2, a, "91350100M000100Y43"),
            unit(3, b, "91110105100000091K"),
            unit(4, c, "91110105MA00000017"),
        ],
        members: vec![
            person(2, 2, a),
            person(3, 2, b),
            person(4, 4, a),
            person(5, 4, c),
            person(6, 6, b),
            person(7, 6, c),
            person(8, 8, a),
            person(9, 8, a),
        ],
        ..Staged::default()
    };
    let (first, _) = run_link(&staged);
    let id = |name| unit_id_of(&first, name);
    let before = ListedBefore {
        listed: vec![(2, id(a), true), (4, id(a), false), (4, id(c), true)],
        asked: Default::default(),
    };
    let (_, linked) = run_link_with(&staged, |_| Feedback::default(), &before);
    let counted: Vec<bool> = linked.members.iter().map(|m| m.counted).collect();
    assert_eq!(
        counted,
        [false, true, false, true, true, false, true, false]
    );
    assert_eq!(before.asked.borrow().len(), 3);
    let (_, without) = run_link(&staged);
    let counted: Vec<bool> = without.members.iter().map(|m| m.counted).collect();
    assert_eq!(
        counted,
        [true, false, true, false, true, false, true, false]
    );
}
