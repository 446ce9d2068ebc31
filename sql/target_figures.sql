-- target_figures: the period's value of every target of the campaign and the year-end
-- appraisal (src/config AppraisalTarget), per district and for the city (全市), with its
-- numerator and denominator (units in scope of the period):
-- target                    numerator / denominator
-- social_org_coverage       社会组织党组织覆盖率: coverage_by_district, social_org,
--                           org-covered / rate denominator (= org_coverage_rate)
-- enterprise_100_org        100人以上企业建立党组织率: enterprises with ≥
--                           settings.enterprise_employees_need_org employees that are
--                           org-covered / such enterprises
-- enterprise_50_members     50人以上企业有党员率: enterprises with ≥
--                           settings.enterprise_employees_need_members employees that
--                           have members / such enterprises
-- should_form_own           应建尽建率: units (both sectors) with 3+ formal members that
--                           have their own organization / units with 3+ formal members
-- enterprise_work_coverage  非公有制企业工作覆盖率 (= coverage_by_district work_coverage_rate)
-- social_org_work_coverage  社会组织工作覆盖率 (= coverage_by_district work_coverage_rate)
-- Values are fractions, NULL where the denominator is 0. Read by bulletin (定期通报) and,
-- over the months of a year, by appraisal_scorecard.
-- depends: coverage_by_district, is_city, settings, unit_status
-- output: table
CREATE TABLE target_figures AS
WITH from_districts AS (
    SELECT period, district_code, district_name, 'social_org_coverage' AS target,
        CASE rate_denominator WHEN 'in_scope' THEN units_in_scope ELSE units_3plus_formal END
            AS denominator,
        CASE rate_denominator WHEN 'in_scope' THEN units_org_covered
            ELSE units_3plus_org_covered END AS numerator,
        org_coverage_rate AS value
    FROM coverage_by_district WHERE sector = 'social_org'
    UNION ALL
    SELECT period, district_code, district_name,
        CASE sector WHEN 'enterprise' THEN 'enterprise_work_coverage'
            ELSE 'social_org_work_coverage' END,
        CASE rate_denominator WHEN 'in_scope' THEN units_in_scope ELSE units_3plus_formal END,
        CASE rate_denominator WHEN 'in_scope' THEN units_work_covered
            ELSE units_3plus_work_covered END,
        work_coverage_rate
    FROM coverage_by_district
    UNION ALL
    SELECT period, district_code, district_name, 'should_form_own',
        sum(units_3plus_formal), sum(units_3plus_single),
        sum(units_3plus_single) / nullif(sum(units_3plus_formal), 0)
    FROM coverage_by_district GROUP BY period, district_code, district_name
),
places AS (
    SELECT DISTINCT period, district_code, district_name, is_city(district_code) AS is_city
    FROM coverage_by_district
),
enterprises AS (
    SELECT s.period, s.district_code, s.employees, s.org_covered, s.has_members
    FROM unit_status s
    WHERE s.in_scope AND s.sector = 'enterprise'
),
from_units AS (
    SELECT pl.period, pl.district_code, pl.district_name, t.target,
        count(u.period) FILTER (WHERE u.employees >= t.employees) AS denominator,
        count(u.period) FILTER (WHERE u.employees >= t.employees AND CASE t.target
            WHEN 'enterprise_100_org' THEN u.org_covered ELSE u.has_members END) AS numerator
    FROM places pl
    CROSS JOIN (
        SELECT 'enterprise_100_org' AS target, enterprise_employees_need_org AS employees FROM settings
        UNION ALL
        SELECT 'enterprise_50_members', enterprise_employees_need_members FROM settings
    ) t
    LEFT JOIN enterprises u ON u.period = pl.period AND (pl.is_city OR u.district_code = pl.district_code)
    GROUP BY ALL
)
SELECT period, district_code, district_name, target, numerator::BIGINT AS numerator,
    denominator::BIGINT AS denominator, value
FROM from_districts
UNION ALL
SELECT period, district_code, district_name, target, numerator, denominator,
    numerator / nullif(denominator, 0)
FROM from_units
ORDER BY is_city(district_code), district_code, target;
