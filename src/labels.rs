//! 标签: every canonical word with its Chinese label — the words of each vocabulary
//! (src/vocabulary.rs), the canonical fields of the exports and the appraisal targets
//! (src/config/) — as the `labels` table the reports read (sql/label.sql) and
//! analysts join. A module of its own so that the vocabularies need not know the
//! pipeline file's fields.

use crate::vocabulary::*;

/// One row of the `labels` table: a word of a set and how people read it.
#[derive(Debug, Clone, Copy)]
pub struct Label {
    pub set: &'static str,
    pub code: &'static str,
    pub label: &'static str,
}

fn labels_of<T: Vocabulary>(into: &mut Vec<Label>) {
    for (code, label) in T::NAMES.iter().zip(T::LABELS) {
        into.push(Label {
            set: T::SET,
            code,
            label,
        });
    }
}

/// Every word of every set with its label: the `labels` table that the reports read
/// (sql/label.sql) and analysts join, and what the label test looks for in reports.
pub fn labels() -> Vec<Label> {
    let mut all = Vec::new();
    labels_of::<UnitKind>(&mut all);
    labels_of::<RegistryStatus>(&mut all);
    labels_of::<SubCategory>(&mut all);
    labels_of::<RegistrationLevel>(&mut all);
    labels_of::<MemberCategory>(&mut all);
    labels_of::<MemberStatus>(&mut all);
    labels_of::<OrgLevel>(&mut all);
    labels_of::<Formation>(&mut all);
    labels_of::<OrgStatus>(&mut all);
    labels_of::<OrgRole>(&mut all);
    labels_of::<ScopeReason>(&mut all);
    labels_of::<MemberRule>(&mut all);
    labels_of::<Sector>(&mut all);
    labels_of::<OrgForm>(&mut all);
    labels_of::<IssueKind>(&mut all);
    labels_of::<LinkIssueKind>(&mut all);
    labels_of::<UnitFoundBy>(&mut all);
    labels_of::<IdEventReason>(&mut all);
    labels_of::<IdKind>(&mut all);
    labels_of::<MatchRule>(&mut all);
    labels_of::<EmployeesSource>(&mut all);
    labels_of::<FeedbackKind>(&mut all);
    labels_of::<FeedbackField>(&mut all);
    labels_of::<CloseReason>(&mut all);
    labels_of::<ListMetBy>(&mut all);
    // The fields of the exports, for the rows rejected or flagged in them; a row as a
    // whole (a wrong number of columns) has the empty field.
    labels_of::<SourceField>(&mut all);
    all.push(Label {
        set: "field",
        code: "",
        label: "整行",
    });
    labels_of::<AppraisalTarget>(&mut all);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word has a Chinese label, and no two words of a set share one (a report
    /// could not tell them apart).
    #[test]
    fn every_word_has_its_own_chinese_label() {
        let all = labels();
        assert_eq!(
            all.len(),
            85 + 25 + 6 + 9 + 2 + 3 + 4 + 7 + 43 + 8 + 9 + 9 + 6,
            "12+7+3+3+2+4+5+4+2+2+8+21 (link rules) + 2+4 + 6 targets, 24 issue kinds, 6 link issue kinds, 9 ways a unit is found, 2 id events, 3 employee sources, 4 id kinds, 7 match rules, 42 fields + the row, 8 feedback kinds, 9 feedback fields, 9 close reasons, 6 ways a list is met"
        );
        // Every field of the catalogue is a word of SourceField, each once.
        let catalogue: std::collections::BTreeSet<&str> = crate::config::ALL_FIELDS
            .iter()
            .flat_map(|f| f.iter().map(|spec| spec.name()))
            .collect();
        assert_eq!(catalogue.len(), SourceField::ALL.len());
        let mut seen = std::collections::BTreeSet::new();
        for l in &all {
            assert!(l.label.chars().any(|c| c > '\u{2e80}'), "{l:?}");
            assert!(seen.insert((l.set, l.label)), "{l:?} repeats a label");
        }
        assert_eq!(UnitKind::PrivateNonEnterprise.label(), "民办非企业单位");
        assert_eq!(OrgForm::NoOrg.label(), "未建");
    }
}
