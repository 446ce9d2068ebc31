-- appraisal_improvement (明显提升): per district and for the city (全市), and per sector,
-- 组织覆盖率 (org_coverage_rate) and 单独组建率 (single_rate) of coverage_by_district at
-- the year-end period beside the campaign's baseline period, and whether the rise is
-- marked: change_since_baseline (year-end − baseline, a difference of fractions) ≥
-- marked_improvement ([campaign] marked_improvement, 5 percentage points unless set).
-- Rates: numerator and denominator as coverage_by_district counts them (units in scope
-- of the period). marked is NULL where either rate is NULL (no unit in scope then).
-- Inputs (made by `coverage appraise`): appraisal_periods (roles year_end, baseline),
-- appraisal_campaign (marked_improvement).
-- columns:
--   rate  the rate: org_coverage_rate (组织覆盖率) or single_rate (单独组建率)
--   year_end_value  the rate at year_end_period
--   marked_improvement  明显提升标准: the rise that counts as marked (a fraction)
--   marked  是否明显提升: change_since_baseline ≥ marked_improvement
-- depends: appraisal_campaign, appraisal_periods, coverage_by_district, is_city
-- output: appraisal
CREATE OR REPLACE TEMP TABLE appraisal_improvement_new AS
WITH rates AS (
    SELECT p.role, c.period, c.district_code, c.district_name, c.sector, r.rate, r.value
    FROM coverage_by_district c
    JOIN appraisal_periods p ON p.period = c.period AND p.role IN ('year_end', 'baseline'),
    UNNEST([
        {rate: 'org_coverage_rate', value: c.org_coverage_rate},
        {rate: 'single_rate', value: c.single_rate}
    ]) AS t(r)
)
SELECT
    e.district_code, e.district_name, e.sector, e.rate,
    e.period AS year_end_period, e.value AS year_end_value,
    b.period AS baseline_period, b.value AS baseline_value,
    e.value - b.value AS change_since_baseline,
    a.marked_improvement,
    e.value - b.value >= a.marked_improvement - 1e-9 AS marked
FROM rates e
CROSS JOIN appraisal_campaign a
LEFT JOIN rates b
    ON b.role = 'baseline' AND b.district_code = e.district_code AND b.sector = e.sector
    AND b.rate = e.rate
WHERE e.role = 'year_end'
ORDER BY is_city(e.district_code), e.district_code, e.sector, e.rate;
