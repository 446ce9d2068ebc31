-- district_changes: every figure of coverage_by_district for the period (as in
-- coverage_trend) beside its value in the previous period present in the output folder,
-- and the difference (this period − previous; for rates, in fractions).
-- Scope: every district × sector × metric of the period. Empty for the first period
-- (no previous period); previous_value NULL where the previous period had no such row.
-- columns:
--   value       the figure this period
--   previous_value  the figure in previous_period
--   difference  value − previous_value (for rates, in fractions); NULL where either is
--               NULL
-- depends: coverage_trend, previous_coverage_trend, previous_period
-- output: table
CREATE TABLE district_changes AS
SELECT
    c.period,
    pp.period AS previous_period,
    c.district_code,
    c.district_name,
    c.sector,
    c.metric,
    c.value,
    p.value AS previous_value,
    c.value - p.value AS difference
FROM coverage_trend c
CROSS JOIN previous_period pp
LEFT JOIN previous_coverage_trend p
    ON p.district_code = c.district_code AND p.sector = c.sector AND p.metric = c.metric
ORDER BY c.sector, c.district_code, c.metric;
