-- The 销号 ledger of the list_items and list_items_by_district goldens. Previous period
-- 2026-10, this period 2026-11. Items carried in (previous_list_items; all open but U9):
--   U1  should_form_own 110101 since 2026-09; now has its own organization → covered,
--       met_by single, months_open 2026-09..2026-10 = 2
--   U2  enterprise_needs_org 110101; registry now says 注销 → deregistered
--   U3  enterprise_needs_members 110101; 注销 by the district's correction
--       (corrected_fields status) → corrected
--   U4  members_without_coverage 110101; now in 110105 and listed there → moved_district
--       here, and a new item opened 2026-11 in 110105 (months_open 1)
--   U5  enterprise_needs_members 110102 since 2026-08; staff corrected 80 → 30 by the
--       district (employees_source feedback, 80 last month) → corrected, months 3
--   U6  should_form_own 110102; formal members fell, no organization → below_threshold
--   U7  enterprise_needs_org 110102; no record this month → absent
--   U8  members_without_coverage 110102; still listed → open, months 2026-10..11 = 2,
--       with the plan in force (任务措施 选派指导员, 责任人 组织科)
--   U9  staff30_needs_org 110102, closed 2026-08 (covered by joint): carried as it was,
--       months 2026-06..07 = 2
--   U10 municipal_group_needs_org 110101; out of scope (国有企业, status active) → out_of_scope
--   U12 members_without_coverage 110101; an instructor now, no organization → covered,
--       met_by instructor
-- And U11 should_form_own 110101, listed for the first time → opened 2026-11.
-- compliance_lists, unit_status and the previous period's copies are made by the golden
-- (`stage`) as a run declares them.
INSERT INTO compliance_lists (period, list, list_name, unit_id, name, uscc, sector,
    district_code, district_name) VALUES
    ('2026-11', 'members_without_coverage', '有党员但未实现任何覆盖的单位', 'U4', '丁公司', NULL, 'enterprise', '110105', '朝阳区'),
    ('2026-11', 'members_without_coverage', '有党员但未实现任何覆盖的单位', 'U8', '辛公司', NULL, 'enterprise', '110102', '西城区'),
    ('2026-11', 'should_form_own', '应建未建', 'U11', '子公司', NULL, 'enterprise', '110101', '东城区');
-- What the list macros read and this test does not: the same for every unit.
ALTER TABLE unit_status ALTER COLUMN sector SET DEFAULT 'enterprise';
ALTER TABLE unit_status ALTER COLUMN unit_kind SET DEFAULT 'private_enterprise';
ALTER TABLE unit_status ALTER COLUMN district_name SET DEFAULT '';
ALTER TABLE unit_status ALTER COLUMN formal_members SET DEFAULT 0;
ALTER TABLE unit_status ALTER COLUMN probationary_members SET DEFAULT 0;
INSERT INTO unit_status (period, unit_id, name, uscc, district_code, status, in_scope,
    org_form, has_members, org_covered, has_instructor, has_mass_org, employees,
    employees_source, corrected_fields) VALUES
    ('2026-11', 'U1', '甲公司', NULL, '110101', 'active', true, 'single', true, true, false, false, 20, 'registry', NULL),
    ('2026-11', 'U2', '乙公司', NULL, '110101', 'deregistered', false, 'none', false, false, false, false, 120, 'registry', NULL),
    ('2026-11', 'U3', '丙公司', NULL, '110101', 'deregistered', false, 'none', false, false, false, false, 60, 'registry', 'status'),
    ('2026-11', 'U4', '丁公司', NULL, '110105', 'active', true, 'none', true, false, false, false, 10, 'registry', NULL),
    ('2026-11', 'U5', '戊公司', NULL, '110102', 'active', true, 'none', false, false, false, false, 30, 'feedback', 'employees'),
    ('2026-11', 'U6', '己公司', NULL, '110102', 'active', true, 'none', true, false, false, false, 10, 'registry', NULL),
    ('2026-11', 'U8', '辛公司', NULL, '110102', 'active', true, 'none', true, false, false, false, 10, 'registry', NULL),
    ('2026-11', 'U9', '壬事务所', NULL, '110102', 'active', true, 'joint', true, true, false, false, 40, 'registry', NULL),
    ('2026-11', 'U10', '癸协会', NULL, '110101', 'active', false, 'none', false, false, false, false, NULL, NULL, NULL),
    ('2026-11', 'U11', '子公司', NULL, '110101', 'active', true, 'none', true, false, false, false, 10, 'registry', NULL),
    ('2026-11', 'U12', '丑公司', NULL, '110101', 'active', true, 'none', true, false, true, false, 10, 'registry', NULL);
INSERT INTO previous_unit_status (unit_id, employees) VALUES ('U5', 80), ('U6', 10);
INSERT INTO previous_list_items (period, list, list_name, unit_id, name, uscc, sector,
    district_code, district_name, opened_period, closed_period, close_reason, met_by) VALUES
    ('2026-10', 'should_form_own', '应建未建', 'U1', '甲公司', NULL, 'enterprise', '110101', '东城区', '2026-09', NULL, NULL, NULL),
    ('2026-10', 'enterprise_needs_org', '职工100人以上未建党组织企业', 'U2', '乙公司', NULL, 'enterprise', '110101', '东城区', '2026-10', NULL, NULL, NULL),
    ('2026-10', 'enterprise_needs_members', '职工50人以上无党员企业', 'U3', '丙公司', NULL, 'enterprise', '110101', '东城区', '2026-10', NULL, NULL, NULL),
    ('2026-10', 'members_without_coverage', '有党员但未实现任何覆盖的单位', 'U4', '丁公司', NULL, 'enterprise', '110101', '东城区', '2026-10', NULL, NULL, NULL),
    ('2026-10', 'enterprise_needs_members', '职工50人以上无党员企业', 'U5', '戊公司', NULL, 'enterprise', '110102', '西城区', '2026-08', NULL, NULL, NULL),
    ('2026-10', 'should_form_own', '应建未建', 'U6', '己公司', NULL, 'enterprise', '110102', '西城区', '2026-10', NULL, NULL, NULL),
    ('2026-10', 'enterprise_needs_org', '职工100人以上未建党组织企业', 'U7', '庚公司', NULL, 'enterprise', '110102', '西城区', '2026-10', NULL, NULL, NULL),
    ('2026-10', 'members_without_coverage', '有党员但未实现任何覆盖的单位', 'U8', '辛公司', NULL, 'enterprise', '110102', '西城区', '2026-10', NULL, NULL, NULL),
    ('2026-10', 'staff30_needs_org', '从业人员30人以上…未建党组织', 'U9', '壬事务所', NULL, 'social_org', '110102', '西城区', '2026-06', '2026-08', 'covered', 'joint'),
    ('2026-10', 'municipal_group_needs_org', '市级以上社会团体未建党组织', 'U10', '癸协会', NULL, 'social_org', '110101', '东城区', '2026-10', NULL, NULL, NULL),
    ('2026-10', 'members_without_coverage', '有党员但未实现任何覆盖的单位', 'U12', '丑公司', NULL, 'enterprise', '110101', '东城区', '2026-10', NULL, NULL, NULL);
INSERT INTO feedback_decisions (period, id, kind, district_code, unit_id, field, value,
    period_received, superseded_by, source, source_file, source_row) VALUES
    ('2026-11', 'd1', 'plan', '110101', 'U8', 'measures', '选派指导员', '2026-10', NULL, 'feedback', '反馈_东城区_2026-10.xlsx', 2),
    ('2026-11', 'd2', 'plan', '110101', 'U8', 'owner', '组织科', '2026-10', NULL, 'feedback', '反馈_东城区_2026-10.xlsx', 3);
