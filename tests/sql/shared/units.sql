-- The units of the list, attachment, breakdown and action-plan golden tests: a
-- unit_status as sql/unit_status.sql makes it (the golden's `stage` makes it empty as a
-- run declares it; the defaults below stand for what every row here shares), and two
-- districts; the settings are each golden's `settings` (the notice's numbers: 3 formal
-- members, 50 / 100 employees, 30 staff, with at most 2 units to a joint organization).
-- Each row is what its comment says; the goldens that include this file work their
-- figures from it.
INSERT INTO districts VALUES ('2026-11', '110101', '东城区'), ('2026-11', '110105', '朝阳区');
ALTER TABLE unit_status ALTER COLUMN period SET DEFAULT '2026-11';
ALTER TABLE unit_status ALTER COLUMN status SET DEFAULT 'active';
ALTER TABLE unit_status ALTER COLUMN district_code SET DEFAULT '110101';
ALTER TABLE unit_status ALTER COLUMN district_name SET DEFAULT '东城区';
ALTER TABLE unit_status ALTER COLUMN in_scope SET DEFAULT true;
ALTER TABLE unit_status ALTER COLUMN members_not_transferred SET DEFAULT 0;
ALTER TABLE unit_status ALTER COLUMN has_instructor SET DEFAULT false;
ALTER TABLE unit_status ALTER COLUMN has_mass_org SET DEFAULT false;
INSERT INTO unit_status (unit_id, name, sector, unit_kind, employees, formal_members,
    probationary_members, org_form, has_members, formal_3plus, org_covered, work_covered) VALUES
    -- E1 60 staff, no members, nothing                    → 50+ without members
    ('E1', '北京甲方科技有限公司', 'enterprise', 'private_enterprise', 60, 0, 0, 'none', false, false, false, false),
    -- E2 120 staff, 1 formal, functional F2               → 100+ without organization
    ('E2', '北京乙方商贸有限公司', 'enterprise', 'private_enterprise', 120, 1, 0, 'functional', true, false, false, true),
    -- E3 head count unknown, nothing                      → on no head-count list
    ('E3', '北京丙方网络有限公司', 'enterprise', 'private_enterprise', NULL, 0, 0, 'none', false, false, false, false),
    -- E4 150 staff, 4 formal, single O4 (党支部)          → on no list
    ('E4', '北京丁方软件有限公司', 'enterprise', 'private_enterprise', 150, 4, 0, 'single', true, true, true, true),
    -- E5 20 staff, 3 formal, in joint J1                  → should form its own; joint unit can
    ('E5', '北京戊方信息有限公司', 'enterprise', 'private_enterprise', 20, 3, 0, 'joint', true, true, true, true),
    -- E6 10 staff, 2 formal + 1 probationary, nothing     → members without coverage
    ('E6', '北京己方数据有限公司', 'enterprise', 'private_enterprise', 10, 2, 1, 'none', true, false, false, false),
    -- E7 deregistered (out of scope), 200 staff, nothing   → on no list, counted nowhere
    ('E7', '北京庚方制造有限公司', 'enterprise', 'private_enterprise', 200, 0, 0, 'none', false, false, false, false),
    -- E8 朝阳, 30 staff, an instructor only               → work coverage only
    ('E8', '北京辰方物流有限公司', 'enterprise', 'private_enterprise', 30, 0, 0, 'none', false, false, false, true),
    -- S1 municipal social group, nothing                   → municipal group without org
    ('S1', '北京市辛方研究会', 'social_org', 'social_group', 5, 0, 0, 'none', false, false, false, false),
    -- S2 private school, 35 staff, nothing                 → 30+ substantive without org
    ('S2', '北京壬方学校', 'social_org', 'private_non_enterprise', 35, 0, 0, 'none', false, false, false, false),
    -- S3 private hospital, 25 staff                        → below 30, on no list
    ('S3', '北京癸方医院', 'social_org', 'private_non_enterprise', 25, 0, 0, 'none', false, false, false, false),
    -- S4 law firm, 40 staff, 1 formal, in joint J1         → covered, on no list
    ('S4', '北京子方律师事务所', 'social_org', 'law_firm', 40, 1, 0, 'joint', true, false, true, true),
    -- S5 accounting firm, 31 staff, functional F5          → 30+ substantive without org
    ('S5', '北京丑方会计师事务所', 'social_org', 'accounting_firm', 31, 0, 0, 'functional', false, false, false, true),
    -- S6 district-level social group                       → not municipal, on no list
    ('S6', '北京寅方协会', 'social_org', 'social_group', 8, 0, 0, 'none', false, false, false, false),
    -- S7 law firm, head count unknown, 1 probationary      → members without coverage only
    ('S7', '北京卯方律师事务所', 'social_org', 'law_firm', NULL, 0, 1, 'none', true, false, false, false);
UPDATE unit_status SET in_scope = false, out_of_scope_reason = 'deregistered', status = 'deregistered' WHERE unit_id = 'E7';
UPDATE unit_status SET district_code = '110105', district_name = '朝阳区', has_instructor = true WHERE unit_id = 'E8';
UPDATE unit_status SET functional_org_ids = 'F' || substr(unit_id, 2) WHERE org_form = 'functional';
UPDATE unit_status SET joint_org_ids = 'J1' WHERE org_form = 'joint';
UPDATE unit_status SET single_org_ids = 'O4', single_org_level = 'branch' WHERE unit_id = 'E4';
UPDATE unit_status SET registration_level = 'municipal' WHERE unit_id = 'S1';
UPDATE unit_status SET registration_level = 'district' WHERE unit_id = 'S6';
UPDATE unit_status SET sub_category = 'private_school' WHERE unit_id = 'S2';
UPDATE unit_status SET sub_category = 'private_hospital' WHERE unit_id = 'S3';
UPDATE unit_status SET employees_source = 'registry' WHERE employees IS NOT NULL;
-- 组织关系未转入: one of E5's 3 formal members is still in a former employer's
-- organization; E6 has no organization, so all 3 of its members (2 + 1) belong to the
-- street's committee; S7's probationary member likewise.
UPDATE unit_status SET members_not_transferred = 1 WHERE unit_id IN ('E5', 'S7');
UPDATE unit_status SET members_not_transferred = 3 WHERE unit_id = 'E6';
