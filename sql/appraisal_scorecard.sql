-- appraisal_scorecard (year-end appraisal, 述职评议考核): per district and for the city,
-- each target of the notice with its value at year-end, the target, whether it is met,
-- and its change since the first period of the year, since the previous year-end and
-- since the campaign's baseline period.
-- Inputs (made by `coverage appraise`): appraisal_periods (role year_end | first |
-- previous_year_end | baseline → period), appraisal_targets (target → target value, per district
-- where the pipeline file's [campaign] sets one); the figures are each period's
-- target_figures (sql/target_figures.sql says each target's numerator and denominator).
-- Values are fractions, NULL where the denominator is 0; met is NULL then too. Changes
-- are differences of fractions (year-end − then), NULL where either side is NULL.
-- columns:
--   first_period, first_value  the year's first period present, and the value then
--   change_since_first  value − first_value
--   previous_year_end_period, previous_year_end_value  the previous year's latest period
--                      present (NULL where there is none), and the value then
--   change_since_previous_year_end  value − previous_year_end_value
-- depends: appraisal_periods, appraisal_targets, is_city, target_figures
-- output: appraisal
CREATE OR REPLACE TEMP TABLE appraisal_new AS
WITH figures AS (
    SELECT f.* FROM target_figures f WHERE f.period IN (SELECT period FROM appraisal_periods)
),
by_role AS (
    SELECT p.role, f.* FROM figures f JOIN appraisal_periods p USING (period)
),
targets AS (
    SELECT pl.district_code, t.target, t.target_name,
        coalesce(d.target_value, t.target_value) AS target_value
    FROM (SELECT DISTINCT district_code FROM figures) pl
    CROSS JOIN (SELECT * FROM appraisal_targets WHERE district_code IS NULL) t
    LEFT JOIN appraisal_targets d ON d.district_code = pl.district_code AND d.target = t.target
)
SELECT
    e.district_code,
    e.district_name,
    e.target,
    t.target_name,
    e.period AS year_end_period,
    e.numerator,
    e.denominator,
    e.value,
    t.target_value,
    e.value >= t.target_value AS met,
    f.period AS first_period,
    f.value AS first_value,
    e.value - f.value AS change_since_first,
    y.period AS previous_year_end_period,
    y.value AS previous_year_end_value,
    e.value - y.value AS change_since_previous_year_end,
    b.period AS baseline_period,
    b.value AS baseline_value,
    e.value - b.value AS change_since_baseline
FROM by_role e
JOIN targets t ON t.district_code = e.district_code AND t.target = e.target
LEFT JOIN by_role f
    ON f.role = 'first' AND f.district_code = e.district_code AND f.target = e.target
LEFT JOIN by_role y
    ON y.role = 'previous_year_end' AND y.district_code = e.district_code AND y.target = e.target
LEFT JOIN by_role b
    ON b.role = 'baseline' AND b.district_code = e.district_code AND b.target = e.target
WHERE e.role = 'year_end'
ORDER BY is_city(e.district_code), e.district_code, e.target;
