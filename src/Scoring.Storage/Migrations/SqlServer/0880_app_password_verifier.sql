-- Which app password (Bot:MicrosoftAppPassword) the database's codes, sealed replies and Idempotency-Key answers are
-- keyed with: a short verifier (an HMAC of a fixed label under a key derived from it, never the password or a key), one
-- row, written by the first instance with a password and on a rotation. An instance started on another password says so.
CREATE TABLE app_password_verifier (
    id          INT NOT NULL PRIMARY KEY,
    verifier    NVARCHAR(64) NOT NULL,
    written_at  DATETIMEOFFSET(7) NOT NULL
);
