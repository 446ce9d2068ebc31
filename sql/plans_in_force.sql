-- plans_in_force(): the 一企一策 / 一社一策 plan each district wrote in its returned work
-- pack, one row per unit with a column per plan field — plan_measures 任务措施,
-- plan_schedule 进度安排, plan_due 计划完成时间, plan_owner 责任人, plan_progress 当前进展,
-- plan_note 备注 — from the decisions of kind 'plan' still in force
-- (feedback_decisions.superseded_by IS NULL). Read by action_plan and by the next
-- month's pack. No numerator or denominator: every unit with a plan field in force.
-- depends: feedback_decisions
-- output: macro
CREATE OR REPLACE MACRO plans_in_force() AS TABLE
SELECT unit_id,
    max(value) FILTER (WHERE field = 'measures') AS plan_measures,
    max(value) FILTER (WHERE field = 'schedule') AS plan_schedule,
    max(value) FILTER (WHERE field = 'due') AS plan_due,
    max(value) FILTER (WHERE field = 'owner') AS plan_owner,
    max(value) FILTER (WHERE field = 'progress') AS plan_progress,
    max(value) FILTER (WHERE field = 'note') AS plan_note
FROM feedback_decisions
WHERE kind = 'plan' AND superseded_by IS NULL
GROUP BY unit_id;
