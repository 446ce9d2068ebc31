-- coverage_by_region (coverage rollup): the three coverage rates of the notice over many
-- deployments, at four levels — national (全国, region 000000), province (first 2 digits
-- of the district code, GB/T 2260), city (first 4) and district — per sector.
--
-- Input: rollup_units, the in-scope units of every deployment's published unit_status
-- for the period (a unit two deployments both count is kept in the one that counts, see
-- rollup_overlaps); rollup_regions, every region with its name (every district of every
-- deployment's coverage_by_district, so a district with no unit shows zeros).
-- Counts and rates: exactly those of coverage_by_district (sql/coverage_counts.sql and
-- sql/coverage_rates.sql, under the deployments' common rate_denominator), so a district
-- row equals that deployment's coverage_by_district row and every count of a level is
-- the sum of the level below.
-- depends: coverage_counts, coverage_rates, rollup_units, rollup_regions, settings
-- output: table
CREATE TABLE coverage_by_region AS
WITH sectors AS (
    SELECT unnest(['enterprise', 'social_org']) AS sector
),
units_by_level AS (
    SELECT r.level, r.region_code, u.sector, u.has_members, u.formal_3plus, u.org_form,
           u.org_covered, u.work_covered
    FROM rollup_units u
    JOIN rollup_regions r
      ON r.region_code = CASE r.level
             WHEN 'national' THEN '000000'
             WHEN 'province' THEN left(u.district_code, 2) || '0000'
             WHEN 'city' THEN left(u.district_code, 4) || '00'
             ELSE u.district_code
         END
),
counted AS (
    SELECT * FROM coverage_counts(units_by_level)
),
all_rows AS (
    SELECT
        r.level, r.region_code, r.region_name, s.sector,
        coalesce(c.units_in_scope, 0)           AS units_in_scope,
        coalesce(c.units_with_members, 0)       AS units_with_members,
        coalesce(c.units_3plus_formal, 0)       AS units_3plus_formal,
        coalesce(c.units_single_org, 0)         AS units_single_org,
        coalesce(c.units_joint_org, 0)          AS units_joint_org,
        coalesce(c.units_org_covered, 0)        AS units_org_covered,
        coalesce(c.units_work_covered, 0)       AS units_work_covered,
        coalesce(c.units_3plus_org_covered, 0)  AS units_3plus_org_covered,
        coalesce(c.units_3plus_single, 0)       AS units_3plus_single,
        coalesce(c.units_3plus_work_covered, 0) AS units_3plus_work_covered
    FROM rollup_regions r
    CROSS JOIN sectors s
    LEFT JOIN counted c USING (level, region_code, sector)
)
SELECT
    st.period                            AS period,
    level,
    region_code,
    region_name,
    sector,
    units_in_scope::BIGINT               AS units_in_scope,
    units_with_members::BIGINT           AS units_with_members,
    units_3plus_formal::BIGINT           AS units_3plus_formal,
    units_single_org::BIGINT             AS units_single_org,
    units_joint_org::BIGINT              AS units_joint_org,
    units_org_covered::BIGINT            AS units_org_covered,
    units_work_covered::BIGINT           AS units_work_covered,
    units_3plus_org_covered::BIGINT      AS units_3plus_org_covered,
    units_3plus_single::BIGINT           AS units_3plus_single,
    units_3plus_work_covered::BIGINT     AS units_3plus_work_covered,
    st.rate_denominator                  AS rate_denominator,
    org_coverage_rate,
    single_rate,
    work_coverage_rate
FROM coverage_rates(all_rows)
CROSS JOIN settings st
ORDER BY CASE level WHEN 'national' THEN 0 WHEN 'province' THEN 1 WHEN 'city' THEN 2 ELSE 3 END,
         region_code, sector;
