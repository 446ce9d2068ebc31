-- members_by_unit_kind (党员人数, by unit kind): how many party members the units of each
-- kind have, per district and sector, plus one city-total row per sector and kind
-- (district_name 全市 = sum of the districts).
-- Scope: units of unit_status with in_scope = true; a member counts where unit_status
-- counts them (normal standing, linked to the unit). Members linked to no unit
-- (unmatched_members) are in no row.
-- columns:
--   units_in_scope         units of the kind (the denominator of members_per_unit)
--   units_with_members     of them, units with ≥1 counted member (has_members)
--   formal_members         正式党员, summed over the units
--   probationary_members   预备党员, summed over the units
--   members                formal_members + probationary_members
--   members_per_unit       members / units_in_scope (NULL for no units)
-- depends: city_row_name, settings, unit_status
-- output: table
CREATE TABLE members_by_unit_kind AS
WITH counts AS (
    SELECT
        district_code, district_name, sector, unit_kind,
        grouping(district_code) = 1 AS is_city,
        count(*) AS units_in_scope,
        count(*) FILTER (WHERE has_members) AS units_with_members,
        sum(formal_members) AS formal_members,
        sum(probationary_members) AS probationary_members
    FROM unit_status
    WHERE in_scope
    GROUP BY GROUPING SETS ((district_code, district_name, sector, unit_kind), (sector, unit_kind))
)
SELECT
    s.period,
    CASE WHEN is_city THEN s.city_code ELSE c.district_code END AS district_code,
    CASE WHEN is_city THEN city_row_name() ELSE c.district_name END AS district_name,
    sector,
    unit_kind,
    units_in_scope::BIGINT AS units_in_scope,
    units_with_members::BIGINT AS units_with_members,
    formal_members::BIGINT AS formal_members,
    probationary_members::BIGINT AS probationary_members,
    (formal_members + probationary_members)::BIGINT AS members,
    (formal_members + probationary_members)::DOUBLE / nullif(units_in_scope, 0) AS members_per_unit
FROM counts c
CROSS JOIN settings s
ORDER BY sector, unit_kind, is_city, district_code;
