-- Runtime PSP settings (kill switches) and their append-only audit trail (issue 3, scope 5).
-- A PSP without a row runs with its configured defaults; every silo polls this table.

CREATE TABLE psp_settings (
    psp        text        PRIMARY KEY,
    enabled    boolean     NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text        NOT NULL
);

CREATE TABLE psp_settings_audit (
    id         bigserial   PRIMARY KEY,
    psp        text        NOT NULL,
    field      text        NOT NULL,
    old_value  text,
    new_value  text        NOT NULL,
    changed_by text        NOT NULL,
    changed_at timestamptz NOT NULL
);

CREATE INDEX psp_settings_audit_psp_id ON psp_settings_audit (psp, id DESC);

-- Append-only: the audit trail is evidence, so the database refuses to rewrite it.
CREATE FUNCTION psp_settings_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'psp_settings_audit is append-only';
END;
$$;

CREATE TRIGGER psp_settings_audit_no_change
    BEFORE UPDATE OR DELETE ON psp_settings_audit
    FOR EACH ROW EXECUTE FUNCTION psp_settings_audit_append_only();
