-- attachment_summary: the per-district 汇总表 of the four attachments (附件2 for
-- enterprises, 附件4 for social organizations), laid out like the party-statistics
-- sheet, one row per district and sector plus the city total (全市).
-- Scope: in-scope units (unit_status.in_scope), as coverage_by_district.
-- columns:
--   units                  单位数 (= coverage_by_district.units_in_scope)
--   single_total           已建立党组织的单位: org_form single
--   single_committee, single_general_branch, single_branch  of them, by the highest
--                          level of their own organizations: 党委 / 党总支 / 党支部
--   joint_total            纳入联合党组织的单位 (org_form joint)
--   joint_3plus            of them, units with 3+ formal members
--   no_org_total           未建立党组织的单位 (org_form functional or none)
--   no_org_should_have     of them, 应建未建 (3+ formal members)
--   no_org_few_members     of them, 党员不足3名 (some members, fewer than 3 formal)
--   no_org_no_members      of them, 无党员
--   no_org_instructor      of them, 已选派党建工作指导员
--   employees              补充资料: employees summed (ledger, else registry; units
--                          without a figure add nothing)
--   members                补充资料: counted members (formal + probationary)
--   members_not_transferred  组织关系未转入党员数: from coverage_by_district (counted
--                          members whose organization neither hosts nor covers their unit)
--   instructors            units with a 党建工作指导员
-- The rates are coverage_by_district's, so the two always agree.
-- single + joint + no_org = units in every row.
-- depends: coverage_by_district, is_city, unit_status
-- output: table
CREATE TABLE attachment_summary AS
WITH per_unit AS (
    SELECT
        sector, district_code,
        org_form = 'single' AS single,
        org_form = 'single' AND single_org_level = 'committee' AS single_committee,
        org_form = 'single' AND single_org_level = 'general_branch' AS single_general_branch,
        org_form = 'single' AND single_org_level = 'branch' AS single_branch,
        org_form = 'joint' AS joint,
        org_form = 'joint' AND formal_3plus AS joint_3plus,
        org_form IN ('functional', 'none') AS no_org,
        org_form IN ('functional', 'none') AND formal_3plus AS no_org_should_have,
        org_form IN ('functional', 'none') AND has_members AND NOT formal_3plus AS no_org_few_members,
        org_form IN ('functional', 'none') AND NOT has_members AS no_org_no_members,
        org_form IN ('functional', 'none') AND has_instructor AS no_org_instructor,
        coalesce(employees, 0) AS employees,
        formal_members + probationary_members AS members,
        has_instructor
    FROM unit_status
    WHERE in_scope
),
sums AS (
    SELECT
        sector, district_code,
        count(*) AS units,
        count(*) FILTER (WHERE single) AS single_total,
        count(*) FILTER (WHERE single_committee) AS single_committee,
        count(*) FILTER (WHERE single_general_branch) AS single_general_branch,
        count(*) FILTER (WHERE single_branch) AS single_branch,
        count(*) FILTER (WHERE joint) AS joint_total,
        count(*) FILTER (WHERE joint_3plus) AS joint_3plus,
        count(*) FILTER (WHERE no_org) AS no_org_total,
        count(*) FILTER (WHERE no_org_should_have) AS no_org_should_have,
        count(*) FILTER (WHERE no_org_few_members) AS no_org_few_members,
        count(*) FILTER (WHERE no_org_no_members) AS no_org_no_members,
        count(*) FILTER (WHERE no_org_instructor) AS no_org_instructor,
        sum(employees) AS employees,
        sum(members) AS members,
        count(*) FILTER (WHERE has_instructor) AS instructors
    FROM per_unit
    GROUP BY GROUPING SETS ((sector, district_code), (sector))
)
SELECT
    c.period, c.sector, c.district_code, c.district_name,
    coalesce(units, 0)::BIGINT AS units,
    coalesce(single_total, 0)::BIGINT AS single_total,
    coalesce(single_committee, 0)::BIGINT AS single_committee,
    coalesce(single_general_branch, 0)::BIGINT AS single_general_branch,
    coalesce(single_branch, 0)::BIGINT AS single_branch,
    coalesce(joint_total, 0)::BIGINT AS joint_total,
    coalesce(joint_3plus, 0)::BIGINT AS joint_3plus,
    coalesce(no_org_total, 0)::BIGINT AS no_org_total,
    coalesce(no_org_should_have, 0)::BIGINT AS no_org_should_have,
    coalesce(no_org_few_members, 0)::BIGINT AS no_org_few_members,
    coalesce(no_org_no_members, 0)::BIGINT AS no_org_no_members,
    coalesce(no_org_instructor, 0)::BIGINT AS no_org_instructor,
    coalesce(employees, 0)::BIGINT AS employees,
    coalesce(members, 0)::BIGINT AS members,
    c.members_not_transferred,
    coalesce(instructors, 0)::BIGINT AS instructors,
    c.org_coverage_rate, c.single_rate, c.work_coverage_rate
FROM coverage_by_district c
LEFT JOIN sums s
  ON s.sector = c.sector
 AND (s.district_code = c.district_code OR (s.district_code IS NULL AND is_city(c.district_code)))
ORDER BY c.sector, is_city(c.district_code), c.district_code;
