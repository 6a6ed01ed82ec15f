-- The street, its people, its rules and its ledger. Times are UTC ISO-8601 text (sortable).
CREATE TABLE streets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE communities (
    id TEXT PRIMARY KEY,
    street_id TEXT NOT NULL REFERENCES streets(id),
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE grids (
    id TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities(id),
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE subjects (
    id TEXT PRIMARY KEY,
    street_id TEXT NOT NULL REFERENCES streets(id),
    community_id TEXT NOT NULL REFERENCES communities(id),
    grid_id TEXT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_subjects_phone ON subjects(street_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX ix_subjects_community ON subjects(community_id, kind);
CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES subjects(id),
    name TEXT NOT NULL,
    room TEXT NULL,
    phone TEXT NULL,
    origin TEXT NULL,
    expected_return TEXT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_tenants_subject ON tenants(subject_id);
CREATE TABLE shops (
    id TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES subjects(id),
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_shops_subject ON shops(subject_id);
CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    street_id TEXT NOT NULL REFERENCES streets(id),
    community_id TEXT NULL REFERENCES communities(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE staff_tokens (
    token_hash TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT NULL
);
CREATE TABLE enrolment_codes (
    code_hash TEXT PRIMARY KEY,
    person_kind TEXT NOT NULL,
    person_id TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT NULL,
    used_by TEXT NULL
);
CREATE TABLE chat_accounts (
    channel_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    person_kind TEXT NOT NULL,
    person_id TEXT NOT NULL,
    bound_at TEXT NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX ix_chat_accounts_person ON chat_accounts(person_id);
CREATE TABLE bind_failures (
    channel_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX ix_bind_failures ON bind_failures(channel_id, user_id, failed_at);
CREATE TABLE rule_sets (
    street_id TEXT NOT NULL REFERENCES streets(id),
    version INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    rules_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (street_id, version)
);
CREATE TABLE score_events (
    id TEXT PRIMARY KEY,
    street_id TEXT NOT NULL REFERENCES streets(id),
    community_id TEXT NOT NULL,
    subject_id TEXT NOT NULL REFERENCES subjects(id),
    rule_code TEXT NOT NULL,
    rule_version INTEGER NOT NULL,
    delta INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    week TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    reporter_id TEXT NOT NULL,
    reporter_role TEXT NOT NULL,
    source TEXT NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL,
    escalated_at TEXT NULL
);
CREATE UNIQUE INDEX ux_score_events_source ON score_events(source);
CREATE INDEX ix_score_events_subject ON score_events(subject_id, occurred_at);
CREATE INDEX ix_score_events_queue ON score_events(community_id, status, reported_at);
CREATE INDEX ix_score_events_street ON score_events(street_id, occurred_at);
CREATE TABLE event_transitions (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES score_events(id),
    from_status TEXT NULL,
    to_status TEXT NOT NULL,
    at TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    reason TEXT NULL
);
CREATE INDEX ix_event_transitions_event ON event_transitions(event_id, at);
CREATE TABLE tenant_returns (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    subject_id TEXT NOT NULL REFERENCES subjects(id),
    arrival_at TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    source TEXT NOT NULL,
    late_event_id TEXT NULL
);
CREATE UNIQUE INDEX ux_tenant_returns_source ON tenant_returns(source);
CREATE TABLE shop_rounds (
    subject_id TEXT NOT NULL REFERENCES subjects(id),
    day TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (subject_id, day)
);
CREATE TABLE published_lists (
    street_id TEXT NOT NULL REFERENCES streets(id),
    week TEXT NOT NULL,
    kind TEXT NOT NULL,
    revision INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    rule_version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    correction_reason TEXT NULL,
    body_json TEXT NOT NULL,
    PRIMARY KEY (street_id, week, kind, revision)
);
CREATE TABLE redemptions (
    id TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES subjects(id),
    points INTEGER NOT NULL,
    yuan TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX ix_redemptions_subject ON redemptions(subject_id);
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NULL,
    content_type TEXT NULL,
    response_body TEXT NULL,
    created_at TEXT NOT NULL,
    completed_at TEXT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE TABLE worker_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    lease_until TEXT NOT NULL
);
