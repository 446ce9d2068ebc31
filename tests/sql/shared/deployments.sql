-- Three deployments' in-scope units, as `coverage rollup` reads them (deployment_units:
-- the deployment's number in --input order, then unit_status's columns). Deployment 1
-- counts U1 again (the same unit_id as deployment 0's) and U3, which has the USCC of
-- deployment 0's U2; deployment 2's U4 has no USCC and overlaps nothing. The golden
-- makes deployment_units (`stage`) as the roll-up declares it (src/rollup/).
INSERT INTO deployment_units (deployment, unit_id, uscc, name, district_code, sector,
    has_members, formal_3plus, org_form, org_covered, work_covered, members_not_transferred) VALUES
    (0, 'U1', '91110000000000001A', '甲公司', '110101', 'enterprise', true, true, 'single', true, true, 0),
    (0, 'U2', '91110000000000002B', '乙公司', '110101', 'enterprise', true, false, 'none', false, false, 1),
    (1, 'U1', '91110000000000001A', '甲公司', '120101', 'enterprise', true, true, 'single', true, true, 0),
    (1, 'U3', '91110000000000002B', '乙公司分号', '120101', 'enterprise', false, false, 'none', false, false, 0),
    (2, 'U4', NULL, '丁协会', '310101', 'social_org', false, false, 'none', false, false, 0);
