-- list_joint_unit_can_form_own: units inside a joint organization that now have enough
-- formal members of their own. Rule (notice §2.6): 具备单独组建党组织条件的，要单独组建.
-- Scope: in-scope units with org_form = 'joint' and formal_members ≥
-- settings.formal_members_for_single_org. One row per unit.
-- depends: list_units, settings, list_met_by
-- output: table
CREATE TABLE list_joint_unit_can_form_own AS
SELECT
    l.period, 'joint_unit_can_form_own' AS list, '联合党组织中已具备单独组建条件的单位' AS list_name, format('联合党组织内正式党员达到{}名的单位，应单独组建', s.formal_members_for_single_org) AS rule,
    l.* EXCLUDE (period, u),
    format('正式党员{}名，所在联合党组织：{}', u.formal_members, u.joint_org_ids) AS detail
FROM list_units() l
CROSS JOIN settings s
WHERE u.in_scope AND u.org_form = 'joint' AND u.formal_members >= s.formal_members_for_single_org AND list_met_by('joint_unit_can_form_own', u) IS NULL
ORDER BY l.district_code, l.name;
