-- list_enterprise_needs_org: non-public enterprises with many employees and no
-- organization coverage. Rule (notice §1): 100人以上的要建立党组织. Met by an own or
-- a joint organization, not by a functional one (docs/decisions.md).
-- Scope: in-scope units of sector enterprise with employees ≥
-- settings.enterprise_employees_need_org and org_covered = false. One row per unit.
-- depends: list_units, settings, label, list_met_by
-- output: table
CREATE TABLE list_enterprise_needs_org AS
SELECT
    l.period, 'enterprise_needs_org' AS list, format('职工{}人以上未建党组织企业', s.enterprise_employees_need_org) AS list_name, format('职工{}人以上的非公有制企业要建立党组织', s.enterprise_employees_need_org) AS rule,
    l.* EXCLUDE (period, u),
    format('职工{}人，组织形式：{}', u.employees, label('org_form', u.org_form)) AS detail
FROM list_units() l
CROSS JOIN settings s
WHERE u.in_scope AND u.sector = 'enterprise' AND u.employees >= s.enterprise_employees_need_org AND list_met_by('enterprise_needs_org', u) IS NULL
ORDER BY l.district_code, l.name;
