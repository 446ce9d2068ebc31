-- list_enterprise_needs_members: non-public enterprises with many employees and no
-- member. Rule (notice §1): 非公有制企业职工50人以上的要有党员.
-- Scope: in-scope units of sector enterprise with employees ≥
-- settings.enterprise_employees_need_members and no counted member (formal or
-- probationary). Units whose head count is unknown are not listed. One row per unit.
-- depends: settings, unit_status
-- output: table
CREATE TABLE list_enterprise_needs_members AS
SELECT
    u.period, 'enterprise_needs_members' AS list, format('职工{}人以上无党员企业', s.enterprise_employees_need_members) AS list_name, format('职工{}人以上的非公有制企业要有党员', s.enterprise_employees_need_members) AS rule,
    u.unit_id, u.name, u.uscc, u.sector, u.unit_kind, u.district_code, u.district_name, u.street,
    u.employees, u.formal_members, u.probationary_members, u.org_form,
    format('职工{}人，党员0名', u.employees) AS detail
FROM unit_status u
CROSS JOIN settings s
WHERE u.in_scope AND u.sector = 'enterprise' AND u.employees >= s.enterprise_employees_need_members AND NOT u.has_members
ORDER BY u.district_code, u.name;
