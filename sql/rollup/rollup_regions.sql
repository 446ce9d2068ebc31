-- rollup_regions (coverage rollup): every region of the roll-up with its name — the
-- country (000000, 全国), each province (first 2 digits of a district code + 0000,
-- GB/T 2260), each city (first 4 digits + 00) and each district that a deployment's
-- coverage_by_district lists (so a district with no unit still shows, with zeros); a
-- deployment's city-total rows are told by its city_code (from its manifest), not named.
-- Names: region_names (the binary's GB/T 2260 provinces, the cities of the deployments'
-- manifests, then a --regions file; the highest priority wins), else the district's
-- own name, else the code. No numerator or denominator.
-- depends: deployment_districts, region_names
-- output: rollup_view
CREATE TABLE rollup_regions AS
WITH deployed AS (
    SELECT district_code, min(district_name) AS district_name
    FROM deployment_districts
    WHERE district_code <> city_code
    GROUP BY district_code
),
codes AS (
    SELECT 'national' AS level, '000000' AS region_code, '全国' AS own_name
    UNION
    SELECT 'province' AS level, concat(left(district_code, 2), '0000') AS region_code, CAST(NULL AS VARCHAR) AS own_name FROM deployed
    UNION
    SELECT 'city' AS level, concat(left(district_code, 4), '00') AS region_code, CAST(NULL AS VARCHAR) AS own_name FROM deployed
    UNION
    SELECT 'district' AS level, district_code AS region_code, district_name AS own_name FROM deployed
),
names AS (
    SELECT code, max_by(name, priority) AS name FROM region_names GROUP BY code
)
SELECT c.level, c.region_code, coalesce(n.name, c.own_name, c.region_code) AS region_name
FROM codes c
LEFT JOIN names n ON n.code = c.region_code
ORDER BY c.level, c.region_code;
