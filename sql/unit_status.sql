-- unit_status: one row per unit of the period — what the registries say of it (units),
-- what assess found (unit_assessment: scope reason, members, the organizations that
-- count by what they are to the unit, ledger facts) and the rulebook's verdicts over
-- those facts, under the switches of settings:
--   has_members   formal > 0, or probationary > 0 where probationary_count_as_members
--   formal_3plus  formal ≥ formal_members_for_single_org
--   joint_org_ids joint organizations, and 挂靠 (affiliated) ones where
--                 affiliated_counts_as_joint
--   org_form      single (单独组建) > joint > functional > none
--   org_covered   single or joint; functional too where functional_counts_as_org_coverage
--   work_covered  any organization form, an instructor or a mass organization
--   members_not_transferred 组织关系未转入党员数: counted members placed in the unit by
--                 their 工作单位 whose organization neither hosts nor covers the unit
--                 (a former employer's, a group's or a street's organization, or none
--                 known); from unit_assessment, no switch applies
--   status, district_code, district_name: the registry's, unless a district corrected
--                 them in its returned work pack (unit_assessment.corrected_*);
--                 corrected_fields lists what was corrected (feedback_decisions has the
--                 rows), employees_source = 'feedback' for a corrected employee count
-- Not a metric: the table every metric and list of sql/ counts from. Scope: every unit,
-- in scope or not (out_of_scope_reason says why not).
-- columns:
--   single_org_level  层级 of its own organization (the highest if several; NULL
--                     without one): committee, general_branch, branch
--   no_org_reason  未建党组织原因 as the ledger writes it
-- depends: settings, unit_assessment, units
-- output: table
CREATE TABLE unit_status AS
WITH assessed AS (
    SELECT
        a.*,
        a.formal_members > 0
            OR (s.probationary_count_as_members AND a.probationary_members > 0) AS has_members,
        a.formal_members >= s.formal_members_for_single_org AS formal_3plus,
        CASE
            WHEN s.affiliated_counts_as_joint AND a.affiliated_org_ids IS NOT NULL THEN
                array_to_string(list_sort(string_split(
                    concat_ws(';', a.joint_org_ids, a.affiliated_org_ids), ';')), ';')
            ELSE a.joint_org_ids
        END AS joint_ids,
        s.functional_counts_as_org_coverage
    FROM unit_assessment a
    CROSS JOIN settings s
),
formed AS (
    SELECT
        *,
        CASE
            WHEN single_org_ids IS NOT NULL THEN 'single'
            WHEN joint_ids IS NOT NULL THEN 'joint'
            WHEN functional_org_ids IS NOT NULL THEN 'functional'
            ELSE 'none'
        END AS org_form
    FROM assessed
)
SELECT
    u.period, u.unit_id, u.name, u.name_key, u.name_keys, u.uscc, u.sector, u.unit_kind,
    coalesce(f.corrected_status, u.status) AS status,
    coalesce(f.corrected_district_code, u.district_code) AS district_code,
    coalesce(f.corrected_district_name, u.district_name, '') AS district_name, u.street,
    u.industry, u.park, u.building, u.registration_level, u.sub_category,
    f.out_of_scope_reason IS NULL AS in_scope, f.out_of_scope_reason,
    f.formal_members, f.probationary_members, f.members_not_transferred, f.has_members,
    f.formal_3plus,
    f.single_org_level, f.single_org_ids, f.joint_ids AS joint_org_ids,
    f.functional_org_ids, f.org_form, f.has_instructor, f.has_mass_org,
    f.org_form IN ('single', 'joint')
        OR (f.org_form = 'functional' AND f.functional_counts_as_org_coverage) AS org_covered,
    f.org_form <> 'none' OR f.has_instructor OR f.has_mass_org AS work_covered,
    f.employees, f.employees_source, f.no_org_reason, f.corrected_fields
FROM units u
JOIN formed f USING (unit_id)
ORDER BY u.unit_id;
