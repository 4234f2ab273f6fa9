-- Runtime threshold overrides per PSP (issue 3, scope 5): a JSON object of setting name to number,
-- e.g. {"request_timeout_ms": 800}. A setting that is absent runs with its configured value. Every
-- change is audited in psp_settings_audit, one row per field, in the same transaction.

ALTER TABLE psp_settings ADD COLUMN overrides jsonb NOT NULL DEFAULT '{}'::jsonb;

ALTER TABLE psp_settings ADD CONSTRAINT psp_settings_overrides_object CHECK (jsonb_typeof(overrides) = 'object');
