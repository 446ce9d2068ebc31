-- attachment_units: the per-unit 统计表 of the attachments (附件1 enterprises, 附件3
-- social organizations): every in-scope unit with its organization form, members,
-- instructor and mass organizations. Scope: unit_status.in_scope; one row per unit.
-- members_not_transferred 组织关系未转入党员数: of the unit's counted members, those
-- whose organization relation is held elsewhere (unit_status defines it).
-- Figures are those of unit_status; names of people never appear.
-- columns:
--   unit_kind_cn  单位类型 in Chinese (labels)
--   org_form_cn  组建形式 in Chinese
--   single_org_level_cn  its own organization's 层级 in Chinese (党委 / 党总支 / 党支部)
--   org_ids  the organizations covering it: its own, else the joint, else the
--            functional ones, ';'-separated
--   instructor_cn, mass_org_cn, org_covered_cn, work_covered_cn  是 / 否: an instructor,
--            a mass organization, organization coverage, work coverage
-- depends: unit_status, label
-- output: table
CREATE TABLE attachment_units AS
SELECT
    period, sector, district_code, district_name, street, name, uscc, unit_kind,
    label('unit_kind', unit_kind) AS unit_kind_cn,
    employees, formal_members, probationary_members, members_not_transferred,
    label('org_form', org_form) AS org_form_cn,
    label('org_level', single_org_level) AS single_org_level_cn,
    coalesce(single_org_ids, joint_org_ids, functional_org_ids) AS org_ids,
    CASE WHEN has_instructor THEN '是' ELSE '否' END AS instructor_cn,
    CASE WHEN has_mass_org THEN '是' ELSE '否' END AS mass_org_cn,
    CASE WHEN org_covered THEN '是' ELSE '否' END AS org_covered_cn,
    CASE WHEN work_covered THEN '是' ELSE '否' END AS work_covered_cn
FROM unit_status
WHERE in_scope
ORDER BY sector, district_code, street, name;
