-- Tenants expected back on a day, for the landlords' reminder (checked every minute of the day's working hours).
CREATE INDEX ix_tenants_expected_return ON tenants(expected_return);
