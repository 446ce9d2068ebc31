use super::*;

fn round_trips<T: Vocabulary + PartialEq + std::fmt::Debug>() {
    for name in T::NAMES {
        let v = T::parse(name).unwrap();
        assert_eq!(v.as_str(), *name);
    }
    assert_eq!(T::parse("no such word"), None);
}

#[test]
fn every_word_reads_back_as_itself() {
    round_trips::<UnitKind>();
    round_trips::<RegistryStatus>();
    round_trips::<SubCategory>();
    round_trips::<RegistrationLevel>();
    round_trips::<MemberCategory>();
    round_trips::<MemberStatus>();
    round_trips::<OrgLevel>();
    round_trips::<Formation>();
    round_trips::<OrgStatus>();
    round_trips::<OrgRole>();
    round_trips::<ScopeReason>();
    round_trips::<MemberRule>();
    round_trips::<Sector>();
    round_trips::<OrgForm>();
    round_trips::<IssueKind>();
    round_trips::<LinkIssueKind>();
    round_trips::<UnitFoundBy>();
    round_trips::<IdEventReason>();
    round_trips::<FeedbackKind>();
    round_trips::<FeedbackField>();
    round_trips::<CloseReason>();
    round_trips::<ListMetBy>();
    round_trips::<IdKind>();
    round_trips::<AppraisalTarget>();
    round_trips::<MatchRule>();
    round_trips::<EmployeesSource>();
    round_trips::<SourceField>();
}
