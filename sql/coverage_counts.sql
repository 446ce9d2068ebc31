-- coverage_counts(t): the figures every coverage rate is made of, one row per group:
-- t is a table (or CTE) of in-scope units with the unit columns the figures read
-- (has_members, formal_3plus, org_form, org_covered, work_covered,
-- members_not_transferred) and any other columns, which are the groups (district and
-- sector, dimension and value …).
-- Each figure — name, label and what it counts — is declared once, in src/figures.rs,
-- and written out here one line per figure:
--   units_in_scope      every unit of the group: the default denominator
--   units_with_members  has_members
--   units_3plus_formal  formal_3plus: the denominator "with conditions"
--   units_single_org    org_form = 'single' (单独组建)
--   units_joint_org     org_form = 'joint' (联合组建, 挂靠 by setting)
--   units_org_covered   org_covered (组织覆盖)
--   units_work_covered  work_covered (工作覆盖)
--   units_3plus_*       the same among the formal_3plus units
--   members_not_transferred  组织关系未转入党员数: the sum over the units (members)
-- Used by coverage_by_district and coverage_breakdown, so a count is defined once.
-- depends: -
-- output: macro
CREATE OR REPLACE MACRO coverage_counts(t) AS TABLE
SELECT
    COLUMNS(* EXCLUDE ({unit_columns})),
    {counted} AS {figure}
FROM query_table(t)
GROUP BY ALL;
