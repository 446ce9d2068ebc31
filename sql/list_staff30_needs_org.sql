-- list_staff30_needs_org: substantive social organizations with 30+ staff and no
-- organization coverage. Rule (notice §1): 从业人员30人以上的民办学校、民办医院以及
-- 律师、会计师、税务师事务所等实体性社会组织要建立党组织.
-- Scope: in-scope units that are private schools or hospitals (sub_category) or law,
-- accounting or tax firms, with employees ≥ settings.social_org_staff_need_org and
-- org_covered = false. One row per unit.
-- depends: list_units, settings, label, list_met_by
-- output: table
CREATE TABLE list_staff30_needs_org AS
SELECT
    l.period, 'staff30_needs_org' AS list, format('从业人员{}人以上的民办学校、民办医院和律师、会计师、税务师事务所未建党组织', s.social_org_staff_need_org) AS list_name, format('从业人员{}人以上的民办学校、民办医院、律师/会计师/税务师事务所要建立党组织', s.social_org_staff_need_org) AS rule,
    l.* EXCLUDE (period, u),
    format('从业人员{}人，类别：{}，组织形式：{}', u.employees, coalesce(label('sub_category', nullif(u.sub_category, 'other')), label('unit_kind', u.unit_kind)), label('org_form', u.org_form)) AS detail
FROM list_units() l
CROSS JOIN settings s
WHERE u.in_scope AND (u.sub_category IN ('private_school', 'private_hospital') OR u.unit_kind IN ('law_firm', 'accounting_firm', 'tax_firm')) AND u.employees >= s.social_org_staff_need_org AND list_met_by('staff30_needs_org', u) IS NULL
ORDER BY l.district_code, l.name;
