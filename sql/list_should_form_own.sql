-- list_should_form_own (应建未建): units with enough formal members to form their own
-- organization that have none of their own.
-- Rule (notice §1): 凡有3名以上正式党员的，都要按照党章规定成立党组织.
-- Scope: in-scope units of both sectors with formal_members ≥
-- settings.formal_members_for_single_org and org_form <> 'single'. One row per unit.
-- depends: list_units, settings, label, list_met_by
-- output: table
CREATE TABLE list_should_form_own AS
SELECT
    l.period, 'should_form_own' AS list, '应建未建' AS list_name, format('{}名以上正式党员的，应单独建立党组织', s.formal_members_for_single_org) AS rule,
    l.* EXCLUDE (period, u),
    format('正式党员{}名，现组织形式：{}', u.formal_members, label('org_form', u.org_form)) AS detail
FROM list_units() l
CROSS JOIN settings s
WHERE u.in_scope AND u.formal_members >= s.formal_members_for_single_org AND list_met_by('should_form_own', u) IS NULL
ORDER BY l.district_code, l.name;
