-- Materialised totals of approved points, kept in the same transaction as every approval and
-- revocation, so balances and weekly lists read a row per subject instead of scanning the ledger.
ALTER TABLE score_events ADD COLUMN cycle TEXT NOT NULL DEFAULT '';
UPDATE score_events SET cycle = substr(week, 1, 4);
CREATE TABLE subject_week_totals (
    subject_id TEXT NOT NULL,
    week TEXT NOT NULL,
    cycle TEXT NOT NULL,
    additions INTEGER NOT NULL,
    deductions INTEGER NOT NULL,
    PRIMARY KEY (subject_id, week)
);
CREATE INDEX ix_subject_week_totals_cycle_week ON subject_week_totals(cycle, week, subject_id, additions, deductions);
CREATE TABLE subject_cycle_totals (
    subject_id TEXT NOT NULL,
    cycle TEXT NOT NULL,
    total INTEGER NOT NULL,
    deductions INTEGER NOT NULL,
    PRIMARY KEY (subject_id, cycle)
);
INSERT INTO subject_week_totals (subject_id, week, cycle, additions, deductions)
    SELECT subject_id, week, cycle, SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END), SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END)
    FROM score_events WHERE status = 'Approved' GROUP BY subject_id, week, cycle;
INSERT INTO subject_cycle_totals (subject_id, cycle, total, deductions)
    SELECT subject_id, cycle, SUM(additions - deductions), SUM(deductions) FROM subject_week_totals GROUP BY subject_id, cycle;
