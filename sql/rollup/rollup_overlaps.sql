-- rollup_overlaps (coverage rollup): identifiers in scope in more than one deployment —
-- the same unit_id or the same USCC — which a plain sum would count twice. One row per
-- identifier: how many deployments count it, the first and last of them (numbered in
-- --input order from 0) and a name it goes by. No numerator or denominator.
-- Input: deployment_units (every deployment's in-scope units of the period), settings (the period).
-- columns:
--   key_kind  the identifier's kind: unit_id or uscc
--   key  the identifier
--   deployments  how many deployments count it
--   first_deployment, last_deployment  the first and last of them (--input order from 0)
-- depends: deployment_units, settings
-- output: rollup
CREATE TABLE rollup_overlaps AS
WITH keys AS (
    SELECT 'unit_id' AS key_kind, unit_id AS key, deployment, name FROM deployment_units
    UNION ALL
    SELECT 'uscc' AS key_kind, uscc AS key, deployment, name FROM deployment_units WHERE uscc IS NOT NULL
)
SELECT
    s.period,
    key_kind,
    key,
    count(DISTINCT deployment) AS deployments,
    min(deployment)            AS first_deployment,
    max(deployment)            AS last_deployment,
    min(name)                  AS name
FROM keys
CROSS JOIN settings s
GROUP BY s.period, key_kind, key
HAVING count(DISTINCT deployment) > 1
ORDER BY key_kind, key;
