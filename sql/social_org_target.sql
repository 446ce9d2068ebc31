-- social_org_target: distance of social-organization 组织覆盖率 from the target of the
-- notice (党组织覆盖率达到40%左右; the rate is settings.social_org_target_rate).
--
-- Scope: in-scope units of sector social_org, per district and city-wide (全市).
-- covered       = social organizations with own or joint organization coverage
--                 (units_org_covered of coverage_by_district, so the two always agree)
-- coverage_rate = covered / social_orgs_in_scope (NULL when none in scope)
-- target_count  = ceil(target_rate × social_orgs_in_scope), computed in DECIMAL so that
--                 0.4 × 15 is exactly 6
-- gap           = max(0, target_count − covered): units still to cover to reach it
-- depends: coverage_by_district, is_city, settings
-- output: table
CREATE TABLE social_org_target AS
SELECT
    c.period,
    c.district_code,
    c.district_name,
    c.units_in_scope                                          AS social_orgs_in_scope,
    c.units_org_covered                                       AS covered,
    c.org_coverage_rate                                       AS coverage_rate,
    s.social_org_target_rate::DOUBLE                          AS target_rate,
    ceil(s.social_org_target_rate * c.units_in_scope)::BIGINT AS target_count,
    greatest(0, ceil(s.social_org_target_rate * c.units_in_scope)::BIGINT - c.units_org_covered)::BIGINT AS gap
FROM coverage_by_district c
CROSS JOIN settings s
WHERE c.sector = 'social_org'
ORDER BY is_city(c.district_code), c.district_code;
