-- list_enterprise_needs_members: non-public enterprises with many employees and no
-- member. Rule (notice §1): 非公有制企业职工50人以上的要有党员.
-- Scope: in-scope units of sector enterprise with employees ≥
-- settings.enterprise_employees_need_members and no counted member (formal or
-- probationary). Units whose head count is unknown are not listed. One row per unit.
-- depends: list_units, settings, list_met_by
-- output: table
CREATE TABLE list_enterprise_needs_members AS
SELECT
    l.period, 'enterprise_needs_members' AS list, format('职工{}人以上无党员企业', s.enterprise_employees_need_members) AS list_name, format('职工{}人以上的非公有制企业要有党员', s.enterprise_employees_need_members) AS rule,
    l.* EXCLUDE (period, u),
    format('职工{}人，党员0名', u.employees) AS detail
FROM list_units() l
CROSS JOIN settings s
WHERE u.in_scope AND u.sector = 'enterprise' AND u.employees >= s.enterprise_employees_need_members AND list_met_by('enterprise_needs_members', u) IS NULL
ORDER BY l.district_code, l.name;
