-- A tenant's return reported again in another message (sent twice, retyped, from a second phone) is found by its
-- tenant and arrival, so it is recorded once and deducted at most once.
CREATE INDEX ix_tenant_returns_arrival ON tenant_returns(tenant_id, arrival_at);
