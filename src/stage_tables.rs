//! The hand-off from the row stages to SQL: every table that extract, resolve, link
//! and assess produce is declared here once (`declared_table::Table`: name, type and value of
//! each column) and handed to DuckDB as Arrow record batches, where the definitions in
//! `sql/` turn them into metrics.

use duckdb::Connection;
use rayon::prelude::*;

use crate::assess::{OrgIds, UnitStatus};
use crate::config::{Pipeline, TargetValue};
use crate::declared_table::Table;
use crate::dictionary::words;
use crate::error::{DbContext, Result};
use crate::extract::Staged;
use crate::feedback::{Conflict, Decision, Feedback};
use crate::identity::Identity;
use crate::labels::{labels as all_labels, Label};
use crate::link::{LinkIssue, Linked, MemberLink, Org, OrgUnit};
use crate::matching::Candidate;
use crate::model::{MemberRecord, RowIssue};
use crate::resolve::{Resolved, Unit, UnitSource};
use crate::vocabulary::{
    EmployeesSource, FeedbackField, FeedbackKind, Formation, IssueKind, LinkIssueKind, MatchRule,
    MemberStatus, OrgLevel, OrgRole, OrgStatus, UnitFoundBy,
};

fn list<T: AsRef<str>>(ids: &[T]) -> Option<String> {
    (!ids.is_empty()).then(|| ids.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(";"))
}

/// One of a unit's lists of organization ids, ';'-separated (None for an empty list).
fn org_ids(s: &UnitStatus, which: impl Fn(&OrgIds) -> &Vec<String>) -> Option<String> {
    s.org_ids.as_deref().and_then(|o| list(which(o)))
}

/// The rulebook numbers the SQL definitions read (one row).
fn settings<'a>() -> Table<'a, &'a Pipeline> {
    Table::<&Pipeline>::new("settings")
        .describe("规则设置: the rulebook's numbers and switches the period was computed under (one row)")
        .text("city_code", |p| &p.pipeline.city_code)
        .about("城市代码: the pipeline's city (GB/T 2260), the district_code of the city-total rows")
        .text("city_name", |p| &p.pipeline.city_name)
        .about("城市名称: the pipeline's city")
        .int("formal_members_for_single_org", |p| {
            p.rules.formal_members_for_single_org
        })
        .about("formal members from which a unit should form its own organization (正式党员3人以上的，都要成立党组织: 3)")
        .int("enterprise_employees_need_members", |p| {
            p.rules.enterprise_employees_need_members
        })
        .about("head count from which an enterprise should have party members (职工50人以上: 50)")
        .int("enterprise_employees_need_org", |p| {
            p.rules.enterprise_employees_need_org
        })
        .about("head count from which an enterprise should have a party organization (职工100人以上: 100)")
        .int("social_org_staff_need_org", |p| {
            p.rules.social_org_staff_need_org
        })
        .about("head count from which a substantive social organization should have a party organization (30)")
        .fraction("social_org_target_rate", |p| p.rules.social_org_target_rate)
        .about("the social organizations' organization-coverage target (0.4000 = 40%)")
        .int("joint_org_max_units", |p| p.rules.joint_org_max_units)
        .about("the most units one joint organization should cover; larger ones are listed (list_joint_org_too_large)")
        .text("rate_denominator", |p| p.rules.rate_denominator.as_str())
        .boolean("probationary_count_as_members", |p| {
            p.rules.probationary_count_as_members
        })
        .about("whether a probationary member alone makes a unit one with members")
        .boolean("affiliated_counts_as_joint", |p| {
            p.rules.affiliated_counts_as_joint
        })
        .about("whether an organization 挂靠 (affiliated) to a unit covers it as a joint one does")
        .boolean("functional_counts_as_org_coverage", |p| {
            p.rules.functional_counts_as_org_coverage
        })
        .about("whether a functional organization (功能型党组织) counts as organization coverage")
        .opt_text("baseline_period", |p| p.campaign.baseline_period.as_deref())
        .about("基期: the campaign's baseline period from the pipeline file, NULL where it names none (then the folder's first period)")
}

/// The campaign's targets in force (目标): each target city-wide (district_code NULL)
/// and a district's own where the pipeline file's [campaign] sets one.
fn campaign_targets<'a>() -> Table<'a, &'a TargetValue> {
    Table::<&TargetValue>::new("campaign_targets")
        .describe("考核目标: each campaign target in force, city-wide (district_code NULL) or a district's own")
        .text("target", |t| t.target.as_str())
        .text("target_name", |t| t.target.label())
        .fraction("target_value", |t| t.value)
        .about("the target, a fraction 0–1")
        .opt_text("district_code", |t| t.district_code.as_deref())
        .about("the district whose own target it is; NULL for the city-wide target")
}

/// The `settings` table of a pipeline, alone: what the golden tests of sql/ start from
/// (tests/golden), so that its columns are declared once, here.
pub fn load_settings(conn: &Connection, p: &Pipeline, period: &str) -> Result<()> {
    settings().load(conn, period, [p]).map(|_| ())
}

/// 标签: every canonical word with its Chinese label (src/vocabulary.rs), read by the
/// reports through sql/label.sql and published for analysts to join.
pub fn labels<'a>() -> Table<'a, &'a Label> {
    Table::<&Label>::new("labels")
        .describe("标签: every canonical word of the outputs with its Chinese label; join on (vocabulary, code)")
        .text("vocabulary", |l| l.set)
        .about("the set the word belongs to (mostly the name of the column it appears in)")
        .text("code", |l| l.code)
        .about("the canonical word as the tables write it")
        .text("label", |l| l.label)
        .about("how people read it (the reports' Chinese)")
}

fn districts<'a>() -> Table<'a, (&'a String, &'a String)> {
    Table::<(&String, &String)>::new("districts")
        .text("district_code", |(code, _)| code)
        .text("district_name", |(_, name)| name)
        .internal()
}

fn units<'a>(p: &'a Pipeline) -> Table<'a, &'a Unit> {
    Table::<&Unit>::new("units")
        .describe("单位: one row per unit of the period after deduplication (resolve), with the facts of its registry records")
        .text("unit_id", |u| &u.unit_id)
        .opt_text("uscc", |u| u.uscc.as_deref())
        .opt_text("org_code", |u| u.org_code.as_deref())
        .opt_text("reg_no", |u| u.reg_no.as_deref())
        .text("name", |u| &u.name)
        .text("name_key", |u| &u.name_key)
        .made_text("name_keys", |u| list(&u.name_keys()))
        .text("sector", |u| u.sector.as_str())
        .text("unit_kind", |u| u.kind.as_str())
        .text("status", |u| u.status.as_str())
        .opt_text("district_code", |u| u.facts.district_code.as_deref())
        .opt_text("district_name", move |u| {
            u.facts
                .district_code
                .as_deref()
                .and_then(|d| p.district_name(d))
        })
        .opt_text("street", |u| u.facts.street.as_deref())
        .opt_text("industry", |u| u.facts.industry.as_deref())
        .opt_text("park", |u| u.facts.park.as_deref())
        .opt_text("building", |u| u.facts.building.as_deref())
        .opt_int("employees_registry", |u| u.facts.employees)
        .about("从业人员数 as the registry gives it, NULL where it gives none")
        .date("established", |u| u.facts.established.as_deref())
        .about("成立日期 as the registry gives it")
        .date("approved", |u| u.facts.approved.as_deref())
        .about("核准日期 (the registry's latest approved change) of the record that names the unit, else of another of its records")
        .opt_text("registration_level", |u| {
            u.facts.registration_level.map(|l| l.as_str())
        })
        .opt_text("sub_category", |u| u.facts.sub_category.map(|c| c.as_str()))
        .int("record_count", |u| u.record_count as i64)
        .about("how many registry records were merged into the unit (unit_sources lists them)")
        .lineage(|u| &u.representative)
}

/// Which records make each unit (resolve's rule and score per record).
fn unit_sources<'a>(units: &'a [Unit]) -> Table<'a, &'a UnitSource> {
    Table::<&UnitSource>::new("unit_sources")
        .describe("单位来源记录: every registry record and the unit it was merged into")
        .text("unit_id", |s| &units[s.unit].unit_id)
        .text("rule", |s| s.rule.as_str())
        .about(format!(
            "how the record was joined to the unit: {}",
            words::<MatchRule>()
        ))
        .float("score", |s| Some(s.score))
        .about("the match score (1 for an identifier or an exact name)")
        .lineage(|s| &s.lineage)
}

fn party_orgs<'a>(units: &'a [Unit]) -> Table<'a, &'a Org> {
    Table::<&Org>::new("party_orgs")
        .describe("党组织: every party organization of the organization export, with the unit it is hosted by")
        .text("org_id", |o| &o.org_id)
        .text("name", |o| &o.name)
        .about("党组织名称")
        .text("level", |o| o.level.as_str())
        .about(format!("党组织层级: {}", words::<OrgLevel>()))
        .text("formation", |o| o.formation.as_str())
        .about(format!("组建方式: {}", words::<Formation>()))
        .text("status", |o| o.status.as_str())
        .about(format!("党组织状态: {}", words::<OrgStatus>()))
        .opt_text("parent_id", |o| o.parent_id.as_deref())
        .about("上级党组织编号, NULL where none is given")
        .boolean("counts", |o| o.counts)
        .about("whether it counts for coverage (active, of a level that covers units)")
        .opt_text("host_unit_id", |o| {
            o.host_unit.map(|i| units[i].unit_id.as_str())
        })
        .about("所在单位: the unit the organization belongs to, NULL where none is found")
        .opt_text("host_rule", |o| o.host_rule.map(UnitFoundBy::as_str))
        .about(format!("how the host unit was found: {}", words::<UnitFoundBy>()))
        .lineage(|o| &o.lineage)
}

fn org_units<'a>(units: &'a [Unit], orgs: &'a [Org]) -> Table<'a, &'a OrgUnit> {
    Table::<&OrgUnit>::new("org_units")
        .describe("党组织覆盖单位: which units each organization covers and how — its host unit, a joint organization's covered units")
        .text("org_id", |l| &orgs[l.org].org_id)
        .text("unit_id", |l| &units[l.unit].unit_id)
        .text("role", |l| l.role.as_str())
        .about(format!("the unit's role for the organization: {}", words::<OrgRole>()))
        .text("rule", |l| l.rule.as_str())
        .about(format!("how the unit was found: {}", words::<UnitFoundBy>()))
        .lineage(|l| &l.lineage)
}

type MemberRow<'a> = (&'a MemberLink, &'a MemberRecord);

fn members<'a>(units: &'a [Unit], orgs: &'a [Org]) -> Table<'a, MemberRow<'a>> {
    Table::<MemberRow>::new("members")
        .describe("党员: one row per member record, pseudonymized (member_key; no ID number or name), with the unit the member is counted in")
        .shown("member_key", |(_, r)| r.member_key)
        .text("category", |(_, r)| r.category.as_str())
        .text("status", |(_, r)| r.status.as_str())
        .about(format!("党员状态: {}", words::<MemberStatus>()))
        .opt_text("org_id", |(m, r)| m.org_id(r, orgs))
        .about("所在党组织: the member's organization (found by code or name), else the code as written")
        .opt_text("employer_name", |(_, r)| r.employer.name.as_deref())
        .opt_text("employer_uscc", |(_, r)| r.employer.uscc.as_deref())
        .opt_text("employer_org_code", |(_, r)| r.employer.org_code.as_deref())
        .about("the organization code written for the employer")
        .opt_text("unit_id", |(m, _)| {
            m.unit().map(|i| units[i].unit_id.as_str())
        })
        .about("the unit the member is placed in, NULL where none")
        .text("link_rule", |(m, _)| m.rule.as_str())
        .float("link_score", |(m, _)| m.score())
        .boolean("counted", |(m, _)| m.counted)
        .about("whether the member counts in the unit's figures")
        .made_text("not_counted_reason", |(m, _)| {
            m.not_counted_reason.map(|why| why.to_string())
        })
        .about("why the member does not count, where not counted")
        .boolean("relation_elsewhere", |(m, _)| m.relation_elsewhere)
        .about("组织关系不在工作单位: the member's organization neither hosts nor covers the unit (counted in members_not_transferred)")
        .lineage(|(_, r)| &r.lineage)
}

/// The candidates a person should look at for a member link that was not clear.
fn link_review<'a>(units: &'a [Unit]) -> Table<'a, (usize, &'a Candidate, &'a MemberRecord)> {
    Table::<(usize, &Candidate, &MemberRecord)>::new("link_review")
        .describe("待核实: for each member whose 工作单位 matched no unit clearly, the candidate units ranked, for a person to decide")
        .shown("member_key", |(_, _, r)| r.member_key)
        .opt_text("employer_name", |(_, _, r)| r.employer.name.as_deref())
        .int("rank", |(rank, _, _)| rank as i64 + 1)
        .about("the candidate's rank, 1 the best")
        .text("candidate_unit_id", |(_, c, _)| &units[c.unit].unit_id)
        .about("the candidate unit")
        .text("candidate_name", |(_, c, _)| &units[c.unit].name)
        .about("the candidate unit's name")
        .float("score", |(_, c, _)| Some(c.score))
        .about("its name match score")
        .lineage(|(_, _, r)| &r.lineage)
}

fn link_issues<'a>(units: &'a [Unit]) -> Table<'a, &'a LinkIssue> {
    Table::<&LinkIssue>::new("link_issues")
        .describe("关联问题: references that found no unit, or a unit other than expected (hosts, covered units, ledger rows, members' employers)")
        .text("what", |i| i.what.as_str())
        .about(format!("what was found: {}", words::<LinkIssueKind>()))
        .text("reason", |i| &i.reason)
        .about("the particulars")
        .opt_text("value", |i| i.value.as_deref())
        .about("the reference as written")
        .opt_text("unit_id", |i| i.unit.map(|u| units[u].unit_id.as_str()))
        .about("the unit concerned, where there is one")
        .made_text("other_unit_ids", |i| {
            let ids: Vec<String> = i
                .other_units
                .iter()
                .map(|&u| units[u].unit_id.clone())
                .collect();
            list(&ids)
        })
        .about("the other units concerned, ';'-separated")
        .lineage(|i| &i.lineage)
}

/// `rejects` and `flags`: a row refused, or a field set aside, and why.
fn input_issues<'a>(name: &'static str) -> Table<'a, &'a RowIssue> {
    Table::<&RowIssue>::new(name)
        .describe(if name == "rejects" {
            "拒收行: the input rows not used, and why (every input row is either used or here)"
        } else {
            "标记: fields of used rows that were set aside, normalized or are implausible, and why (the row itself is used)"
        })
        .text("field", |r| &r.field)
        .text("kind", |r| r.kind.as_str())
        .about(format!("what is wrong: {}", words::<IssueKind>()))
        .text("reason", |r| &r.reason)
        .about("the particulars")
        .opt_text("value", |r| r.value.as_deref())
        .about("the value as written (never a member's ID number or name)")
        .lineage(|r| &r.lineage)
}

/// What assess found for each unit; `sql/unit_status.sql` joins it to `units`.
fn unit_assessment<'a>(units: &'a [Unit]) -> Table<'a, &'a UnitStatus> {
    Table::<&UnitStatus>::new("unit_assessment")
        .text("unit_id", |s| &units[s.unit].unit_id)
        .opt_text("out_of_scope_reason", |s| {
            s.out_of_scope_reason.map(|r| r.as_str())
        })
        .int("formal_members", |s| s.formal_members)
        .int("probationary_members", |s| s.probationary_members)
        .opt_text("single_org_level", |s| {
            s.single_org_level.map(|l| l.as_str())
        })
        .made_text("single_org_ids", |s| org_ids(s, |o| &o.single))
        .made_text("joint_org_ids", |s| org_ids(s, |o| &o.joint))
        .made_text("affiliated_org_ids", |s| org_ids(s, |o| &o.affiliated))
        .made_text("functional_org_ids", |s| org_ids(s, |o| &o.functional))
        .boolean("has_instructor", |s| s.has_instructor)
        .boolean("has_mass_org", |s| s.has_mass_org)
        .int("members_not_transferred", |s| s.members_not_transferred)
        .opt_int("employees", |s| s.employees)
        .opt_text("employees_source", |s| {
            s.employees_source.map(EmployeesSource::as_str)
        })
        .opt_text("no_org_reason", |s| s.no_org_reason.as_deref())
        .opt_text("corrected_status", |s| {
            s.corrected_status.map(|c| c.as_str())
        })
        .opt_text("corrected_district_code", |s| {
            s.corrected_district.as_ref().map(|d| d.0.as_str())
        })
        .opt_text("corrected_district_name", |s| {
            s.corrected_district.as_ref().map(|d| d.1.as_str())
        })
        .made_text("corrected_fields", |s| {
            let fields: Vec<String> = s
                .corrected_fields
                .iter()
                .map(|f| f.as_str().to_string())
                .collect();
            list(&fields)
        })
        .internal()
}

/// 反馈决定: every decision of the districts' returned work packs as it stands this
/// month, in force or replaced (superseded_by), with the row it came from.
fn feedback_decisions<'a>() -> Table<'a, &'a Decision> {
    Table::<&Decision>::new("feedback_decisions")
        .describe("反馈决定: every decision of the districts' returned work packs, in force or replaced (superseded_by), with the row it came from")
        .text("id", |d| &d.id)
        .about("the decision's identifier")
        .text("kind", |d| d.kind.as_str())
        .about(format!("决定类型: {}", words::<FeedbackKind>()))
        .text("district_code", |d| &d.district_code)
        .about("the district that returned it")
        .text("unit_id", |d| &d.unit_id)
        .about("the unit it is about")
        .opt_text("employer_text", |d| d.employer_text.as_deref())
        .about("a decision on a name as written: the member's 工作单位 text (link_*), or the joint list's name of the covered unit (joint_*)")
        .opt_text("employer_key", |d| d.employer_key.as_deref())
        .about("that text normalized, as matching compares it")
        .opt_text("field", |d| d.field.map(|f| f.as_str()))
        .about(format!("the field corrected: {}", words::<FeedbackField>()))
        .opt_text("value", |d| d.value.as_deref())
        .about("the corrected value, or the plan's text")
        .opt_text("registry_value", |d| d.registry_value.as_deref())
        .about("what the registry said when the district decided")
        .opt_text("basis", |d| d.basis.as_deref())
        .about("依据: the district's note")
        .text("period_received", |d| &d.period_received)
        .about("the period of the work pack it came back in")
        .opt_text("superseded_by", |d| d.superseded_by.as_deref())
        .about("the id of a later decision that replaces it; NULL while in force")
        .lineage(|d| &d.lineage)
}

/// 更正与登记信息冲突: a correction in force that this month's registry contradicts.
fn feedback_conflicts<'a>(units: &'a [Unit]) -> Table<'a, &'a Conflict> {
    Table::<&Conflict>::new("feedback_conflicts")
        .describe(
            "更正与登记信息冲突: a correction in force that this month's registry contradicts",
        )
        .text("unit_id", |c| &units[c.unit].unit_id)
        .text("name", |c| &units[c.unit].name)
        .text("field", |c| c.field.as_str())
        .about(format!("the field corrected: {}", words::<FeedbackField>()))
        .text("corrected_value", |c| &c.corrected_value)
        .about("the district's value")
        .text("registry_value_then", |c| &c.registry_value_then)
        .about("what the registry said when the district corrected it")
        .text("registry_value_now", |c| &c.registry_value_now)
        .about("what the registry says this month")
        .text("decision_id", |c| &c.decision_id)
        .about("the decision (feedback_decisions.id)")
}

/// Every stage table of a month with no rows, as a run declares it: what the tests of
/// sql/ take the tables' shapes from.
pub fn load_empty(conn: &Connection, p: &Pipeline, period: &str) -> Result<Vec<&'static str>> {
    let mut resolved = Default::default();
    let resolve_tables = load_resolve_tables(conn, period, &mut resolved, &mut Default::default())?;
    load_all(
        conn,
        p,
        period,
        &mut Default::default(),
        &resolved,
        &mut Default::default(),
        &[],
        &resolve_tables,
        &Default::default(),
    )
}

/// The tables of resolve's results (`unit_id_events`, `run_unit_keys`, `unit_sources`),
/// as [`load_all`] reports them in their places.
pub struct ResolveTables([Option<&'static str>; 3]);

/// Loads the tables of resolve's results as soon as the units have their ids, and frees
/// their rows (emptied in `resolved` and `identity`): nothing else reads them, and they
/// are not held while the member records are read and placed (1M units: the id
/// registry's keys and the record → unit rows took 405 MB there).
pub fn load_resolve_tables(
    conn: &Connection,
    period: &str,
    resolved: &mut Resolved,
    identity: &mut Identity,
) -> Result<ResolveTables> {
    let units = &resolved.units;
    let (events, keys, sources) = (&identity.events, &*identity, &resolved.sources);
    let jobs: Vec<Load> = vec![
        Box::new(|c| crate::identity::unit_id_events().load(c, period, events)),
        Box::new(|c| crate::identity::run_unit_keys(units).load(c, period, keys.unit_keys())),
        Box::new(|c| unit_sources(units).load(c, period, sources)),
    ];
    let loaded = load_in_parallel(conn, jobs)?;
    (identity.events, resolved.sources) = Default::default();
    identity.free_keys();
    Ok(ResolveTables([loaded[0], loaded[1], loaded[2]]))
}

/// A stage table declared and loaded by a task of its own, on a connection of its own.
type Load<'s> = Box<dyn FnOnce(&Connection) -> Result<Option<&'static str>> + Send + 's>;

/// Loads every stage table of one run; returns those to publish, in the order declared
/// here. The member records are the month's largest: the tables that read them are
/// loaded first and the records freed (emptied in `staged` and `linked`) before the
/// other tables are loaded, so that the records are never held beside every table in
/// DuckDB (a million-unit month's peak was here).
#[allow(clippy::too_many_arguments)]
pub fn load_all(
    conn: &Connection,
    p: &Pipeline,
    period: &str,
    staged: &mut Staged,
    resolved: &Resolved,
    linked: &mut Linked,
    status: &[UnitStatus],
    resolve_tables: &ResolveTables,
    feedback: &Feedback,
) -> Result<Vec<&'static str>> {
    let units = &resolved.units;
    let [events, keys, sources] = resolve_tables.0;
    // In the order of the reference (docs/tables.md): the tables before the members',
    // the members', and those after (resolve's, loaded already, in their places).
    let before: Vec<Load> = vec![
        Box::new(move |_| Ok(events)),
        Box::new(move |_| Ok(keys)),
        Box::new(|c| settings().load(c, period, [p])),
        Box::new(|c| {
            let targets = p.campaign.target_values();
            let table = campaign_targets();
            table.load(c, period, &targets)
        }),
        Box::new(|c| districts().load(c, period, &p.districts)),
        Box::new(|c| {
            let words = all_labels();
            let table = labels();
            table.load(c, period, &words)
        }),
        Box::new(|c| self::units(p).load(c, period, units)),
        Box::new(move |_| Ok(sources)),
        Box::new(|c| party_orgs(units).load(c, period, &linked.orgs)),
        Box::new(|c| org_units(units, &linked.orgs).load(c, period, &linked.org_units)),
    ];
    let after: Vec<Load> = vec![
        Box::new(|c| link_issues(units).load(c, period, &linked.issues)),
        Box::new(|c| input_issues("rejects").load(c, period, &staged.rejects)),
        Box::new(|c| input_issues("flags").load(c, period, &staged.flags)),
        Box::new(|c| unit_assessment(units).load(c, period, status)),
        Box::new(|c| feedback_decisions().load(c, period, &feedback.decisions)),
        Box::new(|c| feedback_conflicts(units).load(c, period, &feedback.conflicts)),
    ];
    let members_tables = {
        let (records, links, orgs) = (&staged.members, &linked.members, &linked.orgs);
        let member_rows = move || links.iter().map(move |m| (m, &records[m.record()]));
        let candidates = move || {
            member_rows().flat_map(|(m, r)| {
                m.candidates
                    .iter()
                    .enumerate()
                    .map(move |(rank, c)| (rank, c, r))
            })
        };
        let jobs: Vec<Load> = vec![
            Box::new(move |c| members(units, orgs).load(c, period, member_rows())),
            Box::new(move |c| link_review(units).load(c, period, candidates())),
        ];
        load_in_parallel(conn, jobs)?
    };
    staged.members = Vec::new();
    linked.members = Vec::new();
    let n = before.len();
    let mut others = before;
    others.extend(after);
    let mut others = load_in_parallel(conn, others)?;
    let after = others.split_off(n);
    Ok(others
        .into_iter()
        .chain(members_tables)
        .chain(after)
        .flatten()
        .collect())
}

/// The batches of different tables are built and appended in parallel (DuckDB takes
/// appends to different tables at once); each load's result in the order of `jobs`.
fn load_in_parallel(conn: &Connection, jobs: Vec<Load>) -> Result<Vec<Option<&'static str>>> {
    let jobs = jobs
        .into_iter()
        .map(|job| Ok((job, conn.try_clone().db("a connection for a stage table")?)))
        .collect::<Result<Vec<_>>>()?;
    jobs.into_par_iter()
        .with_max_len(1)
        .map(|(job, c)| job(&c))
        .collect()
}
