-- rollup_units (coverage rollup): the in-scope units the roll-up counts — every
-- deployment's, except a unit with an identifier in rollup_overlaps, which only the
-- deployment named by --allow-overlap (rollup_keep.deployment) counts. Without
-- --allow-overlap (keep = -1) the roll-up stops on any overlap before publishing.
-- One row per counted unit. No numerator or denominator.
-- depends: deployment_units, rollup_overlaps, rollup_keep
-- output: rollup_view
CREATE TABLE rollup_units AS
WITH dropped AS (
    SELECT DISTINCT u.deployment, u.unit_id
    FROM deployment_units u
    JOIN rollup_overlaps o ON o.key_kind = 'unit_id' AND o.key = u.unit_id
    UNION
    SELECT DISTINCT u.deployment, u.unit_id
    FROM deployment_units u
    JOIN rollup_overlaps o ON o.key_kind = 'uscc' AND o.key = u.uscc
)
SELECT u.*
FROM deployment_units u
CROSS JOIN rollup_keep k
LEFT JOIN dropped d ON d.deployment = u.deployment AND d.unit_id = u.unit_id
WHERE d.unit_id IS NULL OR u.deployment = k.deployment;
