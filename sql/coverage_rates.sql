-- coverage_rates(t): t (counts as coverage_counts makes them) with the three rates of
-- the notice, as fractions 0–1, under settings.rate_denominator:
--   in_scope (default)  org_coverage_rate  (组织覆盖率) = units_org_covered  / units_in_scope
--                       single_rate        (单独组建率) = units_single_org   / units_in_scope
--                       work_coverage_rate (工作覆盖率) = units_work_covered / units_in_scope
--   formal_3plus        the same over the units "with conditions" (3+ formal members):
--                       units_3plus_org_covered / units_3plus_formal, and so on.
-- Each rate's numerators are declared once, in src/figures.rs, and written out here one
-- line per rate. NULL where the denominator is 0. Used by coverage_by_district and
-- coverage_breakdown, so a rate is defined once.
-- depends: settings
-- output: macro
CREATE OR REPLACE MACRO coverage_rates(t) AS TABLE
SELECT
    c.*,
    CASE s.rate_denominator WHEN 'formal_3plus' THEN c.{numerator_3plus}::DOUBLE / nullif(c.units_3plus_formal, 0) ELSE c.{numerator}::DOUBLE / nullif(c.units_in_scope, 0) END AS {rate}
FROM query_table(t) c
CROSS JOIN settings s;
