-- appraisal_scorecard (year-end appraisal, 述职评议考核): per district and for the city,
-- each target of the notice with its value at year-end, the target, whether it is met,
-- and its change since the first period of the year and since the previous year-end.
-- Inputs (made by `coverage appraise`): appraisal_periods (role year_end | first |
-- previous_year_end → period), appraisal_targets (target → target value, per district
-- where the pipeline file sets one), appraisal_thresholds (head counts of the rules).
--
-- target                    numerator / denominator (in-scope units of the period)
-- social_org_coverage       社会组织党组织覆盖率: coverage_by_district, social_org,
--                           org-covered / rate denominator (= org_coverage_rate)
-- enterprise_100_org        100人以上企业建立党组织率: enterprises with ≥ need_org
--                           employees that are org-covered / such enterprises
-- enterprise_50_members     50人以上企业有党员率: enterprises with ≥ need_members
--                           employees that have members / such enterprises
-- should_form_own           应建尽建率: units (both sectors) with 3+ formal members that
--                           have their own organization / units with 3+ formal members
-- enterprise_work_coverage  非公有制企业工作覆盖率 (= coverage_by_district work_coverage_rate)
-- social_org_work_coverage  社会组织工作覆盖率 (= coverage_by_district work_coverage_rate)
-- Values are fractions, NULL where the denominator is 0; met is NULL then too. Changes
-- are differences of fractions (year-end − then), NULL where either side is NULL.
-- depends: appraisal_periods, appraisal_targets, appraisal_thresholds, coverage_by_district, unit_status
-- output: appraisal
CREATE OR REPLACE TEMP TABLE appraisal_new AS
WITH periods AS (SELECT DISTINCT period FROM appraisal_periods),
cbd AS (
    SELECT c.* FROM coverage_by_district c JOIN periods p USING (period)
),
from_districts AS (
    SELECT period, district_code, district_name, 'social_org_coverage' AS target,
        CASE rate_denominator WHEN 'in_scope' THEN units_in_scope ELSE units_3plus_formal END
            AS denominator,
        CASE rate_denominator WHEN 'in_scope' THEN units_org_covered
            ELSE units_3plus_org_covered END AS numerator,
        org_coverage_rate AS value
    FROM cbd WHERE sector = 'social_org'
    UNION ALL
    SELECT period, district_code, district_name,
        CASE sector WHEN 'enterprise' THEN 'enterprise_work_coverage'
            ELSE 'social_org_work_coverage' END,
        CASE rate_denominator WHEN 'in_scope' THEN units_in_scope ELSE units_3plus_formal END,
        CASE rate_denominator WHEN 'in_scope' THEN units_work_covered
            ELSE units_3plus_work_covered END,
        work_coverage_rate
    FROM cbd
    UNION ALL
    SELECT period, district_code, district_name, 'should_form_own',
        sum(units_3plus_formal), sum(units_3plus_single),
        sum(units_3plus_single) / nullif(sum(units_3plus_formal), 0)
    FROM cbd GROUP BY period, district_code, district_name
),
places AS (
    SELECT DISTINCT period, district_code, district_name, district_name = '全市' AS is_city
    FROM cbd
),
enterprises AS (
    SELECT s.period, s.district_code, s.sector, s.employees, s.org_covered, s.has_members
    FROM unit_status s JOIN periods p USING (period)
    WHERE s.in_scope AND s.sector = 'enterprise'
),
from_units AS (
    SELECT pl.period, pl.district_code, pl.district_name, t.target,
        count(u.period) FILTER (WHERE u.employees >= t.employees) AS denominator,
        count(u.period) FILTER (WHERE u.employees >= t.employees AND CASE t.target
            WHEN 'enterprise_100_org' THEN u.org_covered ELSE u.has_members END) AS numerator
    FROM places pl
    CROSS JOIN (
        SELECT 'enterprise_100_org' AS target, need_org AS employees FROM appraisal_thresholds
        UNION ALL
        SELECT 'enterprise_50_members', need_members FROM appraisal_thresholds
    ) t
    LEFT JOIN enterprises u ON u.period = pl.period AND (pl.is_city OR u.district_code = pl.district_code)
    GROUP BY ALL
),
figures AS (
    SELECT period, district_code, district_name, target, numerator::BIGINT AS numerator,
        denominator::BIGINT AS denominator, value
    FROM from_districts
    UNION ALL
    SELECT period, district_code, district_name, target, numerator, denominator,
        numerator / nullif(denominator, 0)
    FROM from_units
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
    e.value - y.value AS change_since_previous_year_end
FROM by_role e
JOIN targets t ON t.district_code = e.district_code AND t.target = e.target
LEFT JOIN by_role f
    ON f.role = 'first' AND f.district_code = e.district_code AND f.target = e.target
LEFT JOIN by_role y
    ON y.role = 'previous_year_end' AND y.district_code = e.district_code AND y.target = e.target
WHERE e.role = 'year_end'
ORDER BY e.district_name = '全市', e.district_code, e.target;
