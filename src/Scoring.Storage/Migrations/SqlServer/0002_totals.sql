-- Materialised totals of approved points, kept in the same transaction as every approval and
-- revocation, so balances and weekly lists read a row per subject instead of scanning the ledger.
ALTER TABLE score_events ADD cycle NVARCHAR(20) NOT NULL CONSTRAINT df_score_events_cycle DEFAULT '';
GO
UPDATE score_events SET cycle = LEFT(week, 4);
CREATE TABLE subject_week_totals (
    subject_id NVARCHAR(100) NOT NULL,
    week NVARCHAR(10) NOT NULL,
    cycle NVARCHAR(20) NOT NULL,
    additions INT NOT NULL,
    deductions INT NOT NULL,
    PRIMARY KEY (subject_id, week)
);
CREATE INDEX ix_subject_week_totals_cycle_week ON subject_week_totals(cycle, week, subject_id, additions, deductions);
CREATE TABLE subject_cycle_totals (
    subject_id NVARCHAR(100) NOT NULL,
    cycle NVARCHAR(20) NOT NULL,
    total INT NOT NULL,
    deductions INT NOT NULL,
    PRIMARY KEY (subject_id, cycle)
);
INSERT INTO subject_week_totals (subject_id, week, cycle, additions, deductions)
    SELECT subject_id, week, cycle, SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END), SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END)
    FROM score_events WHERE status = 'Approved' GROUP BY subject_id, week, cycle;
INSERT INTO subject_cycle_totals (subject_id, cycle, total, deductions)
    SELECT subject_id, cycle, SUM(additions - deductions), SUM(deductions) FROM subject_week_totals GROUP BY subject_id, cycle;
