-- list_joint_org_too_large: joint organizations that cover more units than the setting
-- allows, to be re-organized. Rule (notice §2.6): 对联合党组织覆盖单位过多的，要…优化
-- 党组织设置，合理确定联合组建单位数.
-- Scope: active joint (and 挂靠) organizations that count (not a 党小组, not dissolved);
-- units = distinct units hosted or covered (org_units); listed when units >
-- settings.joint_org_max_units. One row per organization.
-- columns:
--   org_id           the joint organization (party_orgs)
--   name             its name
--   formation        组建方式: joint (联合组建) or affiliated (挂靠)
--   units_covered    distinct units it hosts or covers (org_units)
--   max_units        settings.joint_org_max_units, which units_covered exceeds
--   unit_names       the names of those units, by name, '；'-separated
-- depends: org_units, party_orgs, settings, units
-- output: table
CREATE TABLE list_joint_org_too_large AS
SELECT
    o.period, 'joint_org_too_large' AS list, '联合党组织覆盖单位过多' AS list_name,
    format('联合党组织覆盖单位超过{}个的，应优化设置', s.joint_org_max_units) AS rule,
    o.org_id, o.name, o.formation,
    count(DISTINCT l.unit_id) AS units_covered,
    s.joint_org_max_units AS max_units,
    string_agg(DISTINCT u.name, '；' ORDER BY u.name) AS unit_names
FROM party_orgs o
JOIN org_units l USING (org_id)
JOIN units u ON u.unit_id = l.unit_id
CROSS JOIN settings s
WHERE o.counts AND o.formation IN ('joint', 'affiliated')
GROUP BY ALL
HAVING count(DISTINCT l.unit_id) > s.joint_org_max_units
ORDER BY units_covered DESC, o.org_id;
