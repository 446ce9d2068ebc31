-- unit_status: one row per unit of the period — what the registries say of it (units)
-- and what assess found (unit_assessment: scope, members, organization form, coverage).
-- Not a metric: the table every metric and list of sql/ counts from. Scope: every unit,
-- in scope or not (out_of_scope_reason says why not).
-- depends: unit_assessment, units
-- output: table
CREATE TABLE unit_status AS
SELECT
    u.period, u.unit_id, u.name, u.name_key, u.name_keys, u.uscc, u.sector, u.unit_kind,
    u.status, u.district_code, coalesce(u.district_name, '') AS district_name, u.street,
    u.industry, u.park, u.building, u.registration_level, u.sub_category,
    a.in_scope, a.out_of_scope_reason, a.formal_members, a.probationary_members,
    a.has_members, a.formal_3plus, a.single_org_level, a.single_org_ids, a.joint_org_ids,
    a.functional_org_ids, a.org_form, a.has_instructor, a.has_mass_org, a.org_covered,
    a.work_covered, a.employees, a.employees_source, a.no_org_reason
FROM units u
JOIN unit_assessment a USING (unit_id)
ORDER BY u.unit_id;
