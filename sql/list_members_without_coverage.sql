-- list_members_without_coverage: units with members and no coverage of any kind — no
-- organization (own, joint, functional), no instructor, no mass organization.
-- Rule (notice §2.5): 把分散的党员纳入党组织管理，党的工作不留空白点.
-- Scope: in-scope units with has_members and work_covered = false. One row per unit.
-- depends: list_units, settings, list_met_by
-- output: table
CREATE TABLE list_members_without_coverage AS
SELECT
    l.period, 'members_without_coverage' AS list, '有党员但未实现任何覆盖的单位' AS list_name, '有党员的单位应纳入党组织管理，实现党的工作覆盖' AS rule,
    l.* EXCLUDE (period, u),
    format('正式党员{}名，预备党员{}名，无组织、无指导员、无群团组织', u.formal_members, u.probationary_members) AS detail
FROM list_units() l
CROSS JOIN settings s
WHERE u.in_scope AND u.has_members AND list_met_by('members_without_coverage', u) IS NULL
ORDER BY l.district_code, l.name;
