-- compliance_lists: every unit list of the rulebook in one table (list, list_name and
-- rule say which), for analysts and the compliance workbook. Each list is defined in its
-- own file (sql/list_*.sql); this only stacks them. A unit may be on several lists.
-- The list of joint organizations covering too many units has other columns and stays
-- in list_joint_org_too_large.
-- depends: list_enterprise_needs_members, list_enterprise_needs_org, list_joint_unit_can_form_own, list_members_without_coverage, list_municipal_group_needs_org, list_should_form_own, list_staff30_needs_org
-- output: table
CREATE TABLE compliance_lists AS
SELECT * FROM list_should_form_own
UNION ALL BY NAME
SELECT * FROM list_enterprise_needs_members
UNION ALL BY NAME
SELECT * FROM list_enterprise_needs_org
UNION ALL BY NAME
SELECT * FROM list_municipal_group_needs_org
UNION ALL BY NAME
SELECT * FROM list_staff30_needs_org
UNION ALL BY NAME
SELECT * FROM list_joint_unit_can_form_own
UNION ALL BY NAME
SELECT * FROM list_members_without_coverage
ORDER BY list, district_code, name;
