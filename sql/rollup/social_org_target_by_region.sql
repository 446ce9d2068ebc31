-- social_org_target_by_region (coverage rollup): distance of the social organizations'
-- 组织覆盖率 from the notice's target (settings.social_org_target_rate, 40%) per region
-- of every level, as social_org_target is per district.
-- covered = units_org_covered, in scope = units_in_scope of coverage_by_region (sector
-- social_org); target_count = ceil(rate × in scope), the rate a DECIMAL so that 0.4 × 15
-- is exactly 6; gap = max(0, target_count − covered). Every count of a level is the sum
-- of the level below; the gap is not (a district over its target does not make up for
-- another).
-- depends: coverage_by_region, settings
-- output: rollup
CREATE TABLE social_org_target_by_region AS
SELECT
    c.period,
    c.level,
    c.region_code,
    c.region_name,
    c.units_in_scope                                                AS social_orgs_in_scope,
    c.units_org_covered                                             AS covered,
    c.org_coverage_rate                                             AS coverage_rate,
    CAST(s.social_org_target_rate AS DOUBLE)                        AS target_rate,
    CAST(ceil(s.social_org_target_rate * c.units_in_scope) AS BIGINT) AS target_count,
    greatest(CAST(0 AS BIGINT), CAST(ceil(s.social_org_target_rate * c.units_in_scope) AS BIGINT) - c.units_org_covered) AS gap
FROM coverage_by_region c
CROSS JOIN settings s
WHERE c.sector = 'social_org'
ORDER BY c.region_code, c.level;
