-- coverage_counts(t): the unit counts every coverage rate is made of, one row per group:
-- t is a table (or CTE) of in-scope units with the flag columns has_members,
-- formal_3plus, org_form, org_covered, work_covered, and any other columns, which are
-- the groups (district and sector, dimension and value …).
--   units_in_scope      every unit of the group: the default denominator
--   units_with_members  has_members
--   units_3plus_formal  formal_3plus: the denominator "with conditions"
--   units_single_org    org_form = 'single' (单独组建)
--   units_joint_org     org_form = 'joint' (联合组建, 挂靠 by setting)
--   units_org_covered   org_covered (组织覆盖)
--   units_work_covered  work_covered (工作覆盖)
--   units_3plus_*       the same among the formal_3plus units
-- Used by coverage_by_district and coverage_breakdown, so a count is defined once.
-- depends: -
-- output: macro
CREATE OR REPLACE MACRO coverage_counts(t) AS TABLE
SELECT
    COLUMNS(* EXCLUDE (has_members, formal_3plus, org_form, org_covered, work_covered)),
    count(*)                                                    AS units_in_scope,
    count(*) FILTER (WHERE has_members)                         AS units_with_members,
    count(*) FILTER (WHERE formal_3plus)                        AS units_3plus_formal,
    count(*) FILTER (WHERE org_form = 'single')                 AS units_single_org,
    count(*) FILTER (WHERE org_form = 'joint')                  AS units_joint_org,
    count(*) FILTER (WHERE org_covered)                         AS units_org_covered,
    count(*) FILTER (WHERE work_covered)                        AS units_work_covered,
    count(*) FILTER (WHERE formal_3plus AND org_covered)        AS units_3plus_org_covered,
    count(*) FILTER (WHERE formal_3plus AND org_form = 'single') AS units_3plus_single,
    count(*) FILTER (WHERE formal_3plus AND work_covered)       AS units_3plus_work_covered
FROM query_table(t)
GROUP BY ALL;
