-- When a leased worker's round last ran to its end, written by the instance holding the lease: the service's status
-- (GET /api/admin/status) tells a worker that keeps its lease but fails every round from one that works. Empty until
-- the first round after this migration; an instance of an earlier release leaves it as it is.
ALTER TABLE worker_leases ADD last_completed_at DATETIMEOFFSET(7) NULL;
