-- The street, its people, its rules and its ledger. Times are UTC datetimeoffset.
CREATE TABLE streets (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    name NVARCHAR(200) NOT NULL,
    settings_json NVARCHAR(MAX) NOT NULL,
    created_at DATETIMEOFFSET NOT NULL
);
CREATE TABLE communities (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    street_id NVARCHAR(100) NOT NULL REFERENCES streets(id),
    name NVARCHAR(200) NOT NULL,
    active INT NOT NULL DEFAULT 1
);
CREATE TABLE grids (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    community_id NVARCHAR(100) NOT NULL REFERENCES communities(id),
    name NVARCHAR(200) NOT NULL,
    active INT NOT NULL DEFAULT 1
);
CREATE TABLE subjects (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    street_id NVARCHAR(100) NOT NULL REFERENCES streets(id),
    community_id NVARCHAR(100) NOT NULL REFERENCES communities(id),
    grid_id NVARCHAR(100) NULL,
    kind NVARCHAR(100) NOT NULL,
    name NVARCHAR(200) NOT NULL,
    phone NVARCHAR(100) NULL,
    active INT NOT NULL DEFAULT 1,
    created_at DATETIMEOFFSET NOT NULL
);
CREATE UNIQUE INDEX ux_subjects_phone ON subjects(street_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX ix_subjects_community ON subjects(community_id, kind);
CREATE TABLE tenants (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    subject_id NVARCHAR(100) NOT NULL REFERENCES subjects(id),
    name NVARCHAR(200) NOT NULL,
    room NVARCHAR(100) NULL,
    phone NVARCHAR(100) NULL,
    origin NVARCHAR(100) NULL,
    expected_return DATETIMEOFFSET NULL,
    active INT NOT NULL DEFAULT 1
);
CREATE INDEX ix_tenants_subject ON tenants(subject_id);
CREATE TABLE shops (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    subject_id NVARCHAR(100) NOT NULL REFERENCES subjects(id),
    name NVARCHAR(200) NOT NULL,
    active INT NOT NULL DEFAULT 1
);
CREATE INDEX ix_shops_subject ON shops(subject_id);
CREATE TABLE staff (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    street_id NVARCHAR(100) NOT NULL REFERENCES streets(id),
    community_id NVARCHAR(100) NULL REFERENCES communities(id),
    role NVARCHAR(100) NOT NULL,
    name NVARCHAR(200) NOT NULL,
    phone NVARCHAR(100) NULL,
    active INT NOT NULL DEFAULT 1
);
CREATE TABLE staff_tokens (
    token_hash NVARCHAR(100) NOT NULL PRIMARY KEY,
    staff_id NVARCHAR(100) NOT NULL REFERENCES staff(id),
    created_at DATETIMEOFFSET NOT NULL,
    revoked_at DATETIMEOFFSET NULL
);
CREATE TABLE enrolment_codes (
    code_hash NVARCHAR(100) NOT NULL PRIMARY KEY,
    person_kind NVARCHAR(100) NOT NULL,
    person_id NVARCHAR(100) NOT NULL,
    issued_by NVARCHAR(100) NOT NULL,
    issued_at DATETIMEOFFSET NOT NULL,
    expires_at DATETIMEOFFSET NOT NULL,
    used_at DATETIMEOFFSET NULL,
    used_by NVARCHAR(100) NULL
);
CREATE TABLE chat_accounts (
    channel_id NVARCHAR(100) NOT NULL,
    user_id NVARCHAR(100) NOT NULL,
    person_kind NVARCHAR(100) NOT NULL,
    person_id NVARCHAR(100) NOT NULL,
    bound_at DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX ix_chat_accounts_person ON chat_accounts(person_id);
CREATE TABLE bind_failures (
    channel_id NVARCHAR(100) NOT NULL,
    user_id NVARCHAR(100) NOT NULL,
    failed_at DATETIMEOFFSET NOT NULL
);
CREATE INDEX ix_bind_failures ON bind_failures(channel_id, user_id, failed_at);
CREATE TABLE rule_sets (
    street_id NVARCHAR(100) NOT NULL REFERENCES streets(id),
    version INT NOT NULL,
    effective_from DATETIMEOFFSET NOT NULL,
    rules_json NVARCHAR(MAX) NOT NULL,
    created_at DATETIMEOFFSET NOT NULL,
    created_by NVARCHAR(100) NOT NULL,
    PRIMARY KEY (street_id, version)
);
CREATE TABLE score_events (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    street_id NVARCHAR(100) NOT NULL REFERENCES streets(id),
    community_id NVARCHAR(100) NOT NULL,
    subject_id NVARCHAR(100) NOT NULL REFERENCES subjects(id),
    rule_code NVARCHAR(100) NOT NULL,
    rule_version INT NOT NULL,
    delta INT NOT NULL,
    occurred_at DATETIMEOFFSET NOT NULL,
    week NVARCHAR(100) NOT NULL,
    reported_at DATETIMEOFFSET NOT NULL,
    reporter_id NVARCHAR(100) NOT NULL,
    reporter_role NVARCHAR(100) NOT NULL,
    source NVARCHAR(400) NOT NULL,
    evidence NVARCHAR(MAX) NOT NULL,
    status NVARCHAR(100) NOT NULL,
    escalated_at DATETIMEOFFSET NULL
);
CREATE UNIQUE INDEX ux_score_events_source ON score_events(source);
CREATE INDEX ix_score_events_subject ON score_events(subject_id, occurred_at);
CREATE INDEX ix_score_events_queue ON score_events(community_id, status, reported_at);
CREATE INDEX ix_score_events_street ON score_events(street_id, occurred_at);
CREATE TABLE event_transitions (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    event_id NVARCHAR(100) NOT NULL REFERENCES score_events(id),
    from_status NVARCHAR(100) NULL,
    to_status NVARCHAR(100) NOT NULL,
    at DATETIMEOFFSET NOT NULL,
    actor_id NVARCHAR(100) NOT NULL,
    reason NVARCHAR(MAX) NULL
);
CREATE INDEX ix_event_transitions_event ON event_transitions(event_id, at);
CREATE TABLE tenant_returns (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    tenant_id NVARCHAR(100) NOT NULL REFERENCES tenants(id),
    subject_id NVARCHAR(100) NOT NULL REFERENCES subjects(id),
    arrival_at DATETIMEOFFSET NOT NULL,
    reported_at DATETIMEOFFSET NOT NULL,
    source NVARCHAR(400) NOT NULL,
    late_event_id NVARCHAR(100) NULL
);
CREATE UNIQUE INDEX ux_tenant_returns_source ON tenant_returns(source);
CREATE TABLE shop_rounds (
    subject_id NVARCHAR(100) NOT NULL REFERENCES subjects(id),
    day NVARCHAR(100) NOT NULL,
    reported_at DATETIMEOFFSET NOT NULL,
    source NVARCHAR(400) NOT NULL,
    PRIMARY KEY (subject_id, day)
);
CREATE TABLE published_lists (
    street_id NVARCHAR(100) NOT NULL REFERENCES streets(id),
    week NVARCHAR(100) NOT NULL,
    kind NVARCHAR(100) NOT NULL,
    revision INT NOT NULL,
    published_at DATETIMEOFFSET NOT NULL,
    published_by NVARCHAR(100) NOT NULL,
    rule_version INT NOT NULL,
    content_hash NVARCHAR(100) NOT NULL,
    correction_reason NVARCHAR(MAX) NULL,
    body_json NVARCHAR(MAX) NOT NULL,
    PRIMARY KEY (street_id, week, kind, revision)
);
CREATE TABLE redemptions (
    id NVARCHAR(100) NOT NULL PRIMARY KEY,
    subject_id NVARCHAR(100) NOT NULL REFERENCES subjects(id),
    points INT NOT NULL,
    yuan DECIMAL(18,2) NOT NULL,
    note NVARCHAR(MAX) NOT NULL,
    recorded_at DATETIMEOFFSET NOT NULL,
    recorded_by NVARCHAR(100) NOT NULL
);
CREATE INDEX ix_redemptions_subject ON redemptions(subject_id);
CREATE TABLE idempotency_keys (
    scope NVARCHAR(100) NOT NULL,
    idem_key NVARCHAR(100) NOT NULL,
    request_hash NVARCHAR(100) NOT NULL,
    status_code INT NULL,
    content_type NVARCHAR(100) NULL,
    response_body NVARCHAR(MAX) NULL,
    created_at DATETIMEOFFSET NOT NULL,
    completed_at DATETIMEOFFSET NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE TABLE worker_leases (
    name NVARCHAR(100) NOT NULL PRIMARY KEY,
    owner NVARCHAR(100) NOT NULL,
    lease_until DATETIMEOFFSET NOT NULL
);
