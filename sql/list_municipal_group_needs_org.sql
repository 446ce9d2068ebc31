-- list_municipal_group_needs_org: social groups registered at municipal level or above
-- without organization coverage. Rule (notice §1): 市级以上社会团体要建立党组织.
-- Scope: in-scope units of kind social_group with registration_level national or
-- municipal and org_covered = false. One row per unit.
-- depends: list_units, settings, label, list_met_by
-- output: table
CREATE TABLE list_municipal_group_needs_org AS
SELECT
    l.period, 'municipal_group_needs_org' AS list, '市级以上社会团体未建党组织' AS list_name, '市级以上社会团体要建立党组织' AS rule,
    l.* EXCLUDE (period, u),
    format('登记管理机关级别：{}，组织形式：{}', label('registration_level', u.registration_level), label('org_form', u.org_form)) AS detail
FROM list_units() l
CROSS JOIN settings s
WHERE u.in_scope AND u.unit_kind = 'social_group' AND u.registration_level IN ('national', 'municipal') AND list_met_by('municipal_group_needs_org', u) IS NULL
ORDER BY l.district_code, l.name;
